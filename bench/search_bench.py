"""Search benchmark: a diary of generated JA+EN clips, search vs. a plain LIKE scan.

For each backend (SQLite, PostgreSQL) the script loads ``--entries`` entries from
``bench/corpus.py`` straight into the tables, builds the search index from them (timed: the
index build rate), reports the index's size, then runs a fixed mix of queries through
``clipdiary.search.search`` (a full first page: count, ranking, entries and snippets) and the
same queries as a ``LIKE '%…%'`` scan of the entries table, and prints p50/p95 per kind of
query and overall, side by side.

    python bench/search_bench.py                       # 200,000 entries, both backends
    python bench/search_bench.py --entries 20000 --backends sqlite --repeat 3

The bar (issue 6): p95 under 50 ms on SQLite at 200,000 entries, and at least 50× faster
than the scan. The figures print; nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlalchemy as sa

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from corpus import generate_entries  # noqa: E402  (bench/ is the script's folder)

from clipdiary.model import Diary  # noqa: E402
from clipdiary.search import parse_query, search  # noqa: E402
from clipdiary.search.backend import Scope, backend_for  # noqa: E402
from clipdiary.search.document import day_key_floor  # noqa: E402
from clipdiary.search.indexer import index_diary  # noqa: E402
from clipdiary.store import Store, schema  # noqa: E402
from clipdiary.store.engine import sqlite_url  # noqa: E402
from clipdiary.store.store import Database  # noqa: E402

QUERIES: dict[str, list[str]] = {
    "ja-2char": ["会談", "停戦", "制裁", "円安", "京都"],
    "ja-long": ["首脳会談", "経済産業省", "南海トラフ地震", "インバウンド需要", "プーチン大統領"],
    "en-words": ["Aleppo", "sanctions", "earthquake", "Putin", "ceasefire"],
    "phrases": ['"prime minister"', '"central bank"', '"停戦合意"', '"trade talks"'],
    "filtered": [
        "会談 lang:ja",
        "summit from:2016-01-01 to:2016-12-31",
        "停戦 category:Syria",
        "地震 site:nhk.or.jp",
        "Putin -Biden",
        "円安 OR 金融緩和 from:2018",
    ],
}


@dataclass
class Result:
    backend: str
    entries: int
    load_s: float = 0.0
    build_s: float = 0.0
    index_bytes: int = 0
    search_ms: dict[str, list[float]] = field(default_factory=dict)
    scan_ms: dict[str, list[float]] = field(default_factory=dict)
    matches: dict[str, int] = field(default_factory=dict)


def load(store: Store, count: int, seed: int) -> None:
    """Insert generated entries directly (no per-entry indexing: the build is timed apart)."""
    E, C = schema.entries, schema.entry_categories
    batch: list[dict[str, object]] = []
    cats: list[tuple[int, tuple[str, ...]]] = []

    def flush(conn: sa.Connection) -> None:
        ids = conn.execute(
            sa.insert(E).returning(E.c.id, sort_by_parameter_order=True), batch
        ).scalars()
        rows = [
            {"entry_id": i, "diary_id": store.diary_id, "position": p, "category": c}
            for i, (_, names) in zip(ids, cats, strict=True)
            for p, c in enumerate(names)
        ]
        conn.execute(sa.insert(C), rows)
        batch.clear()
        cats.clear()

    with store.engine.begin() as conn:
        for number, new in enumerate(generate_entries(count, seed=seed)):
            assert new.created is not None and new.source is not None
            day = store.diary.day_of(new.created)
            seconds = int(new.created.timestamp())
            batch.append(
                {
                    "diary_id": store.diary_id,
                    "day": day,
                    "month_day": day.month * 100 + day.day,
                    "name": str(seconds),
                    "title": new.title,
                    "format": new.format,
                    "body": new.body,
                    "visibility": new.visibility,
                    "created_at": seconds,
                    "updated_at": seconds,
                    "source_url": new.source.url,
                    "source_site": new.source.site,
                    "source_lang": new.source.lang,
                    "source_published": None,
                    "source_author": None,
                }
            )
            cats.append((number, new.categories))
            if len(batch) >= 2000:
                flush(conn)
        if batch:
            flush(conn)


def index_size(store: Store) -> int:
    with store.engine.connect() as conn:
        if store.dialect == "postgresql":
            return int(
                conn.exec_driver_sql("SELECT pg_total_relation_size('search_docs')").scalar_one()
            )
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = conn.exec_driver_sql(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_%'"
        ).scalar_one()
        return int(rows or 0)


def scan(store: Store, text: str) -> int:
    """The same query as a plain LIKE '%…%' scan of the entries (terms and filters)."""
    query = parse_query(text)
    E, C = schema.entries, schema.entry_categories
    sql = sa.select(E.c.id).where(E.c.diary_id == store.diary_id, E.c.visibility == "public")
    for group in query.groups:
        alternatives = [
            sa.or_(
                E.c.title.like(f"%{t.text.strip(chr(34))}%"),
                E.c.body.like(f"%{t.text.strip(chr(34))}%"),
            )
            for t in group
        ]
        sql = sql.where(sa.or_(*alternatives))
    for t in query.excluded:
        sql = sql.where(
            sa.not_(E.c.body.like(f"%{t.text}%")), sa.not_(E.c.title.like(f"%{t.text}%"))
        )
    f = query.filters
    if f.langs:
        sql = sql.where(E.c.source_lang.in_(f.langs))
    if f.sites:
        sql = sql.where(sa.or_(*(E.c.source_url.like(f"%{s}/%") for s in f.sites)))
    if f.start:
        sql = sql.where(E.c.day >= f.start)
    if f.end:
        sql = sql.where(E.c.day <= f.end)
    for c in f.categories:
        sql = sql.where(
            E.c.id.in_(sa.select(C.c.entry_id).where(sa.func.lower(C.c.category) == c.lower()))
        )
    sql = sql.order_by(E.c.day.desc(), E.c.id.desc())
    with store.engine.connect() as conn:
        return len(conn.execute(sql).all())


def timed_ms(action: object) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000, value


def run_backend(name: str, url: str, args: argparse.Namespace) -> Result:
    result = Result(name, args.entries)
    database = Database.open(url)
    try:
        if database.diary_names():
            # --sqlite-folder with a diary built by an earlier run: measure queries only.
            store = database.diary("bench")
            result.index_bytes = index_size(store)
            run_queries(name, store, result, args)
            return result
        store = database.create_diary(Diary(name="bench", title="Bench", timezone="Asia/Tokyo"))
        started = time.perf_counter()
        load(store, args.entries, args.seed)
        result.load_s = time.perf_counter() - started
        print(f"[{name}] loaded {args.entries:,} entries in {result.load_s:.1f} s", flush=True)
        backend = backend_for(store.dialect)
        started = time.perf_counter()
        with store.engine.begin() as conn:
            index_diary(conn, store.diary_id)
        with store.engine.begin() as conn:
            backend.optimize(conn)
        result.build_s = time.perf_counter() - started
        result.index_bytes = index_size(store)
        rate = args.entries / result.build_s
        print(f"[{name}] index built in {result.build_s:.1f} s ({rate:,.0f} docs/s)", flush=True)
        run_queries(name, store, result, args)
    finally:
        database.close()
    return result


def run_queries(name: str, store: Store, result: Result, args: argparse.Namespace) -> None:
    for text in (q for qs in QUERIES.values() for q in qs):
        search(store, text, include_private=False)  # warm the caches once
    for kind, texts in QUERIES.items():
        result.search_ms[kind] = []
        result.scan_ms[kind] = []
        for text in texts:
            for _ in range(args.repeat):
                ms, _page = timed_ms(lambda t=text: search(store, t, include_private=False))
                result.search_ms[kind].append(ms)
            with store.engine.connect() as conn:  # the exact number, outside the timing
                query = parse_query(text)
                scope = Scope(store.diary_id, include_private=False)
                f = query.filters
                if f.start:
                    scope = replace(scope, key_from=day_key_floor(f.start))
                if f.end:
                    scope = replace(scope, key_below=day_key_floor(f.end + dt.timedelta(days=1)))
                result.matches[text] = backend_for(store.dialect).count(conn, query, scope)
            for _ in range(args.scan_repeat):
                ms, _count = timed_ms(lambda t=text: scan(store, t))
                result.scan_ms[kind].append(ms)
        print(f"[{name}] {kind} done", flush=True)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]


def report(results: list[Result]) -> None:
    print()
    print("| backend | entries | index build | rate | index size |")
    print("|---|---|---|---|---|")
    for r in results:
        build = f"{r.build_s:.1f} s" if r.build_s else "(reused)"
        rate = f"{r.entries / r.build_s:,.0f} docs/s" if r.build_s else "-"
        print(
            f"| {r.backend} | {r.entries:,} | {build} | {rate} | {r.index_bytes / 2**20:,.0f} MiB |"
        )
    print()
    print(
        "| backend | queries | search p50 | search p95 | LIKE scan p50 | scan p95 | p50 speed-up |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in results:
        kinds = [*QUERIES, "all"]
        for kind in kinds:
            if kind == "all":
                s = [v for vs in r.search_ms.values() for v in vs]
                c = [v for vs in r.scan_ms.values() for v in vs]
            else:
                s, c = r.search_ms[kind], r.scan_ms[kind]
            print(
                f"| {r.backend} | {kind} | {pct(s, 50):.1f} ms | {pct(s, 95):.1f} ms | "
                f"{pct(c, 50):.0f} ms | {pct(c, 95):.0f} ms | {pct(c, 50) / pct(s, 50):.0f}× |"
            )
    print()
    for r in results:
        print(f"[{r.backend}] matches per query (public entries):")
        print("  " + ", ".join(f"{q} {n:,}" for q, n in r.matches.items()))


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    from tests.pgserver import running_server

    with running_server() as server:
        yield server.create_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (search)")
    parser.add_argument("--scan-repeat", type=int, default=1, help="runs of each LIKE scan")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--sqlite-folder",
        type=Path,
        help="keep the SQLite diary here; a later run with the same folder reuses it",
    )
    args = parser.parse_args()
    print(f"search_bench: {args.entries:,} entries, seed {args.seed}, {dt.datetime.now():%c}")
    results = []
    for name in args.backends.split(","):
        if name == "sqlite" and args.sqlite_folder:
            args.sqlite_folder.mkdir(parents=True, exist_ok=True)
            results.append(run_backend(name, sqlite_url(args.sqlite_folder), args))
        elif name == "sqlite":
            with tempfile.TemporaryDirectory(prefix="clipdiary-search-") as folder:
                results.append(run_backend(name, sqlite_url(Path(folder)), args))
        elif name == "postgresql":
            with postgres() as url:
                results.append(run_backend(name, url, args))
        else:
            raise SystemExit(f"unknown backend {name!r}")
    report(results)


if __name__ == "__main__":
    main()
