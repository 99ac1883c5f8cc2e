"""Gather: the public diary read once, and everything derived from it without rendering.

The static export never shows a private entry: only ``include_private=False`` reads are
made here, and every later phase works from this object.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from clipdiary.model import DayPage, Diary, Entry, Heading, day_key
from clipdiary.store import Store

TOP_DAYS = 7


def entry_key(entry: Entry) -> str:
    return f"{day_key(entry.day)}/{entry.name}"


def entry_fingerprint(entry: Entry, related: object = ()) -> str:
    """Changes whenever anything a page shows of the entry changes, its related links too."""
    return hashlib.sha256(
        repr(
            (
                entry.id,
                entry.title,
                entry.categories,
                entry.format,
                entry.body,
                entry.created,
                entry.updated,
                entry.source,
                entry.comments,
                related,
            )
        ).encode()
    ).hexdigest()[:24]


def day_fingerprint(page: DayPage) -> str:
    """The day's own parts: its title and its comments (the entries are counted apart)."""
    return hashlib.sha256(repr((page.title, page.comments)).encode()).hexdigest()[:24]


def _order(entry: Entry) -> tuple[dt.date, dt.datetime, int]:
    return (entry.day, entry.created, entry.id)


@dataclass
class Content:
    """The public diary: its days oldest first, each with its entries oldest first."""

    diary: Diary
    days: list[DayPage]
    _by_day: dict[dt.date, DayPage] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_day = {page.day: page for page in self.days}

    def day(self, day: dt.date) -> DayPage | None:
        return self._by_day.get(day)

    @cached_property
    def entries(self) -> list[Entry]:
        """Every public entry, oldest first (day, time written, id), as the store orders."""
        return sorted((e for page in self.days for e in page.entries), key=_order)

    @cached_property
    def months(self) -> dict[tuple[int, int], list[DayPage]]:
        months: dict[tuple[int, int], list[DayPage]] = defaultdict(list)
        for page in self.days:
            months[(page.day.year, page.day.month)].append(page)
        return dict(months)

    @cached_property
    def same_dates(self) -> dict[tuple[int, int], list[DayPage]]:
        """Each month-day with its days newest first, as the live page shows them."""
        dates: dict[tuple[int, int], list[DayPage]] = defaultdict(list)
        for page in reversed(self.days):
            dates[(page.day.month, page.day.day)].append(page)
        return dict(dates)

    @cached_property
    def categories(self) -> dict[str, list[Entry]]:
        """Each category with its entries newest first."""
        found: dict[str, list[Entry]] = defaultdict(list)
        for entry in reversed(self.entries):
            for name in entry.categories:
                found[name].append(entry)
        return dict(found)

    def category_counts(self) -> list[tuple[str, int]]:
        """Most used first, then by name: the archive's order."""
        counts = [(name, len(entries)) for name, entries in self.categories.items()]
        return sorted(counts, key=lambda item: (-item[1], item[0]))

    def headings(self) -> list[Heading]:
        return [
            Heading(e.day, e.name, e.title, e.categories, e.visibility, e.created)
            for e in reversed(self.entries)
        ]

    def latest_days(self, count: int = TOP_DAYS) -> list[DayPage]:
        return list(reversed(self.days[-count:]))

    def newest_entries(self, count: int) -> list[Entry]:
        return list(reversed(self.entries[-count:]))


def gather(store: Store) -> Content:
    """Read every public day, a month at a time."""
    months = sorted({(h.day.year, h.day.month) for h in store.headings(include_private=False)})
    days: list[DayPage] = []
    for year, month in months:
        days.extend(store.month_pages(year, month, include_private=False))
    return Content(store.diary, _public_only(days))


def _public_only(days: Iterable[DayPage]) -> list[DayPage]:
    # The store was asked for public entries only; this keeps the promise if it ever errs.
    kept = []
    for page in days:
        entries = tuple(e for e in page.entries if e.is_public)
        if entries:
            kept.append(DayPage(page.day, page.title, entries, page.comments))
    return kept
