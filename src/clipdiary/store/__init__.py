"""Storage: one ``Store`` API over SQLite and PostgreSQL (SQLAlchemy Core)."""

from clipdiary.store.open import create_diary, open_database, open_store
from clipdiary.store.store import Database, Store

__all__ = ["Database", "Store", "create_diary", "open_database", "open_store"]
