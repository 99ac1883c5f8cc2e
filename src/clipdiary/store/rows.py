"""Rows to model objects, shared by ``Store`` (SQLAlchemy) and ``SqliteReader`` (sqlite3).

Each function takes a row as a mapping of column names, so that both readers hand over
what their driver gives and build exactly the same objects. Nothing here imports
SQLAlchemy: the static build reads a SQLite diary without paying for its import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple, Protocol

from clipdiary.model import Comment, DayPage, Diary, Entry, Source

# The schema version this clipdiary writes (``clipdiary_schema.version``). The migrations
# end here (a test checks it); a reader that skips them refuses any other version.
SCHEMA_VERSION = 10


class Row(Protocol):
    """A row whose columns are found by name: SQLAlchemy's ``RowMapping``, ``sqlite3.Row``."""

    def __getitem__(self, key: str) -> Any: ...


class EntryStamp(NamedTuple):
    """What an entry shows outside its body, and when it was last written (Unix seconds)."""

    id: int
    day: dt.date
    name: str
    title: str
    categories: tuple[str, ...]
    visibility: str
    created_at: int
    updated_at: int
    source_lang: str | None


class DiaryStamps(NamedTuple):
    """The whole diary without a body: enough to tell what changed and where it shows.

    ``entries`` oldest first (day, time written, id); ``related`` maps an entry id to its
    (target id, score) pairs; ``comments`` holds (comment id, day, entry id or None).
    """

    entries: list[EntryStamp]
    related: dict[int, list[tuple[int, float]]]
    comments: list[tuple[int, dt.date, int | None]]
    day_titles: dict[dt.date, str]


def from_epoch(seconds: int, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=zone)


def diary_from_row(row: Row) -> Diary:
    return Diary(
        name=row["name"],
        title=row["title"],
        timezone=row["timezone"],
        day_starts_at=row["day_starts_at"],
        base_url=row["base_url"],
        notation_mode=row["notation_mode"],
        allow_private_addresses=bool(row["allow_private_addresses"]),
    )


def diary_identity(row: Row) -> str:
    """Tells a diary from another of the same name (one made again, one restored into a
    new database): a digest of its secret key, which every diary is given at creation and
    which this cannot reveal."""
    return hashlib.sha256(row["secret_key"].encode()).hexdigest()[:16]


def source_from_row(row: Row) -> Source | None:
    if not row["source_url"]:
        return None
    published = None
    if row["source_published"]:
        try:
            published = dt.datetime.fromisoformat(row["source_published"])
        except ValueError:
            published = None
    return Source(
        url=row["source_url"],
        site=row["source_site"],
        lang=row["source_lang"],
        published=published,
        author=row["source_author"],
    )


def comment_from_row(row: Row, zone: dt.tzinfo) -> Comment:
    return Comment(row["author"], row["body"], from_epoch(row["created_at"], zone))


def entry_from_row(
    row: Row,
    zone: dt.tzinfo,
    *,
    categories: tuple[str, ...],
    aliases: tuple[str, ...],
    comments: tuple[Comment, ...],
) -> Entry:
    return Entry(
        id=row["id"],
        day=row["day"],
        name=row["name"],
        title=row["title"],
        categories=categories,
        format=row["format"],
        body=row["body"],
        visibility=row["visibility"],
        created=from_epoch(row["created_at"], zone),
        updated=from_epoch(row["updated_at"], zone),
        source=source_from_row(row),
        aliases=aliases,
        comments=comments,
    )


DayExtras = Callable[[Sequence[dt.date]], tuple[dict[dt.date, str], dict[dt.date, list[Comment]]]]


def day_pages(entries: Iterable[Entry], extras: DayExtras, *, newest_first: bool) -> list[DayPage]:
    """Entries grouped into their days, oldest day first unless ``newest_first``, each with
    the title and day comments ``extras`` reads for the days found."""
    by_day: dict[dt.date, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_day[entry.day].append(entry)
    if not by_day:
        return []
    titles, comments = extras(list(by_day))
    return [
        DayPage(day, titles.get(day), tuple(by_day[day]), tuple(comments.get(day, ())))
        for day in sorted(by_day, reverse=newest_first)
    ]


def stamps_from_rows(
    rows: Iterable[Sequence[Any]], categories: dict[int, list[str]]
) -> list[EntryStamp]:
    """Stamps from rows of (id, day, name, title, visibility, created, updated, lang),
    unpacked by position: at 100,000 entries attribute access per row is most of the cost."""
    none: tuple[str, ...] = ()
    names = {entry_id: tuple(found) for entry_id, found in categories.items()}
    make = EntryStamp
    return [
        make(i, day, name, title, names.get(i, none), vis, created, updated, lang)
        for i, day, name, title, vis, created, updated, lang in rows
    ]
