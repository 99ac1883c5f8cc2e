"""``clipdiary build``: the public diary as a folder of static files, incrementally.

The phases, in order:

1. gather: read the public diary's outline, every entry without its body (``content.py``);
2. plan: give every entry a fingerprint and every page one made from what it shows (its
   entries' fingerprints, its links to neighbours, its count), and pick the pages whose
   fingerprint differs from the last build's manifest; everything when the settings,
   templates or clipdiary itself changed, or with ``full=True``;
3. write: read in full only the entries those pages show, render them (in worker
   processes for a full build) and write the ones whose bytes differ from what is on
   disk, then the search index;
4. sweep: delete files the last build wrote that no page claims any more, and save the
   manifest.

Between builds ``OUTDIR/.clipdiary-cache/`` keeps what an incremental build would otherwise
make again for every change: the compiled templates, each month's archive section and each
entry's summary section (a bundle per month), each keyed by the fingerprint of what it
shows and the build's configuration. So one new entry re-renders one archive month and one
section, and the month, date and top pages are stitched from kept sections without reading
their entries' bodies. A ``--full`` build renders everything afresh.

``SiteBuilder`` builds one folder again and again in one process (``build --watch``,
``watch.py``): it keeps the manifest it wrote and the last build's fingerprints and
entries in memory, so a rebuild reads and fingerprints only what changed on top of the
outline every build reads.
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from clipdiary import __version__
from clipdiary.model import Diary, Entry
from clipdiary.render import RenderedBody
from clipdiary.site import search_index
from clipdiary.site.content import Content, DiaryReader, gather
from clipdiary.site.manifest import (
    MANIFEST_NAME,
    Manifest,
    load_manifest,
    read_header,
    save_manifest,
)
from clipdiary.site.pages import Job, StaticPages, all_jobs, asset_files, month_jobs
from clipdiary.site.writer import OutputFolder, SiteError, WriteResult, merge, remove_stale
from clipdiary.store.media_lite import media_files

Progress = Callable[[int, int], None]
CLOCK_MARGIN = 120  # seconds
CACHE_NAME = ".clipdiary-cache"  # compiled templates and rendered fragments between builds


@dataclass(frozen=True)
class BuildOptions:
    """Where the site will live: ``base_path`` (``""`` or ``/diary``) and, for the feeds'
    absolute links, ``site_url`` (``https://example.com/diary``; its path is the base path
    when ``base_path`` is not given). ``site_url`` None means the diary's own base URL as
    it is at each build, so a watcher follows ``clipdiary settings --base-url``."""

    base_path: str | None = None
    site_url: str | None = None
    full: bool = False
    workers: int = 1

    def resolved(self, diary_url: str = "") -> tuple[str, str]:
        """``(base_path, origin)``: the path prefix of every link and ``scheme://host``."""
        site_url = self.site_url if self.site_url is not None else diary_url
        origin, path = "", ""
        if site_url:
            parts = urlsplit(site_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise SiteError(f"bad site address {site_url!r}: give https://host/path")
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
    store: DiaryReader,
    outdir: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    return SiteBuilder(store, outdir, options).build(progress)


class SiteBuilder:
    """Builds one output folder, again after every change if asked (``build --watch``).

    Between its builds it keeps the manifest it last wrote in memory instead of reading it
    back, for as long as the file on disk is the one it wrote. A ``resident`` builder (one
    that will build again, as ``--watch`` does) reads the diary at its first build even when
    nothing changed, so that its next build finds the fingerprints and entries in memory."""

    def __init__(
        self,
        reader: DiaryReader,
        outdir: Path,
        options: BuildOptions | None = None,
        *,
        resident: bool = False,
    ) -> None:
        self.reader = reader
        self.outdir = outdir
        self.options = options or BuildOptions()
        self.resident = resident
        self._kept: tuple[Manifest, tuple[int, ...] | None] | None = None
        self._earlier: Content | None = None  # the last build's outline and entries

    def build(self, progress: Progress | None = None) -> BuildReport:
        with _fewer_collections(), self.reader.snapshot():
            revision = self.reader.sync()  # settings another process changed count too
            unchanged = self._unchanged(revision)
            if unchanged is not None:
                return unchanged
            previous = self._previous()
            report, manifest, self._earlier = _build(
                self.reader,
                self.outdir,
                self.options,
                progress,
                previous,
                self._earlier,
                revision,
            )
        if report.full:  # it read every entry: keep their fingerprints, not all of them
            self._earlier.loaded.clear()
            self._earlier.loaded_days.clear()
        self._kept = (manifest, self._manifest_file())
        return report

    def _unchanged(self, revision: int) -> BuildReport | None:
        """The report of a build with nothing to do: the diary is at the revision the
        last build read and the configuration is the same. Only the manifest's first line
        is read to tell, so such a build costs little more than starting up."""
        if self.options.full or (self.resident and self._earlier is None):
            return None
        header = None
        if self._kept is not None and self._kept[1] == self._manifest_file():
            header = self._kept[0].header()
        else:
            header = read_header(self.outdir)
        if header is None or header.revision != revision:
            return None
        base_path, origin = self.options.resolved(self.reader.diary.base_url)
        config = config_fingerprint(self.reader.diary, self.reader.identity, base_path, origin)
        if header.config != config:
            return None
        # Files a build always writes, in case someone deleted them since.
        for path in [*asset_files(), search_index.META_PATH]:
            if not (self.outdir / path).is_file():
                return None
        return BuildReport(full=False, pages=header.files, entries=header.entries)

    def _previous(self) -> Manifest | None:
        if self._kept is not None:
            manifest, written = self._kept
            if written is not None and self._manifest_file() == written:
                return manifest
        return load_manifest(self.outdir)

    def _manifest_file(self) -> tuple[int, ...] | None:
        try:
            found = (self.outdir / MANIFEST_NAME).stat()
        except OSError:
            return None
        return (found.st_ino, found.st_size, found.st_mtime_ns)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A build makes a great many small objects and almost no reference cycles; at the
    collector's default (a collection every 700 new objects) collecting took about a
    tenth of an incremental build's time."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(
    store: DiaryReader,
    outdir: Path,
    options: BuildOptions,
    progress: Progress | None,
    previous: Manifest | None,
    earlier: Content | None = None,
    revision: int = -1,
) -> tuple[BuildReport, Manifest, Content]:
    base_path, origin = options.resolved(store.diary.base_url)
    outdir.mkdir(parents=True, exist_ok=True)
    read_at = int(time.time())
    content = gather(store)
    config = config_fingerprint(content.diary, store.identity, base_path, origin)
    full = options.full or previous is None or previous.config != config
    # An entry written again in the second its last build read it keeps its stamp: such
    # recent entries (with a margin for clocks that disagree) are rendered again, under a
    # salt no earlier build used. The second alone is not enough: two builds can read in
    # one second (``--watch``), but each reads a diary at a revision of its own.
    recent = set()
    if previous is not None and not full:
        since = previous.read_at - CLOCK_MARGIN
        recent = {s.id for s in content.stamps if s.updated_at >= since}
    prints = content.fingerprints(
        recent, salt=f"{read_at}:{revision}", memo=earlier.print_memo if earlier else None
    )
    records = {key: (prints[s.id], s.id) for key, s in content.by_key.items()}
    pages = StaticPages(
        store,
        content,
        base_path=base_path,
        site_url=origin,
        cache_dir=outdir / CACHE_NAME,
        salt=config,
    )
    page_prints, others = pages.plan()
    old_files = previous.files if previous else {}
    buckets = previous.search_buckets if previous and not full else 0
    if full:
        pages.builder.reuse = False
        buckets = search_index.bucket_count(len(content.stamps))
        content.load_all(store)
        index = search_index.IndexBuilder(buckets)
        jobs = all_jobs(content)
        result = _render_full(pages, jobs, outdir, old_files, options.workers, progress, index)
        search_files = index.files()
    else:
        assert previous is not None
        before = previous.pages
        todo = [
            others.get(path) or pages.entry_job(path)
            for path, page_print in page_prints.items()
            if before.get(path) != page_print or path not in old_files
        ]
        content.load(store, (day for job in todo for day in pages.days_of(job)), earlier)
        result = _render_some(pages, todo, outdir, old_files, progress)
        last = previous.entries
        changed_keys = {k for k, (fp, _id) in records.items() if last.get(k, ("",))[0] != fp}
        changed_keys |= last.keys() - records.keys()
        changed = [content.entry(content.by_key[k]) for k in sorted(changed_keys & records.keys())]
        # Edited and removed entries leave the search index before edited ones come back.
        purge = {previous.entries[k][1] for k in changed_keys if k in previous.entries}
        updated = search_index.update_index(outdir, buckets, _documents(pages, changed), purge)
        if updated is None:  # the last build's index is damaged or gone
            buckets = search_index.bucket_count(len(content.stamps))
            content.load_all(store)
            every = content.entries(content.stamps)
            updated = search_index.build_index(_documents(pages, every), buckets)
        search_files = updated
    if full:
        pages.builder.keep_all()
    pages.builder.save_sections()
    pages.save_feed_bodies()
    folder = OutputFolder(outdir, old_files)
    assets = asset_files()
    # The images the public clips show, copied from the diary (issue 17).
    media = media_files(store, getattr(store, "diary_id", 0), (s.id for s in content.stamps))
    for path, data in {**assets, **search_files, **media}.items():
        folder.put(path, data)
    result = merge([result, folder.result])
    expected = set(page_prints) | set(assets) | set(media)
    expected |= search_index.expected_paths((s.id for s in content.stamps), buckets)
    unknown = set(result.produced) - expected
    if unknown:
        raise SiteError(f"pages outside the plan: {sorted(unknown)[:5]}")
    files_now = {p: h for p, h in old_files.items() if p in expected} | result.produced
    removed = remove_stale(outdir, [p for p in old_files if p not in expected])
    manifest = Manifest(
        config=config,
        read_at=read_at,
        files=files_now,
        pages=page_prints,
        entries=records,
        search_buckets=buckets,
        revision=revision,
    )
    save_manifest(outdir, manifest)
    report = BuildReport(
        full=full,
        pages=len(files_now),
        written=sorted(result.written),
        removed=removed,
        entries=len(content.stamps),
    )
    return report, manifest, content


