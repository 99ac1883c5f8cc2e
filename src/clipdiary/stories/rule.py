"""Which story an arriving entry belongs to, decided against each story as a whole.

An entry is scored against the earlier entries (clipdiary.related). A story is joined when
the entry's best score to one of its members reaches ``join``, and, for a story of three or
more, a second member supports it (``support``) unless the best score is ``strong``: one
close member is not enough to join a large story, which is what keeps single-link chaining
("another arrest" joining the arrest story through one look-alike report) out. When two
stories both pass ``merge``, the entry shows them to be one, and they are joined. Stories
holding an entry the owner kept apart from this one are never candidates.

The same rule runs as entries are written and in ``clipdiary restory`` (over the stored
links), so a recomputation agrees with what arrival decided unless the links changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StoryRule:
    join: float = 0.44
    support: float = 0.30
    strong: float = 0.55
    merge: float = 0.55
    # Added to the scores of the entry's story's members when links are chosen: at 1.0 the
    # related list shows the story first (its members are the same story by decision).
    bonus: float = 1.0


RULE = StoryRule()

Alone = int
"""An entry in no story yet is its own would-be story, keyed by its entry id, negated."""


@dataclass(frozen=True)
class Decision:
    """``join``: the story key to join (a story id, or ``-entry_id`` to start one with that
    entry); ``merge``: further story keys that this entry shows to be the same story."""

    join: int | None
    merge: tuple[int, ...] = field(default=())


def story_key(entry_id: int, story_of: Mapping[int, int]) -> int:
    story = story_of.get(entry_id)
    return story if story is not None else -entry_id


def decide(
    scored: Sequence[tuple[int, float]],
    story_of: Mapping[int, int],
    sizes: Mapping[int, int],
    *,
    forbidden: Collection[int] = (),
    rule: StoryRule | None = None,
) -> Decision:
    """The story to join for an entry with these (candidate id, score) pairs.

    ``story_of`` maps candidates to their story ids (absent: in no story); ``sizes`` gives
    each story's size; ``forbidden`` holds story keys the entry must not join.
    """
    rule = rule or RULE
    by_story: dict[int, list[float]] = defaultdict(list)
    for candidate, score in scored:
        by_story[story_key(candidate, story_of)].append(score)
    passing: list[tuple[float, int]] = []
    for key, found in by_story.items():
        if key in forbidden:
            continue
        found.sort(reverse=True)
        best = found[0]
        if best < rule.join:
            continue
        size = sizes.get(key, 1) if key > 0 else 1
        second = found[1] if len(found) > 1 else 0.0
        if size >= 3 and best < rule.strong and second < rule.support:
            continue
        passing.append((best + 0.25 * second, key))
    if not passing:
        return Decision(None)
    passing.sort(reverse=True)
    chosen = passing[0][1]
    merged = tuple(
        key for strength, key in passing[1:] if max(by_story[key]) >= rule.merge and strength > 0
    )
    return Decision(chosen, merged)
