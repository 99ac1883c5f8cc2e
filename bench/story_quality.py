"""Same-story quality: related links and stories, clipdiary beside baselines, in one run.

    python bench/story_quality.py                       # dev parts, held-out part, shared set
    python bench/story_quality.py --sets dev            # just the development parts

Sets: ``dev-crowded`` is the development parts with, beside each of their documents, two
translation pairs of the shared set dated within three days of it (a busy diary: every
story surrounded by unrelated clips of the same days). ``dev`` is bench/data/stories/p1–p3
(independently written ja/en reports with follow-ups, hard distractors and fillers; see
that folder's README), ``heldout`` its parts h1–h3 (``h1``, ``h2``, ``h3`` apart: h1 was
never tuned on; h2 and h3 were measured blind, then read), ``h4`` the part written blind in
session 5 and not read, and
``shared`` the shared translation pairs (../shared/eval/crosslingual, read in place), given
dates: each pair a random day within 120 days, its two documents within a day of each other.

clipdiary runs for real: a temporary SQLite diary, every document written as an entry in
the order of its date, each linked and put in a story as it arrives (the write path), and
then ``restory`` (the periodic pass). Baselines, in the same run and from the same vectors:
the bare encoder (½ title + ½ lead cosine, top 5 above the threshold best for that very
set), TF-IDF over character 2–4-grams (its best threshold), the scorer before this change
(issue 14's "before"), and for stories the connected components of clipdiary's links and
an online centroid clustering (its best threshold). Embeddings are cached in
/tmp/clipdiary-bench/ so a second run takes seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import random
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from story_metrics import (  # noqa: E402  (bench/ is the script's folder)
    Doc,
    K,
    components,
    link_metrics,
    story_metrics,
)

from clipdiary.model import Diary, NewEntry, Source  # noqa: E402
from clipdiary.related.embed import Embedder, Vectors, default_embedder  # noqa: E402
from clipdiary.related.link import RelatedIndexer  # noqa: E402
from clipdiary.related.text import clean_title, lead, numbers  # noqa: E402
from clipdiary.store import Store, create_diary, schema  # noqa: E402

Matrix = npt.NDArray[np.float32]
DATA = BENCH / "data" / "stories"
SHARED = BENCH.parent.parent / "shared" / "eval" / "crosslingual"
CACHE = Path("/tmp/clipdiary-bench/story-embeddings.npz")


# -- sets --------------------------------------------------------------------------------


def same_events(folder: Path) -> dict[str, str]:
    """Story ids that two parts wrote about one real event, mapped to one id (see the file)."""
    path = folder / "same-events.json"
    if not path.exists():
        return {}
    same: dict[str, str] = json.loads(path.read_text("utf-8"))["same"]
    return same


def load_jsonl(paths: Sequence[Path]) -> list[Doc]:
    same = same_events(paths[0].parent) if paths else {}
    docs = []
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            try:
                docs.append(
                    Doc(
                        r["id"],
                        same.get(r["story"], r["story"]),
                        r["lang"],
                        r["kind"],
                        same.get(r.get("imitates") or "", r.get("imitates")),
                        dt.datetime.fromisoformat(r["published"]),
                        r["title"],
                        r["text"],
                        r.get("site") or "",
                    )
                )
            except (KeyError, ValueError) as exc:
                sys.exit(f"{path}:{number}: bad record ({exc})")
    return docs


def load_shared(folder: Path) -> list[Doc]:
    rng = random.Random(14)
    start = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    docs = []
    day: dict[str, dt.datetime] = {}
    for path in sorted(folder.glob("*.json")):
        for r in json.loads(path.read_text("utf-8")):
            first = day.setdefault(r["cluster"], start + dt.timedelta(days=rng.uniform(0, 120)))
            at = first + dt.timedelta(hours=rng.uniform(0, 24))
            docs.append(
                Doc(
                    r["id"],
                    r["cluster"],
                    r["lang"],
                    "report",
                    None,
                    at,
                    r["title"],
                    r["text"],
                    "shared",
                )
            )
    return docs


def crowded(docs: list[Doc], background: list[Doc], per_doc: int = 2) -> list[Doc]:
    """The documents among others: beside each, ``per_doc`` translation pairs of the shared
    set dated within three days of it, as a diary that clips a lot holds them."""
    rng = random.Random(7)
    pairs: dict[str, list[Doc]] = {}
    for d in background:
        pairs.setdefault(d.story, []).append(d)
    stories = list(pairs)
    rng.shuffle(stories)
    mixed = list(docs)
    for i, d in enumerate(docs):
        for story in stories[i * per_doc : (i + 1) * per_doc]:
            at = d.published + dt.timedelta(days=rng.uniform(-3, 3))
            for j, other in enumerate(pairs[story]):
                mixed.append(
                    Doc(
                        other.id,
                        other.story,
                        other.lang,
                        "filler",
                        None,
                        at + dt.timedelta(hours=6 * j),
                        other.title,
                        other.text,
                        other.site,
                    )
                )
    return mixed


# -- embeddings, cached --------------------------------------------------------------------


class CachedEmbedder:
    """The default encoder, remembering every text it embedded (bench only)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self._cache: dict[str, Vectors] = {}
        if CACHE.exists():
            with np.load(CACHE) as saved:
                self._cache = {k: saved[k] for k in saved.files}
        self._dirty = False

    @property
    def version(self) -> str:
        return self.inner.version

    def embed(self, texts: Sequence[str]) -> Vectors:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]  # noqa: S324
        todo = [t for k, t in zip(keys, texts, strict=True) if k not in self._cache]
        if todo:
            for text, vector in zip(todo, self.inner.embed(todo), strict=True):
                self._cache[hashlib.sha1(text.encode()).hexdigest()] = vector  # noqa: S324
            self._dirty = True
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        stacked: Vectors = np.stack([self._cache[k] for k in keys]).astype(np.float32)
        return stacked

    def save(self) -> None:
        if self._dirty:
            CACHE.parent.mkdir(parents=True, exist_ok=True)
            np.savez(CACHE, **self._cache)  # type: ignore[arg-type]
            self._dirty = False


