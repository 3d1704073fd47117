"""The keys a tenant issues: widget keys and server keys (the admin API over auth's tables)."""
