"""Stories at scale (issue 14 item 7): linking a new entry and assigning its story, and restory.

    python bench/story_speed.py [--entries 200000] [--new 50] [--scale 20000] [--bases 3000]
                                [--links synthetic|real] [--profile] [--keep FOLDER]

The bars: linking and assigning a new entry to its story together in under 60 ms at
200,000 entries, and ``clipdiary restory`` of 200,000 entries in under 5 minutes.

The diaries (``--entries``, and ``--scale`` for comparison) are real SQLite diaries of
bench/corpus.py's clips. Embedding 200,000 real entries takes over an hour here, so their
vectors are made from a few thousand really embedded ones (``--bases``), as synthetic
stories of 1–8 entries spread over days to weeks; links and memberships are then written
straight from those stories and ``restory`` makes the stories from the links
(``--links synthetic``, the default; the real link phase of relink, ``--links real``, took
a minute at 20,000 entries and extrapolates from its batches to about 45 minutes at
200,000). bench/story_speed_data.py says how.

Measured, each at both sizes, side by side:

(a) ``--new`` entries (real clips, newer than the diary) written one by one through
    ``Store.add_entry`` with the normal indexers (full-text search and related links), so
    the real ``RelatedIndexer.entry_written`` path: the time in the encoder (its ``embed``
    calls, timed), and linking + story assignment = the rest of ``entry_written`` (texts
    and features read, vector stored, index caught up, candidates found and scored, story
    decided, links and membership written, later entries' lists refreshed). One write
    before them warms the model and the in-memory index and is not counted;
(b) ``restory`` of the whole diary, wall time (the pass after the one that made the
    stories; with ``--links real`` the first pass over the stories arrival made), and then
    the command ``clipdiary restory`` once more, start-up and imports included.

``--profile`` prints cProfile's top functions by cumulative time for both; ``--keep FOLDER``
leaves the diaries in FOLDER/20000 and so on (written to by the measurements).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import math
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

BENCH = Path(__file__).resolve().parent
# The code measured is the tree's beside this script, whatever checkout is installed.
SRC = BENCH.parent / "src"
for folder in (SRC, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from corpus import generate_entries  # noqa: E402  (bench/ is the script's folder)
from story_speed_data import Built, build, diary_shape  # noqa: E402

from clipdiary.related.embed import Embedder, Vectors, default_embedder  # noqa: E402
from clipdiary.related.link import RelatedIndexer  # noqa: E402
from clipdiary.store import Store, schema  # noqa: E402
from clipdiary.store.indexers import EntryIndexer, default_indexers  # noqa: E402
from clipdiary.stories.restory import RestoryReport, restory  # noqa: E402

LINK_BAR_MS = 60.0
RESTORY_BAR_S = 300.0
# New entries come this far apart, after the diary's newest.
NEW_EVERY = dt.timedelta(minutes=10)


class TimedEmbedder:
    """The real encoder, its ``embed`` calls timed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.cpu = 0.0  # the process's CPU time in embed calls (the encoder's threads too)

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def version(self) -> str:
        return self.inner.version

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - started
            self.cpu += time.process_time() - cpu


class TimedIndexer(RelatedIndexer):
    """The related indexer, each ``entry_written`` timed whole and in the encoder."""

    def __init__(self, embedder: TimedEmbedder) -> None:
        super().__init__(embedder)
        self.timed = embedder
        # Seconds of each call: (wall, of which embedding), and the process's CPU time likewise:
        # linking's CPU time far below its wall time says the machine was busy elsewhere.
        self.written: list[tuple[float, float]] = []
        self.cpu: list[tuple[float, float]] = []

    def entry_written(self, conn: sa.Connection, store: Store, entry_id: int) -> None:
        embedded, embedded_cpu = self.timed.seconds, self.timed.cpu
        started, cpu = time.perf_counter(), time.process_time()
        super().entry_written(conn, store, entry_id)
        self.written.append((time.perf_counter() - started, self.timed.seconds - embedded))
        self.cpu.append((time.process_time() - cpu, self.timed.cpu - embedded_cpu))


def code_version() -> str:
    """The commit measured, and whether src/ differs from it."""
    root = BENCH.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{' with uncommitted changes in src/' if dirty else ''}"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def spread(values_ms: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95 (nearest rank) and max."""
    ordered = sorted(values_ms)
    p50 = statistics.median(ordered)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return p50, p95, ordered[-1]


@contextmanager
def profiled(enabled: bool, title: str) -> Iterator[None]:
    if not enabled:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
        print(f"\n--- profile: {title} ---")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:8000])


