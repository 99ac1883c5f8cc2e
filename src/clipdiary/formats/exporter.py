"""Taking a diary out: every entry, day by day, oldest first, in a chosen format.

Entries are read from the store a page at a time and grouped into days, so memory holds
one page and one day, not the diary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TextIO

from clipdiary.model import Comment, Entry
from clipdiary.store import Store

from . import jsonl, writer_for
from .items import ExportDay
from .progress import NoProgress, ProgressSink
from .story_records import records

PAGE = 500


def export_days(store: Store, *, progress: ProgressSink | None = None) -> Iterator[ExportDay]:
    """Every day that holds an entry, with its title and comments, oldest first."""
    progress = progress or NoProgress()
    progress.start("Exporting", store.count_entries(include_private=True))
    offset = 0
    current: list[Entry] = []
    titles: dict[dt.date, str] = {}
    comments: dict[dt.date, list[Comment]] = {}

    def day_of(entries: list[Entry]) -> ExportDay:
        day = entries[0].day
        return ExportDay(day, titles.pop(day, None), tuple(comments.pop(day, ())), tuple(entries))

    while True:
        page = store.entries(include_private=True, limit=PAGE, offset=offset)
        if not page:
            break
        offset += len(page)
        new_days = sorted({e.day for e in page} - set(titles) - {e.day for e in current})
        page_titles, page_comments = store.day_extras(new_days)
        titles.update(page_titles)
        comments.update(page_comments)
        for entry in page:
            if current and entry.day != current[0].day:
                yield day_of(current)
                current = []
            current.append(entry)
        progress.advance(len(page))
    if current:
        yield day_of(current)


def export_diary(
    store: Store, fmt: str, out: TextIO, *, progress: ProgressSink | None = None
) -> list[str]:
    """Write the whole diary to ``out``; returns notes on what the format could not hold."""
    notes = writer_for(fmt)(export_days(store, progress=progress), out, store.diary)
    if fmt == "jsonl":  # the backup alone holds stories, after every entry
        jsonl.write_stories(records(store), out)
    return notes
