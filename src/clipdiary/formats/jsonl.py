"""JSON Lines: the lossless backup. One JSON object per line.

An entry line is the entry as ``clipdiary.entry_json`` shapes it without the derived
fields (``url``, ``text``, ``related``). A line with ``"kind": "day"`` carries what belongs
to a day rather than to an entry: its title and its comments. After every entry come the
stories, what the owner decided about them included (``story_records``):

    {"kind": "story", "id": "s3", "title": null, "entries": ["20160905/1473071774", …],
     "pinned": […], "owner_merged": false, "alone": false}
    {"kind": "apart", "entries": ["20160905/1473071774", "20160912/1473650000"]}

A story or apart line names entries of lines before it. A clipdiary from before stories
reads such a line as an entry and stops at it ("'name' is missing"), writing nothing; this
reader stops the same way at a kind it does not know. The README documents every kind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, TextIO

from clipdiary.entry_json import entry_to_json
from clipdiary.errors import FormatError, UsageError, WrongEncoding
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
from clipdiary.safeurl import check_web_url

from .items import (
    ApartItem,
    DayItem,
    EntryItem,
    ExportDay,
    Item,
    PeekedStream,
    StoryItem,
    check_not_binary,
    entry_key,
)

WHAT = "JSON Lines"
STORY_ID = re.compile(r"^s([1-9]\d{0,11})$")
ADDRESS = re.compile(r"^(\d{8})/(.+)$")
STORY_TITLE_MAX = 200  # as the owner may type it (stories.owner)


class _Bad(Exception):
    """A field of one line is wrong; the reader adds the line number."""


def read(stream: BinaryIO, diary: Diary, *, source: str) -> Iterator[Item]:
    peeked = PeekedStream(stream)
    check_not_binary(peeked.head, source, WHAT)
    stories = _Stories()
    number = 0
    for raw in iter(peeked.readline, b""):
        number += 1
        if not raw.strip():
            continue
        try:
            data = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            raise WrongEncoding(
                "the line is not UTF-8",
                path=source,
                line=number,
            ) from exc
        except json.JSONDecodeError as exc:
            raise FormatError(f"not JSON: {exc.msg}", path=source, line=number) from exc
        if not isinstance(data, dict):
            raise FormatError("each line must be a JSON object", path=source, line=number)
        where = f"line {number}"
        try:
            kind = data.get("kind")
            if kind is None:
                item = _entry(data, diary, where)
                stories.seen.add(entry_key(item))
                yield item
            elif kind == "day":
                yield _day(data, diary, where)
            elif kind == "story":
                yield stories.story(data, where)
            elif kind == "apart":
                yield stories.apart(data, where)
            else:
                raise _Bad(
                    f"unknown kind {kind!r} (day, story and apart are known; "
                    "is the file from a newer clipdiary?)"
                )
        except _Bad as exc:
            raise FormatError(str(exc), path=source, line=number) from exc


def entry_from_json(data: dict[str, Any], diary: Diary, *, source: str, where: str) -> NewEntry:
    """One entry in its JSON shape (as a line holds it) as a new entry; FormatError if bad."""
    try:
        return _entry(data, diary, where).entry
    except _Bad as exc:
        raise FormatError(f"{where}: {exc}", path=source) from exc


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


class _Stories:
    """Story and apart lines, checked against the entry lines before them and each other."""

    def __init__(self) -> None:
        self.seen: set[tuple[dt.date, str]] = set()
        self.numbers: dict[int, str] = {}  # story number -> where its line is
        self.story_of: dict[tuple[dt.date, str], tuple[str, str]] = {}  # -> (id, where)
        self.apart_pairs: list[tuple[tuple[dt.date, str], tuple[dt.date, str]]] = []

    def story(self, data: dict[str, Any], where: str) -> StoryItem:
        key = _text(data, "id")
        match = STORY_ID.match(key)
        if not match:
            raise _Bad(f"'id' {key!r} is not a story id (s1, s17, …)")
        number = int(match.group(1))
        if number in self.numbers:
            raise _Bad(f"story {key} is on {self.numbers[number]} already")
        title = data.get("title")
        if title is not None:
            if not isinstance(title, str):
                raise _Bad("'title' must be a string or null")
            title = " ".join(title.split()) or None
            if title is not None and len(title) > STORY_TITLE_MAX:
                raise _Bad(f"'title' is at most {STORY_TITLE_MAX} characters")
        entries = self._addresses(data, "entries")
        if not entries:
            raise _Bad("'entries' must name at least one entry")
        if len(set(entries)) != len(entries):
            raise _Bad("'entries' names an entry twice")
        pinned = self._addresses(data, "pinned", default=[])
        if not set(pinned) <= set(entries):
            raise _Bad("'pinned' may only name entries of 'entries'")
        for entry in entries:
            if entry in self.story_of:
                other, there = self.story_of[entry]
                raise _Bad(f"{_address(entry)} is in story {other} already ({there})")
        members = set(entries)
        for first, second in self.apart_pairs:
            if first in members and second in members:
                raise _Bad(f"{_address(first)} and {_address(second)} are kept apart")
        flags = {}
        for flag in ("owner_merged", "alone"):
            value = data.get(flag, False)
            if not isinstance(value, bool):
                raise _Bad(f"'{flag}' must be true or false")
            flags[flag] = value
        self.numbers[number] = where
        for entry in entries:
            self.story_of[entry] = (key, where)
        return StoryItem(
            number,
            title,
            tuple(entries),
            frozenset(pinned),
            flags["owner_merged"],
            flags["alone"],
            where,
        )

    def apart(self, data: dict[str, Any], where: str) -> ApartItem:
        pair = self._addresses(data, "entries")
        if len(pair) != 2 or pair[0] == pair[1]:
            raise _Bad("'entries' must name two different entries")
        first, second = pair
        one, other = self.story_of.get(first), self.story_of.get(second)
        if one is not None and other is not None and one == other:
            raise _Bad(
                f"{_address(first)} and {_address(second)} are both in story {one[0]} "
                f"({one[1]}), so cannot be kept apart"
            )
        self.apart_pairs.append((first, second))
        return ApartItem(first, second, where)

    def _addresses(
        self, data: dict[str, Any], key: str, *, default: list[str] | None = None
    ) -> list[tuple[dt.date, str]]:
        raw = data.get(key, default)
        if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
            raise _Bad(
                f"'{key}' must be a list of entry addresses (YYYYMMDD/NAME)"
                if key in data
                else f"'{key}' is missing"
            )
        found = []
        for text in raw:
            match = ADDRESS.match(text)
            if not match or not NAME_PATTERN.match(match.group(2)):
                raise _Bad(f"{text!r} in '{key}' is not an entry address (YYYYMMDD/NAME)")
            try:
                day = dt.datetime.strptime(match.group(1), "%Y%m%d").date()
            except ValueError as exc:
                raise _Bad(f"{text!r} in '{key}' is not a day") from exc
            entry = (day, match.group(2))
            if entry not in self.seen:
                raise _Bad(f"{text} in '{key}' is not an entry of a line before this one")
            found.append(entry)
        return found


def _address(entry: tuple[dt.date, str]) -> str:
    return f"{entry[0]:%Y%m%d}/{entry[1]}"


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
    try:
        url = check_web_url(value["url"], "'source.url'")
    except UsageError as exc:
        raise _Bad(str(exc)) from exc
    return Source(
        url=url,
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


def write_stories(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    """The story and apart lines (``story_records.records``), after every entry line."""
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
