"""Database access: engine, base model, tenant scoping, migrations."""