# -- clipdiary, for real -------------------------------------------------------------------


def run_clipdiary(
    docs: Sequence[Doc], embedder: CachedEmbedder
) -> tuple[dict[str, list[str]], dict[str, str], dict[str, str]]:
    """(links, stories as they arrived, stories after restory) of a real diary."""
    from clipdiary.stories.restory import restory

    with tempfile.TemporaryDirectory(prefix="clipdiary-stories-") as folder:
        store = create_diary(Path(folder), None, Diary("bench", "Story bench"))
        store.indexers = [RelatedIndexer(embedder)]
        ids: dict[int, str] = {}
        for d in sorted(docs, key=lambda d: (d.published, d.id)):
            entry = store.add_entry(
                NewEntry(
                    title=d.title,
                    body="\n\n".join(p for p in d.text.splitlines() if p.strip()),
                    created=d.published,
                    source=Source(
                        url=f"https://news.example/{d.id}",
                        site=d.site,
                        lang=d.lang,
                        published=d.published,
                    ),
                )
            )
            ids[entry.id] = d.id
        links = _links(store, ids)
        arrived = _stories(store, ids)
        restory(store)
        after = _stories(store, ids)
        store.database.close()
    return links, arrived, after


def _links(store: Store, ids: dict[int, str]) -> dict[str, list[str]]:
    L = schema.related_links
    found: dict[str, list[str]] = {}
    with store._read() as conn:
        for row in conn.execute(sa.select(L)):
            found.setdefault(ids[int(row.entry_id)], []).append(ids[int(row.target_id)])
    return found


def _stories(store: Store, ids: dict[int, str]) -> dict[str, str]:
    M = schema.story_members
    with store._read() as conn:
        return {ids[int(r.entry_id)]: f"s{r.story_id}" for r in conn.execute(sa.select(M))}


# -- baselines -------------------------------------------------------------------------------


def texts(d: Doc) -> tuple[str, str]:
    title = clean_title(d.title, d.site)
    return title, lead(d.text) or title


def encoder_similarity(docs: Sequence[Doc], embedder: CachedEmbedder) -> Matrix:
    pairs = [texts(d) for d in docs]
    vectors = embedder.embed([t for t, _ in pairs] + [le for _, le in pairs])
    titles, leads = vectors[: len(docs)], vectors[len(docs) :]
    sim: Matrix = (0.5 * titles @ titles.T + 0.5 * leads @ leads.T).astype(np.float32)
    return sim


def old_scorer_similarity(docs: Sequence[Doc], base: Matrix) -> Matrix:
    """The scorer before issue 14: + 0.2 shared numbers, + up to 0.03 within 7 days."""
    from clipdiary.related.text import number_weight

    nums = [numbers(f"{d.title}\n{d.text}") for d in docs]
    sim = base.copy()
    for i, j in np.ndindex(sim.shape):
        shared = nums[i] & nums[j]
        if shared:
            total = math.sqrt(sum(map(number_weight, nums[i])) * sum(map(number_weight, nums[j])))
            sim[i, j] += 0.2 * sum(map(number_weight, shared)) / total
        apart = abs((docs[i].published - docs[j].published).total_seconds())
        if apart < 7 * 86400:
            sim[i, j] += 0.03 * (1 - apart / (7 * 86400))
    return sim


