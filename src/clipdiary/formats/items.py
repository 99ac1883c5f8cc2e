"""What a format reader yields, one item at a time, and the helpers readers share.

A reader never touches the store: it turns a file into a stream of items, each naming the
place in the file it came from, so the importer can report and batch them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol, TextIO

from clipdiary.errors import FormatError
from clipdiary.model import Comment, Diary, Entry, NewEntry


@dataclass(frozen=True)
class EntryItem:
    """An entry to add; its ``day`` and ``name`` are always set (they identify it)."""

    entry: NewEntry
    where: str


@dataclass(frozen=True)
class DayItem:
    """A day's own data: its title and the comments that belong to the day."""

    day: dt.date
    title: str | None
    comments: tuple[Comment, ...]
    where: str


@dataclass(frozen=True)
class SkipItem:
    """Something in the file that is left out, and why."""

    where: str
    reason: str


@dataclass(frozen=True)
class NoticeItem:
    """Something repaired on the way in (an invalid character, a broken tag)."""

    where: str
    message: str


@dataclass(frozen=True)
class StoryItem:
    """The owner's decisions about one story (JSON Lines backups only): its public number,
    the owner's title, its entries by (day, name), those the owner placed, and its flags."""

    number: int
    title: str | None
    entries: tuple[tuple[dt.date, str], ...]
    pinned: frozenset[tuple[dt.date, str]]
    owner_merged: bool
    alone: bool
    where: str


@dataclass(frozen=True)
class ApartItem:
    """Two entries the owner said are not the same story (JSON Lines backups only)."""

    first: tuple[dt.date, str]
    second: tuple[dt.date, str]
    where: str


Item = EntryItem | DayItem | SkipItem | NoticeItem | StoryItem | ApartItem


class Reader(Protocol):
    def __call__(self, stream: BinaryIO, diary: Diary, *, source: str) -> Iterator[Item]: ...


def entry_key(item: EntryItem) -> tuple[dt.date, str]:
    day, name = item.entry.day, item.entry.name
    assert day is not None and name is not None  # readers always set both
    return day, name


def check_not_binary(head: bytes, source: str, what: str) -> None:
    """Refuse a file that is plainly not text (NUL bytes near its start)."""
    if not head.strip():
        raise FormatError(f"the file is empty, not {what}", path=source, line=1)
    if b"\x00" in head[:8192]:
        raise FormatError(f"this is a binary file, not {what}", path=source, line=1)


class PeekedStream:
    """A binary stream whose first bytes were read ahead (to sniff them), then replayed."""

    def __init__(self, stream: BinaryIO, size: int = 8192) -> None:
        self._stream = stream
        self.head = stream.read(size)
        self._pending = self.head

    def read(self, size: int = -1) -> bytes:
        if self._pending:
            if size < 0:
                data, self._pending = self._pending + self._stream.read(), b""
                return data
            data, self._pending = self._pending[:size], self._pending[size:]
            return data
        return self._stream.read(size)

    def readline(self) -> bytes:
        if self._pending:
            line, newline, rest = self._pending.partition(b"\n")
            if newline:
                self._pending = rest
                return line + newline
            self._pending = b""
            return line + self._stream.readline()
        return self._stream.readline()


# Characters XML 1.0 forbids (and Hatena exports sometimes hold, e.g. ``&#65535;``).
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    return _BAD_TEXT.sub("", text)


def local_time(diary: Diary, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=diary.zone)


@dataclass(frozen=True)
class ExportDay:
    """One day as a writer gets it: title, the day's comments, its entries oldest first."""

    day: dt.date
    title: str | None
    comments: tuple[Comment, ...]
    entries: tuple[Entry, ...]


class Writer(Protocol):
    def __call__(self, days: Iterable[ExportDay], out: TextIO, diary: Diary) -> list[str]: ...