@contextmanager
def collections() -> Iterator[list[float]]:
    """The seconds of each garbage collection while the block runs (a slow write's cause)."""
    pauses: list[float] = []
    began = [0.0]

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            pauses.append(time.perf_counter() - began[0])

    gc.callbacks.append(note)
    try:
        yield pauses
    finally:
        gc.callbacks.remove(note)


def write_new(store: Store, count: int, seed: int, *, profile: bool) -> dict[str, float]:
    """(a): ``count`` new entries through add_entry, with a timed related indexer."""
    indexer = TimedIndexer(TimedEmbedder(default_embedder()))
    normal: list[EntryIndexer] = [
        indexer if isinstance(i, RelatedIndexer) else i for i in default_indexers()
    ]
    store.indexers = normal
    started = time.perf_counter()
    with store._read() as conn:
        index = indexer.index(conn, store)
    loaded = time.perf_counter() - started
    E = schema.entries
    with store._read() as conn:
        newest = int(conn.execute(sa.select(sa.func.max(E.c.created_at))).scalar_one())
    start = dt.datetime.fromtimestamp(newest, tz=dt.UTC) + dt.timedelta(hours=1)
    years = (count + 1) * NEW_EVERY.total_seconds() / (365.25 * 86400)
    entries = list(generate_entries(count + 1, seed=seed, start=start, years=years))
    store.add_entry(entries[0])  # warms the encoder, the search backend, the caches
    indexer.written.clear()
    indexer.cpu.clear()
    whole = []
    gc.collect()  # the bench's own garbage (building the diary) is not the writes' to sweep
    with profiled(profile, f"{count} new entries at {len(index):,}"), collections() as pauses:
        for entry in entries[1:]:
            began = time.perf_counter()
            store.add_entry(entry)
            whole.append((time.perf_counter() - began) * 1000)
    busy = os.getloadavg()[0]
    embed = [e * 1000 for _, e in indexer.written]
    link = [(w - e) * 1000 for w, e in indexer.written]
    link_cpu = [(w - e) * 1000 for w, e in indexer.cpu]
    figures = {
        "index_load_s": loaded,
        "index_mb": index.nbytes / 1e6,
        "load_1min": busy,
        "gc_count": len(pauses),
        "gc_max_ms": max(pauses, default=0.0) * 1000,
    }
    measured = (("embed", embed), ("link", link), ("link_cpu", link_cpu), ("add_entry", whole))
    for name, values in measured:
        p50, p95, top = spread(values)
        figures |= {f"{name}_p50": p50, f"{name}_p95": p95, f"{name}_max": top}
    return figures


def time_restory(store: Store, *, profile: bool) -> tuple[float, RestoryReport]:
    """(b): one ``restory`` of the whole diary, wall time."""
    with profiled(profile, "restory"):
        started = time.perf_counter()
        report = restory(store)
        took = time.perf_counter() - started
    return took, report


@dataclass(frozen=True)
class Result:
    size: int
    built: Built
    shape: dict[str, float]
    restory_s: float
    report: RestoryReport
    command_s: float
    command_said: str
    new: dict[str, float]
    rss_mb: float


