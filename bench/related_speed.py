"""Related links at scale: embedding throughput, linking latency, index memory.

    python bench/related_speed.py [--sizes 10000,100000,200000] [--samples 20]

Embedding is measured on realistic generated clips (bench/corpus.py, Japanese and English),
through clipdiary's own text recipe (clean title + lead). The diaries of 10k–200k entries are
real SQLite diaries whose entries and vectors are written in bulk with *synthetic* vectors
(clustered unit vectors, stored as float16 like real ones), since embedding 200,000 entries
per size would take most of an hour; the new entries linked into them are real clips, and
their latency is that of ``Store.add_entry`` end to end: the transaction, full-text and
related indexing, embedding included. Relink time is projected from the measured embedding
rate and the measured cost of linking the newest 256 entries at that size (halved: relink
links oldest first, each entry only against those before it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

REPO_ROOT = Path(__file__).resolve().parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from corpus import generate_entries  # noqa: E402  (bench/ is the script's folder)

from clipdiary.model import Diary, Entry, NewEntry  # noqa: E402
from clipdiary.related.embed import default_embedder, to_blob  # noqa: E402
from clipdiary.related.link import related_indexer  # noqa: E402
from clipdiary.related.relink import EMBED_BATCH, LINK_BATCH  # noqa: E402
from clipdiary.related.text import clean_title, lead  # noqa: E402
from clipdiary.render import entry_text  # noqa: E402
from clipdiary.store import Store, create_diary, schema  # noqa: E402

DIARY = Diary(name="bench", title="bench", timezone="Asia/Tokyo")
START = dt.datetime(2012, 1, 1, tzinfo=dt.UTC)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def embedding_texts(new: NewEntry) -> tuple[str, str]:
    moment = new.created or START
    entry = Entry(
        0, moment.date(), "x", new.title, (), new.format, new.body, "public", moment, moment
    )
    title = clean_title(new.title, new.source.site if new.source else None)
    return title, lead(entry_text(entry, DIARY)) or title


def embedding_rate(count: int) -> tuple[float, float]:
    """Entries per second: in relink's batches, and one at a time (as a write does)."""
    embedder = default_embedder()
    embedder.embed(["warm up"])
    pairs = [embedding_texts(e) for e in generate_entries(count, seed=7)]
    started = time.perf_counter()
    for i in range(0, len(pairs), EMBED_BATCH):
        batch = pairs[i : i + EMBED_BATCH]
        embedder.embed([t for t, _ in batch] + [lead_ for _, lead_ in batch])
    batched = len(pairs) / (time.perf_counter() - started)
    started = time.perf_counter()
    for title, lead_ in pairs[:100]:
        embedder.embed([title, lead_])
    single = 100 / (time.perf_counter() - started)
    return batched, single


