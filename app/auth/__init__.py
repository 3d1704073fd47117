"""Who is calling: one Principal, server and widget keys, admin sessions, scopes."""
