"""Stories in the static export, made from the outline as the live site shows them.

The build reads which public entry is in which story (``SqliteReader.story_members``, or
the same query through ``Store`` for a PostgreSQL diary) and makes from the outline what
the live site reads through ``stories.query``: each entry's ``StoryRef``, each story's
page and its place in the list. Only public entries count, so a story of private entries
is not there, and a story gets its pages when it holds two public entries (the ones an
entry's story line links to).

Titles are chosen by ``stories.titles`` and leads cut by ``related.text``, as the live
pages do; neither loads the store.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from clipdiary.clip.lang import guess_lang
from clipdiary.model import Diary, Entry, Story, StoryEntry, StoryRef
from clipdiary.pages import story_pages
from clipdiary.pages.story_pages import StoryItem
from clipdiary.related.text import lead
from clipdiary.render import entry_text
from clipdiary.store.lite import StoryMember
from clipdiary.store.rows import EntryStamp
from clipdiary.stories.titles import choose_titles, diary_lang

if TYPE_CHECKING:
    from clipdiary.store import Store

LEAD = 160  # characters of an entry's text in a story's timeline, as stories.query


def read_members(reader: Any) -> list[StoryMember]:
    """The public entries in stories, from whichever reader the build was given."""
    own = getattr(reader, "story_members", None)
    if callable(own):
        return cast("list[StoryMember]", own())
    return _store_members(cast("Store", reader))


def _store_members(store: Store) -> list[StoryMember]:
    import sqlalchemy as sa  # a Store's build has it loaded already

    from clipdiary.store import schema

    s, m, e = schema.stories, schema.story_members, schema.entries
    query = (
        sa.select(s.c.id, s.c.number, s.c.title, s.c.updated_at, m.c.entry_id, e.c.source_site)
        .select_from(s.join(m, m.c.story_id == s.c.id).join(e, e.c.id == m.c.entry_id))
        .where(s.c.diary_id == store.diary_id, e.c.visibility == "public")
        .order_by(s.c.id, m.c.entry_id)
    )
    with store._read() as conn:
        return [StoryMember(*row) for row in conn.execute(query)]


@dataclass
class SiteStory:
    """One story as the public sees it: its public entries by the time they were written."""

    story_id: int
    number: int
    owner_title: str | None
    updated_at: int
    members: list[EntryStamp] = field(default_factory=list)
    sites: dict[int, str | None] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"s{self.number}"


class StoryOutline:
    """The diary's stories over its public entries (``Content.stories``)."""

    def __init__(
        self,
        diary: Diary,
        public: dict[int, EntryStamp],
        related: dict[int, list[tuple[int, float]]],
        rows: Iterable[StoryMember],
    ) -> None:
        self.diary = diary
        self.related = related
        found: dict[int, SiteStory] = {}
        for row in rows:
            stamp = public.get(row.entry_id)
            if stamp is None:
                continue
            story = found.get(row.story_id)
            if story is None:
                story = found[row.story_id] = SiteStory(
                    row.story_id, row.number, row.title, row.updated_at
                )
            story.members.append(stamp)
            story.sites[stamp.id] = row.source_site
        for story in found.values():
            story.members.sort(key=lambda s: (s.created_at, s.id))
        # Only stories of two public entries show: under their entries, in the list, pages.
        self.stories = {s.number: s for s in found.values() if len(s.members) >= 2}

    def _centrality(self, story: SiteStory) -> dict[int, float]:
        ids = {s.id for s in story.members}
        score: dict[int, float] = defaultdict(float)
        for a in ids:
            for b, s in self.related.get(a, ()):
                if b in ids:
                    score[a] += s
                    score[b] += s
        return score

    @cached_property
    def _lang(self) -> str:
        return diary_lang(self.diary)

    @cached_property
    def refs(self) -> dict[int, StoryRef]:
        """Each story's ref, by number."""
        refs = {}
        for number, story in self.stories.items():
            titled = [
                (s.id, s.title, s.source_lang or guess_lang(s.title), story.sites.get(s.id))
                for s in story.members
            ]
            own, _ = choose_titles(titled, self._centrality(story), self._lang)
            first = story.members[0]
            refs[number] = StoryRef(number, story.owner_title or own, len(titled), first.day)
        return refs

    @cached_property
    def by_entry(self) -> dict[int, StoryRef]:
        """The story of every public entry that shares one with another public entry."""
        refs = self.refs
        return {s.id: refs[n] for n, story in self.stories.items() for s in story.members}

    def part(self, entry_id: int) -> str:
        """What an entry's story line shows, for its fingerprint ("" for none)."""
        ref = self.by_entry.get(entry_id)
        return "" if ref is None else repr(ref)

    @cached_property
    def items(self) -> list[StoryItem]:
        """The list of stories, the most recently added to first (as ``list_stories``)."""
        ordered = sorted(
            self.stories.values(),
            key=lambda s: (max(m.created_at for m in s.members), s.story_id),
            reverse=True,
        )
        items = []
        for story in ordered:
            langs = {m.source_lang or guess_lang(m.title) for m in story.members}
            last = max(m.day for m in story.members)
            ref = self.refs[story.number]
            items.append(StoryItem(ref, tuple(sorted(x for x in langs if x)), last))
        return items

    def list_pages(self) -> int:
        """The list of stories' pages (one, with no story on it, for a diary without any)."""
        return max(1, math.ceil(len(self.items) / story_pages.STORIES_PER_PAGE))

    def list_page(self, page: int) -> list[StoryItem]:
        per_page = story_pages.STORIES_PER_PAGE
        start = (max(page, 1) - 1) * per_page
        return self.items[start : start + per_page]

    def story(self, key: str, entry: Callable[[EntryStamp], Entry]) -> Story:
        """A story's page, from its entries read in full (``entry``)."""
        site = self.stories[int(key[1:])]
        entries = []
        for stamp in site.members:
            full = entry(stamp)
            text = entry_text(full, self.diary)
            source_url = full.source.url if full.source else None
            entries.append(
                StoryEntry(
                    id=full.id,
                    day=full.day,
                    name=full.name,
                    title=full.title,
                    lang=stamp.source_lang or guess_lang(f"{full.title}\n{text[:200]}"),
                    created=full.created,
                    site=site.sites.get(stamp.id),
                    source_url=source_url,
                    lead=lead(text, LEAD).strip(),
                    is_public=True,
                )
            )
        titled = [(e.id, e.title, e.lang, e.site) for e in entries]
        own, other = choose_titles(titled, self._centrality(site), self._lang)
        owner = site.owner_title
        return Story(
            number=site.number,
            title=owner or own,
            other_title=other if not owner else (own if own != owner else other),
            owner_title=owner,
            entries=tuple(entries),
            updated=dt.datetime.fromtimestamp(site.updated_at, tz=self.diary.zone),
        )
