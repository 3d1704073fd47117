"""Greenroom: a multi-tenant control plane for embedded AI avatars."""