def char_tfidf_similarity(docs: Sequence[Doc]) -> Matrix:
    bags = []
    for d in docs:
        text = unicodedata.normalize("NFKC", f"{d.title}\n{d.text}").lower()
        bags.append(Counter(text[i : i + n] for n in (2, 3, 4) for i in range(len(text) - n + 1)))
    df = Counter(g for bag in bags for g in bag)
    vocab = {g: i for i, g in enumerate(df)}
    matrix = np.zeros((len(docs), len(vocab)), dtype=np.float32)
    for row, bag in enumerate(bags):
        for g, count in bag.items():
            matrix[row, vocab[g]] = (1 + math.log(count)) * math.log(len(docs) / df[g])
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    sim: Matrix = matrix @ matrix.T
    return sim


def threshold_links(docs: Sequence[Doc], sim: Matrix, threshold: float) -> dict[str, list[str]]:
    order = sorted(range(len(docs)), key=lambda i: (docs[i].published, docs[i].id))
    rank = {i: r for r, i in enumerate(order)}
    links = {}
    for i in range(len(docs)):
        earlier = [j for j in range(len(docs)) if rank[j] < rank[i] and sim[i, j] >= threshold]
        earlier.sort(key=lambda j: -sim[i, j])
        links[docs[i].id] = [docs[j].id for j in earlier[:K]]
    return links


def best_threshold(
    docs: Sequence[Doc], sim: Matrix
) -> tuple[float, dict[str, list[str]], dict[str, float]]:
    """The threshold with the best F1 of recall@5 and precision on this very set."""
    best: tuple[float, float, dict[str, list[str]], dict[str, float]] | None = None
    for t in np.arange(0.05, 0.95, 0.01):
        links = threshold_links(docs, sim, float(t))
        m = link_metrics(docs, links)
        p = m["precision"] if not math.isnan(m["precision"]) else 0.0
        f = 2 * p * m["R@5 all"] / (p + m["R@5 all"]) if p + m["R@5 all"] else 0.0
        if best is None or f > best[0]:
            best = (f, float(t), links, m)
    assert best is not None
    return best[1], best[2], best[3]


def centroid_clusters(
    docs: Sequence[Doc], embedder: CachedEmbedder
) -> tuple[float, dict[str, str]]:
    """Online centroid clustering of title+lead vectors, at its best threshold here."""
    pairs = [texts(d) for d in docs]
    vectors = embedder.embed([f"{t}\n{le}" for t, le in pairs])
    order = sorted(range(len(docs)), key=lambda i: (docs[i].published, docs[i].id))
    best: tuple[float, float, dict[str, str]] | None = None
    for t in np.arange(0.3, 0.9, 0.02):
        sums: list[Vectors] = []
        labels: dict[str, str] = {}
        for i in order:
            v = vectors[i]
            if sums:
                cents = np.stack([s / np.linalg.norm(s) for s in sums])
                sims = cents @ v
                j = int(np.argmax(sims))
                if sims[j] >= t:
                    sums[j] = sums[j] + v
                    labels[docs[i].id] = f"c{j}"
                    continue
            sums.append(v.copy())
            labels[docs[i].id] = f"c{len(sums) - 1}"
        f = story_metrics(docs, labels)["BCubed F1"]
        if best is None or f > best[0]:
            best = (f, float(t), labels)
    assert best is not None
    return best[1], best[2]


# -- report ----------------------------------------------------------------------------------

LINK_COLUMNS = [
    "R@5 all",
    "R@5 same",
    "R@5 cross",
    "R@5 event",
    "R@5 follow-up",
    "R@5 cross follow-up",
    "precision",
    "distractors linked",
    "links/doc",
]
STORY_COLUMNS = [
    "pair P",
    "pair R",
    "pair F1",
    "BCubed P",
    "BCubed R",
    "BCubed F1",
    "distractors in story",
]


