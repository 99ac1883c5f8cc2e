"""What bench/story_quality.py measures: related-link recall and precision, story P/R/F1.

Plain functions over document ids, so clipdiary and every baseline are measured alike.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

K = 5


@dataclass(frozen=True)
class Doc:
    id: str
    story: str
    lang: str
    kind: str  # report | followup | distractor | filler
    imitates: str | None
    published: dt.datetime
    title: str
    text: str
    site: str


Links = Mapping[str, Sequence[str]]
"""Each document's shown related links (earlier documents), best first."""
Clusters = Mapping[str, str]
"""Each document's story label (documents left out are alone)."""


def _ratio(hit: float, total: float) -> float:
    return hit / total if total else float("nan")


def link_metrics(docs: Sequence[Doc], links: Links) -> dict[str, float]:
    """Recall of the earlier same-story documents among the shown links (at most K), by
    kind of pair; precision of the links shown; share of distractors linked to the story
    they imitate (either way)."""
    by_id = {d.id: d for d in docs}
    order = {d.id: i for i, d in enumerate(sorted(docs, key=lambda d: (d.published, d.id)))}
    story_members: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        story_members[d.story].append(d)
    wanted: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for d in docs:
        earlier = [o for o in story_members[d.story] if o.id != d.id and order[o.id] < order[d.id]]
        if not earlier:
            continue
        shown = set(links.get(d.id, ()))
        # Recall@K: the share of (report, earlier report of its story) pairs shown; a
        # report with more than K earlier ones can show only K, so each of its pairs
        # counts K/n in the denominator.
        weight = min(K, len(earlier)) / len(earlier)
        for other in earlier:
            cross = other.lang != d.lang
            follow = "followup" in (d.kind, other.kind)
            hit = other.id in shown
            for name in (
                "all",
                "cross" if cross else "same",
                "follow-up" if follow else "event",
                ("cross follow-up" if cross else "same follow-up") if follow else "",
            ):
                if name:
                    wanted[name][0] += hit
                    wanted[name][1] += weight
    total = sum(len(v) for v in links.values())
    good = sum(by_id[t].story == by_id[s].story for s, v in links.items() for t in v)
    distractors = [d for d in docs if d.kind == "distractor" and d.imitates]
    linked = 0
    for d in distractors:
        target = {o.id for o in story_members.get(d.imitates or "", [])}
        if set(links.get(d.id, ())) & target or any(d.id in links.get(o, ()) for o in target):
            linked += 1
    result = {f"R@5 {name}": _ratio(hit, n) for name, (hit, n) in wanted.items()}
    result["precision"] = _ratio(good, total)
    result["links/doc"] = total / len(docs)
    result["distractors linked"] = _ratio(linked, len(distractors))
    return result


def _pairs(labels: Mapping[str, str], ids: Sequence[str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        groups[labels.get(i, f"alone:{i}")].append(i)
    return {
        (a, b) for group in groups.values() for a, b in itertools.combinations(sorted(group), 2)
    }


def story_metrics(docs: Sequence[Doc], found: Clusters) -> dict[str, float]:
    """Pairwise and BCubed precision, recall and F1 of the found stories against the gold
    ones; share of distractors put in the story they imitate."""
    ids = [d.id for d in docs]
    gold = {d.id: d.story for d in docs}
    truth, made = _pairs(gold, ids), _pairs(found, ids)
    p = _ratio(len(truth & made), len(made))
    r = _ratio(len(truth & made), len(truth))
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_found: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        by_gold[gold[i]].add(i)
        by_found[found.get(i, f"alone:{i}")].add(i)
    bp = br = 0.0
    for i in ids:
        mine = by_found[found.get(i, f"alone:{i}")]
        true = by_gold[gold[i]]
        both = len(mine & true)
        bp += both / len(mine)
        br += both / len(true)
    bp, br = bp / len(ids), br / len(ids)
    distractors = [d for d in docs if d.kind == "distractor" and d.imitates]
    put = sum(
        any(
            by_id_story == d.imitates
            for by_id_story in (gold[o] for o in by_found[found.get(d.id, f"alone:{d.id}")])
        )
        for d in distractors
    )
    return {
        "pair P": p,
        "pair R": r,
        "pair F1": _f1(p, r),
        "BCubed P": bp,
        "BCubed R": br,
        "BCubed F1": _f1(bp, br),
        "distractors in story": _ratio(put, len(distractors)),
    }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def components(docs: Sequence[Doc], links: Links) -> dict[str, str]:
    """Stories as the connected components of the links (the single-link baseline)."""
    parent = {d.id: d.id for d in docs}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for source, targets in links.items():
        for target in targets:
            parent[root(source)] = root(target)
    return {d.id: root(d.id) for d in docs}
