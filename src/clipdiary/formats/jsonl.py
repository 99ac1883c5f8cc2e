"""JSON Lines: the lossless backup. One JSON object per line.

An entry line is the entry as ``clipdiary.entry_json`` shapes it without the derived
fields (``url``, ``text``, ``related``). A line with ``"kind": "day"`` carries what belongs
to a day rather than to an entry: its title and its comments. The README documents both.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, TextIO

from clipdiary.entry_json import entry_to_json
from clipdiary.errors import FormatError
from clipdiary.model import (
    BODY_FORMATS,
    NAME_PATTERN,
    VISIBILITIES,
    BodyFormat,
    Comment,
    Diary,
    NewEntry,
    Source,
    Visibility,
)

from .items import DayItem, EntryItem, ExportDay, Item, PeekedStream, check_not_binary

WHAT = "JSON Lines"


class _Bad(Exception):
    """A field of one line is wrong; the reader adds the line number."""


def read(stream: BinaryIO, diary: Diary, *, source: str) -> Iterator[Item]:
    peeked = PeekedStream(stream)
    check_not_binary(peeked.head, source, WHAT)
    number = 0
    for raw in iter(peeked.readline, b""):
        number += 1
        if not raw.strip():
            continue
        try:
            data = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            raise FormatError(
                "the line is not UTF-8 (name the file's encoding: import --encoding cp1252)",
                path=source,
                line=number,
            ) from exc
        except json.JSONDecodeError as exc:
            raise FormatError(f"not JSON: {exc.msg}", path=source, line=number) from exc
        if not isinstance(data, dict):
            raise FormatError("each line must be a JSON object", path=source, line=number)
        try:
            if data.get("kind") == "day":
                yield _day(data, diary, f"line {number}")
            else:
                yield _entry(data, diary, f"line {number}")
        except _Bad as exc:
            raise FormatError(str(exc), path=source, line=number) from exc


def _day(data: dict[str, Any], diary: Diary, where: str) -> DayItem:
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise _Bad("'title' must be a string or null")
    return DayItem(_date(data, "day"), title or None, _comments(data, diary), where)


def _entry(data: dict[str, Any], diary: Diary, where: str) -> EntryItem:
    name = _text(data, "name")
    if not NAME_PATTERN.match(name):
        raise _Bad(f"'name' {name!r} is not an entry name (an epoch second or a word)")
    body_format = data.get("format", "hatena")
    if body_format not in BODY_FORMATS:
        raise _Bad(f"'format' must be one of {', '.join(BODY_FORMATS)}, not {body_format!r}")
    visibility = data.get("visibility", "public")
    if visibility not in VISIBILITIES:
        raise _Bad(f"'visibility' must be public or private, not {visibility!r}")
    created = _time(data, "created", diary)
    assert created is not None
    categories = data.get("categories", [])
    aliases = data.get("aliases", [])
    for key, values in (("categories", categories), ("aliases", aliases)):
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise _Bad(f"'{key}' must be a list of strings")
    if any(not a.startswith("/") for a in aliases):
        raise _Bad("each alias must be a path starting with '/'")
    entry_format: BodyFormat = body_format
    entry_visibility: Visibility = visibility
    return EntryItem(
        NewEntry(
            title=_text(data, "title", default=""),
            body=_text(data, "body", default=""),
            categories=tuple(categories),
            format=entry_format,
            visibility=entry_visibility,
            created=created,
            updated=_time(data, "updated", diary, required=False) or created,
            day=_date(data, "day"),
            name=name,
            source=_source(data.get("source"), diary),
            aliases=tuple(aliases),
            comments=_comments(data, diary),
        ),
        where,
    )


def _text(data: dict[str, Any], key: str, *, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise _Bad(f"'{key}' must be a string" if key in data else f"'{key}' is missing")
    return value


def _date(data: dict[str, Any], key: str) -> dt.date:
    text = _text(data, key)
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise _Bad(f"'{key}' must be a date YYYY-MM-DD, not {text!r}") from exc


def _time(
    data: dict[str, Any], key: str, diary: Diary, *, required: bool = True
) -> dt.datetime | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _Bad(f"'{key}' must be an ISO 8601 time" if key in data else f"'{key}' is missing")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise _Bad(f"'{key}' must be an ISO 8601 time, not {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=diary.zone)


def _source(value: Any, diary: Diary) -> Source | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("url"), str):
        raise _Bad("'source' must be null or an object with a 'url'")
    optional = {}
    for key in ("site", "lang", "author"):
        item = value.get(key)
        if item is not None and not isinstance(item, str):
            raise _Bad(f"'source.{key}' must be a string or null")
        optional[key] = item
    return Source(
        url=value["url"],
        site=optional["site"],
        lang=optional["lang"],
        published=_time(value, "published", diary, required=False),
        author=optional["author"],
    )


def _comments(data: dict[str, Any], diary: Diary) -> tuple[Comment, ...]:
    raw = data.get("comments", [])
    if not isinstance(raw, list):
        raise _Bad("'comments' must be a list")
    comments = []
    for item in raw:
        if not isinstance(item, dict):
            raise _Bad("each comment must be an object with author, body and created")
        created = _time(item, "created", diary)
        assert created is not None
        comments.append(Comment(_text(item, "author"), _text(item, "body"), created))
    return tuple(comments)


def write(days: Iterable[ExportDay], out: TextIO, diary: Diary) -> list[str]:
    for export_day in days:
        if export_day.title or export_day.comments:
            record = {
                "kind": "day",
                "day": export_day.day.isoformat(),
                "title": export_day.title,
                "comments": [
                    {"author": c.author, "body": c.body, "created": c.created.isoformat()}
                    for c in export_day.comments
                ],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        for entry in export_day.entries:
            data = entry_to_json(entry, diary, derived=False)
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
    return []
