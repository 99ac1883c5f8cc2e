"""Bookmarks imported with ``--fetch``: each page clipped through the clipping pipeline.

Pages are fetched by a few worker threads while the main thread writes, each clip in its
own transaction; a bookmark already clipped (same page, or the entry is there) is skipped,
so an interrupted run continues where it stopped when run again. A page that cannot be
fetched or holds no article is kept as a plain link entry, and the report says why.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

from clipdiary.clip.fetch import DEFAULT_LIMITS, FetchedPage, FetchLimits, fetch
from clipdiary.clip.pipeline import clip_page
from clipdiary.errors import ClipdiaryError, FormatError
from clipdiary.store import Store

from . import bookmarks
from .importer import ImportReport, Opener
from .items import EntryItem, NoticeItem, SkipItem, entry_key
from .progress import NoProgress, ProgressSink

WORKERS = 4


def fetch_bookmarks(
    store: Store,
    opener: Opener,
    *,
    source: str,
    progress: ProgressSink | None = None,
    workers: int = WORKERS,
    limits: FetchLimits = DEFAULT_LIMITS,
) -> ImportReport:
    progress = progress or NoProgress()
    report = ImportReport(source=source, format="bookmarks")
    todo: list[EntryItem] = []
    # The file is checked whole first (as every import is), and the pages to fetch listed.
    with opener() as stream:
        for item in bookmarks.read(stream, store.diary, source=source):
            if isinstance(item, EntryItem):
                report.entries += 1
                assert item.entry.source is not None
                if store.has_entry(*entry_key(item)) or store.clips_of(item.entry.source.url):
                    report.already += 1
                else:
                    todo.append(item)
            elif isinstance(item, SkipItem):
                report.skip(item.where, item.reason)
            elif isinstance(item, NoticeItem):
                report.repair(item.where, item.message)
    progress.start("Clipping", len(todo))
    allow_private = store.diary.allow_private_addresses
    pending: deque[tuple[EntryItem, Future[FetchedPage]]] = deque()
    queue = deque(todo)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            while queue or pending:
                while queue and len(pending) < workers * 2:
                    item = queue.popleft()
                    assert item.entry.source is not None
                    url = item.entry.source.url
                    pending.append(
                        (item, pool.submit(fetch, url, limits=limits, allow_private=allow_private))
                    )
                item, future = pending.popleft()
                _clip_one(store, item, future, report)
                progress.advance(1)
        except KeyboardInterrupt:
            report.interrupted = True
            for _, future in pending:
                future.cancel()
    return report


def _clip_one(
    store: Store, item: EntryItem, future: Future[FetchedPage], report: ImportReport
) -> None:
    entry = item.entry
    assert entry.source is not None
    note = _note(entry.body)
    try:
        page = future.result()
        clip_page(
            store,
            page,
            note=note or None,
            categories=entry.categories,
            day=entry.day,
            created=entry.created,
            visibility=entry.visibility,
        )
    except ClipdiaryError as exc:
        try:
            store.add_entry(entry)
        except ClipdiaryError as again:
            raise FormatError(f"{item.where}: {again}", path=report.source) from again
        report.change(item.where, f"not clipped, kept as a link: {exc}")
    report.added += 1


def _note(body: str) -> str:
    lines = body.strip("\n").split("\n")
    return "\n".join(lines[:-1]).strip("\n")
