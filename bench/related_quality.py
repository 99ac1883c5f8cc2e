"""Related-link quality on the shared cross-lingual clusters, clipdiary beside a keyword baseline.

    python bench/related_quality.py ../shared/eval/crosslingual

Reads every ``*.json`` there (records with id, lang, title, text, cluster; each cluster one
Japanese and one English document) and ranks, for each document, all the others. Printed for
the full texts and for title + the first 300 characters of each document:

* P@1, P@5: share of same-cluster documents among the links shown. clipdiary shows at most 5
  links at or above its threshold (an empty list counts as a miss for P@1); the baselines
  always show 5, so their P@5 is at most 0.2 here (one counterpart per document).
* R@5 ja→en, en→ja: share of documents whose other-language counterpart is in their top 5
  (for clipdiary: among the links actually shown).

Baselines in the same run: "keyword" is TF-IDF cosine over words (what Hugo's related
content and YARPP do), and "encoder" is the bare multilingual encoder over title + text.
The data stays where it is; nothing is copied into the project.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from clipdiary.related.embed import default_embedder
from clipdiary.related.score import THRESHOLD, Features, K, choose, scores
from clipdiary.related.text import clean_title, lead, numbers

Matrix = npt.NDArray[np.float32]
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Doc:
    lang: str
    title: str
    text: str
    cluster: str


def load(folder: Path) -> list[Doc]:
    docs = []
    for path in sorted(folder.glob("*.json")):
        for record in json.loads(path.read_text("utf-8")):
            docs.append(Doc(record["lang"], record["title"], record["text"], record["cluster"]))
    if not docs:
        sys.exit(f"no *.json documents in {folder}")
    return docs


def keyword_scores(texts: Sequence[str]) -> Matrix:
    """TF-IDF cosine over lower-cased word tokens (Hugo / YARPP style)."""
    bags = [Counter(_WORD.findall(unicodedata.normalize("NFKC", t).lower())) for t in texts]
    df = Counter(word for bag in bags for word in bag)
    vocab = {word: i for i, word in enumerate(df)}
    matrix = np.zeros((len(texts), len(vocab)), dtype=np.float32)
    for row, bag in enumerate(bags):
        for word, count in bag.items():
            matrix[row, vocab[word]] = (1 + math.log(count)) * math.log(len(texts) / df[word])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms == 0, 1, norms)
    return matrix @ matrix.T


def top_lists(similarity: Matrix, k: int = K) -> list[list[int]]:
    sims = similarity.copy()
    np.fill_diagonal(sims, -np.inf)
    return [list(np.argsort(-row, kind="stable")[:k]) for row in sims]


def clipdiary_lists(docs: Sequence[Doc], bodies: Sequence[str]) -> list[list[int]]:
    """clipdiary's own recipe: title and lead vectors, numbers, threshold."""
    embedder = default_embedder()
    titles = [clean_title(d.title) for d in docs]
    leads = [lead(b) or t for b, t in zip(bodies, titles, strict=True)]
    vectors = embedder.embed(titles + leads)
    features = [
        Features(vectors[i], vectors[len(docs) + i], numbers(f"{d.title}\n{bodies[i]}"))
        for i, d in enumerate(docs)
    ]
    lists = []
    for i, mine in enumerate(features):
        scored = scores(mine, features)
        pairs = [(j, float(scored[j])) for j in range(len(docs)) if j != i]
        lists.append([j for j, _ in choose(pairs)])
    return lists


def measure(docs: Sequence[Doc], lists: Sequence[Sequence[int]]) -> dict[str, float]:
    counterpart = {}
    by_cluster: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        by_cluster.setdefault(d.cluster, []).append(i)
    for members in by_cluster.values():
        for i in members:
            counterpart[i] = [j for j in members if j != i and docs[j].lang != docs[i].lang]
    hits1 = [
        bool(found) and docs[found[0]].cluster == docs[i].cluster for i, found in enumerate(lists)
    ]
    shown = sum(len(found) for found in lists)
    good = sum(docs[j].cluster == docs[i].cluster for i, found in enumerate(lists) for j in found)

    def recall(lang: str) -> float:
        wanted = [i for i, d in enumerate(docs) if d.lang == lang and counterpart[i]]
        return sum(any(j in lists[i] for j in counterpart[i]) for i in wanted) / len(wanted)

    return {
        "P@1": sum(hits1) / len(docs),
        "P@5": good / max(shown, 1),
        "R@5 ja→en": recall("ja"),
        "R@5 en→ja": recall("en"),
        "links/doc": shown / len(docs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="the crosslingual eval folder")
    args = parser.parse_args()
    docs = load(args.folder)
    print(f"{len(docs)} documents, {len({d.cluster for d in docs})} clusters, from {args.folder}")
    print(f"clipdiary: k={K}, threshold {THRESHOLD}\n")
    conditions: list[tuple[str, Callable[[Doc], str]]] = [
        ("full text", lambda d: d.text),
        ("title + first 300 chars", lambda d: d.text[:300]),
    ]
    columns = ["P@1", "P@5", "R@5 ja→en", "R@5 en→ja", "links/doc"]
    embedder = default_embedder()
    for label, body in conditions:
        bodies = [body(d) for d in docs]
        whole = [f"{d.title}\n{b}" for d, b in zip(docs, bodies, strict=True)]
        started = time.perf_counter()
        ours = clipdiary_lists(docs, bodies)
        took = time.perf_counter() - started
        plain = embedder.embed(whole)
        rows = [
            ("keyword (TF-IDF)", measure(docs, top_lists(keyword_scores(whole)))),
            ("encoder alone", measure(docs, top_lists(plain @ plain.T))),
            ("clipdiary", measure(docs, ours)),
        ]
        print(f"## {label}  (clipdiary embedding + linking {took:.1f} s)")
        print("| method | " + " | ".join(columns) + " |")
        print("|---" * (len(columns) + 1) + "|")
        for name, values in rows:
            print(f"| {name} | " + " | ".join(f"{values[c]:.3f}" for c in columns) + " |")
        print()


if __name__ == "__main__":
    main()