# -- plan ---------------------------------------------------------------------------------


def config_fingerprint(diary: Diary, identity: str, base_path: str, origin: str) -> str:
    """Everything that shows on every page: settings, templates, code, version, and which
    diary this is (one made again under the same name is built afresh)."""
    digest = hashlib.sha256(repr((__version__, identity, base_path, origin, diary)).encode())
    digest.update(_code_digest())
    return digest.hexdigest()[:32]


@cache  # the code and templates do not change while clipdiary runs
def _code_digest() -> bytes:
    digest = hashlib.sha256()
    package = files("clipdiary")
    for folder in ("pages", "site", "notation", "."):
        root = package.joinpath(folder)
        for item in sorted(_walk(root), key=lambda t: t[0]):
            digest.update(item[0].encode())
            digest.update(item[1])
    return digest.digest()


def _walk(folder: Traversable, prefix: str = "") -> Iterable[tuple[str, bytes]]:
    for item in folder.iterdir():
        if item.is_dir():
            if item.name in ("templates", "static"):
                yield from _walk(item, f"{prefix}{item.name}/")
        elif item.name.endswith((".py", ".html", ".css", ".js")):
            yield f"{prefix}{item.name}", item.read_bytes()


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

Rendered = tuple[dict[int, RenderedBody], dict[tuple[int, bool, str], Markup]]


