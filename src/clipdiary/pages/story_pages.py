"""A story's page and the list of stories, for ``PageBuilder`` (the live site and the export).

The data comes from ``clipdiary.stories.query`` on the live site and from the static
build's own outline (``site/stories.py``) in the export; both hand over the same model
objects (``Story``, ``StoryRef``), so the templates cannot tell them apart.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clipdiary.model import Story, StoryEntry, StoryRef
from clipdiary.pages.paging import Paging, check_page

if TYPE_CHECKING:
    from clipdiary.pages.builder import Viewer
    from clipdiary.store import Store
    from clipdiary.urls import Urls

STORIES_PER_PAGE = 50


@dataclass(frozen=True)
class StoryItem:
    """One line of ``/stories``: the story with its languages and its last day."""

    ref: StoryRef
    langs: tuple[str, ...]
    last_day: dt.date


def timeline(story: Story) -> list[tuple[dt.date, list[StoryEntry]]]:
    """The story's entries by day, oldest first (as they come)."""
    return [(day, list(group)) for day, group in itertools.groupby(story.entries, lambda e: e.day)]


class StoryPagesMixin:
    """The story pages; ``PageBuilder`` gives ``store``, ``urls`` and ``_page``."""

    store: Store
    urls: Urls

    def _page(  # pragma: no cover - PageBuilder's
        self,
        template: str,
        viewer: Viewer,
        *,
        canonical: str | None = None,
        og_type: str = "website",
        description: str | None = None,
        **context: Any,
    ) -> str:
        raise NotImplementedError

    def story(self, viewer: Viewer, number: int, *, error: str | None = None) -> str:
        from clipdiary.stories.query import get_story  # SQLAlchemy: the live site only

        found = get_story(self.store, number, include_private=viewer.is_owner)
        return self.story_view(viewer, found, error=error)

    def story_view(self, viewer: Viewer, story: Story, *, error: str | None = None) -> str:
        """A story's timeline; ``error`` is the owner's last form's, when it failed."""
        span = f"{story.first_day.isoformat()} – {story.last_day.isoformat()}"
        return self._page(
            "story.html",
            viewer,
            story=story,
            days=timeline(story),
            title=story.title,
            story_feed=self.urls.story_feed(story.number),
            error=error,
            canonical=self.urls.story(story.number),
            og_type="article",
            description=f"{story.size} clips, {span}",
        )

    def stories(self, viewer: Viewer, *, page: int = 1) -> str:
        from clipdiary.stories.query import list_stories, story_langs_and_last

        owner = viewer.is_owner
        # One more than a page shows tells whether there is a next page, without counting.
        refs = list_stories(
            self.store,
            include_private=owner,
            limit=STORIES_PER_PAGE + 1,
            offset=(max(page, 1) - 1) * STORIES_PER_PAGE,
        )
        check_page(page, exists=bool(refs), of="the stories")
        shown = refs[:STORIES_PER_PAGE]
        extras = story_langs_and_last(self.store, [r.number for r in shown], include_private=owner)
        items = [StoryItem(r, *extras.get(r.number, ((), r.first_day))) for r in shown]
        paging = Paging(
            page,
            None,
            self.urls.stories(page - 1) if page > 1 else None,
            self.urls.stories(page + 1) if len(refs) > STORIES_PER_PAGE else None,
        )
        return self.stories_view(viewer, items, paging)

    def stories_view(
        self,
        viewer: Viewer,
        items: list[StoryItem],
        paging: Paging,
        *,
        canonical: str | None = None,
    ) -> str:
        """One page of the active stories; ``canonical`` as the page's own path when the
        export numbers its pages its own way."""
        return self._page(
            "stories.html",
            viewer,
            items=items,
            paging=paging,
            title="Stories",
            canonical=canonical or self.urls.stories(paging.page),
        )
