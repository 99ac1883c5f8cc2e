"""Storage: one ``Store`` API over SQLite and PostgreSQL (SQLAlchemy Core).

The names below are imported on first use (PEP 562), so that a module of this package
that needs no SQLAlchemy (``rows``, ``lite``) can be imported without it: the static
build reads a SQLite diary through ``lite`` and starts a good deal faster for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clipdiary.store.open import create_diary, open_database, open_store
    from clipdiary.store.store import Database, Store

__all__ = ["Database", "Store", "create_diary", "open_database", "open_store"]

_HOMES = {
    "Database": "clipdiary.store.store",
    "Store": "clipdiary.store.store",
    "create_diary": "clipdiary.store.open",
    "open_database": "clipdiary.store.open",
    "open_store": "clipdiary.store.open",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