def _render_full(
    pages: StaticPages,
    jobs: list[Job],
    outdir: Path,
    old_files: dict[str, str],
    workers: int,
    progress: Progress | None,
    index: search_index.IndexBuilder,
) -> WriteResult:
    """Every page, and the search index's documents as their bodies become known.

    Phase A renders each month with its days and entries in one process, so a body and a
    section are rendered once and reused by the pages beside them; they come back to the
    parent, which indexes them for search while the workers go on. Phase B renders the
    pages that cut across months (dates, categories, feeds) with every section known.
    """
    import multiprocessing  # a full build's workers only: not worth its start-up cost else

    content = pages.content
    months = [month_jobs(content, y, m) for (y, m) in content.months]
    rest = [j for j in jobs if j.kind not in ("month", "day", "entry")]
    total, done = len(jobs), 0
    parallel = (
        workers > 1 and len(jobs) >= 200 and "fork" in multiprocessing.get_all_start_methods()
    )
    if not parallel:
        results = []
        for month in months:
            results.append(_render_some(pages, month, outdir, old_files, None))
            index.add_all(_documents(pages, _entries_of(pages, month)))
            done += len(month)
            if progress:
                progress(done, total)
        results.append(_render_some(pages, rest, outdir, old_files, None))
        if progress:
            progress(total, total)
        return merge(results)
    _SHARED.update(pages=pages, outdir=outdir, old=old_files)
    results = []
    context = multiprocessing.get_context("fork")
    # Months largest first, so that the last ones to finish are short and both workers
    # stay busy to the end.
    months.sort(key=len, reverse=True)
    with context.Pool(workers, initializer=_child_init) as pool:
        for result, (bodies, sections), month in pool.imap_unordered(_month_worker, months):
            results.append(result)
            pages.builder.bodies.update(bodies)
            pages.builder.sections.update(sections)
            index.add_all(_documents(pages, _entries_of(pages, month)))
            done += len(month)
            if progress:
                progress(done, total)
    chunks = [rest[i :: workers * 4] for i in range(workers * 4)]
    with context.Pool(workers, initializer=_child_init) as pool:
        pending = pool.imap_unordered(_rest_worker, chunks)
        index.finish()  # the postings are laid out while the workers render
        for result, count in pending:
            results.append(result)
            done += count
            if progress:
                progress(done, total)
    _SHARED.clear()
    return merge(results)


def _entries_of(pages: StaticPages, jobs: list[Job]) -> list[Entry]:
    content = pages.content
    return [content.entry(content.by_key[job.key]) for job in jobs if job.kind == "entry"]


def _child_init() -> None:
    # The parent's pooled connections must not be used from a forked child.
    pages = _SHARED["pages"]
    assert isinstance(pages, StaticPages)
    pages.reader.forget_connections()


def _month_worker(jobs: list[Job]) -> tuple[WriteResult, Rendered, list[Job]]:
    pages = _SHARED["pages"]
    assert isinstance(pages, StaticPages)
    result = _render_in_child(jobs)
    bodies, sections = pages.builder.bodies, pages.builder.sections
    # Only what the pages of other months show again goes back: summaries, not full ones.
    shown = {k: v for k, v in sections.items() if not k[1]}
    rendered = (dict(bodies), shown)
    bodies.clear()
    sections.clear()
    return result, rendered, jobs


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
