"""Reading stories for pages, feeds, the API and the command line.

What a viewer sees of a story is what they may see of its entries: a visitor's story holds
its public entries only, and a story with none does not exist for them. An entry shows its
story (``StoryRef``) when the story holds at least one other entry the viewer may see.

A story's title is the owner's, or the one ``titles`` chooses from its entries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from clipdiary.clip.lang import guess_lang
from clipdiary.errors import NotFound, UsageError
from clipdiary.model import Story, StoryEntry, StoryRef
from clipdiary.related.text import lead
from clipdiary.render import entry_text
from clipdiary.store import Store, schema
from clipdiary.store.rows import entry_from_row
from clipdiary.stories.titles import choose_titles, diary_lang

E = schema.entries
S = schema.stories
M = schema.story_members
L = schema.related_links
_CHUNK = 500
_KEY = re.compile(r"^s?(\d{1,12})$")
_LEAD = 160


def parse_story_key(text: str) -> int:
    """``s17`` (or ``17``) as a story number; UsageError naming the text otherwise."""
    match = _KEY.match(text.strip())
    if not match:
        raise UsageError(f"not a story id: {text!r} (story ids look like s17)")
    return int(match.group(1))


def story_refs(
    store: Store, entry_ids: Iterable[int], *, include_private: bool
) -> dict[int, StoryRef]:
    """The story of each entry that is in one with another entry the viewer may see."""
    wanted = list(dict.fromkeys(entry_ids))
    found: dict[int, StoryRef] = {}
    if not wanted:
        return found
    with store._read() as conn:
        story_of: dict[int, int] = {}
        for start in range(0, len(wanted), _CHUNK):
            for entry_id, story_id in conn.execute(
                sa.select(M.c.entry_id, M.c.story_id).where(
                    M.c.entry_id.in_(wanted[start : start + _CHUNK])
                )
            ):
                story_of[int(entry_id)] = int(story_id)
        stories = sorted(set(story_of.values()))
        summaries = _summaries(conn, store, stories, include_private=include_private)
    for entry_id, story_id in story_of.items():
        summary = summaries.get(story_id)
        if summary is not None and summary.size >= 2:
            found[entry_id] = summary
    return found


def _summaries(
    conn: sa.Connection, store: Store, story_ids: Sequence[int], *, include_private: bool
) -> dict[int, StoryRef]:
    """Number, title, visible size and first day of each story (titles chosen as above)."""
    result: dict[int, StoryRef] = {}
    for start in range(0, len(story_ids), _CHUNK):
        chunk = list(story_ids[start : start + _CHUNK])
        query = (
            sa.select(
                S.c.id,
                S.c.number,
                S.c.title,
                E.c.id.label("entry_id"),
                E.c.title.label("entry_title"),
                E.c.source_lang,
                E.c.source_site,
                E.c.day,
                E.c.created_at,
            )
            .select_from(S.join(M, M.c.story_id == S.c.id).join(E, E.c.id == M.c.entry_id))
            .where(S.c.id.in_(chunk))
            .order_by(S.c.id, E.c.created_at, E.c.id)
        )
        if not include_private:
            query = query.where(E.c.visibility == "public")
        members: dict[int, list[Any]] = defaultdict(list)
        for row in conn.execute(query):
            members[int(row.id)].append(row)
        centrality = _centrality(
            conn, {int(r.entry_id): story for story, rows in members.items() for r in rows}
        )
        lang = diary_lang(store.diary)
        for story_id, rows in members.items():
            titled = [
                (
                    int(r.entry_id),
                    r.entry_title,
                    r.source_lang or guess_lang(r.entry_title),
                    r.source_site,
                )
                for r in rows
            ]
            own, _ = choose_titles(titled, centrality, lang)
            first = rows[0]
            result[story_id] = StoryRef(int(first.number), first.title or own, len(rows), first.day)
    return result


def _centrality(conn: sa.Connection, story_of: dict[int, int]) -> dict[int, float]:
    """Sum of the link scores each entry has to and from the other entries of its story
    (links between two stories count for neither: a title does not depend on the page)."""
    score: dict[int, float] = defaultdict(float)
    listed = list(story_of)
    for start in range(0, len(listed), _CHUNK):
        chunk = listed[start : start + _CHUNK]
        for a, b, s in conn.execute(
            sa.select(L.c.entry_id, L.c.target_id, L.c.score).where(L.c.entry_id.in_(chunk))
        ):
            if story_of.get(int(b)) == story_of[int(a)]:
                score[int(a)] += float(s)
                score[int(b)] += float(s)
    return score


def get_story(store: Store, number: int, *, include_private: bool) -> Story:
    """A story with its entries as the viewer may see them (NotFound if none)."""
    with store._read() as conn:
        row = conn.execute(
            sa.select(S).where(S.c.diary_id == store.diary_id, S.c.number == number)
        ).first()
        if row is None:
            raise NotFound(f"no story s{number}")
        query = (
            sa.select(E)
            .select_from(M.join(E, E.c.id == M.c.entry_id))
            .where(M.c.story_id == row.id)
            .order_by(E.c.created_at, E.c.id)
        )
        if not include_private:
            query = query.where(E.c.visibility == "public")
        rows = conn.execute(query).all()
        if not rows:
            raise NotFound(f"no story s{number}")
        centrality = _centrality(conn, {int(r.id): int(row.id) for r in rows})
    diary = store.diary
    entries = []
    for r in rows:
        entry = entry_from_row(r._mapping, diary.zone, categories=(), aliases=(), comments=())
        text = entry_text(entry, diary)
        entries.append(
            StoryEntry(
                id=int(r.id),
                day=r.day,
                name=r.name,
                title=r.title,
                lang=r.source_lang or guess_lang(f"{r.title}\n{text[:200]}"),
                created=entry.created,
                site=r.source_site,
                source_url=r.source_url,
                lead=lead(text, _LEAD).strip(),
                is_public=r.visibility == "public",
            )
        )
    titled = [(e.id, e.title, e.lang, e.site) for e in entries]
    own, other = choose_titles(titled, centrality, diary_lang(diary))
    return Story(
        number=int(row.number),
        title=row.title or own,
        other_title=other if not row.title else (own if own != row.title else other),
        owner_title=row.title,
        entries=tuple(entries),
        updated=dt.datetime.fromtimestamp(int(row.updated_at), tz=diary.zone),
    )


def list_stories(
    store: Store, *, include_private: bool, limit: int = 50, offset: int = 0
) -> list[StoryRef]:
    """Stories of two or more visible entries, the most recently added to first."""
    newest = sa.func.max(E.c.created_at).label("newest")
    query = (
        sa.select(M.c.story_id, newest)
        .select_from(M.join(E, E.c.id == M.c.entry_id))
        .where(M.c.diary_id == store.diary_id)
        .group_by(M.c.story_id)
        .having(sa.func.count() >= 2)
        .order_by(newest.desc(), M.c.story_id.desc())
        .limit(limit)
        .offset(offset)
    )
    if not include_private:
        query = query.where(E.c.visibility == "public")
    with store._read() as conn:
        ids = [int(r.story_id) for r in conn.execute(query)]
        summaries = _summaries(conn, store, ids, include_private=include_private)
    return [summaries[i] for i in ids if i in summaries]


def story_langs_and_last(
    store: Store, numbers: Sequence[int], *, include_private: bool
) -> dict[int, tuple[tuple[str, ...], dt.date]]:
    """For a list page: each story's languages and last day, by story number."""
    query = (
        sa.select(S.c.number, E.c.source_lang, E.c.title, E.c.day)
        .select_from(S.join(M, M.c.story_id == S.c.id).join(E, E.c.id == M.c.entry_id))
        .where(S.c.diary_id == store.diary_id, S.c.number.in_(list(numbers)))
    )
    if not include_private:
        query = query.where(E.c.visibility == "public")
    langs: dict[int, set[str]] = defaultdict(set)
    last: dict[int, dt.date] = {}
    with store._read() as conn:
        for number, lang, title, day in conn.execute(query):
            found = lang or guess_lang(title)
            if found:
                langs[int(number)].add(found)
            last[int(number)] = max(day, last.get(int(number), day))
    return {n: (tuple(sorted(langs[n])), last[n]) for n in last}