def time_command(folder: Path) -> tuple[float, str]:
    """(b) again, as the owner runs it: ``clipdiary restory`` in a process of its own."""
    command = [sys.executable, "-m", "clipdiary", "--diary", str(folder), "restory", "--json"]
    paths = [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    took = time.perf_counter() - started
    return took, " ".join(done.stdout.split())


def measure(size: int, args: argparse.Namespace, folder: Path) -> Result:
    print(f"building the diary of {size:,} entries ({args.links} links)", flush=True)
    built = build(
        folder,
        size,
        embedder=default_embedder(),
        bases=args.bases,
        links=args.links,
        seed=args.seed,
        progress=lambda line: print(line, flush=True),
    )
    store = built.store
    try:
        shape = diary_shape(store, built.story_of)
        built.story_of.clear()  # 200,000 entries' worth the writes should not carry
        took, report = time_restory(store, profile=args.profile)
        print(f"    restory: {took:.1f} s", flush=True)
        command_s, said = time_command(folder)
        print(f"    clipdiary restory: {command_s:.1f} s", flush=True)
        new = write_new(store, args.new, args.seed + size, profile=args.profile)
        print(f"    {args.new} new entries written", flush=True)
    finally:
        store.database.close()
    return Result(size, built, shape, took, report, command_s, said, new, rss_mb())


def table(results: list[Result], new: int) -> None:
    def row(label: str, cells: list[str]) -> None:
        print(f"| {label} | " + " | ".join(cells) + " |")

    def triple(prefix: str) -> list[str]:
        return [
            " / ".join(f"{r.new[f'{prefix}_{x}']:.1f}" for x in ("p50", "p95", "max"))
            for r in results
        ]

    def built(r: Result) -> str:
        t = {k: f"{v:.0f}" if v >= 10 else f"{v:.1f}" for k, v in r.built.timings.items()}
        first = f", first restory {t['first_restory']}" if "first_restory" in t else ""
        return (
            f"entries {t['entries']}, bases {t['bases']}, vectors {t['vectors']}, "
            f"links ({r.built.links_by}) {t['links']}{first}"
        )

    def links(r: Result) -> str:
        s = r.shape
        return (
            f"{s['links'] / r.size:.2f} per entry, {s['links_inside']:.0%} inside a synthetic "
            f"story; scores p10/p50/p90 {s['score_p10']:.2f}/{s['score_p50']:.2f}/"
            f"{s['score_p90']:.2f}"
        )

    print()
    row("entries in the diary", [f"{r.size:,}" for r in results])
    print("|---|" + "---|" * len(results))
    row("diary built in (s)", [built(r) for r in results])
    row("related links", [links(r) for r in results])
    row(
        "stories before restory: count, entries in them, largest",
        [
            f"{r.shape['stories']:,.0f}, {r.shape['in_stories']:,.0f}, {r.shape['story_max']:.0f}"
            for r in results
        ],
    )
    row(
        "in-memory index: load (s), size (MB)",
        [f"{r.new['index_load_s']:.1f}, {r.new['index_mb']:.0f}" for r in results],
    )
    row(f"(a) embedding per new entry, p50 / p95 / max (ms), {new} entries", triple("embed"))
    row(
        f"(a) **linking + story assignment**, p50 / p95 / max (ms), bar {LINK_BAR_MS:.0f}",
        triple("link"),
    )
    row("(a) the same, the process's CPU time (ms)", triple("link_cpu"))
    row("(a) add_entry whole, p50 / p95 / max (ms)", triple("add_entry"))
    row("(a) load average (1 min) just after", [f"{r.new['load_1min']:.2f}" for r in results])
    row(
        "(a) garbage collections during the writes: count, longest (ms)",
        [f"{r.new['gc_count']:.0f}, {r.new['gc_max_ms']:.1f}" for r in results],
    )
    row(
        f"(b) **restory wall time** (s), bar {RESTORY_BAR_S:.0f}",
        [f"{r.restory_s:.1f}" for r in results],
    )
    row("(b) restory report", [str(r.report) for r in results])
    row(
        "(b) `clipdiary restory --json` after it, a process of its own (s)",
        [f"{r.command_s:.1f}: {r.command_said}" for r in results],
    )
    row("peak resident memory so far (MB)", [f"{r.rss_mb:.0f}" for r in results])
    print()
    for r in results:
        link = r.new["link_p95"]
        print(
            f"{r.size:,} entries: linking + assigning p95 {link:.1f} ms, max "
            f"{r.new['link_max']:.1f} ms (bar {LINK_BAR_MS:.0f} ms: "
            f"{'met' if r.new['link_max'] < LINK_BAR_MS else 'NOT met'} by every write); "
            f"restory {r.restory_s:.1f} s (bar {RESTORY_BAR_S / 60:.0f} min: "
            f"{'met' if r.restory_s < RESTORY_BAR_S else 'NOT met'})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--new", type=int, default=50)
    parser.add_argument("--scale", type=int, default=20_000, help="the smaller diary (0: none)")
    parser.add_argument("--bases", type=int, default=3000, help="entries really embedded")
    parser.add_argument("--links", choices=("synthetic", "real"), default="synthetic")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--keep", type=Path, help="build the diaries in FOLDER/N and keep them")
    args = parser.parse_args()
    import clipdiary

    print(f"code: {code_version()} ({Path(clipdiary.__file__).parent})", flush=True)
    print(f"load average before: {load()}", flush=True)
    began = time.perf_counter()
    sizes = sorted({args.entries} | ({args.scale} if args.scale else set()))
    results = []
    for size in sizes:
        if args.keep:
            results.append(measure(size, args, args.keep / str(size)))
            continue
        with tempfile.TemporaryDirectory(prefix="clipdiary-story-speed-") as folder:
            results.append(measure(size, args, Path(folder)))
    table(results, args.new)
    print(f"peak resident memory: {rss_mb():.0f} MB")
    print(f"whole run: {(time.perf_counter() - began) / 60:.1f} min")
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
