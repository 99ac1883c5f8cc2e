"""The owner's decisions about stories, kept as constraints every recomputation obeys.

* rename: the owner's title replaces the chosen one (an empty title gives it back);
* merge: the stories become the first one, and every entry in them is *placed* there
  (``pinned``), so no later pass splits what the owner joined;
* move: the entry is placed in another story, or alone in a story of its own;
* apart: the two entries never share a story; if they do now, the later one leaves it.
  Pairs kept apart also lower the score of pairs that resemble them (related.link).

Each runs in one transaction and names what was wrong when it cannot be done.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from clipdiary.errors import NotFound, UsageError
from clipdiary.store import Store, schema
from clipdiary.stories.book import StoryBook

S = schema.stories
M = schema.story_members
AP = schema.story_apart
E = schema.entries
TITLE_MAX = 200


def _story_id(conn: sa.Connection, store: Store, number: int) -> int:
    found = conn.execute(
        sa.select(S.c.id).where(S.c.diary_id == store.diary_id, S.c.number == number)
    ).scalar()
    if found is None:
        raise NotFound(f"no story s{number}")
    return int(found)


def _entry_id(store: Store, day: dt.date, name: str) -> int:
    return store.get_entry(day, name, include_private=True).id


def rename(store: Store, number: int, title: str) -> None:
    title = " ".join(title.split())
    if len(title) > TITLE_MAX:
        raise UsageError(f"a story title is at most {TITLE_MAX} characters (got {len(title)})")
    with store.transaction() as conn:
        story = _story_id(conn, store, number)
        conn.execute(sa.update(S).where(S.c.id == story).values(title=title or None))


def merge(store: Store, numbers: list[int]) -> int:
    """Merge the stories into the first; returns its number."""
    if len(set(numbers)) < 2:
        raise UsageError("merge needs two or more different stories")
    with store.transaction() as conn:
        book = StoryBook(conn, store.diary_id)
        ids = [_story_id(conn, store, n) for n in numbers]
        keep = ids[0]
        # Merging undoes "on its own": the owner now says these belong together.
        conn.execute(sa.update(S).where(S.c.id.in_(ids)).values(alone=False))
        book.closed().difference_update(ids)
        for other in ids[1:]:
            if not book.may_merge(keep, other):
                raise UsageError(
                    f"s{numbers[0]} and s{numbers[ids.index(other)]} hold entries you kept "
                    "apart; move one of them out first"
                )
            book.merge(keep, other, pinned=True)
        conn.execute(sa.update(S).where(S.c.id == keep).values(owner_merged=True))
        conn.execute(sa.update(M).where(M.c.story_id == keep).values(pinned=True))
    return numbers[0]


def move(
    store: Store, day: dt.date, name: str, *, to: int | None = None, alone: bool = False
) -> int:
    """Place the entry in story ``to``, or alone in a new story; returns its story number."""
    if (to is None) == (not alone):
        raise UsageError("move needs either a story (--to s17) or --alone")
    entry_id = _entry_id(store, day, name)
    with store.transaction() as conn:
        book = StoryBook(conn, store.diary_id)
        if to is not None:
            story = _story_id(conn, store, to)
            members = book.members(story)
            if book.apart_from(entry_id) & members:
                raise UsageError(f"s{to} holds an entry you kept apart from {day:%Y%m%d}/{name}")
        else:
            story = book.new_story(alone=True)
        book.put(entry_id, story, pinned=True)
        number = conn.execute(sa.select(S.c.number).where(S.c.id == story)).scalar_one()
    return int(number)


def apart(store: Store, first: tuple[dt.date, str], second: tuple[dt.date, str]) -> None:
    """The two entries are not the same story, now and in every later recomputation."""
    a, b = _entry_id(store, *first), _entry_id(store, *second)
    if a == b:
        raise UsageError("apart needs two different entries")
    low, high = min(a, b), max(a, b)
    with store.transaction() as conn:
        exists = conn.execute(
            sa.select(AP.c.entry_a).where(AP.c.entry_a == low, AP.c.entry_b == high)
        ).first()
        if exists is None:
            conn.execute(sa.insert(AP).values(entry_a=low, entry_b=high, diary_id=store.diary_id))
        book = StoryBook(conn, store.diary_id)
        stories = book.stories_of([a, b])
        if stories.get(a) is not None and stories.get(a) == stories.get(b):
            created = dict(
                conn.execute(sa.select(E.c.id, E.c.created_at).where(E.c.id.in_([a, b]))).all()
            )
            later = max((a, b), key=lambda i: (created[i], i))
            book.take_out(later)
