"""``SqliteReader`` gives the static build the very objects ``Store`` gives, without
SQLAlchemy, and refuses what it cannot read as it is."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from clipdiary.errors import NotFound, UsageError
from clipdiary.model import Comment, Diary, NewEntry, Source
from clipdiary.store import Store, create_diary, open_database, schema
from clipdiary.store.lite import SchemaMismatch, SqliteReader
from clipdiary.store.migrations import LATEST_VERSION
from clipdiary.store.rows import SCHEMA_VERSION

JST = ZoneInfo("Asia/Tokyo")
START = dt.datetime(2016, 9, 5, 7, 30, tzinfo=JST)


@pytest.fixture
def diary_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "diary"
    store = create_diary(folder, None, Diary(name="d1021", title="日記", day_starts_at=6))
    store.indexers = []
    with store.transaction():
        first = store.add_entry(
            NewEntry(
                "首脳会談",
                body="会談した。\n>https://a.example.jp/1:title=記事>\n本文\n<<",
                categories=("Russia", "Syria"),
                created=START,
                source=Source(
                    url="https://a.example.jp/1",
                    site="A 新聞",
                    lang="ja",
                    published=dt.datetime(2016, 9, 4, 12, tzinfo=dt.UTC),
                    author="記者",
                ),
                aliases=("/20160905/p1",),
            )
        )
        second = store.add_entry(
            NewEntry("Summit", body="Talks.", categories=("Russia",), created=START.replace(hour=9))
        )
        store.add_entry(NewEntry("Hidden", visibility="private", created=START.replace(hour=10)))
        store.add_entry(NewEntry("Before dawn", created=START.replace(hour=3)))  # the day before
        store.add_entry(NewEntry("Next month", created=START + dt.timedelta(days=30)))
        store.set_day_title(START.date(), "シリア")
        store.add_comment(START.date(), Comment("読者", "なるほど", START), entry_name=first.name)
        store.add_comment(START.date(), Comment("guest", "day note", START))
        store.set_setting("hatena_user", "olduser")
    with store.engine.begin() as conn:
        conn.execute(
            sa.insert(schema.related_links).values(
                entry_id=second.id,
                target_id=first.id,
                diary_id=store.diary_id,
                rank=1,
                score=0.75,
                method="test",
            )
        )
    store.database.close()
    return folder


@pytest.fixture
def both(diary_folder: Path) -> Iterator[tuple[Store, SqliteReader]]:
    database = open_database(diary_folder, None)
    reader = SqliteReader(diary_folder)
    yield database.diary(), reader
    reader.close()
    database.close()


def test_the_schema_version_is_the_migrations_last() -> None:
    assert SCHEMA_VERSION == LATEST_VERSION


@pytest.mark.parametrize("include_private", [False, True])
def test_stamps_are_the_stores(both: tuple[Store, SqliteReader], include_private: bool) -> None:
    store, reader = both
    assert reader.stamps(include_private=include_private) == store.stamps(
        include_private=include_private
    )
    assert reader.diary == store.diary
    assert reader.hatena_user == store.hatena_user == "olduser"


def test_entries_days_and_months_are_the_stores(both: tuple[Store, SqliteReader]) -> None:
    store, reader = both
    days = [START.date(), START.date() - dt.timedelta(days=1), dt.date(2001, 1, 1)]
    for include_private in (False, True):
        mine = reader.entries(include_private=include_private, days=days)
        assert mine == store.entries(include_private=include_private, days=days)
        assert mine and all(e.day in days for e in mine)
        assert reader.month_pages(2016, 9, include_private=include_private) == store.month_pages(
            2016, 9, include_private=include_private
        )
    assert reader.day_extras(days) == store.day_extras(days)
    first = reader.entries(include_private=False, days=[START.date()])[0]
    assert first.aliases == ("/20160905/p1",)
    assert first.comments[0].body == "なるほど"
    assert first.source is not None and first.source.author == "記者"
    titles, comments = reader.day_extras([START.date()])
    assert titles == {START.date(): "シリア"}
    assert [c.body for c in comments[START.date()]] == ["day note"]


def test_a_database_at_another_version_is_left_to_the_store(diary_folder: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{diary_folder / 'diary.db'}")
    with engine.begin() as conn:
        conn.execute(sa.update(schema.schema_version).values(version=SCHEMA_VERSION - 1))
    engine.dispose()
    with pytest.raises(SchemaMismatch):
        SqliteReader(diary_folder)


def test_missing_and_ambiguous_diaries_are_named(tmp_path: Path, diary_folder: Path) -> None:
    with pytest.raises(NotFound, match="no diary at"):
        SqliteReader(tmp_path / "nowhere")
    with pytest.raises(NotFound, match="no diary named 'other'"):
        SqliteReader(diary_folder, "other")
    database = open_database(diary_folder, None)
    database.create_diary(Diary(name="second", title="Second"))
    database.close()
    with pytest.raises(UsageError, match="several diaries"):
        SqliteReader(diary_folder)
    assert SqliteReader(diary_folder, "second").diary.title == "Second"


def test_the_reader_cannot_write(both: tuple[Store, SqliteReader]) -> None:
    _store, reader = both
    with pytest.raises(Exception, match="readonly"):
        reader.conn.execute("DELETE FROM entries")


def test_the_build_command_never_imports_sqlalchemy(diary_folder: Path, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from clipdiary.cli import cli\n"
        f"cli.main(['--diary', {str(diary_folder)!r}, 'build', {str(tmp_path / 'site')!r}],"
        " standalone_mode=False)\n"
        "print('sqlalchemy imported:', 'sqlalchemy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "full build:" in done.stdout
    assert "sqlalchemy imported: False" in done.stdout
    assert (tmp_path / "site" / "20160905" / "index.html").is_file()
