"""``clipdiary restory``: every story found again from the related links, ids kept stable.

Stories found one arrival at a time drift: a story merged by one arrival may later look
like two, a link recomputed by ``relink`` may no longer hold. This pass replays the arrival
rule (``rule.decide``) over the stored links of every entry, oldest first, obeying the
owner's decisions: an entry the owner placed stays where it was placed (so a story the
owner merged is not split again), and two entries the owner kept apart never share a
story. Each story found then keeps the id of the old story it mostly is (Jaccard ≥ 0.5,
best matches first), so addresses and the owner's titles survive; the rest get new ids.
It reads three tables and writes only what changed, in one transaction.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from clipdiary.store import Store, schema
from clipdiary.stories.numbers import next_story_number
from clipdiary.stories.rule import decide

E = schema.entries
L = schema.related_links
S = schema.stories
M = schema.story_members
AP = schema.story_apart

# Labels of stories found in this pass, above any story id.
_FRESH = 1 << 40
KEEP_JACCARD = 0.5


@dataclass(frozen=True)
class RestoryReport:
    stories: int
    kept: int
    new: int
    removed: int
    moved: int


class _Replay:
    """The arrival rule over stored links, with labels that can be merged."""

    def __init__(
        self, pinned: dict[int, int], apart: dict[int, set[int]], closed: set[int]
    ) -> None:
        self.closed = closed
        self.label: dict[int, int] = dict(pinned)
        self.members: dict[int, set[int]] = defaultdict(set)
        for entry_id, story in pinned.items():
            self.members[story].add(entry_id)
        self.pinned = pinned
        self.apart = apart
        self._next = _FRESH

    def fresh(self) -> int:
        self._next += 1
        return self._next

    def key(self, entry_id: int) -> int:
        found = self.label.get(entry_id)
        return found if found is not None else -entry_id

    def holders(self, key: int) -> set[int]:
        return self.members[key] if key > 0 else {-key}

    def may_merge(self, a: int, b: int) -> bool:
        if {a, b} & self.closed:
            return False
        first, second = self.holders(a), self.holders(b)
        if any(self.apart.get(e, set()) & second for e in first):
            return False
        owners_a = {self.pinned[e] for e in first if e in self.pinned}
        owners_b = {self.pinned[e] for e in second if e in self.pinned}
        return not (owners_a and owners_b and owners_a != owners_b)

    def arrive(self, entry_id: int, scored: list[tuple[int, float]]) -> None:
        if entry_id in self.pinned:
            return
        story_of = {t: k for t, _ in scored if (k := self.label.get(t)) is not None}
        sizes = {k: len(self.members[k]) for k in story_of.values()}
        forbidden = {self.key(o) for o in self.apart.get(entry_id, ())} | self.closed
        decision = decide(scored, story_of, sizes, forbidden=forbidden)
        if decision.join is None:
            return
        target = decision.join
        if target < 0:
            target = self._start(-target)
        for other in decision.merge:
            if other == target or not self.may_merge(target, other):
                continue
            if other < 0:
                self._place(-other, target)
                continue
            keep, gone = target, other
            if len(self.members[other]) > len(self.members[target]) or gone < _FRESH < keep:
                keep, gone = other, target  # the larger (or an owner's) label survives
            for moved in self.members.pop(gone, set()):
                self.label[moved] = keep
                self.members[keep].add(moved)
            target = keep
        self._place(entry_id, target)

    def _start(self, entry_id: int) -> int:
        label = self.fresh()
        self._place(entry_id, label)
        return label

    def _place(self, entry_id: int, label: int) -> None:
        old = self.label.get(entry_id)
        if old is not None:
            self.members[old].discard(entry_id)
        self.label[entry_id] = label
        self.members[label].add(entry_id)


def restory(
    store: Store, *, progress: Callable[[str, int, int], None] | None = None
) -> RestoryReport:
    """Recompute every story of the diary (see the module's docstring)."""
    diary = store.diary_id
    with store.transaction() as conn:
        order = [
            int(r.id)
            for r in conn.execute(
                sa.select(E.c.id).where(E.c.diary_id == diary).order_by(E.c.created_at, E.c.id)
            )
        ]
        links: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for entry_id, target, score in conn.execute(
            sa.select(L.c.entry_id, L.c.target_id, L.c.score).where(L.c.diary_id == diary)
        ):
            links[int(entry_id)].append((int(target), float(score)))
        old: dict[int, int] = {}
        pinned: dict[int, int] = {}
        for entry_id, story, is_pinned in conn.execute(
            sa.select(M.c.entry_id, M.c.story_id, M.c.pinned).where(M.c.diary_id == diary)
        ):
            old[int(entry_id)] = int(story)
            if is_pinned:
                pinned[int(entry_id)] = int(story)
        apart: dict[int, set[int]] = defaultdict(set)
        for a, b in conn.execute(
            sa.select(AP.c.entry_a, AP.c.entry_b).where(AP.c.diary_id == diary)
        ):
            apart[int(a)].add(int(b))
            apart[int(b)].add(int(a))

        closed = {
            int(r.id)
            for r in conn.execute(sa.select(S.c.id).where(S.c.diary_id == diary, S.c.alone))
        }
        replay = _Replay(pinned, apart, closed)
        for done, entry_id in enumerate(order, 1):
            replay.arrive(entry_id, links.get(entry_id, []))
            if progress and (done % 10000 == 0 or done == len(order)):
                progress("restory", done, len(order))

        _keep_owner_stories(replay, old)
        found = {
            label: members
            for label, members in replay.members.items()
            if len(members) >= 2 or members & pinned.keys()
        }
        ids = _stable_ids(found, old)
        return _write(conn, diary, found, ids, old)


def _keep_owner_stories(replay: _Replay, old: dict[int, int]) -> None:
    """A story found here that mostly came from a story the owner placed entries in goes
    back into it: what the owner shaped is not split by a recomputation."""
    owner_labels = {label for label in replay.members if label < _FRESH}
    if not owner_labels:
        return
    for label in [x for x in replay.members if x >= _FRESH]:
        members = replay.members.get(label)
        if not members:
            continue
        came_from: dict[int, int] = defaultdict(int)
        for entry_id in members:
            if old.get(entry_id) in owner_labels:
                came_from[old[entry_id]] += 1
        if not came_from:
            continue
        story, count = max(came_from.items(), key=lambda item: (item[1], -item[0]))
        if count * 2 >= len(members) and replay.may_merge(story, label):
            for entry_id in replay.members.pop(label):
                replay.label[entry_id] = story
                replay.members[story].add(entry_id)


def _stable_ids(found: dict[int, set[int]], old: dict[int, int]) -> dict[int, int | None]:
    """For each label found, the old story id it keeps (None: a new story)."""
    old_members: dict[int, set[int]] = defaultdict(set)
    for entry_id, story in old.items():
        old_members[story].add(entry_id)
    chosen: dict[int, int | None] = {}
    taken: set[int] = set()
    for label in found:
        if label < _FRESH:  # an owner's story, held by the entries placed in it
            chosen[label] = label
            taken.add(label)
    scored = []
    for label, members in found.items():
        if label in chosen:
            continue
        for story in {old[e] for e in members if e in old}:
            theirs = old_members[story]
            jaccard = len(members & theirs) / len(members | theirs)
            if jaccard >= KEEP_JACCARD:
                scored.append((jaccard, label, story))
    for _, label, story in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if label not in chosen and story not in taken:
            chosen[label] = story
            taken.add(story)
    for label in found:
        chosen.setdefault(label, None)
    return chosen


def _write(
    conn: sa.Connection,
    diary: int,
    found: dict[int, set[int]],
    ids: dict[int, int | None],
    old: dict[int, int],
) -> RestoryReport:
    now = int(time.time())
    existing = {int(r.id) for r in conn.execute(sa.select(S.c.id).where(S.c.diary_id == diary))}
    final: dict[int, int] = {}
    new = 0
    for label, members in sorted(found.items(), key=lambda item: min(item[1])):
        story = ids[label]
        if story is None or story not in existing:
            new += 1
            number = next_story_number(conn, diary)
            story = int(
                conn.execute(
                    sa.insert(S)
                    .values(diary_id=diary, number=number, created_at=now, updated_at=now)
                    .returning(S.c.id)
                ).scalar_one()
            )
        for entry_id in members:
            final[entry_id] = story
    moved = [e for e, s in final.items() if old.get(e) != s]
    left = [e for e in old if e not in final]
    if left:
        for start in range(0, len(left), 500):
            conn.execute(sa.delete(M).where(M.c.entry_id.in_(left[start : start + 500])))
    by_story: dict[int, list[int]] = defaultdict(list)
    for entry_id in moved:
        by_story[final[entry_id]].append(entry_id)
    for story, entries in by_story.items():
        for start in range(0, len(entries), 500):
            chunk = entries[start : start + 500]
            there = {
                int(r.entry_id)
                for r in conn.execute(sa.select(M.c.entry_id).where(M.c.entry_id.in_(chunk)))
            }
            if there:
                conn.execute(
                    sa.update(M).where(M.c.entry_id.in_(list(there))).values(story_id=story)
                )
            fresh = [e for e in chunk if e not in there]
            if fresh:
                conn.execute(
                    sa.insert(M),
                    [{"entry_id": e, "diary_id": diary, "story_id": story} for e in fresh],
                )
        conn.execute(sa.update(S).where(S.c.id == story).values(updated_at=now))
    used = set(final.values())
    gone = existing - used
    for story in gone:
        conn.execute(sa.delete(S).where(S.c.id == story))
    kept = len(used & existing)
    return RestoryReport(len(used), kept, new, len(gone), len(moved) + len(left))
