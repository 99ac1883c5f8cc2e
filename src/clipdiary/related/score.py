"""How related two entries are: the embedding, and the cheap signals that help it.

score = ½ cos(titles) + ½ cos(leads) + 0.2 · shared numbers + up to 0.03 for dates close
together; two clips of one address are never related (they are one article). Measured on
the shared cross-lingual set (bench/related_quality.py): titles and leads as two vectors
beat one vector of the whole article, and shared numbers lift precision@1 from about 0.92
to 0.97 without costing recall. Shared Latin-script names were tried and dropped: they
pull same-language reports together and cost cross-language recall.

``THRESHOLD`` sits between the scores of true pairs (1st percentile about 0.51–0.56) and of
unrelated ones (99th percentile about 0.41); what scores above it and is not the same story
is, on that set, the same topic (other reports of one trial, one storm, one election).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from clipdiary.related.embed import Vectors, normalise
from clipdiary.related.text import number_weight

K = 5
THRESHOLD = 0.5
TITLE_WEIGHT = 0.5
NUMBER_WEIGHT = 0.2
DATE_WEIGHT = 0.03
DATE_WINDOW_SECONDS = 7 * 86400


@dataclass(frozen=True)
class Features:
    """What scoring needs of one entry."""

    title: Vectors
    lead: Vectors
    numbers: frozenset[str] = frozenset()
    created: int | None = None
    url_key: str | None = None


def index_vector(title: Vectors, lead: Vectors) -> Vectors:
    """The one vector an entry has in the in-memory index (to find candidates)."""
    vector: Vectors = normalise((title + lead).reshape(1, -1))[0]
    return vector


def number_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    shared = a & b
    if not shared:
        return 0.0
    total_a = sum(number_weight(v) for v in a)
    total_b = sum(number_weight(v) for v in b)
    return float(sum(number_weight(v) for v in shared) / np.sqrt(total_a * total_b))


def scores(query: Features, candidates: Sequence[Features]) -> Vectors:
    """The score of each candidate against the query; -inf for one that may never link."""
    if not candidates:
        return np.zeros(0, dtype=np.float32)
    titles = np.stack([c.title for c in candidates])
    leads = np.stack([c.lead for c in candidates])
    result = TITLE_WEIGHT * (titles @ query.title) + (1 - TITLE_WEIGHT) * (leads @ query.lead)
    for i, candidate in enumerate(candidates):
        if query.numbers and candidate.numbers:
            result[i] += NUMBER_WEIGHT * number_overlap(query.numbers, candidate.numbers)
        if query.created is not None and candidate.created is not None:
            apart = abs(query.created - candidate.created)
            if apart < DATE_WINDOW_SECONDS:
                result[i] += DATE_WEIGHT * (1 - apart / DATE_WINDOW_SECONDS)
        if query.url_key is not None and query.url_key == candidate.url_key:
            result[i] = -np.inf
    return result.astype(np.float32)


def choose(
    scored: Sequence[tuple[int, float]], *, k: int = K, threshold: float = THRESHOLD
) -> list[tuple[int, float]]:
    """The best ``k`` of (id, score) at or above the threshold, best first."""
    kept = [(i, s) for i, s in scored if s >= threshold]
    kept.sort(key=lambda pair: (-pair[1], pair[0]))
    return kept[:k]