def fill(store: Store, size: int, rng: np.random.Generator) -> None:
    """``size`` entries with synthetic vectors, written in bulk."""
    embedder = default_embedder()
    centres = rng.standard_normal((max(size // 20, 1), embedder.dim)).astype(np.float32)
    E, V = schema.entries, schema.related_vectors
    with store.transaction() as conn:
        for start in range(0, size, 5000):
            rows, vectors = [], []
            for i in range(start, min(start + 5000, size)):
                created = int(START.timestamp()) + i * 1200
                day = dt.datetime.fromtimestamp(created, tz=dt.UTC).date()
                rows.append(
                    {
                        "diary_id": store.diary_id, "day": day,
                        "month_day": day.month * 100 + day.day, "name": str(created),
                        "title": f"synthetic {i}", "format": "hatena", "body": "",
                        "visibility": "public", "created_at": created, "updated_at": created,
                    }
                )  # fmt: skip
            ids = conn.execute(sa.insert(E).returning(E.c.id), rows).scalars().all()
            for entry_id, row in zip(ids, rows, strict=True):
                centre = centres[rng.integers(len(centres))]
                pair = centre + 0.9 * rng.standard_normal((2, embedder.dim)).astype(np.float32)
                pair /= np.linalg.norm(pair, axis=1, keepdims=True)
                vectors.append(
                    {
                        "entry_id": entry_id, "diary_id": store.diary_id,
                        "model": embedder.name, "model_version": embedder.version,
                        "title_vector": to_blob(pair[0]), "lead_vector": to_blob(pair[1]),
                        "numbers": "", "created_at": row["created_at"],
                        "seq": entry_id, "linked_run": 0,
                    }
                )  # fmt: skip
            conn.execute(sa.insert(V), vectors)


def measure(size: int, samples: int, folder: Path) -> dict[str, float]:
    store = create_diary(folder, None, DIARY)
    try:
        started = time.perf_counter()
        fill(store, size, np.random.default_rng(size))
        filled = time.perf_counter() - started
        indexer = related_indexer(store)
        before = rss_mb()
        started = time.perf_counter()
        with store._read() as conn:
            index = indexer.index(conn, store)
        load = time.perf_counter() - started
        grown = rss_mb() - before
        latencies, related_ms = [], []
        written = indexer.entry_written

        def timed(conn: sa.Connection, store: Store, entry_id: int) -> None:
            started = time.perf_counter()
            written(conn, store, entry_id)
            related_ms.append((time.perf_counter() - started) * 1000)

        indexer.entry_written = timed  # type: ignore[method-assign]
        late = START + dt.timedelta(seconds=size * 1200 + 3600)
        for new in generate_entries(samples + 1, seed=size, start=late, years=0.01):
            started = time.perf_counter()
            store.add_entry(new)
            latencies.append((time.perf_counter() - started) * 1000)
        latencies, related_ms = latencies[1:], related_ms[1:]  # the first warms the model
        with store._read() as conn:
            some = [
                int(r.entry_id)
                for r in conn.execute(
                    sa.select(schema.related_vectors.c.entry_id)
                    .order_by(schema.related_vectors.c.created_at.desc())
                    .limit(LINK_BATCH)
                )
            ]
        started = time.perf_counter()
        with store.transaction() as conn:
            indexer.link(conn, store, some, index=indexer.index(conn, store))
        per_link = (time.perf_counter() - started) / len(some)
        return {
            "fill_s": filled,
            "load_s": load,
            "index_mb": index.nbytes / 1e6,
            "rss_growth_mb": grown,
            "link_median_ms": statistics.median(latencies),
            "link_p95_ms": sorted(latencies)[int(len(latencies) * 0.95) - 1],
            "related_median_ms": statistics.median(related_ms),
            "relink_link_ms": per_link * 1000,
        }
    finally:
        store.database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,200000")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--embed-count", type=int, default=512)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    batched, single = embedding_rate(args.embed_count)
    print(f"embedding (title + lead, real clips): {batched:.0f} entries/s in batches of "
          f"{EMBED_BATCH}, {single:.0f} entries/s one at a time")  # fmt: skip
    print()
    print("| entries | add_entry, median / p95 (ms) | of which related (embed + link) "
          "| index in memory (MB) "
          "| index load (s) | relink: link per entry (ms) | relink projected (min) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            r = measure(size, args.samples, Path(tmp))
        # Relink links entries oldest first, each against the entries before it: the
        # matrix product, which dominates, averages half of its cost at full size.
        projected = size / batched / 60 + size * r["relink_link_ms"] / 2 / 1000 / 60
        print(
            f"| {size:,} | {r['link_median_ms']:.0f} / {r['link_p95_ms']:.0f} "
            f"| {r['related_median_ms']:.0f} "
            f"| {r['index_mb']:.0f} (RSS +{r['rss_growth_mb']:.0f}) | {r['load_s']:.1f} "
            f"| {r['relink_link_ms']:.2f} | {projected:.1f} |",
            flush=True,
        )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
