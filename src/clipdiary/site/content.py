"""Gather: the public diary's outline read once without bodies, and bodies only where needed.

The outline (``Store.stamps``) says which entries, days, months, dates and categories
exist and gives every entry a fingerprint, so the plan needs no body. The entries a page
shows are read in full (``Content.load``) just before it is rendered: all of them for a
full build, a few days' worth for an incremental one.

The static export never shows a private entry: only ``include_private=False`` reads are
made here, and every later phase works from this object.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, Protocol

from clipdiary.model import Comment, DayPage, Diary, Entry, Heading, RelatedLink, day_key
from clipdiary.site.stories import StoryOutline, read_members
from clipdiary.store.lite import StoryMember
from clipdiary.store.rows import DiaryStamps, EntryStamp

TOP_DAYS = 7


class DiaryReader(Protocol):
    """What the build reads of a diary: ``Store`` gives it, and so does ``SqliteReader``,
    which reads a SQLite diary without importing SQLAlchemy."""

    @property
    def diary(self) -> Diary: ...

    @property
    def identity(self) -> str:
        """Tells this diary from another of the same name (made again, restored)."""
        ...

    def stamps(self, *, include_private: bool) -> DiaryStamps: ...

    def entries(self, *, include_private: bool, days: Iterable[dt.date]) -> list[Entry]: ...

    def day_extras(
        self, days: Sequence[dt.date]
    ) -> tuple[dict[dt.date, str], dict[dt.date, list[Comment]]]: ...

    def month_pages(self, year: int, month: int, *, include_private: bool) -> list[DayPage]: ...

    def snapshot(self) -> AbstractContextManager[None]:
        """Reads inside see one state of the diary, whatever is written meanwhile."""
        ...

    def revision(self) -> int:
        """A number every write to the diary raises (``build --watch`` polls it)."""
        ...

    def sync(self) -> int:
        """The revision, after reading the diary's settings again if it moved."""
        ...

    def forget_connections(self) -> None:
        """Drop connections inherited from the parent (called in a forked worker)."""


def stamp_key(stamp: EntryStamp | Entry) -> str:
    return f"{day_key(stamp.day)}/{stamp.name}"


entry_key = stamp_key


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


class PrintRecord(NamedTuple):
    """What an entry's fingerprint was made from, for the next build in the same process."""

    stamp: EntryStamp
    comments: list[int]
    links: list[tuple[int, float]]
    own: str
    print: str
    salted: bool
    story: str  # what its story line shows ("" for none)


PrintMemo = dict[int, PrintRecord]


