"""Clipping benchmark: the whole clip pipeline over the 48 demo pages, without network.

    python bench/clip_bench.py [--rounds 5] [--warmup 1] [--json]

Each round clips every page of ``src/clipdiary/demo_data/`` (listed in its manifest) into a
real SQLite diary in a temporary folder through ``clipdiary.clip.pipeline.clip_html`` with
``again=True``, as ``clipdiary demo`` does: pages whose manifest says ``charset_in:
"http-header"`` carry their charset in the content type only. Each clip commits on its own,
as a clip from the command line or the web does.

The stages are timed inside that same run by wrapping, for the length of the benchmark, the
functions the pipeline calls: ``charset.decode_html`` (decode), ``extract.extract``
(extract), ``compose.compose`` (compose) and the store's ``add_entry`` (store: the entry, its
compressed snapshot and the store's indexers, in one transaction; each indexer's share is
shown beneath it). "other" is what the pipeline does around
them (wrapping the bytes as a page, hashing them, building the source). The script prints
pages/s overall and per stage, and p50/p95/max milliseconds per page, then pages/s per
round (the diary grows by 48 entries a round, which shows whether a stage slows with it).
Figures are wall-clock times; run it on an otherwise idle machine.

For comparison the same bytes are given to plain ``trafilatura.extract`` (default settings)
for the same number of rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import importlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import trafilatura

from clipdiary.clip.pipeline import clip_html
from clipdiary.demo import demo_manifest
from clipdiary.model import Diary
from clipdiary.store import Store, create_diary
from clipdiary.store.indexers import EntryIndexer

if TYPE_CHECKING:
    import sqlalchemy as sa

STAGES = ("decode", "extract", "compose", "store")
DIARY = Diary(name="bench", title="clipdiary clip benchmark", timezone="Asia/Tokyo")

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Page:
    file: str
    url: str
    lang: str
    content_type: str
    body: bytes


@dataclass
class Timings:
    """Seconds per clipped page: the whole clip, and each stage."""

    total: list[float] = field(default_factory=list)
    stages: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STAGES})
    indexers: dict[str, list[float]] = field(default_factory=dict)


class TimedIndexer:
    """An indexer of the store whose ``entry_written`` time goes into ``current``."""

    def __init__(self, inner: EntryIndexer, current: dict[str, float]) -> None:
        self.inner = inner
        self.name = type(inner).__name__
        self.current = current

    def entry_written(self, conn: sa.Connection, store: Store, entry_id: int) -> None:
        started = time.perf_counter()
        try:
            self.inner.entry_written(conn, store, entry_id)
        finally:
            key = f"index:{self.name}"
            self.current[key] = self.current.get(key, 0.0) + time.perf_counter() - started

    def entry_deleted(self, conn: sa.Connection, store: Store, entry_id: int) -> None:
        self.inner.entry_deleted(conn, store, entry_id)


def demo_pages() -> list[Page]:
    pages: list[Page] = []
    for item in demo_manifest():
        content_type = "text/html"
        if item["charset_in"] == "http-header":
            content_type = f"text/html; charset={item['encoding']}"
        body = files("clipdiary.demo_data").joinpath(item["file"]).read_bytes()
        pages.append(Page(item["file"], item["url"], item["lang"], content_type, body))
    return pages


def timed(fn: Callable[P, R], sink: Callable[[float], None]) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            sink(time.perf_counter() - started)

    return wrapper


@contextlib.contextmanager
def stage_clocks(store: Store, current: dict[str, float]) -> Iterator[None]:
    """Wrap the functions the pipeline calls so each call adds its time to ``current``."""

    def sink(stage: str) -> Callable[[float], None]:
        def add(seconds: float) -> None:
            current[stage] = current.get(stage, 0.0) + seconds

        return add

    # The package re-exports functions under the submodules' names, so look modules up.
    extract_module = importlib.import_module("clipdiary.clip.extract")
    pipeline_module = importlib.import_module("clipdiary.clip.pipeline")
    patches: list[tuple[Any, str, Any]] = [
        (extract_module, "decode_html", "decode"),
        (extract_module, "extract", "extract"),
        (pipeline_module, "compose", "compose"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    indexers = list(store.indexers)
    try:
        for owner, name, stage in patches:
            setattr(owner, name, timed(getattr(owner, name), sink(stage)))
        store.add_entry = timed(store.add_entry, sink("store"))  # type: ignore[method-assign]
        store.indexers = [TimedIndexer(indexer, current) for indexer in indexers]
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
        del store.add_entry
        store.indexers = indexers


def run_pipeline(store: Store, pages: list[Page], rounds: int, timings: Timings | None) -> None:
    current: dict[str, float] = {}
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with stage_clocks(store, current):
        for round_ in range(rounds):
            for i, page in enumerate(pages):
                current.clear()
                started = time.perf_counter()
                clip_html(
                    store,
                    page.body,
                    page.url,
                    content_type=page.content_type,
                    created=base + dt.timedelta(days=round_, minutes=i),
                    again=True,
                )
                elapsed = time.perf_counter() - started
                if timings is not None:
                    timings.total.append(elapsed)
                    for stage in STAGES:
                        timings.stages[stage].append(current.get(stage, 0.0))
                    for key, seconds in current.items():
                        if key.startswith("index:"):
                            timings.indexers.setdefault(key[6:], []).append(seconds)


def run_plain(pages: list[Page], rounds: int) -> list[float]:
    seconds: list[float] = []
    for _ in range(rounds):
        for page in pages:
            started = time.perf_counter()
            trafilatura.extract(page.body)
            seconds.append(time.perf_counter() - started)
    return seconds


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summary(values: list[float]) -> dict[str, float]:
    total = sum(values)
    return {
        "seconds": total,
        "pages_per_s": len(values) / total if total else 0.0,
        "p50_ms": statistics.median(values) * 1000,
        "p95_ms": percentile(values, 95) * 1000,
        "max_ms": max(values) * 1000,
    }


def print_row(name: str, row: dict[str, float], whole: float) -> None:
    share = 100 * row["seconds"] / whole if whole else 0.0
    print(
        f"{name:32} {row['seconds']:8.2f} {share:6.1f}% {row['pages_per_s']:9.1f}"
        f" {row['p50_ms']:8.2f} {row['p95_ms']:8.2f} {row['max_ms']:8.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over the pages")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    rounds = max(1, args.rounds)
    pages = demo_pages()

    timings = Timings()
    with tempfile.TemporaryDirectory(prefix="clip-bench-") as tmp:
        folder = Path(tmp)
        store = create_diary(folder, None, DIARY)
        try:
            run_pipeline(store, pages, max(0, args.warmup), None)
            run_pipeline(store, pages, rounds, timings)
            stored = store.count_entries(include_private=True)
        finally:
            store.database.close()
        db_bytes = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    run_plain(pages, max(0, args.warmup))
    plain_seconds = run_plain(pages, rounds)

    per_lang: dict[str, list[float]] = {}
    for i, seconds in enumerate(timings.total):
        per_lang.setdefault(pages[i % len(pages)].lang, []).append(seconds)
    others = [
        total - sum(timings.stages[s][i] for s in STAGES) for i, total in enumerate(timings.total)
    ]
    report: dict[str, Any] = {
        "pages": len(pages),
        "rounds": rounds,
        "clips_timed": len(timings.total),
        "clip_pipeline": summary(timings.total),
        "stages": {stage: summary(timings.stages[stage]) for stage in STAGES},
        "other": summary(others),
        "store_indexers": {name: summary(values) for name, values in timings.indexers.items()},
        "by_lang": {lang: summary(values) for lang, values in sorted(per_lang.items())},
        "decode_plus_extract": summary(
            [
                d + e
                for d, e in zip(timings.stages["decode"], timings.stages["extract"], strict=True)
            ]
        ),
        "plain_trafilatura_extract": summary(plain_seconds),
        "trafilatura_version": trafilatura.__version__,
        "diary_folder_bytes": db_bytes,
        "entries_stored": stored,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return 0

    whole = report["clip_pipeline"]["seconds"]
    print(
        f"clip pipeline (clip_html, SQLite in a temp folder): {len(pages)} demo pages"
        f" x {rounds} rounds = {len(timings.total)} clips (after {args.warmup} warm-up rounds)"
    )
    print()
    print(
        f"{'stage':32} {'total s':>8} {'share':>7} {'pages/s':>9}"
        f" {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    )
    print_row("whole clip (clip_html)", report["clip_pipeline"], whole)
    for stage in STAGES:
        print_row(f"  {stage}", report["stages"][stage], whole)
        if stage == "store":
            for name, row in report["store_indexers"].items():
                print_row(f"    of which {name}", row, whole)
    print_row("  other (page, hash, source)", report["other"], whole)
    for lang, row in report["by_lang"].items():
        print_row(f"whole clip, lang={lang}", row, whole)
    print()
    per_round = len(pages)
    for round_ in range(rounds):
        chunk = slice(round_ * per_round, (round_ + 1) * per_round)
        spent = sum(timings.total[chunk])
        related = sum(timings.indexers.get("RelatedIndexer", [])[chunk])
        print(
            f"round {round_ + 1}: {per_round / spent:6.1f} pages/s"
            f" (diary held {(args.warmup + round_) * per_round} entries before it;"
            f" RelatedIndexer {1000 * related / per_round:.1f} ms per page)"
        )
    print()
    print_row("clipdiary decode + extract", report["decode_plus_extract"], whole)
    plain = report["plain_trafilatura_extract"]
    print_row(f"plain trafilatura {trafilatura.__version__} extract", plain, whole)
    ratio = report["decode_plus_extract"]["seconds"] / plain["seconds"]
    print(
        f"  (same bytes, same rounds; share is of the whole clip time; clipdiary's decode +"
        f" extract takes {ratio:.2f}x plain trafilatura's time)"
    )
    print()
    print(f"diary after the run: {stored} entries, {db_bytes / 1e6:.1f} MB on disk")
    return 0


if __name__ == "__main__":
    sys.exit(main())
