"""The platform operator's controls over tenants: limits, suspension."""
