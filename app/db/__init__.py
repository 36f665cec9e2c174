"""Database access: engine and sessions (engine.py), schema migrations (migrate.py)."""

from app.db.engine import Database, open_database

__all__ = ["Database", "open_database"]
