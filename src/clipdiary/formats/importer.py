"""Bringing a file into a diary: check it whole, then write it in batches.

The file is read twice, a stream each time. The first pass only reads: a damaged file
stops here with the place named, before anything is written. The second pass writes in
batches, each one transaction, so an interrupted or failed import leaves every earlier
batch in place and nothing of the batch it stopped in. Entries are matched by day and
name: running the same import again adds only what is missing and reports the rest as
already there. Stories (JSON Lines backups only) go back after every entry, in one
transaction of their own, before the related links and stories are computed again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import BinaryIO

import sqlalchemy as sa

from clipdiary.errors import ClipdiaryError, FormatError, StoreError
from clipdiary.model import Comment, NewEntry, day_key
from clipdiary.store import Store
from clipdiary.store.indexers import BulkIndexer, deferring_bulk_indexers

from . import reader_for
from .item_checks import checked_items
from .items import (
    ApartItem,
    DayItem,
    EntryItem,
    Item,
    NoticeItem,
    SkipItem,
    StoryItem,
    entry_key,
)
from .progress import NoProgress, ProgressSink
from .story_records import restore, take_back_numbers

BATCH_SIZE = 500
KEEP_DETAILS = 200  # skip and repair lines kept for the report; the rest are counted

Opener = Callable[[], AbstractContextManager[BinaryIO]]


@dataclass(frozen=True)
class Note:
    where: str
    message: str


@dataclass
class ImportReport:
    source: str
    format: str
    dry_run: bool = False
    entries: int = 0  # entries in the file
    added: int = 0
    already: int = 0  # matched by day and name: in the diary before this run
    day_titles: int = 0
    comments: int = 0
    stories: int = 0  # story lines of the file (JSON Lines), restored after the entries
    apart: int = 0  # pairs of entries kept apart
    skipped: list[Note] = field(default_factory=list)
    skipped_count: int = 0
    repaired: list[Note] = field(default_factory=list)
    repaired_count: int = 0
    # Imported, but not quite as the file has it (an old address another entry holds, a
    # bookmark whose page could not be clipped): not "skipped", which means left out.
    changed: list[Note] = field(default_factory=list)
    changed_count: int = 0
    interrupted: bool = False
    deferred: list[str] = field(default_factory=list)  # indexers left for a bulk command
    earliest_day: dt.date | None = None  # of the entries this run added

    def skip(self, where: str, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < KEEP_DETAILS:
            self.skipped.append(Note(where, reason))

    def repair(self, where: str, message: str) -> None:
        self.repaired_count += 1
        if len(self.repaired) < KEEP_DETAILS:
            self.repaired.append(Note(where, message))

    def change(self, where: str, message: str) -> None:
        self.changed_count += 1
        if len(self.changed) < KEEP_DETAILS:
            self.changed.append(Note(where, message))

    def as_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "format": self.format,
            "dry_run": self.dry_run,
            "entries": self.entries,
            "added": self.added,
            "already": self.already,
            "day_titles": self.day_titles,
            "comments": self.comments,
            "stories": self.stories,
            "apart": self.apart,
            "skipped": [{"where": n.where, "reason": n.message} for n in self.skipped],
            "skipped_count": self.skipped_count,
            "repaired": [{"where": n.where, "message": n.message} for n in self.repaired],
            "repaired_count": self.repaired_count,
            "changed": [{"where": n.where, "message": n.message} for n in self.changed],
            "changed_count": self.changed_count,
            "interrupted": self.interrupted,
            "deferred": self.deferred,
        }


class CountingStream:
    """Counts the bytes read, so the first pass can show progress through the file."""

    def __init__(self, stream: BinaryIO, progress: ProgressSink) -> None:
        self._stream = stream
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._progress.advance(len(data))
        return data

    def readline(self) -> bytes:
        data = self._stream.readline()
        self._progress.advance(len(data))
        return data


def import_file(
    store: Store,
    opener: Opener,
    fmt: str,
    *,
    source: str,
    size: int | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: ProgressSink | None = None,
) -> ImportReport:
    """Import the file ``opener`` opens (twice) into ``store``; see the module docstring."""
    read = reader_for(fmt)
    progress = progress or NoProgress()
    report = ImportReport(source=source, format=fmt, dry_run=dry_run)

    def items(counting: bool) -> Iterator[Item]:
        with opener() as raw:
            stream: BinaryIO = CountingStream(raw, progress) if counting else raw  # type: ignore[assignment]
            # Values the database would refuse stop the first pass (item_checks.py).
            yield from checked_items(read(stream, store.diary, source=source), source)

    # Pass 1: read everything, write nothing.
    progress.start("Checking", size)
    for item in items(counting=True):
        if isinstance(item, EntryItem):
            report.entries += 1
            if dry_run:
                if store.has_entry(*entry_key(item)):
                    report.already += 1
                else:
                    report.added += 1
        elif isinstance(item, SkipItem):
            report.skip(item.where, item.reason)
        elif isinstance(item, NoticeItem):
            report.repair(item.where, item.message)
        elif isinstance(item, StoryItem):
            report.stories += 1
        elif isinstance(item, ApartItem):
            report.apart += 1
        elif dry_run:
            report.day_titles += 1 if item.title else 0
            report.comments += len(item.comments)
    if dry_run:
        return report

    # Pass 2: write, a batch per transaction.
    progress.start("Importing", report.entries)
    # Indexers that work better in bulk (related links) catch up once at the end, or,
    # after an interrupted import, with `clipdiary relink`.
    with deferring_bulk_indexers(store) as deferred:
        report.deferred = [type(i).__name__ for i in deferred]
        stories = _write_all(store, items(counting=False), report, source, batch_size, progress)
    if report.added and not report.interrupted:
        _catch_up(store, deferred, report, progress)
        take_back_numbers(store, stories)
    return report


def _catch_up(
    store: Store, deferred: list[BulkIndexer], report: ImportReport, progress: ProgressSink
) -> None:
    """Let the indexers left out during the import do their work in bulk now."""
    for indexer in deferred:
        indexer.catch_up(store, since=report.earliest_day, progress=_StageProgress(progress))
        report.deferred.remove(type(indexer).__name__)


class _StageProgress:
    """Shows a bulk step's ``(stage, done, total)`` reports on the import's progress bar."""

    def __init__(self, sink: ProgressSink) -> None:
        self.sink = sink
        self.done: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.done:
            self.sink.start(f"Related links: {stage}", total)
            self.done[stage] = 0
        self.sink.advance(done - self.done[stage])
        self.done[stage] = done


def _write_all(
    store: Store,
    items: Iterator[Item],
    report: ImportReport,
    source: str,
    batch_size: int,
    progress: ProgressSink,
) -> list[StoryItem]:
    """Write the entries in batches, then the stories; returns the stories written."""
    batch: list[EntryItem | DayItem] = []
    stories: list[StoryItem] = []
    aparts: list[ApartItem] = []
    try:
        for item in items:
            if isinstance(item, EntryItem | DayItem):
                batch.append(item)
                if len(batch) >= batch_size:
                    _write_batch(store, batch, report, source, progress)
                    batch = []
            elif isinstance(item, StoryItem):
                stories.append(item)
            elif isinstance(item, ApartItem):
                aparts.append(item)
        if batch:
            _write_batch(store, batch, report, source, progress)
        _write_stories(store, stories, aparts, source)
    except KeyboardInterrupt:
        report.interrupted = True
    return stories


def _write_stories(
    store: Store, stories: list[StoryItem], aparts: list[ApartItem], source: str
) -> None:
    """The stories, once every entry is in (the first pass checked them against those)."""
    try:
        restore(store, stories, aparts)
    except ClipdiaryError as exc:
        where = (stories or aparts)[0].where
        raise FormatError(
            f"{where}: {exc} (the entries were imported; of the stories, nothing was written)",
            path=source,
        ) from exc


def _write_batch(
    store: Store,
    batch: list[EntryItem | DayItem],
    report: ImportReport,
    source: str,
    progress: ProgressSink,
) -> None:
    counts = ImportReport(source=source, format=report.format)
    where = batch[0].where
    try:
        with store.transaction():
            for item in batch:
                where = item.where
                if isinstance(item, EntryItem):
                    _add_entry(store, item, counts)
                else:
                    _add_day(store, item, counts)
    except ClipdiaryError as exc:
        raise FormatError(
            f"{where}: {exc} (nothing of this batch was written; {_so_far(report)})",
            path=source,
        ) from exc
    except (sa.exc.SQLAlchemyError, OSError, UnicodeError) as exc:
        # The first pass checked every value, so this is the disk or the database.
        cause = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        raise StoreError(
            f"{source}: writing failed at {where} ({type(exc).__name__}: {cause}); "
            f"nothing of that batch was written, {_so_far(report)}"
        ) from exc
    # Only a batch that landed counts.
    report.added += counts.added
    report.already += counts.already
    report.day_titles += counts.day_titles
    report.comments += counts.comments
    if counts.earliest_day is not None and (
        report.earliest_day is None or counts.earliest_day < report.earliest_day
    ):
        report.earliest_day = counts.earliest_day
    for note in counts.changed:
        report.change(note.where, note.message)
    report.changed_count += counts.changed_count - len(counts.changed)
    progress.advance(sum(1 for item in batch if isinstance(item, EntryItem)))


def _so_far(report: ImportReport) -> str:
    return (
        f"{report.added} entries of earlier batches were, and running the same import "
        "again finishes it"
    )


def _add_entry(store: Store, item: EntryItem, counts: ImportReport) -> None:
    day, name = entry_key(item)
    if store.has_entry(day, name):
        counts.already += 1
        return
    entry: NewEntry = item.entry
    aliases = []
    for alias in entry.aliases:
        owner = store.resolve_alias(alias)
        if owner is not None and owner != (day, name):
            counts.change(
                item.where,
                f"the old address {alias} already leads to /{day_key(owner[0])}/{owner[1]}; "
                f"/{day_key(day)}/{name} was imported without it",
            )
            continue
        aliases.append(alias)
    if len(aliases) != len(entry.aliases):
        entry = NewEntry(**{**entry.__dict__, "aliases": tuple(aliases)})
    added = store.add_entry(entry)
    if counts.earliest_day is None or added.day < counts.earliest_day:
        counts.earliest_day = added.day
    counts.added += 1


def _add_day(store: Store, item: DayItem, counts: ImportReport) -> None:
    titles, day_comments = store.day_extras([item.day])
    if item.title and titles.get(item.day) != item.title:
        store.set_day_title(item.day, item.title)
        counts.day_titles += 1
    present = {_comment_key(c) for c in day_comments.get(item.day, [])}
    for comment in item.comments:
        if _comment_key(comment) in present:
            continue
        store.add_comment(item.day, comment)
        present.add(_comment_key(comment))
        counts.comments += 1


def _comment_key(comment: Comment) -> tuple[str, str, int]:
    return comment.author, comment.body, int(comment.created.timestamp())
