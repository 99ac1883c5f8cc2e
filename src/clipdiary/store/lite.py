"""A SQLite diary read through the standard library's ``sqlite3``, without SQLAlchemy.

The static build reads a diary and writes nothing to it; importing SQLAlchemy alone takes
longer than an incremental build of a 10,000-entry diary has in all. ``SqliteReader``
answers the reads the build makes (``stamps``, ``entries`` by day, ``day_extras``,
``month_pages``) with the same objects ``Store`` gives, through the row functions both
share (``rows.py``); a test holds the two to the same answers.

It opens the database read-only and only at the schema version this clipdiary writes: a
diary that needs upgrading is opened through ``Store``, which upgrades it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from clipdiary.errors import NotFound, StoreError, UsageError
from clipdiary.model import Comment, DayPage, Entry
from clipdiary.store.rows import (
    SCHEMA_VERSION,
    DiaryStamps,
    comment_from_row,
    day_pages,
    diary_from_row,
    diary_identity,
    entry_from_row,
    stamps_from_rows,
)

DB_FILENAME = "diary.db"
CHUNK = 500  # ids or days a query names at once, well under SQLite's variable limit


class StoryMember(NamedTuple):
    """A public entry's place in a story, with the story's own columns, for the build."""

    story_id: int
    number: int
    title: str | None  # the owner's
    updated_at: int
    entry_id: int
    source_site: str | None


class SchemaMismatch(StoreError):
    """The database is at another schema version: open it through ``Store``."""


def _date(value: bytes) -> dt.date:
    return dt.date.fromisoformat(value.decode())


def _connect(path: Path) -> sqlite3.Connection:
    # Read-only, so a build can never change the diary; DATE columns come back as dates,
    # as SQLAlchemy gives them.
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro",
        uri=True,
        detect_types=sqlite3.PARSE_DECLTYPES,
        timeout=30,
        check_same_thread=False,
    )
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


sqlite3.register_converter("DATE", _date)


class SqliteReader:
    """One diary of a SQLite file, read only."""

    def __init__(self, folder: Path, diary_name: str | None = None) -> None:
        self.path = folder / DB_FILENAME
        if not self.path.is_file():
            raise NotFound(f"no diary at {folder}: run 'clipdiary init --diary {folder}' first")
        self._conn: sqlite3.Connection | None = None
        version = self._version()
        if version != SCHEMA_VERSION:
            raise SchemaMismatch(
                f"schema version {version}, this clipdiary writes {SCHEMA_VERSION}"
            )
        rows = self._rows(
            "SELECT * FROM diaries"
            + (" WHERE name = ?" if diary_name is not None else "")
            + " LIMIT 2",
            () if diary_name is None else (diary_name,),
        )
        if not rows:
            if diary_name is None:
                raise NotFound("this database holds no diary yet: run 'clipdiary init'")
            raise NotFound(f"no diary named {diary_name!r} in this database")
        if len(rows) > 1:
            names = [r["name"] for r in self._rows("SELECT name FROM diaries ORDER BY name")]
            raise UsageError(
                "this database holds several diaries: name one with --diary-name "
                f"({', '.join(names)})"
            )
        self.diary_id: int = rows[0]["id"]
        self.diary = diary_from_row(rows[0])
        self.identity = diary_identity(rows[0])
        self._synced_at = -1  # the revision at which ``diary`` was last read

    # -- connection -------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = _connect(self.path)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def forget_connections(self) -> None:
        """In a forked child: the parent's connection must not be used; open a new one."""
        self._conn = None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        try:
            return cursor.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from exc

    def _tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from exc

    def _version(self) -> int:
        try:
            found = self._tuples("SELECT version FROM clipdiary_schema")
        except StoreError:
            return 0
        return int(found[0][0]) if found else 0

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Make every read inside see one state of the diary: a read transaction, which in
        WAL mode keeps its snapshot while writers go on."""
        conn = self.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            conn.rollback()  # nothing was written: ending the transaction is all

    def revision(self) -> int:
        """As ``Store.revision``: a number every write transaction of this diary raises."""
        found = self._tuples(
            "SELECT revision FROM diary_revisions WHERE diary_id = ?", (self.diary_id,)
        )
        return int(found[0][0]) if found else 0

    def sync(self) -> int:
        """As ``Store.sync``: the revision, and the diary's settings read again if it moved."""
        revision = self.revision()
        if revision != self._synced_at:
            rows = self._rows("SELECT * FROM diaries WHERE id = ?", (self.diary_id,))
            if rows:
                self.diary = diary_from_row(rows[0])
            self._synced_at = revision
        return revision

    # -- what the static build reads ----------------------------------------------------

    def setting(self, key: str) -> str | None:
        found = self._tuples(
            "SELECT value FROM diary_settings WHERE diary_id = ? AND key = ?", (self.diary_id, key)
        )
        return str(found[0][0]) if found else None

    @property
    def hatena_user(self) -> str:
        return self.setting("hatena_user") or self.diary.name

    def stamps(self, *, include_private: bool) -> DiaryStamps:
        """As ``Store.stamps``: every entry's stamp, related pairs, comment ids, day titles."""
        d = self.diary_id
        public = "" if include_private else " AND visibility = 'public'"
        rows = self._tuples(
            "SELECT id, day, name, title, visibility, created_at, updated_at, source_lang"
            f" FROM entries WHERE diary_id = ?{public} ORDER BY day, created_at, id",
            (d,),
        )
        categories: dict[int, list[str]] = defaultdict(list)
        for entry_id, category in self._tuples(
            "SELECT entry_id, category FROM entry_categories WHERE diary_id = ?"
            " ORDER BY entry_id, position",
            (d,),
        ):
            categories[entry_id].append(category)
        related: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for entry_id, target_id, score in self._tuples(
            "SELECT entry_id, target_id, score FROM related_links WHERE diary_id = ?"
            " ORDER BY entry_id, target_id",
            (d,),
        ):
            related[entry_id].append((target_id, float(score)))
        comments: list[tuple[int, dt.date, int | None]] = [
            (comment_id, day, entry_id)
            for comment_id, day, entry_id in self._tuples(
                "SELECT id, day, entry_id FROM comments WHERE diary_id = ? ORDER BY id", (d,)
            )
        ]
        titles: dict[dt.date, str] = dict(
            self._tuples("SELECT day, title FROM days WHERE diary_id = ?", (d,))
        )
        return DiaryStamps(stamps_from_rows(rows, categories), dict(related), comments, titles)

    def story_members(self) -> list[StoryMember]:
        """Every public entry that is in a story, by story (``site/stories.py`` reads the
        same through ``Store`` for a PostgreSQL diary)."""
        rows = self._tuples(
            "SELECT s.id, s.number, s.title, s.updated_at, m.entry_id, e.source_site"
            " FROM stories s JOIN story_members m ON m.story_id = s.id"
            " JOIN entries e ON e.id = m.entry_id"
            " WHERE s.diary_id = ? AND e.visibility = 'public' ORDER BY s.id, m.entry_id",
            (self.diary_id,),
        )
        return [StoryMember(*row) for row in rows]

    def entries(self, *, include_private: bool, days: Iterable[dt.date]) -> list[Entry]:
        """As ``Store.entries(days=…)``: the entries of these days, oldest first."""
        public = "" if include_private else " AND visibility = 'public'"
        rows: list[sqlite3.Row] = []
        wanted = sorted(set(days))
        for start in range(0, len(wanted), CHUNK):
            chunk = [day.isoformat() for day in wanted[start : start + CHUNK]]
            rows += self._rows(
                f"SELECT * FROM entries WHERE diary_id = ?{public}"
                f" AND day IN ({', '.join('?' * len(chunk))})"
                " ORDER BY day, created_at, id",
                (self.diary_id, *chunk),
            )
        return self._hydrate(rows)

    def _between(self, start: dt.date, end: dt.date, *, include_private: bool) -> list[Entry]:
        public = "" if include_private else " AND visibility = 'public'"
        return self._hydrate(
            self._rows(
                f"SELECT * FROM entries WHERE diary_id = ?{public} AND day >= ? AND day <= ?"
                " ORDER BY day, created_at, id",
                (self.diary_id, start.isoformat(), end.isoformat()),
            )
        )

    def _hydrate(self, rows: list[sqlite3.Row]) -> list[Entry]:
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        categories: dict[int, list[str]] = defaultdict(list)
        aliases: dict[int, list[str]] = defaultdict(list)
        comments: dict[int, list[Comment]] = defaultdict(list)
        zone = self.diary.zone
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            for entry_id, category in self._tuples(
                f"SELECT entry_id, category FROM entry_categories WHERE entry_id IN ({marks})"
                " ORDER BY entry_id, position",
                chunk,
            ):
                categories[entry_id].append(category)
            for entry_id, path in self._tuples(
                f"SELECT entry_id, path FROM aliases WHERE entry_id IN ({marks}) ORDER BY path",
                chunk,
            ):
                aliases[entry_id].append(path)
            for row in self._rows(
                f"SELECT * FROM comments WHERE entry_id IN ({marks}) ORDER BY created_at, id",
                chunk,
            ):
                comments[row["entry_id"]].append(comment_from_row(row, zone))
        return [
            entry_from_row(
                row,
                zone,
                categories=tuple(categories[row["id"]]),
                aliases=tuple(aliases[row["id"]]),
                comments=tuple(comments[row["id"]]),
            )
            for row in rows
        ]

    def day_extras(
        self, days: Sequence[dt.date]
    ) -> tuple[dict[dt.date, str], dict[dt.date, list[Comment]]]:
        """As ``Store.day_extras``: these days' titles and day comments (not an entry's)."""
        titles: dict[dt.date, str] = {}
        comments: dict[dt.date, list[Comment]] = defaultdict(list)
        zone = self.diary.zone
        wanted = list(days)
        for start in range(0, len(wanted), CHUNK):
            chunk = [day.isoformat() for day in wanted[start : start + CHUNK]]
            marks = ", ".join("?" * len(chunk))
            for day, title in self._tuples(
                f"SELECT day, title FROM days WHERE diary_id = ? AND day IN ({marks})",
                (self.diary_id, *chunk),
            ):
                titles[day] = title
            for row in self._rows(
                f"SELECT * FROM comments WHERE diary_id = ? AND day IN ({marks})"
                " AND entry_id IS NULL ORDER BY created_at, id",
                (self.diary_id, *chunk),
            ):
                comments[row["day"]].append(comment_from_row(row, zone))
        return titles, comments

    def month_pages(self, year: int, month: int, *, include_private: bool) -> list[DayPage]:
        """As ``Store.month_pages``: the month's days, oldest first, with their entries."""
        start = dt.date(year, month, 1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        entries = self._between(start, end, include_private=include_private)
        return day_pages(entries, self.day_extras, newest_first=False)