def table(title: str, columns: Sequence[str], rows: Sequence[tuple[str, dict[str, float]]]) -> None:
    print(f"\n{title}")
    print("| system | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name, m in rows:
        cells = [f"{m.get(c, float('nan')):.2f}" for c in columns]
        print(f"| {name} | " + " | ".join(cells) + " |")


def evaluate(name: str, docs: Sequence[Doc], embedder: CachedEmbedder) -> dict[str, float]:
    kinds = Counter(d.kind for d in docs)
    print(
        f"\n## {name}: {len(docs)} documents, {len({d.story for d in docs})} stories "
        f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})"
    )
    links, arrived, after = run_clipdiary(docs, embedder)
    base = encoder_similarity(docs, embedder)
    t_enc, _, enc_m = best_threshold(docs, base)
    t_tfidf, _, tfidf_m = best_threshold(docs, char_tfidf_similarity(docs))
    old_links = threshold_links(docs, old_scorer_similarity(docs, base), 0.5)
    ours = link_metrics(docs, links)
    table(
        "related links",
        LINK_COLUMNS,
        [
            ("clipdiary", ours),
            ("scorer before (threshold 0.5)", link_metrics(docs, old_links)),
            (f"encoder alone (best threshold {t_enc:.2f})", enc_m),
            (f"TF-IDF char 2-4-grams (best {t_tfidf:.2f})", tfidf_m),
        ],
    )
    t_cent, cent = centroid_clusters(docs, embedder)
    arrived_m, after_m = story_metrics(docs, arrived), story_metrics(docs, after)
    table(
        "stories",
        STORY_COLUMNS,
        [
            ("clipdiary, as entries arrive", arrived_m),
            ("clipdiary, after restory", after_m),
            (
                "connected components of clipdiary's links",
                story_metrics(docs, components(docs, links)),
            ),
            (
                "connected components, scorer before",
                story_metrics(docs, components(docs, old_links)),
            ),
            (f"online centroid (best threshold {t_cent:.2f})", story_metrics(docs, cent)),
        ],
    )
    embedder.save()
    return {**ours, **{f"story {k}": v for k, v in after_m.items()}}


def tune(docs: Sequence[Doc], embedder: CachedEmbedder, grid: dict[str, list[float]]) -> None:
    """Try every combination of the given weights on these documents (development only)."""
    import dataclasses
    import itertools

    import clipdiary.related.score as scoring
    import clipdiary.stories.rule as story_rule

    names = list(grid)
    base_w, base_r = scoring.WEIGHTS, story_rule.RULE
    results = []
    for values in itertools.product(*(grid[n] for n in names)):
        change = dict(zip(names, values, strict=True))
        w_fields = {f.name for f in dataclasses.fields(base_w)}
        scoring.WEIGHTS = dataclasses.replace(
            base_w, **{k: v for k, v in change.items() if k in w_fields}
        )
        story_rule.RULE = dataclasses.replace(
            base_r, **{k: v for k, v in change.items() if k not in w_fields}
        )
        links, _, after = run_clipdiary(docs, embedder)
        lm, sm = link_metrics(docs, links), story_metrics(docs, after)
        results.append((min(lm["R@5 all"], lm["precision"], sm["BCubed F1"]), change, lm, sm))
        print(
            f"{change}: R@5 {lm['R@5 all']:.3f} P {lm['precision']:.3f} "
            f"dist {lm['distractors linked']:.3f} | B3 F1 {sm['BCubed F1']:.3f}",
            flush=True,
        )
    scoring.WEIGHTS, story_rule.RULE = base_w, base_r
    best = max(results, key=lambda r: r[0])
    print(f"best (max of the min of R@5, P, BCubed F1): {best[1]} -> {best[0]:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="dev,dev-crowded,heldout,shared")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument(
        "--tune",
        help="JSON grid of weights to try on the first set, e.g. '{\"time\": [0.04, 0.08]}'",
    )
    args = parser.parse_args()
    embedder = CachedEmbedder(default_embedder())
    loaders: dict[str, Callable[[], list[Doc]]] = {
        "dev": lambda: load_jsonl(sorted(DATA.glob("p*.jsonl"))),
        "heldout": lambda: load_jsonl([DATA / f"h{n}.jsonl" for n in (1, 2, 3)]),
        "h1": lambda: load_jsonl([DATA / "h1.jsonl"]),
        "h2": lambda: load_jsonl([DATA / "h2.jsonl"]),
        "h3": lambda: load_jsonl([DATA / "h3.jsonl"]),
        "h4": lambda: load_jsonl([DATA / "h4.jsonl"]),
        "shared": lambda: load_shared(args.shared),
        "dev-crowded": lambda: crowded(
            load_jsonl(sorted(DATA.glob("p*.jsonl"))), load_shared(args.shared)
        ),
    }
    if args.tune:
        for name in args.sets.split(","):
            print(f"## {name}")
            tune(loaders[name](), embedder, json.loads(args.tune))
        embedder.save()
        return
    for name in args.sets.split(","):
        docs = loaders[name]()
        if docs:
            evaluate(name, docs, embedder)


if __name__ == "__main__":
    main()
