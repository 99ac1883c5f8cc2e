"""Schema versions: fresh databases, in-place upgrades, refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from clipdiary.errors import StoreError
from clipdiary.model import Diary, NewEntry
from clipdiary.store import schema
from clipdiary.store.engine import make_engine, sqlite_url
from clipdiary.store.migrations import LATEST_VERSION, MIGRATIONS, Migration, upgrade
from clipdiary.store.store import Database


def _columns(engine: sa.Engine) -> dict[str, set[str]]:
    inspector = sa.inspect(engine)
    return {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
        # search_* tables are dialect-specific (FTS5 / tsvector); tests/search checks them.
        if not table.startswith("search_")
    }


def test_a_new_database_has_exactly_the_schema_of_schema_py(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert upgrade(engine) == LATEST_VERSION
        expected = {t.name: {c.name for c in t.columns} for t in schema.metadata.sorted_tables}
        assert _columns(engine) == expected
    finally:
        engine.dispose()


def test_opening_twice_changes_nothing(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        before = _columns(engine)
        assert upgrade(engine) == LATEST_VERSION
        assert _columns(engine) == before
    finally:
        engine.dispose()


def _add_reading_time(conn: sa.Connection) -> None:
    conn.execute(sa.text("ALTER TABLE entries ADD COLUMN reading_minutes INTEGER"))
    conn.execute(sa.text("UPDATE entries SET reading_minutes = 3"))


def test_an_old_database_is_upgraded_in_place_and_keeps_its_entries(db_url: str) -> None:
    database = Database.open(db_url)
    store = database.create_diary(Diary("d", "Diary"))
    when = dt.datetime(2016, 9, 5, 10, 0, tzinfo=dt.UTC)
    entry = store.add_entry(NewEntry("kept", body="本文", categories=("c",), created=when))
    database.close()

    newer = (*MIGRATIONS, Migration(LATEST_VERSION + 1, "reading time", _add_reading_time))
    engine = make_engine(db_url)
    try:
        assert upgrade(engine, newer) == LATEST_VERSION + 1
        with engine.connect() as conn:
            row = conn.execute(sa.text("SELECT title, body, reading_minutes FROM entries")).one()
            version = conn.execute(sa.text("SELECT version FROM clipdiary_schema")).scalar()
        assert tuple(row) == ("kept", "本文", 3)
        assert version == LATEST_VERSION + 1
    finally:
        engine.dispose()
    assert entry.name == "1473069600"


def _broken(conn: sa.Connection) -> None:
    conn.execute(sa.text("ALTER TABLE entries ADD COLUMN half_done INTEGER"))
    conn.execute(sa.text("SELECT no_such_column FROM entries"))


def test_a_failed_upgrade_rolls_back_and_leaves_the_database_as_it_was(db_url: str) -> None:
    database = Database.open(db_url)
    database.create_diary(Diary("d", "Diary")).add_entry(NewEntry("kept"))
    database.close()
    engine = make_engine(db_url)
    try:
        before = _columns(engine)
        broken = (*MIGRATIONS, Migration(LATEST_VERSION + 1, "broken step", _broken))
        with pytest.raises(StoreError, match="broken step"):
            upgrade(engine, broken)
        assert _columns(engine) == before
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version FROM clipdiary_schema")).scalar() == (
                LATEST_VERSION
            )
            assert conn.execute(sa.text("SELECT count(*) FROM entries")).scalar() == 1
    finally:
        engine.dispose()


def test_a_database_from_a_newer_clipdiary_is_refused(db_url: str) -> None:
    Database.open(db_url).close()
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE clipdiary_schema SET version = 999"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer"):
        Database.open(db_url)


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE notes (id INTEGER)"))
    engine.dispose()
    with pytest.raises(StoreError, match="not a clipdiary database"):
        Database.open(sqlite_url(tmp_path))
    engine = make_engine(sqlite_url(tmp_path))
    try:
        assert sa.inspect(engine).get_table_names() == ["notes"]
    finally:
        engine.dispose()


def test_sqlite_diaries_use_write_ahead_logging(tmp_path: Path) -> None:
    database = Database.open(sqlite_url(tmp_path))
    try:
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.close()
    assert (tmp_path / "diary.db").is_file()
