"""A large diary with stories for bench/story_speed.py, built in minutes instead of hours.

Embedding 200,000 entries takes over an hour on this machine, so only a few thousand are
embedded; the rest get vectors made from those (see ``build``'s steps):

1. entries: bench/corpus.py's realistic clips, written through ``Store.add_entry`` with no
   indexers, in batched transactions (as bench/relink_bench.py does);
2. bases: a sample of those entries read as linking reads them (``features.texts_of``: the
   clean title and the lead, their figures from ``related.figures.figures`` and names from
   ``related.names.names``, the language), titles and leads embedded with the real encoder;
3. stories: the entries, in time order, dealt out to synthetic stories of 1–8 entries spread
   over a day to four weeks; each story has a base, its centre is the base's vectors moved
   by noise (two stories of one base are different events on one topic), and each entry's
   title and lead vectors are the centre moved again by smaller noise, renormalised, stored
   as float16 like real ones; its lang, names and figures are the base's (a few names and
   figures dropped at random), its created_at and seq its entry's;
4. links and memberships: the real linking code over every entry in time order
   (``RelatedIndexer.link`` in relink's batches: its link phase, not its embed phase), or,
   when that is too slow, links written straight from the synthetic stories (each entry's
   up to five newest earlier members scored from the joining score to 0.25 above it, and
   for some entries one look-alike of another story of late, from the link threshold up to
   the merging score) and then one ``restory`` to make the stories from them. The scores
   follow the live rule (``stories.rule.RULE``, ``related.score.WEIGHTS``): under the first
   rule (join 0.55, merge 0.62, threshold 0.5) they were 0.55–0.8 and 0.5–0.62.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from corpus import generate_entries

from clipdiary.model import Diary, NewEntry
from clipdiary.related.embed import Embedder, Vectors, normalise, to_blob
from clipdiary.related.features import EntryTexts, texts_of
from clipdiary.related.link import RelatedIndexer
from clipdiary.related.names import pack_names
from clipdiary.related.relink import EMBED_BATCH, LINK_BATCH
from clipdiary.related.score import WEIGHTS, K
from clipdiary.related.text import pack_numbers
from clipdiary.store import Store, create_diary, schema
from clipdiary.stories.restory import RestoryReport, restory
from clipdiary.stories.rule import RULE

E = schema.entries
V = schema.related_vectors
L = schema.related_links
M = schema.story_members

DIARY = Diary("bench", "Story speed bench")
WRITE_BATCH = 2000
VECTOR_BATCH = 5000
# Story sizes 1..8: many entries stand alone, few stories run long.
SIZE_WEIGHTS = (0.30, 0.22, 0.15, 0.11, 0.08, 0.06, 0.045, 0.035)
SPREAD_DAYS = (1.0, 28.0)
# Norms of the noise added to unit vectors (512 dimensions): a story's centre is
# 1/sqrt(1 + r²) like its base; two of its entries about 1/(1 + r²) like each other.
CENTRE_NOISE = 0.8
MEMBER_NOISE = (0.8, 1.4)
KEEP_NAME = 0.8
KEEP_FIGURE = 0.7
# Written links (not the real linker's): entries given one link to a look-alike of
# another story, and the scores of links inside a story and to a look-alike.
NOISE_SHARE = 0.2
MEMBER_SCORES = (RULE.join, RULE.join + 0.25)
NOISE_SCORES = (WEIGHTS.threshold, RULE.merge)

Progress = Callable[[str], None]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Bases:
    texts: list[EntryTexts]
    titles: Vectors
    leads: Vectors


@dataclass
class Built:
    store: Store
    story_of: dict[int, int]
    """Each entry's synthetic story (what the vectors were made from)."""
    timings: dict[str, float]
    links_by: str
    batch_seconds: list[float]
    first_restory: RestoryReport | None = None


def write_entries(store: Store, count: int, seed: int) -> tuple[list[int], IntArray]:
    """The corpus entries, oldest first; their ids and times in (created, id) order."""
    store.indexers = []
    pending: list[NewEntry] = []
    for entry in generate_entries(count, seed=seed):
        pending.append(entry)
        if len(pending) == WRITE_BATCH:
            _write(store, pending)
            pending = []
    _write(store, pending)
    with store._read() as conn:
        rows = conn.execute(
            sa.select(E.c.id, E.c.created_at)
            .where(E.c.diary_id == store.diary_id)
            .order_by(E.c.created_at, E.c.id)
        ).all()
    return [int(r.id) for r in rows], np.asarray([int(r.created_at) for r in rows], np.int64)


def _write(store: Store, entries: Sequence[NewEntry]) -> None:
    if not entries:
        return
    with store.transaction():
        for item in entries:
            store.add_entry(item)


