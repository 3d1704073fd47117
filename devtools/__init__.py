"""Dev tools, not the product: the simulator, the dev runner, embedded PostgreSQL, the dev identity provider.

Installed with the `dev` extra; the production image has none of it."""