@dataclass
class Content:
    """The public diary: its entries oldest first (day, time written, id), as stamps."""

    diary: Diary
    stamps: list[EntryStamp]
    related_pairs: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    comment_ids: list[tuple[int, dt.date, int | None]] = field(default_factory=list)
    day_titles: dict[dt.date, str] = field(default_factory=dict)
    loaded: dict[int, Entry] = field(default_factory=dict)
    day_comments: dict[dt.date, tuple[Comment, ...]] = field(default_factory=dict)
    loaded_days: set[dt.date] = field(default_factory=set)
    prints: dict[int, str] = field(default_factory=dict)
    print_memo: PrintMemo = field(default_factory=dict)
    story_members: list[StoryMember] = field(default_factory=list)
    # Each day's part of a page fingerprint, made once: a day shows on its own page, its
    # month's, its date's and maybe the top page.
    _day_parts: dict[dt.date, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls, diary: Diary, stamps: DiaryStamps, story_members: list[StoryMember] | None = None
    ) -> Content:
        public = [s for s in stamps.entries if s.visibility == "public"]
        content = cls(diary, public, stamps.related, stamps.comments, stamps.day_titles)
        content.story_members = story_members or []
        return content

    @cached_property
    def stories(self) -> StoryOutline:
        """The stories of two or more public entries."""
        return StoryOutline(self.diary, self.by_id, self.related_pairs, self.story_members)

    # -- the outline --------------------------------------------------------------------

    @cached_property
    def by_id(self) -> dict[int, EntryStamp]:
        return {s.id: s for s in self.stamps}

    @cached_property
    def by_key(self) -> dict[str, EntryStamp]:
        keys = self.day_keys
        return {f"{keys[s.day]}/{s.name}": s for s in self.stamps}

    @cached_property
    def day_keys(self) -> dict[dt.date, str]:
        """Each day's address form (``20160905``), made once per day rather than per entry."""
        return {day: day_key(day) for day in self.by_day}

    @cached_property
    def all_neighbours(self) -> dict[dt.date, tuple[dt.date | None, dt.date | None]]:
        """``neighbours`` of every day, in one pass."""
        days = self.days
        before: list[dt.date | None] = [None, *days[:-1]]
        after: list[dt.date | None] = [*days[1:], None]
        return {day: (before[i], after[i]) for i, day in enumerate(days)}

    @cached_property
    def month_list(self) -> list[tuple[int, int]]:
        return sorted(self.months)

    @cached_property
    def by_day(self) -> dict[dt.date, list[EntryStamp]]:
        """Each day that holds a public entry, oldest first, with its entries oldest first."""
        found: dict[dt.date, list[EntryStamp]] = defaultdict(list)
        for stamp in self.stamps:
            found[stamp.day].append(stamp)
        return dict(found)

    @cached_property
    def days(self) -> list[dt.date]:
        return list(self.by_day)

    @cached_property
    def months(self) -> dict[tuple[int, int], list[dt.date]]:
        months: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
        for day in self.days:
            months[(day.year, day.month)].append(day)
        return dict(months)

    @cached_property
    def same_dates(self) -> dict[tuple[int, int], list[dt.date]]:
        """Each month-day with its days newest first, as the live page shows them."""
        dates: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
        for day in reversed(self.days):
            dates[(day.month, day.day)].append(day)
        return dict(dates)

    @cached_property
    def categories(self) -> dict[str, list[EntryStamp]]:
        """Each category with its entries oldest first."""
        found: dict[str, list[EntryStamp]] = defaultdict(list)
        for stamp in self.stamps:
            for name in stamp.categories:
                found[name].append(stamp)
        return dict(found)

    def category_counts(self) -> list[tuple[str, int]]:
        """Most used first, then by name: the archive's order."""
        counts = [(name, len(entries)) for name, entries in self.categories.items()]
        return sorted(counts, key=lambda item: (-item[1], item[0]))

    def heading(self, stamp: EntryStamp) -> Heading:
        """An entry's line in the archive, from its stamp."""
        when = dt.datetime.fromtimestamp(stamp.created_at, self.diary.zone)
        return Heading(stamp.day, stamp.name, stamp.title, stamp.categories, "public", when)

    def neighbours(self, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The nearest earlier and later days with a public entry, for a day's links."""
        return self.all_neighbours.get(day, (None, None))

    def latest_days(self, count: int = TOP_DAYS) -> list[dt.date]:
        return list(reversed(self.days[-count:]))

    def newest(self, stamps: list[EntryStamp], count: int) -> list[EntryStamp]:
        return list(reversed(stamps[-count:]))

    # -- fingerprints -------------------------------------------------------------------

    @cached_property
    def _entry_comments(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for comment_id, _day, entry_id in self.comment_ids:
            if entry_id is not None:
                found[entry_id].append(comment_id)
        return found

    @cached_property
    def _day_comment_ids(self) -> dict[dt.date, list[int]]:
        found: dict[dt.date, list[int]] = defaultdict(list)
        for comment_id, day, entry_id in self.comment_ids:
            if entry_id is None:
                found[day].append(comment_id)
        return found

    def _own_print(self, s: EntryStamp) -> str:
        comments = self._entry_comments.get(s.id, ())
        return (
            f"{s.id}\x1f{s.day}\x1f{s.name}\x1f{s.title}\x1f{s.categories}\x1f{s.created_at}"
            f"\x1f{s.updated_at}\x1f{s.source_lang}\x1f{comments}"
        )

    def fingerprints(
        self, salted: set[int], salt: str, memo: PrintMemo | None = None
    ) -> dict[int, str]:
        """Each public entry's fingerprint: changes whenever anything a page shows of it
        changes (its related links and what they show of their targets too). ``salted``
        entries get a fingerprint of their own, one no earlier build can have made.

        ``memo``, an earlier build's (``print_memo``), lets an entry whose stamp, comments
        and links are as they were, and whose links' targets are too, keep its fingerprint
        without making it again (``build --watch``)."""
        memo = memo or {}
        comments_of = self._entry_comments
        story_of = self.stories.part
        none: list[Any] = []
        own: dict[int, str] = {}
        moved: set[int] = set()  # entries whose own part is new or changed
        for s in self.stamps:
            kept = memo.get(s.id)
            if (
                kept is not None
                and kept.stamp == s
                and kept.comments == comments_of.get(s.id, none)
            ):
                own[s.id] = kept.own
            else:
                own[s.id] = self._own_print(s)
                moved.add(s.id)
        moved.update(memo.keys() - own.keys())  # gone or hidden: links to them show "-"
        prints: dict[int, str] = {}
        new_memo: PrintMemo = {}
        related = self.related_pairs
        for s in self.stamps:
            entry_id = s.id
            links = related.get(entry_id, none)
            story = story_of(entry_id)
            kept = memo.get(entry_id)
            if (
                kept is not None
                and entry_id not in moved
                and not kept.salted
                and entry_id not in salted
                and kept.links == links
                and kept.story == story
                and not (links and any(target in moved for target, _score in links))
            ):
                prints[entry_id] = kept.print
                new_memo[entry_id] = kept
                continue
            text = own[entry_id]
            for target, score in links:
                text += f"\x1e{target}\x1f{score!r}\x1f{own.get(target, '-')}"
            if story:
                text += f"\x1d{story}"
            if entry_id in salted:
                text += f"\x1e{salt}"
            found = prints[entry_id] = _digest(text)
            new_memo[entry_id] = PrintRecord(
                s,
                comments_of.get(entry_id, none),
                links,
                own[entry_id],
                found,
                entry_id in salted,
                story,
            )
        self.print_memo = new_memo
        self.prints = prints
        self._day_parts = {}
        return prints

    def day_print(self, day: dt.date) -> str:
        """The day's own parts: its title and its comments."""
        return f"{self.day_titles.get(day)}\x1f{self._day_comment_ids.get(day, ())}"

    def page_print(self, *parts: object) -> str:
        return _digest("\x1d".join(map(str, parts)))

    def prints_of(self, stamps: Iterable[EntryStamp]) -> str:
        return ",".join(self.prints[s.id] for s in stamps)

    def days_print(self, days: Iterable[dt.date]) -> str:
        return ";".join(map(self._day_part, days))

    def _day_part(self, day: dt.date) -> str:
        found = self._day_parts.get(day)
        if found is None:
            found = f"{day}\x1f{self.day_print(day)}\x1f{self.prints_of(self.by_day[day])}"
            self._day_parts[day] = found
        return found

    # -- full entries -------------------------------------------------------------------

    def load(
        self, store: DiaryReader, days: Iterable[dt.date], earlier: Content | None = None
    ) -> None:
        """Read these days' entries in full, with the days' titles and comments (or take
        them from ``earlier``, the same process's last build, where nothing changed)."""
        wanted = sorted(set(days) - self.loaded_days)
        if earlier is not None:
            wanted = [day for day in wanted if not self._adopt(earlier, day)]
        for start in range(0, len(wanted), 400):
            chunk = wanted[start : start + 400]
            for entry in store.entries(include_private=False, days=chunk):
                if entry.is_public:
                    self.loaded[entry.id] = entry
            _titles, comments = store.day_extras(chunk)
            for day in chunk:
                self.day_comments[day] = tuple(comments.get(day, ()))
            self.loaded_days.update(chunk)

    def _adopt(self, earlier: Content, day: dt.date) -> bool:
        """Take a day an earlier build read in full, if its entries and own parts are
        unchanged (the same fingerprints: an edit moves an entry's), instead of reading it
        again (``build --watch``)."""
        if day not in earlier.loaded_days or earlier.day_print(day) != self.day_print(day):
            return False
        stamps = self.by_day.get(day, [])
        before, loaded = earlier.prints, earlier.loaded
        if not all(s.id in loaded and before.get(s.id) == self.prints[s.id] for s in stamps):
            return False
        for s in stamps:
            self.loaded[s.id] = loaded[s.id]
        self.day_comments[day] = earlier.day_comments.get(day, ())
        self.loaded_days.add(day)
        return True

    def load_all(self, store: DiaryReader) -> None:
        """Every public entry in full, a month at a time."""
        for year, month in self.months:
            for page in store.month_pages(year, month, include_private=False):
                for entry in page.entries:
                    if entry.is_public:
                        self.loaded[entry.id] = entry
                self.day_comments[page.day] = page.comments
        self.loaded_days.update(self.days)

    def entry(self, stamp: EntryStamp) -> Entry:
        return self.loaded[stamp.id]

    def entries(self, stamps: Iterable[EntryStamp]) -> list[Entry]:
        return [self.loaded[s.id] for s in stamps]

    def day(self, day: dt.date) -> DayPage | None:
        stamps = self.by_day.get(day)
        if stamps is None:
            return None
        return DayPage(
            day,
            self.day_titles.get(day),
            tuple(self.entries(stamps)),
            self.day_comments.get(day, ()),
        )

    def day_pages(self, days: Iterable[dt.date]) -> list[DayPage]:
        return [page for page in map(self.day, days) if page is not None]

    def related(self, entry_id: int) -> list[RelatedLink]:
        """An entry's related links to public entries, newest first, as the live site."""
        targets = [
            (self.by_id[target], score)
            for target, score in self.related_pairs.get(entry_id, ())
            if target in self.by_id
        ]
        targets.sort(key=lambda t: (t[0].day, t[0].created_at, t[0].id), reverse=True)
        links = []
        for target, score in targets:
            lang = target.source_lang
            if not lang:
                from clipdiary.clip.lang import guess_lang  # heavy: only when needed

                lang = guess_lang(target.title)
            links.append(RelatedLink(target.day, target.name, target.title, lang, score))
        return links


def gather(store: DiaryReader) -> Content:
    """The public diary's outline and its stories, every body left unread."""
    return Content.of(store.diary, store.stamps(include_private=False), read_members(store))