def read_bases(store: Store, ids: Sequence[int], embedder: Embedder, count: int) -> Bases:
    """``count`` entries read and embedded as linking does (title and lead, one call)."""
    sample = sorted(random.Random(count).sample(list(ids), min(count, len(ids))))
    with store._read() as conn:
        texts = texts_of(conn, store, sample)
    titles, leads = [], []
    for start in range(0, len(texts), EMBED_BATCH):
        batch = texts[start : start + EMBED_BATCH]
        vectors = embedder.embed([t.title for t in batch] + [t.lead for t in batch])
        titles.append(vectors[: len(batch)])
        leads.append(vectors[len(batch) :])
    return Bases(texts, np.concatenate(titles), np.concatenate(leads))


def plan_stories(created: IntArray, rng: np.random.Generator) -> tuple[IntArray, int]:
    """Each entry's synthetic story (entries in time order), and how many stories.

    Stories get a start time and member times spread over their span; all member times
    are sorted and dealt to the entries in order, so a story's entries keep its spread.
    """
    count = len(created)
    lo, hi = int(created[0]), int(created[-1])
    sizes: list[int] = []
    total = 0
    while total < count:
        size = int(rng.choice(len(SIZE_WEIGHTS), p=SIZE_WEIGHTS)) + 1
        sizes.append(size)
        total += size
    starts = rng.uniform(lo, hi, len(sizes))
    low, high = math.log(SPREAD_DAYS[0]), math.log(SPREAD_DAYS[1])
    spreads = np.exp(rng.uniform(low, high, len(sizes))) * 86400
    story = np.repeat(np.arange(len(sizes)), sizes)
    offsets = rng.uniform(0, 1, total) * spreads[story]
    offsets[np.cumsum(sizes) - np.asarray(sizes)] = 0.0  # each story's first member
    times = starts[story] + offsets
    drop = rng.choice(total, total - count, replace=False)
    keep = np.ones(total, dtype=bool)
    keep[drop] = False
    times, story = times[keep], story[keep]
    return story[np.argsort(times, kind="stable")].astype(np.int64), len(sizes)


def _noisy(vectors: Vectors, norms: npt.NDArray[np.float64], rng: np.random.Generator) -> Vectors:
    noise = rng.standard_normal(vectors.shape).astype(np.float32)
    noise *= (norms / np.sqrt(vectors.shape[1])).astype(np.float32)[:, None]
    return normalise(vectors + noise)


def fill_vectors(
    store: Store,
    ids: Sequence[int],
    created: IntArray,
    story: IntArray,
    stories: int,
    bases: Bases,
    embedder: Embedder,
    rng: np.random.Generator,
) -> None:
    """One related_vectors row per entry, made from its story's base (module docstring)."""
    base_of = rng.integers(0, len(bases.texts), stories)
    centre_norm = np.full(stories, CENTRE_NOISE)
    centre_t = _noisy(bases.titles[base_of], centre_norm, rng)
    centre_l = _noisy(bases.leads[base_of], centre_norm, rng)
    pyrng = random.Random(int(rng.integers(1 << 31)))
    with store.transaction() as conn:
        for start in range(0, len(ids), VECTOR_BATCH):
            chunk = list(ids[start : start + VECTOR_BATCH])
            mine = story[start : start + len(chunk)]
            norms = rng.uniform(*MEMBER_NOISE, len(chunk))
            titles = _noisy(centre_t[mine], norms, rng)
            leads = _noisy(centre_l[mine], norms, rng)
            rows = []
            for i, entry_id in enumerate(chunk):
                base = bases.texts[int(base_of[mine[i]])]
                rows.append(
                    {
                        "entry_id": entry_id,
                        "diary_id": store.diary_id,
                        "model": embedder.name,
                        "model_version": embedder.version,
                        "title_vector": to_blob(titles[i]),
                        "lead_vector": to_blob(leads[i]),
                        "numbers": pack_numbers(_some(base.numbers, KEEP_FIGURE, pyrng)),
                        "lang": base.lang or "",
                        "names": pack_names(
                            replace(base.names, people=_some(base.names.people, KEEP_NAME, pyrng))
                        ),
                        "created_at": int(created[start + i]),
                        "seq": entry_id,  # entries were written in time order
                        "linked_run": 0,
                    }
                )
            conn.execute(sa.insert(V), rows)


def _some(values: frozenset[str], keep: float, rng: random.Random) -> frozenset[str]:
    return frozenset(v for v in values if rng.random() < keep)


def link_for_real(
    store: Store, indexer: RelatedIndexer, ids: Sequence[int], progress: Progress
) -> list[float]:
    """relink's link phase: every entry linked and put in a story, oldest first.

    Returns the seconds each batch took."""
    started = time.perf_counter()
    last = started
    took = []
    for start in range(0, len(ids), LINK_BATCH):
        batch = list(ids[start : start + LINK_BATCH])
        begun = time.perf_counter()
        with store.transaction() as conn:
            indexer.link(conn, store, batch, index=indexer.index(conn, store))
        now = time.perf_counter()
        took.append(now - begun)
        if now - last > 60:
            last = now
            done = start + len(batch)
            progress(f"    linked {done:,}/{len(ids):,} after {now - started:.0f} s")
    return took


