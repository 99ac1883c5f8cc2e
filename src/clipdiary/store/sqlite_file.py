"""A ``diary.db`` looked at before it is opened for writing.

Opening a SQLite diary switches it to write-ahead logging and brings its schema up to date:
both write to the file. A file that is not a diary must not be written, nor get a
traceback: a text file, random bytes, a truncated copy, an empty file or somebody else's
SQLite database is refused here in one line, having been read only (``mode=ro``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clipdiary.errors import StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
SCHEMA_TABLE = "clipdiary_schema"


def check_diary_file(db_file: Path, *, create: bool) -> None:
    """Refuse ``db_file`` unless it is a clipdiary database, or (``create``) may become one."""
    try:
        size = db_file.stat().st_size
        with db_file.open("rb") as raw:
            head = raw.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {db_file}: {exc.strerror}") from None
    if size == 0:
        if create:
            return
        raise StoreError(
            f"{db_file} is empty (0 bytes) and holds no diary: "
            "remove it, or run 'clipdiary init' to make a diary there"
        )
    if head != SQLITE_HEADER:
        raise StoreError(
            f"{db_file} is not a clipdiary diary: it is not an SQLite database "
            f"(it begins {head[:12]!r})"
        )
    tables = _tables(db_file)
    if tables and SCHEMA_TABLE not in tables:
        raise StoreError(
            f"{db_file} is an SQLite database but not a clipdiary diary "
            f"(it holds {', '.join(sorted(tables)[:5])}{'…' if len(tables) > 5 else ''}); "
            "it was not changed"
        )
    if not tables and not create:
        raise StoreError(
            f"{db_file} is an SQLite database with no tables and holds no diary: "
            "run 'clipdiary init' to make a diary there"
        )


def _tables(db_file: Path) -> set[str]:
    uri = db_file.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {db_file}: {exc}") from None
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{db_file} is damaged and cannot be read as a diary ({exc}); "
            "restore it from a backup or an export"
        ) from None
    finally:
        conn.close()
    return {str(name) for (name,) in rows}
