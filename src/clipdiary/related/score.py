"""How likely two entries are one story: the embedding, and the evidence around it.

score = ½ cos(titles) + ½ cos(leads)                 what the encoder sees
      + cross-language offset                         ja–en cosines run lower than ja–ja
      + shared figures, weighted (clipdiary.related.figures)
      + shared names, matched across scripts (clipdiary.related.names)
      − other places: headlines naming places the other report does not (places_apart)
      − time apart, past a window                     another year's test is another story

Two clips of one address are never related (they are one article). The time penalty grows
with the logarithm of the gap: a report three days after the first is as likely as one on
the same day, one two months after needs more, one a year after much more. A story that
keeps going stretches the window: linking measures the gap to the candidate's story's
newest member, not to the candidate alone (``Features.story_last``).

The weights were chosen on the development set under ``bench/data/stories`` (parts p1–p3)
and checked on its held-out part and on the shared translation set; bench/story_quality.py
prints both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from clipdiary.related.embed import Vectors, normalise
from clipdiary.related.figures import figure_weight
from clipdiary.related.names import same_name

K = 5


@dataclass(frozen=True)
class Weights:
    title: float = 0.5
    cross_lang: float = 0.10
    figures: float = 0.15
    names: float = 0.15
    time: float = 0.18
    window_days: float = 14.0
    threshold: float = 0.42
    crowding: float = 1.0
    crowding_floor: float = 0.08
    other_place: float = 0.05
    other_place_unnamed: float = 0.30
    other_place_unnamed_one: float = 0.15
    other_person: float = 0.15


WEIGHTS = Weights()
THRESHOLD = WEIGHTS.threshold


@dataclass(frozen=True)
class Features:
    """What scoring needs of one entry."""

    title: Vectors
    lead: Vectors
    numbers: frozenset[str] = frozenset()
    created: int | None = None
    url_key: str | None = None
    lang: str | None = None
    names: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    central: frozenset[str] = frozenset()
    headline_people: frozenset[str] = frozenset()
    early_names: frozenset[str] = frozenset()

    def at(self, created: int) -> Features:
        return replace(self, created=created)


def index_vector(title: Vectors, lead: Vectors) -> Vectors:
    """The one vector an entry has in the in-memory index (to find candidates)."""
    vector: Vectors = normalise((title + lead).reshape(1, -1))[0]
    return vector


def number_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    shared = a & b
    if not shared:
        return 0.0
    total_a = sum(figure_weight(v) for v in a)
    total_b = sum(figure_weight(v) for v in b)
    return float(sum(figure_weight(v) for v in shared) / math.sqrt(total_a * total_b))


def name_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared names over the smaller set (a short wire item names fewer people)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return min(1.0, shared / math.sqrt(min(len(a), len(b)) * 3.0))


def places_apart(a: Features, b: Features, weights: Weights) -> float:
    """How much two reports happen in other places. Each headline naming a country or
    prefecture the other headline does not costs ``other_place``; each naming one the
    other *text* never names costs ``other_place_unnamed`` more. Japan beating Spain is not
    Japan beating Germany; the quake in Ecuador is not the one in Kumamoto the day before,
    however alike the two read. A place's country counts as named with it (Kumamoto and
    southern Japan are one place); the rule is weighed both ways, so a report on Japan's
    reaction to a Taiwan vote (Japan, Taiwan) still meets one on the vote (Taiwan)."""
    here = {k for k in a.central if k.startswith("@")}
    there = {k for k in b.central if k.startswith("@")}
    if not (here - there and there - here):
        return 0.0
    cost = weights.other_place
    unnamed_here, unnamed_there = here - b.early_names, there - a.early_names
    if unnamed_here and unnamed_there:
        cost += weights.other_place_unnamed
    elif unnamed_here or unnamed_there:
        # Only one way: a close distractor recalls the story it resembles in its first
        # lines ("a week after the Haneda collision"); the story never names it back.
        cost += weights.other_place_unnamed_one
    return cost


def _named_in(key: str, keys: frozenset[str]) -> bool:
    return key in keys or any(same_name(key, k) for k in keys)


def _named_early(key: str, report: Features) -> bool:
    """Whether a report's headline or first lines name this person. Loosely matched keys
    must be long: a three-letter key meets too many words (Augusta's kst is not
    Kajitani's kstn)."""
    if _named_in(key, report.headline_people) or key in report.early_names:
        return True
    return len(key) >= 4 and any(len(k) >= 4 and same_name(key, k) for k in report.early_names)


def people_apart(a: Features, b: Features) -> bool:
    """Whether two reports are about other people: each headline names someone whom the
    other report's headline and first lines never name (Sarah Palin's son is not Nancy
    Pelosi's words; the Masters winner is not the women's amateur champion a week before,
    though each report recalls the other further down)."""
    if not a.headline_people or not b.headline_people:
        return False
    if any(_named_in(k, b.headline_people) for k in a.headline_people):
        return False
    return not any(_named_early(k, b) for k in a.headline_people) and not any(
        _named_early(k, a) for k in b.headline_people
    )


def time_penalty(apart_seconds: float, weights: Weights) -> float:
    days = abs(apart_seconds) / 86400
    if days <= weights.window_days:
        return 0.0
    return weights.time * math.log2(days / weights.window_days)


def scores(
    query: Features,
    candidates: Sequence[Features],
    weights: Weights | None = None,
    *,
    anchors: Sequence[int | None] | None = None,
    apart: bool = True,
) -> Vectors:
    """The score of each candidate against the query; -inf for one that may never link.

    ``anchors`` gives, per candidate, the time to measure the gap to (its story's newest
    member before the query); None measures to the candidate itself. ``apart=False``
    leaves out what apart_costs takes off.
    """
    if not candidates:
        return np.zeros(0, dtype=np.float32)
    weights = weights or WEIGHTS
    titles = np.stack([c.title for c in candidates])
    leads = np.stack([c.lead for c in candidates])
    result = weights.title * (titles @ query.title) + (1 - weights.title) * (leads @ query.lead)
    for i, candidate in enumerate(candidates):
        extra = 0.0
        if query.lang and candidate.lang and query.lang != candidate.lang:
            extra += weights.cross_lang
        if query.numbers and candidate.numbers:
            extra += weights.figures * number_overlap(query.numbers, candidate.numbers)
        if query.names and candidate.names:
            extra += weights.names * name_overlap(query.names, candidate.names)
        anchor = anchors[i] if anchors is not None else None
        when = anchor if anchor is not None else candidate.created
        if query.created is not None and when is not None:
            extra -= time_penalty(query.created - when, weights)
        result[i] += extra
        if query.url_key is not None and query.url_key == candidate.url_key:
            result[i] = -np.inf
    if apart:
        result -= apart_costs(query, candidates, weights)
    return result.astype(np.float32)


def apart_costs(
    query: Features, candidates: Sequence[Features], weights: Weights | None = None
) -> Vectors:
    """What other places and other people take off each candidate's score (see
    places_apart, people_apart). Kept apart from ``scores`` for crowding, which must read
    how alike the neighbourhood is before this evidence moves it."""
    weights = weights or WEIGHTS
    costs = np.zeros(len(candidates), dtype=np.float32)
    for i, candidate in enumerate(candidates):
        cost = 0.0
        if query.central and candidate.central:
            cost += places_apart(query, candidate, weights)
        if weights.other_person and people_apart(query, candidate):
            cost += weights.other_person
        costs[i] = cost
    return costs


# The candidates ranked past a story's usual size show how close unrelated entries come.
_CROWD_FROM, _CROWD_TO = 5, 15


def crowding(candidate_scores: Sequence[float], weights: Weights | None = None) -> float:
    """How much to lower every score of an entry whose neighbourhood is crowded.

    Among many reports of other stories on the same topic in the same weeks (a busy news
    month, a diary that clips every election), the bare scores of unrelated candidates run
    high; their level, read from the candidates ranked 6th to 15th (past what one story
    usually holds), is subtracted in proportion. A diary with few neighbours keeps its
    scores. This is local scaling, as cross-lingual word matching uses against hubs.
    """
    weights = weights or WEIGHTS
    if not weights.crowding:
        return 0.0
    finite = sorted((s for s in candidate_scores if s > -np.inf), reverse=True)
    tail = finite[_CROWD_FROM:_CROWD_TO]
    level = sum(max(0.0, s) for s in tail) / (_CROWD_TO - _CROWD_FROM)
    # Up to the floor, the level is what unrelated clips of the same weeks always score.
    return weights.crowding * max(0.0, level - weights.crowding_floor)


def choose(
    scored: Sequence[tuple[int, float]], *, k: int = K, threshold: float | None = None
) -> list[tuple[int, float]]:
    """The best ``k`` of (id, score) at or above the threshold, best first."""
    threshold = WEIGHTS.threshold if threshold is None else threshold
    kept = [(i, s) for i, s in scored if s >= threshold]
    kept.sort(key=lambda pair: (-pair[1], pair[0]))
    return kept[:k]
