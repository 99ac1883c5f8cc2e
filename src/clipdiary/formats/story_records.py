"""Stories in the JSON Lines backup: every story with its entries and what the owner
decided about it, written after the entries, and put back after them on import.

A story keeps its public id (``s17``, an address: ``/story/s17``) where the diary has no
other story of that number; its entries, the ones the owner placed (``pinned``), the
owner's title, and whether the owner merged it or set an entry on its own in it. Pairs the
owner kept apart come last. The related links are not in the backup: after an import they
are computed again and the stories with them (``RelatedIndexer.catch_up``), and that pass
keeps what is restored here, as every recomputation keeps the owner's decisions.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from clipdiary.errors import NotFound
from clipdiary.model import day_key
from clipdiary.store import Store, schema
from clipdiary.stories import owner
from clipdiary.stories.book import StoryBook

from .items import ApartItem, StoryItem

E = schema.entries
S = schema.stories
M = schema.story_members
AP = schema.story_apart
_CHUNK = 500
KEEP_JACCARD = 0.5  # as restory keeps a story's id

Key = tuple[dt.date, str]


def _address(day: dt.date, name: str) -> str:
    return f"{day_key(day)}/{name}"


def records(store: Store) -> Iterator[dict[str, Any]]:
    """A "story" record for each story of the diary, by number, then an "apart" record
    for each pair kept apart."""
    query = (
        sa.select(
            S.c.number,
            S.c.title,
            S.c.owner_merged,
            S.c.alone,
            M.c.pinned,
            E.c.day,
            E.c.name,
        )
        .select_from(S.join(M, M.c.story_id == S.c.id).join(E, E.c.id == M.c.entry_id))
        .where(S.c.diary_id == store.diary_id)
        .order_by(S.c.number, E.c.created_at, E.c.id)
    )
    with store._read() as conn:
        rows = conn.execute(query).all()
        first, second = E.alias("first"), E.alias("second")
        pairs = conn.execute(
            sa.select(first.c.day, first.c.name, second.c.day, second.c.name)
            .select_from(
                AP.join(first, first.c.id == AP.c.entry_a).join(second, second.c.id == AP.c.entry_b)
            )
            .where(AP.c.diary_id == store.diary_id)
            .order_by(first.c.created_at, first.c.id, second.c.created_at, second.c.id)
        ).all()
    record: dict[str, Any] | None = None
    for row in rows:
        if record is None or record["id"] != f"s{row.number}":
            if record is not None:
                yield record
            record = {
                "kind": "story",
                "id": f"s{row.number}",
                "title": row.title,
                "entries": [],
                "pinned": [],
                "owner_merged": bool(row.owner_merged),
                "alone": bool(row.alone),
            }
        address = _address(row.day, row.name)
        record["entries"].append(address)
        if row.pinned:
            record["pinned"].append(address)
    if record is not None:
        yield record
    for day_a, name_a, day_b, name_b in pairs:
        yield {"kind": "apart", "entries": [_address(day_a, name_a), _address(day_b, name_b)]}


def story_items(store: Store) -> list[StoryItem]:
    """The diary's stories as a backup holds them (to put their numbers back after a
    recomputation: take_back_numbers)."""
    found = []
    for record in records(store):
        if record["kind"] != "story":
            continue
        found.append(
            StoryItem(
                number=int(record["id"][1:]),
                title=record["title"],
                entries=tuple(_key(a) for a in record["entries"]),
                pinned=frozenset(_key(a) for a in record["pinned"]),
                owner_merged=record["owner_merged"],
                alone=record["alone"],
                where=record["id"],
            )
        )
    return found


def _key(address: str) -> Key:
    day, name = address.split("/", 1)
    return dt.datetime.strptime(day, "%Y%m%d").date(), name


def restore(store: Store, stories: Sequence[StoryItem], aparts: Sequence[ApartItem]) -> None:
    """Put the stories and pairs back, in one transaction, after their entries are in.

    Each story takes its number when the diary has no story of that number, or when the
    story of that number holds some of its entries already (the same import run again);
    otherwise a new number. What the diary's owner decided stays: an entry placed in
    another story, a title given.
    """
    if not stories and not aparts:
        return
    with store.transaction() as conn:
        ids = _entry_ids(conn, store, [k for s in stories for k in s.entries])
        book = StoryBook(conn, store.diary_id)
        existing = {
            int(r.number): int(r.id)
            for r in conn.execute(
                sa.select(S.c.number, S.c.id).where(S.c.diary_id == store.diary_id)
            )
        }
        targets: dict[int, int | None] = {}
        for item in stories:
            story = existing.get(item.number)
            if story is None:
                targets[item.number] = _new_story(conn, store, item.number, item)
            elif story in book.stories_of([ids[k] for k in item.entries]).values():
                targets[item.number] = story
            else:
                targets[item.number] = None  # its number is another story's: a new one below
        for item in stories:
            story = _ensure(conn, store, targets[item.number], item)
            flags = {f: True for f in ("owner_merged", "alone") if getattr(item, f)}
            if flags:
                conn.execute(sa.update(S).where(S.c.id == story).values(**flags))
            for key in item.entries:
                entry_id = ids[key]
                current = book.stories_of([entry_id]).get(entry_id)
                if current is not None and current != story and book.is_pinned(entry_id):
                    continue  # placed elsewhere by the owner of this diary
                book.put(entry_id, story, pinned=key in item.pinned)
            book.drop_if_empty(story)
            row = conn.execute(sa.select(S.c.number, S.c.title).where(S.c.id == story)).first()
            if item.title is not None and row is not None and not row.title:
                owner.rename(store, int(row.number), item.title)
        for pair in aparts:
            owner.apart(store, pair.first, pair.second)


def take_back_numbers(store: Store, stories: Sequence[StoryItem]) -> None:
    """After the links and stories were computed again (an import's catch-up): a story
    that mostly is one of the backup's (Jaccard >= 0.5) takes back that story's number, if
    no other story holds it, and its title when it has none. Recomputing can end a story
    and find it again under a new number; its address should not change with a restore."""
    if not stories:
        return
    with store.transaction() as conn:
        ids = _entry_ids(conn, store, [k for s in stories for k in s.entries])
        story_of: dict[int, int] = {}
        members: dict[int, set[int]] = {}
        for entry_id, story in conn.execute(
            sa.select(M.c.entry_id, M.c.story_id).where(M.c.diary_id == store.diary_id)
        ):
            story_of[int(entry_id)] = int(story)
            members.setdefault(int(story), set()).add(int(entry_id))
        rows = conn.execute(
            sa.select(S.c.id, S.c.number, S.c.title).where(S.c.diary_id == store.diary_id)
        ).all()
        number_of = {int(r.id): int(r.number) for r in rows}
        titled = {int(r.id) for r in rows if r.title}
        recorded = {item.number for item in stories}
        matches = []
        for item in stories:
            wanted = {ids[k] for k in item.entries}
            for story in {story_of[e] for e in wanted if e in story_of}:
                theirs = members[story]
                jaccard = len(wanted & theirs) / len(wanted | theirs)
                if jaccard >= KEEP_JACCARD:
                    matches.append((jaccard, item.number, story, item))
        taken = set(number_of.values())
        used: set[int] = set()
        for _, number, story, item in sorted(matches, key=lambda m: (-m[0], m[1], m[2])):
            if story in used:
                continue
            if number_of[story] != number:
                # A story already under a number of the backup keeps it.
                if number in taken or number_of[story] in recorded:
                    continue
                conn.execute(sa.update(S).where(S.c.id == story).values(number=number))
                taken.discard(number_of[story])
                taken.add(number)
                number_of[story] = number
            used.add(story)
            if item.title is not None and story not in titled:
                owner.rename(store, number, item.title)


def _ensure(conn: sa.Connection, store: Store, story: int | None, item: StoryItem) -> int:
    """The story to restore ``item`` into: ``story`` while it exists (moving entries out of
    a story can end it), else a new one of the item's number if free, else of a new one."""
    if story is not None and conn.execute(sa.select(S.c.id).where(S.c.id == story)).first():
        return story
    taken = conn.execute(
        sa.select(S.c.id).where(S.c.diary_id == store.diary_id, S.c.number == item.number)
    ).first()
    if taken is None:
        return _new_story(conn, store, item.number, item)
    top = conn.execute(
        sa.select(sa.func.max(S.c.number)).where(S.c.diary_id == store.diary_id)
    ).scalar()
    return _new_story(conn, store, int(top or 0) + 1, item)


def _new_story(conn: sa.Connection, store: Store, number: int, item: StoryItem) -> int:
    now = int(time.time())
    return int(
        conn.execute(
            sa.insert(S)
            .values(
                diary_id=store.diary_id,
                number=number,
                owner_merged=item.owner_merged,
                alone=item.alone,
                created_at=now,
                updated_at=now,
            )
            .returning(S.c.id)
        ).scalar_one()
    )


def _entry_ids(conn: sa.Connection, store: Store, keys: Sequence[Key]) -> dict[Key, int]:
    """The ids of entries named by (day, name), a query per few hundred days."""
    wanted = set(keys)
    days = sorted({day for day, _ in wanted})
    found: dict[Key, int] = {}
    for start in range(0, len(days), _CHUNK):
        for entry_id, day, name in conn.execute(
            sa.select(E.c.id, E.c.day, E.c.name).where(
                E.c.diary_id == store.diary_id, E.c.day.in_(days[start : start + _CHUNK])
            )
        ):
            if (day, name) in wanted:
                found[(day, name)] = int(entry_id)
    missing = wanted - found.keys()
    if missing:
        day, name = min(missing)
        raise NotFound(f"no entry {_address(day, name)} for its story")
    return found
