"""Every value an import would write, checked while the file is only being read.

An import's first pass writes nothing, so a value that the database would refuse must be
found there, not in the middle of the second pass with half the file written: a lone
surrogate (``\\udfff`` in JSON, which no UTF-8 text can hold) or a date outside the years a
database and a time zone can hold stops the import, naming the line and the field. A NUL
character (PostgreSQL refuses it in text) is taken out, and an absurdly long title cut, each
with a note in the report (a ``NoticeItem``), so the file still imports.

Both passes run the same checks on the same items, so what the second writes is what the
first approved.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator

from clipdiary.errors import FormatError
from clipdiary.model import Comment, NewEntry, Source

from .items import DayItem, EntryItem, Item, NoticeItem

MAX_TITLE = 1000  # the API's and the forms' bound; a longer title is cut
MAX_FIELD = 50_000_000  # a body past 50 MB of text is no diary entry
FIRST_YEAR, LAST_YEAR = 1, 9998  # a day either side of the calendar stays in range in any zone


def checked_items(items: Iterable[Item], source: str) -> Iterator[Item]:
    for item in items:
        if isinstance(item, EntryItem):
            notes: list[str] = []
            entry = _entry(item.entry, item.where, source, notes)
            yield from (NoticeItem(item.where, note) for note in notes)
            yield EntryItem(entry, item.where) if entry is not item.entry else item
        elif isinstance(item, DayItem):
            notes = []
            title = _text(item.title, "day's title", item.where, source, notes)
            comments = tuple(_comment(c, item.where, source, notes) for c in item.comments)
            yield from (NoticeItem(item.where, note) for note in notes)
            yield dataclasses.replace(item, title=title, comments=comments) if notes else item
        else:
            yield item


def _entry(entry: NewEntry, where: str, source: str, notes: list[str]) -> NewEntry:
    before = len(notes)
    title = _text(entry.title, "title", where, source, notes) or ""
    if len(title) > MAX_TITLE:
        notes.append(f"the title was {len(title):,} characters: cut to {MAX_TITLE:,}")
        title = title[:MAX_TITLE]
    checked = dataclasses.replace(
        entry,
        title=title,
        body=_text(entry.body, "body", where, source, notes) or "",
        categories=tuple(
            _text(c, "category", where, source, notes) or "" for c in entry.categories
        ),
        name=_text(entry.name, "name", where, source, notes),
        aliases=tuple(_text(a, "alias", where, source, notes) or "" for a in entry.aliases),
        source=_source(entry.source, where, source, notes),
        comments=tuple(_comment(c, where, source, notes) for c in entry.comments),
    )
    for label, moment in (("created", entry.created), ("updated", entry.updated)):
        _moment(moment, label, where, source)
    if entry.day is not None and not FIRST_YEAR <= entry.day.year <= LAST_YEAR:
        raise FormatError(f"{where}: the day {entry.day} is out of range", path=source)
    return checked if len(notes) > before else entry


def _source(found: Source | None, where: str, path: str, notes: list[str]) -> Source | None:
    if found is None:
        return None
    _moment(found.published, "source's published time", where, path)
    return Source(
        url=_text(found.url, "source address", where, path, notes) or "",
        site=_text(found.site, "source's site", where, path, notes),
        lang=_text(found.lang, "source's language", where, path, notes),
        published=found.published,
        author=_text(found.author, "source's author", where, path, notes),
    )


def _comment(comment: Comment, where: str, path: str, notes: list[str]) -> Comment:
    _moment(comment.created, "comment's time", where, path)
    return Comment(
        author=_text(comment.author, "comment's author", where, path, notes) or "",
        body=_text(comment.body, "comment", where, path, notes) or "",
        created=comment.created,
    )


def _text(value: str | None, field: str, where: str, path: str, notes: list[str]) -> str | None:
    if value is None:
        return None
    if len(value) > MAX_FIELD:
        raise FormatError(
            f"{where}: the {field} is {len(value):,} characters, past the "
            f"{MAX_FIELD:,}-character limit; nothing was imported",
            path=path,
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start]
        raise FormatError(
            f"{where}: the {field} holds U+{ord(bad):04X}, half of a surrogate pair, which "
            f"no text can store (at character {exc.start + 1:,}); nothing was imported",
            path=path,
        ) from None
    if "\x00" in value:
        notes.append(f"removed {value.count(chr(0))} NUL character(s) from the {field}")
        value = value.replace("\x00", "")
    return value


def _moment(moment: dt.datetime | None, field: str, where: str, path: str) -> None:
    if moment is None:
        return
    try:
        ok = FIRST_YEAR <= moment.year <= LAST_YEAR and moment.timestamp() is not None
    except (OverflowError, ValueError, OSError):
        ok = False
    if not ok:
        raise FormatError(f"{where}: the {field} {moment.isoformat()} is out of range", path=path)
