"""``clipdiary build``: the public diary as a folder of static files, incrementally.

The phases, in order:

1. gather: read every public day from the store (``content.py``);
2. plan: compare fingerprints with the last build's manifest and pick the pages a change
   touches: the entry, its day, month and date-in-every-year pages, its categories (old and
   new), the top page, the archive and the feeds; everything when the settings, templates
   or clipdiary itself changed, or with ``full=True``;
3. write: render those pages (in worker processes for a full build) and write the ones
   whose bytes differ from what is on disk, then the search index;
4. sweep: delete files the last build wrote that no page claims any more, and save the
   manifest.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import urlsplit

from clipdiary import __version__
from clipdiary.model import Entry, day_key, parse_day
from clipdiary.render import RenderedBody
from clipdiary.site import search_index
from clipdiary.site.content import (
    Content,
    day_fingerprint,
    entry_fingerprint,
    entry_key,
    gather,
)
from clipdiary.site.manifest import EntryRecord, Manifest, load_manifest, save_manifest
from clipdiary.site.pages import (
    Job,
    StaticPages,
    all_jobs,
    asset_files,
    category_jobs,
    month_jobs,
)
from clipdiary.site.writer import OutputFolder, SiteError, WriteResult, merge, remove_stale
from clipdiary.store import Store

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    """Where the site will live: ``base_path`` (``""`` or ``/diary``) and, for the feeds'
    absolute links, ``site_url`` (``https://example.com/diary``; its path is the base path
    when ``base_path`` is not given)."""

    base_path: str | None = None
    site_url: str = ""
    full: bool = False
    workers: int = 1

    def resolved(self) -> tuple[str, str]:
        """``(base_path, origin)``: the path prefix of every link and ``scheme://host``."""
        origin, path = "", ""
        if self.site_url:
            parts = urlsplit(self.site_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise SiteError(f"bad site address {self.site_url!r}: give https://host/path")
            origin, path = f"{parts.scheme}://{parts.netloc}", parts.path
        base = self.base_path if self.base_path is not None else path
        base = "/" + base.strip("/") if base.strip("/") else ""
        if any(part in (".", "..") for part in base.split("/")):
            raise SiteError(f"bad base path {base!r}")
        return base, origin


@dataclass
class BuildReport:
    full: bool
    pages: int
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    entries: int = 0


def build_site(
    store: Store,
    outdir: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    options = options or BuildOptions()
    base_path, origin = options.resolved()
    previous = load_manifest(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    content = gather(store)
    config = config_fingerprint(content, base_path, origin)
    pages = StaticPages(store, content, base_path=base_path, site_url=origin)
    pages.builder.preload_related(content.entries)
    related = pages.builder.related
    records: dict[str, EntryRecord] = {
        entry_key(e): (entry_fingerprint(e, related.get(e.id, ())), e.categories, e.id)
        for e in content.entries
    }
    day_prints = {day_key(p.day): day_fingerprint(p) for p in content.days}
    expected = expected_paths(content, pages)
    full = options.full or previous is None or previous.config != config
    old_files = previous.files if previous else {}
    buckets = previous.search_buckets if previous and not full else 0
    if full:
        buckets = search_index.bucket_count(len(content.entries))
        jobs = all_jobs(content)
        result = _render_full(pages, content, jobs, outdir, old_files, options.workers, progress)
        search_files = search_index.build_index(_documents(pages, content.entries), buckets)
    else:
        assert previous is not None
        jobs, changed, purge = _plan(content, previous, records, day_prints)
        result = _render_some(pages, jobs, outdir, old_files, progress)
        updated = search_index.update_index(outdir, buckets, _documents(pages, changed), purge)
        if updated is None:  # the last build's index is damaged or gone
            buckets = search_index.bucket_count(len(content.entries))
            updated = search_index.build_index(_documents(pages, content.entries), buckets)
        search_files = updated
    folder = OutputFolder(outdir, old_files)
    for path, data in {**asset_files(), **search_files}.items():
        folder.put(path, data)
    result = merge([result, folder.result])
    expected |= search_index.expected_paths((e.id for e in content.entries), buckets)
    unknown = set(result.produced) - expected
    if unknown:
        raise SiteError(f"pages outside the plan: {sorted(unknown)[:5]}")
    files_now = {p: h for p, h in old_files.items() if p in expected} | result.produced
    removed = remove_stale(outdir, [p for p in old_files if p not in expected])
    save_manifest(
        outdir,
        Manifest(
            config=config,
            files=files_now,
            entries=records,
            days=day_prints,
            search_buckets=buckets,
        ),
    )
    return BuildReport(
        full=full,
        pages=len(files_now),
        written=sorted(result.written),
        removed=removed,
        entries=len(content.entries),
    )


# -- plan ---------------------------------------------------------------------------------


def config_fingerprint(content: Content, base_path: str, origin: str) -> str:
    """Everything that shows on every page: settings, templates, code, version."""
    digest = hashlib.sha256(repr((__version__, base_path, origin, content.diary)).encode())
    package = files("clipdiary")
    for folder in ("pages", "site", "notation", "."):
        root = package.joinpath(folder)
        for item in sorted(_walk(root), key=lambda t: t[0]):
            digest.update(item[0].encode())
            digest.update(item[1])
    return digest.hexdigest()[:32]


def _walk(folder: Traversable, prefix: str = "") -> Iterable[tuple[str, bytes]]:
    for item in folder.iterdir():
        if item.is_dir():
            if item.name in ("templates", "static"):
                yield from _walk(item, f"{prefix}{item.name}/")
        elif item.name.endswith((".py", ".html", ".css", ".js")):
            yield f"{prefix}{item.name}", item.read_bytes()


def expected_paths(content: Content, pages: StaticPages) -> set[str]:
    """Every file the site holds now, known without rendering any of it."""
    jobs = all_jobs(content)
    found = {pages.path_of(job) for job in jobs}
    return found | set(asset_files())


def _plan(
    content: Content,
    previous: Manifest,
    records: dict[str, EntryRecord],
    day_prints: dict[str, str],
) -> tuple[list[Job], list[Entry], set[int]]:
    """The pages touched since the last build, the entries to (re)index, ids to drop."""
    changed_keys = {
        key
        for key in records.keys() | previous.entries.keys()
        if _print(records.get(key)) != _print(previous.entries.get(key))
    }
    changed_days = {
        key
        for key in day_prints.keys() | previous.days.keys()
        if day_prints.get(key) != previous.days.get(key)
    }
    days = changed_days | {key.split("/", 1)[0] for key in changed_keys}
    categories: set[str] = set()
    for key in changed_keys:
        for record in (records.get(key), previous.entries.get(key)):
            if record is not None:
                categories.update(record[1])
    jobs: set[Job] = set()
    if days or categories:
        jobs.update({Job("top"), Job("archive"), Job("feed")})
    for key in days:  # pages of days, months and dates that still hold an entry
        day = parse_day(key)
        if (day.year, day.month) in content.months:
            jobs.add(Job("month", key[:6]))
        if (day.month, day.day) in content.same_dates:
            jobs.add(Job("same_date", key[4:]))
        if content.day(day) is not None:
            jobs.add(Job("day", key))
    by_key = {entry_key(e): e for e in content.entries}
    changed = [by_key[key] for key in sorted(changed_keys) if key in by_key]
    jobs.update(Job("entry", entry_key(e)) for e in changed)
    for name in categories:
        jobs.update(category_jobs(content, name))
    # Edited and removed entries leave the search index before edited ones come back.
    purge = {previous.entries[key][2] for key in changed_keys if key in previous.entries}
    return sorted(jobs), changed, purge


def _print(record: EntryRecord | None) -> str:
    return record[0] if record is not None else ""


# -- write --------------------------------------------------------------------------------


def _documents(pages: StaticPages, entries: Iterable[Entry]) -> list[search_index.Document]:
    docs = []
    for entry in entries:
        body = pages.builder.rendered(entry)
        text = " ".join((entry.title, " ".join(entry.categories), body.text))
        address = pages.urls.entry(entry.day, entry.name)[len(pages.urls.base_path) + 1 :]
        docs.append(
            search_index.Document(entry.id, address, entry.title, entry.day.isoformat(), text)
        )
    return docs


def _render_some(
    pages: StaticPages,
    jobs: list[Job],
    outdir: Path,
    old_files: dict[str, str],
    progress: Progress | None,
) -> WriteResult:
    folder = OutputFolder(outdir, old_files)
    for done, job in enumerate(jobs, 1):
        path, data = pages.render(job)
        folder.put(path, data)
        if progress:
            progress(done, len(jobs))
    return folder.result


# Worker state for a full build: set before the pool forks, so children share it.
_SHARED: dict[str, object] = {}


def _render_full(
    pages: StaticPages,
    content: Content,
    jobs: list[Job],
    outdir: Path,
    old_files: dict[str, str],
    workers: int,
    progress: Progress | None,
) -> WriteResult:
    if workers <= 1 or len(jobs) < 200 or "fork" not in multiprocessing.get_all_start_methods():
        return _render_some(pages, jobs, outdir, old_files, progress)
    # Phase A: each month with its days and entries, so a body is rendered in one process
    # and reused by the pages beside it; the bodies come back for phase B.
    months = [month_jobs(content, y, m) for (y, m) in content.months]
    rest = [j for j in jobs if j.kind not in ("month", "day", "entry")]
    total = len(jobs)
    _SHARED.update(pages=pages, outdir=outdir, old=old_files)
    results: list[WriteResult] = []
    done = 0
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_child_init) as pool:
        for result, bodies, count in pool.imap_unordered(_month_worker, months, chunksize=4):
            results.append(result)
            pages.builder.bodies.update(bodies)
            done += count
            if progress:
                progress(done, total)
    # Phase B: the pages that cut across months, with every body known.
    chunks = [rest[i :: workers * 4] for i in range(workers * 4)]
    with context.Pool(workers, initializer=_child_init) as pool:
        for result, count in pool.imap_unordered(_rest_worker, chunks):
            results.append(result)
            done += count
            if progress:
                progress(done, total)
    _SHARED.clear()
    return merge(results)


def _child_init() -> None:
    # The parent's pooled connections must not be used from a forked child.
    pages = _SHARED["pages"]
    assert isinstance(pages, StaticPages)
    pages.builder.store.engine.dispose(close=False)


def _month_worker(jobs: list[Job]) -> tuple[WriteResult, dict[int, RenderedBody], int]:
    pages = _SHARED["pages"]
    assert isinstance(pages, StaticPages)
    before = set(pages.builder.bodies)
    result = _render_in_child(jobs)
    bodies = {k: v for k, v in pages.builder.bodies.items() if k not in before}
    pages.builder.bodies.clear()
    return result, bodies, len(jobs)


def _rest_worker(jobs: list[Job]) -> tuple[WriteResult, int]:
    return _render_in_child(jobs), len(jobs)


def _render_in_child(jobs: list[Job]) -> WriteResult:
    pages, outdir, old = _SHARED["pages"], _SHARED["outdir"], _SHARED["old"]
    assert isinstance(pages, StaticPages) and isinstance(outdir, Path) and isinstance(old, dict)
    folder = OutputFolder(outdir, old)
    for job in jobs:
        path, data = pages.render(job)
        folder.put(path, data)
    return folder.result


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))
