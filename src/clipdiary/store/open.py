"""Finding a diary from what the user gave: a folder (SQLite) or a database address."""

from __future__ import annotations

from pathlib import Path

from clipdiary.errors import NotFound, UsageError
from clipdiary.model import Diary
from clipdiary.store.engine import DB_FILENAME, sqlite_url
from clipdiary.store.sqlite_file import check_diary_file
from clipdiary.store.store import Database, Store


def open_database(folder: Path | None, db_url: str | None, *, create: bool = False) -> Database:
    """The database of a diary folder, or of ``--db URL`` when one is given."""
    if db_url:
        return Database.open(db_url)
    if folder is None:
        raise UsageError("no diary given: use --diary PATH, CLIPDIARY_DIARY or --db URL")
    db_file = folder / DB_FILENAME
    if not db_file.exists():
        if not create:
            raise NotFound(f"no diary at {folder}: run 'clipdiary init --diary {folder}' first")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the diary folder {folder}: {exc.strerror}") from exc
    elif not db_file.is_file():
        raise UsageError(f"{db_file} is not a file")
    else:
        check_diary_file(db_file, create=create)  # read only: a foreign file stays as it is
    return Database.open(sqlite_url(folder))


def open_store(folder: Path | None, db_url: str | None, diary_name: str | None = None) -> Store:
    database = open_database(folder, db_url)
    try:
        return database.diary(diary_name)
    except Exception:
        database.close()
        raise


def create_diary(folder: Path | None, db_url: str | None, diary: Diary) -> Store:
    database = open_database(folder, db_url, create=True)
    try:
        return database.create_diary(diary)
    except Exception:
        database.close()
        raise