def link_from_stories(
    store: Store,
    indexer: RelatedIndexer,
    ids: Sequence[int],
    story: IntArray,
    rng: np.random.Generator,
) -> None:
    """Links written straight from the synthetic stories (see the module's docstring)."""
    earlier: dict[int, list[int]] = {}
    rows: list[dict[str, object]] = []
    method = indexer.method
    for i, entry_id in enumerate(ids):
        members = earlier.setdefault(int(story[i]), [])
        chosen = [(t, float(rng.uniform(*MEMBER_SCORES))) for t in members[-K:]]
        if i > 50 and rng.random() < NOISE_SHARE:  # a look-alike from another story, of lately
            other = int(ids[int(rng.integers(max(0, i - 2000), i))])
            if other not in members:
                chosen.append((other, float(rng.uniform(*NOISE_SCORES))))
        chosen.sort(key=lambda pair: -pair[1])
        rows.extend(
            {
                "entry_id": entry_id,
                "target_id": target,
                "diary_id": store.diary_id,
                "rank": rank,
                "score": score,
                "method": method,
            }
            for rank, (target, score) in enumerate(chosen[:K])
        )
        members.append(entry_id)
    with store.transaction() as conn:
        for start in range(0, len(rows), VECTOR_BATCH):
            conn.execute(sa.insert(L), rows[start : start + VECTOR_BATCH])


def build(
    folder: Path,
    count: int,
    *,
    embedder: Embedder,
    bases: int,
    links: str,
    seed: int,
    progress: Progress,
) -> Built:
    """The diary of ``count`` entries with vectors, links and stories (module docstring)."""
    timings: dict[str, float] = {}
    store = create_diary(folder, None, DIARY)
    rng = np.random.default_rng(seed)

    started = time.perf_counter()
    ids, created = write_entries(store, count, seed)
    timings["entries"] = time.perf_counter() - started
    progress(f"    {count:,} entries written in {timings['entries']:.0f} s")

    started = time.perf_counter()
    found = read_bases(store, ids, embedder, bases)
    timings["bases"] = time.perf_counter() - started
    progress(f"    {len(found.texts):,} bases read and embedded in {timings['bases']:.0f} s")

    started = time.perf_counter()
    story, stories = plan_stories(created, rng)
    fill_vectors(store, ids, created, story, stories, found, embedder, rng)
    timings["vectors"] = time.perf_counter() - started
    progress(f"    vectors of {stories:,} synthetic stories written in {timings['vectors']:.0f} s")

    indexer = RelatedIndexer(embedder)
    started = time.perf_counter()
    first: RestoryReport | None = None
    took: list[float] = []
    if links == "real":
        took = link_for_real(store, indexer, ids, progress)
        timings["links"] = time.perf_counter() - started
    else:
        link_from_stories(store, indexer, ids, story, rng)
        timings["links"] = time.perf_counter() - started
        began = time.perf_counter()
        first = restory(store)
        timings["first_restory"] = time.perf_counter() - began
    progress(f"    links ({links}) and stories in {time.perf_counter() - started:.0f} s")
    return Built(
        store,
        {entry_id: int(s) for entry_id, s in zip(ids, story, strict=True)},
        timings,
        links,
        took,
        first,
    )


def diary_shape(store: Store, story_of: dict[int, int]) -> dict[str, float]:
    """What the links and stories look like, to show the diary is a plausible one."""
    with store._read() as conn:
        pairs = conn.execute(
            sa.select(L.c.entry_id, L.c.target_id, L.c.score).where(L.c.diary_id == store.diary_id)
        ).all()
        members = conn.execute(
            sa.select(M.c.story_id, sa.func.count())
            .where(M.c.diary_id == store.diary_id)
            .group_by(M.c.story_id)
        ).all()
    scores = np.asarray([float(p.score) for p in pairs]) if pairs else np.zeros(1)
    inside = sum(story_of.get(int(p.entry_id)) == story_of.get(int(p.target_id)) for p in pairs)
    sizes = np.asarray([int(m[1]) for m in members]) if members else np.zeros(1)
    return {
        "links": float(len(pairs)),
        "links_inside": inside / max(len(pairs), 1),
        "score_p10": float(np.percentile(scores, 10)),
        "score_p50": float(np.percentile(scores, 50)),
        "score_p90": float(np.percentile(scores, 90)),
        "stories": float(len(members)),
        "in_stories": float(sizes.sum()) if members else 0.0,
        "story_max": float(sizes.max()),
    }
