"""The `greenroom` command: its group, shared CLI plumbing, where the dev stack's data is."""
