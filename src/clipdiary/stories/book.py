"""Story memberships read and written inside one write transaction, with small caches.

A ``StoryBook`` lives for one batch of linking (one write, or one batch of ``relink``): it
loads the stories of the entries it is asked about, applies decisions of ``rule.decide``,
and writes each change at once, so the links and the stories land in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import sqlalchemy as sa

from clipdiary.store import schema
from clipdiary.stories.numbers import next_story_number
from clipdiary.stories.rule import Decision

S = schema.stories
M = schema.story_members
AP = schema.story_apart
_CHUNK = 500


class StoryBook:
    def __init__(self, conn: sa.Connection, diary_id: int) -> None:
        self.conn = conn
        self.diary_id = diary_id
        self._story_of: dict[int, int | None] = {}
        self._members: dict[int, set[int]] = {}
        self._pinned: set[int] = set()
        self._apart: dict[int, set[int]] | None = None
        self._closed: set[int] | None = None

    # -- reading --------------------------------------------------------------------------

    def stories_of(self, entry_ids: Iterable[int]) -> dict[int, int]:
        """The story of each of these entries that is in one."""
        wanted = [i for i in dict.fromkeys(entry_ids) if i not in self._story_of]
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            for i in chunk:
                self._story_of[i] = None
            for row in self.conn.execute(
                sa.select(M.c.entry_id, M.c.story_id, M.c.pinned).where(M.c.entry_id.in_(chunk))
            ):
                self._story_of[int(row.entry_id)] = int(row.story_id)
                if row.pinned:
                    self._pinned.add(int(row.entry_id))
        return {i: story for i in entry_ids if (story := self._story_of.get(i)) is not None}

    def members(self, story_id: int) -> set[int]:
        if story_id not in self._members:
            rows = self.conn.execute(
                sa.select(M.c.entry_id, M.c.pinned).where(M.c.story_id == story_id)
            ).all()
            self._members[story_id] = {int(r.entry_id) for r in rows}
            for r in rows:
                self._story_of[int(r.entry_id)] = story_id
                if r.pinned:
                    self._pinned.add(int(r.entry_id))
        return self._members[story_id]

    def load_members(self, story_ids: Iterable[int]) -> None:
        """Read the members of these stories in one query each chunk, not one a story (a
        new entry's thirty candidates sit in up to thirty stories)."""
        wanted = [s for s in dict.fromkeys(story_ids) if s > 0 and s not in self._members]
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            for story_id in chunk:
                self._members[story_id] = set()
            for row in self.conn.execute(
                sa.select(M.c.entry_id, M.c.story_id, M.c.pinned).where(M.c.story_id.in_(chunk))
            ):
                entry_id, story_id = int(row.entry_id), int(row.story_id)
                self._members[story_id].add(entry_id)
                self._story_of[entry_id] = story_id
                if row.pinned:
                    self._pinned.add(entry_id)

    def sizes(self, story_ids: Iterable[int]) -> dict[int, int]:
        wanted = {s for s in story_ids if s > 0}
        self.load_members(wanted)
        return {s: len(self.members(s)) for s in wanted}

    def is_pinned(self, entry_id: int) -> bool:
        self.stories_of([entry_id])
        return entry_id in self._pinned

    def apart_from(self, entry_id: int) -> set[int]:
        """Entries the owner said are not the same story as this one."""
        if self._apart is None:
            self._apart = {}
            for a, b in self.conn.execute(
                sa.select(AP.c.entry_a, AP.c.entry_b).where(AP.c.diary_id == self.diary_id)
            ):
                self._apart.setdefault(int(a), set()).add(int(b))
                self._apart.setdefault(int(b), set()).add(int(a))
        return self._apart.get(entry_id, set())

    def apart_pairs(self) -> list[tuple[int, int]]:
        self.apart_from(0)
        assert self._apart is not None
        return [(a, b) for a, others in self._apart.items() for b in others if a < b]

    def closed(self) -> set[int]:
        """Stories the owner made for one entry alone."""
        if self._closed is None:
            self._closed = {
                int(r.id)
                for r in self.conn.execute(
                    sa.select(S.c.id).where(S.c.diary_id == self.diary_id, S.c.alone)
                )
            }
        return self._closed

    def forbidden_for(self, entry_id: int) -> set[int]:
        """Story keys this entry may not join: those holding an entry kept apart from it,
        and those the owner made for one entry alone."""
        keys: set[int] = set(self.closed())
        apart = self.apart_from(entry_id)
        found = self.stories_of(apart)
        for other in apart:
            keys.add(found.get(other, -other))
        return keys

    def may_merge(self, first: int, second: int) -> bool:
        """No owner's 'apart' pair would end up inside one story, nor a lone entry joined."""
        if {first, second} & self.closed():
            return False
        ones = self.members(first) if first > 0 else {-first}
        others = self.members(second) if second > 0 else {-second}
        return not any(self.apart_from(e) & others for e in ones)

    # -- writing --------------------------------------------------------------------------

    def new_story(self, title: str | None = None, *, alone: bool = False) -> int:
        number = next_story_number(self.conn, self.diary_id)
        now = int(time.time())
        story_id = self.conn.execute(
            sa.insert(S)
            .values(
                diary_id=self.diary_id,
                number=number,
                title=title,
                alone=alone,
                created_at=now,
                updated_at=now,
            )
            .returning(S.c.id)
        ).scalar_one()
        self._members[int(story_id)] = set()
        if alone:
            self.closed().add(int(story_id))
        return int(story_id)

    def put(self, entry_id: int, story_id: int, *, pinned: bool = False) -> None:
        """Place the entry in the story (out of the one it was in)."""
        old = self.stories_of([entry_id]).get(entry_id)
        if old == story_id and not pinned:
            return
        if old is not None:
            self.conn.execute(sa.delete(M).where(M.c.entry_id == entry_id))
            self.members(old).discard(entry_id)
        self.conn.execute(
            sa.insert(M).values(
                entry_id=entry_id, diary_id=self.diary_id, story_id=story_id, pinned=pinned
            )
        )
        self.members(story_id).add(entry_id)
        self._story_of[entry_id] = story_id
        if pinned:
            self._pinned.add(entry_id)
        else:
            self._pinned.discard(entry_id)
        self.touch(story_id)
        if old is not None and old != story_id:
            self.drop_if_empty(old)

    def take_out(self, entry_id: int) -> None:
        old = self.stories_of([entry_id]).get(entry_id)
        if old is None:
            return
        self.conn.execute(sa.delete(M).where(M.c.entry_id == entry_id))
        self.members(old).discard(entry_id)
        self._story_of[entry_id] = None
        self._pinned.discard(entry_id)
        self.touch(old)
        self.drop_if_empty(old)

    def touch(self, story_id: int) -> None:
        self.conn.execute(
            sa.update(S).where(S.c.id == story_id).values(updated_at=int(time.time()))
        )

    def drop_if_empty(self, story_id: int) -> None:
        """A story of no entries goes; one of a single entry too, unless the owner put it so."""
        members = self.members(story_id)
        if not members or (len(members) == 1 and not (members & self._pinned)):
            for entry_id in list(members):
                self.conn.execute(sa.delete(M).where(M.c.entry_id == entry_id))
                self._story_of[entry_id] = None
            self.conn.execute(sa.delete(S).where(S.c.id == story_id))
            self._members.pop(story_id, None)

    def merge(self, keep: int, other: int, *, pinned: bool = False) -> None:
        """Move every entry of ``other`` into ``keep``; ``other`` goes."""
        if keep == other:
            return
        moved = sorted(self.members(other))
        self.conn.execute(sa.update(M).where(M.c.story_id == other).values(story_id=keep))
        if pinned:
            self.conn.execute(sa.update(M).where(M.c.story_id == keep).values(pinned=True))
            self._pinned |= self.members(keep) | set(moved)
        for entry_id in moved:
            self._story_of[entry_id] = keep
        self.members(keep).update(moved)
        self._members[other] = set()
        row = self.conn.execute(sa.select(S.c.title).where(S.c.id == other)).first()
        kept_title = self.conn.execute(sa.select(S.c.title).where(S.c.id == keep)).scalar()
        if row is not None and row.title and not kept_title:
            self.conn.execute(sa.update(S).where(S.c.id == keep).values(title=row.title))
        self.conn.execute(sa.delete(S).where(S.c.id == other))
        self._members.pop(other, None)
        self.touch(keep)

    def apply(self, entry_id: int, decision: Decision) -> int | None:
        """Carry out ``rule.decide``'s decision for an arriving entry; its story after."""
        current = self.stories_of([entry_id]).get(entry_id)
        if self.is_pinned(entry_id):
            return current
        if decision.join is None:
            return current
        target = self._materialise(decision.join)
        for key in decision.merge:
            if not self.may_merge(target, key):
                continue
            other = key if key > 0 else None
            if other is None:
                self.put(-key, target)
                continue
            if other == target or not self.members(other):
                continue
            keep, gone = (target, other)
            if len(self.members(other)) > len(self.members(target)):
                keep, gone = other, target
            self.merge(keep, gone)
            target = keep
        self.put(entry_id, target)
        return self.stories_of([entry_id]).get(entry_id)

    def _materialise(self, key: int) -> int:
        """A story id for a key: a story's own, or a new story holding the lone entry."""
        if key > 0:
            return key
        story = self.new_story()
        self.put(-key, story)
        return story
