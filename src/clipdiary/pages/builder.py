"""Every page a reader sees, built from the store through Jinja2 templates.

The live site (``web/``) and, later, the static export call the same methods, so both
show the same HTML at the same addresses.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import jinja2
from markupsafe import Markup

from clipdiary import __version__
from clipdiary.model import DayPage, Entry, EntryImage, Heading, RelatedLink, StoryRef
from clipdiary.pages.clip_notes import ClipNotes, clip_notes
from clipdiary.pages.feeds import absolute
from clipdiary.pages.figures import with_figures
from clipdiary.pages.owner_pages import OwnerPagesMixin
from clipdiary.pages.paging import Paging, check_page
from clipdiary.pages.story_pages import StoryPagesMixin
from clipdiary.render import RenderedBody, render_entry
from clipdiary.safeurl import web_url
from clipdiary.store.media_lite import images_for
from clipdiary.urls import Urls

if TYPE_CHECKING:
    from clipdiary.search import SearchPage
    from clipdiary.store import Store

DAYS_PER_PAGE = 7
ENTRIES_PER_CATEGORY_PAGE = 20
WEEKDAYS_JA = "月火水木金土日"
DESCRIPTION_LENGTH = 120  # characters; link previews cut longer summaries anyway

Neighbours = tuple[dt.date | None, dt.date | None]


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the owner sees private entries and the writing links."""

    is_owner: bool = False
    csrf_token: str = ""
    flash: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PageMeta:
    """What a page says about itself in ``<head>``: its one address and its link preview."""

    canonical: str | None  # absolute when the diary's address is known, else a path
    url: str | None  # og:url, only ever absolute
    type: str  # og:type
    title: str
    description: str | None


class PageBuilder(StoryPagesMixin, OwnerPagesMixin):
    def __init__(self, store: Store, urls: Urls | None = None) -> None:
        self.store = store
        self.urls = urls or Urls()
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("clipdiary.pages", "templates"),
            # Templates ship inside the package and never change while a server runs.
            auto_reload=False,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        self.env.globals.update(
            urls=self.urls,
            version=__version__,
            weekday=_weekday,
            static_site=False,
            cached_section=_uncached_section,
            archive_month=_uncached_archive_month,
            clip_notes=self._clip_notes,
        )
        self.env.filters["hhmm"] = lambda moment: moment.strftime("%H:%M")
        self.env.filters["web_url"] = web_url  # a stored address not http(s) is no link

    @property
    def site_url(self) -> str:
        """What the paths ``urls`` builds hang from to make absolute addresses ("" when the
        diary's address is not set): the diary's base URL, less the base path the paths
        already carry."""
        return site_root(self.store.diary.base_url, self.urls.base_path)

    def _page(
        self,
        template: str,
        viewer: Viewer,
        *,
        canonical: str | None = None,
        og_type: str = "website",
        description: str | None = None,
        **context: Any,
    ) -> str:
        """Render ``template``; ``canonical`` is the page's own path, for the pages a reader
        may link to (owner pages, searches and errors have none)."""
        context.setdefault("related_links", self._related_links(viewer, context))
        context.setdefault("story_refs", self._story_refs(viewer, context))
        context.setdefault("neighbours", None)
        diary = self.store.diary
        site_url = self.site_url
        address = absolute(site_url, canonical) if canonical else None
        meta = PageMeta(
            canonical=address,
            url=address if site_url else None,
            type=og_type,
            title=context.get("title") or diary.title,
            description=description,
        )
        return self.env.get_template(template).render(
            diary=diary, viewer=viewer, body=self._body, meta=meta, **context
        )

    def _related_links(
        self, viewer: Viewer, context: dict[str, Any]
    ) -> dict[int, list[RelatedLink]]:
        """The related links of every entry on the page, in one query."""
        from clipdiary.related.query import related_for  # its modules are heavy; load when used

        ids = [entry.id for entry in _entries_in(context.values())]
        return related_for(self.store, ids, include_private=viewer.is_owner)

    def _story_refs(self, viewer: Viewer, context: dict[str, Any]) -> Mapping[int, StoryRef]:
        """The story of every entry on the page that shares one, in one query."""
        ids = [entry.id for entry in _entries_in(context.values())]
        if not ids:
            return {}
        from clipdiary.stories.query import story_refs  # SQLAlchemy: the live site only

        return story_refs(self.store, ids, include_private=viewer.is_owner)

    def rendered(self, entry: Entry) -> RenderedBody:
        """An entry's body as HTML; the static export overrides this with its own cache."""
        body = render_entry(
            entry,
            self.store.diary,
            permalink=self.urls.entry(entry.day, entry.name),
            base_path=self.urls.base_path,
        )
        images = self.entry_images(entry) if entry.source is not None else []
        if not images:
            return body
        base = self.urls.base_path
        summary = body.summary_html
        return RenderedBody(
            with_figures(body.html, images, base),
            with_figures(summary, images, base) if summary is not None else None,
            body.text,
        )

    def _clip_notes(self, entry: Entry, viewer: Viewer) -> ClipNotes:
        path = self.urls.entry(entry.day, entry.name)
        return clip_notes(self.store, entry, path, owner=viewer.is_owner)

    def entry_images(self, entry: Entry) -> list[EntryImage]:
        """The images a clip kept (and those it failed to keep), in page order."""
        return images_for(self.store, [entry.id]).get(entry.id, [])

    def _body(self, entry: Entry, *, full: bool) -> Markup:
        rendered = self.rendered(entry)
        if not full and rendered.summary_html is not None:
            return Markup(rendered.summary_html)  # noqa: S704 - sanitized by render_entry
        return Markup(rendered.html)  # noqa: S704 - sanitized by render_entry

    # -- reader pages -----------------------------------------------------------------

    def top(self, viewer: Viewer, *, page: int = 1) -> str:
        # One day more than a page shows tells whether there is an older page, without
        # counting every day of the diary on every request.
        days = self.store.latest_days(
            include_private=viewer.is_owner,
            limit=DAYS_PER_PAGE + 1,
            offset=(max(page, 1) - 1) * DAYS_PER_PAGE,
        )
        check_page(page, exists=bool(days), of="the latest days")
        paging = Paging(
            page,
            None,
            self.urls.top(page - 1) if page > 1 else None,
            self.urls.top(page + 1) if len(days) > DAYS_PER_PAGE else None,
        )
        return self.top_view(viewer, days[:DAYS_PER_PAGE], paging)

    def top_view(self, viewer: Viewer, days: list[DayPage], paging: Paging) -> str:
        return self._page(
            "top.html",
            viewer,
            days=days,
            paging=paging,
            title=None,
            canonical=self.urls.top(paging.page),
        )

    def day(self, viewer: Viewer, day: dt.date) -> str:
        page = self.store.day_page(day, include_private=viewer.is_owner)
        neighbours = self.store.neighbour_days(day, include_private=viewer.is_owner)
        return self.day_view(viewer, page, neighbours=neighbours)

    def day_view(
        self, viewer: Viewer, page: DayPage, *, neighbours: Neighbours | None = None
    ) -> str:
        """A day page from data already read (the static export reads everything at once);
        ``neighbours``, the nearest earlier and later days with entries, are linked when
        given."""
        day = page.day
        title = f"{day.isoformat()}"
        if page.title:
            title += f" {page.title}"
        return self._page(
            "day.html",
            viewer,
            page=page,
            title=title,
            neighbours=neighbours,
            canonical=self.urls.day(day),
        )

    def entry(self, viewer: Viewer, day: dt.date, name: str) -> str:
        entry = self.store.get_entry(day, name, include_private=viewer.is_owner)
        neighbours = self.store.neighbour_days(day, include_private=viewer.is_owner)
        return self.entry_view(viewer, entry, neighbours=neighbours)

    def entry_view(
        self, viewer: Viewer, entry: Entry, *, neighbours: Neighbours | None = None
    ) -> str:
        """An entry's own page; ``neighbours`` as for its day's page."""
        title = entry.title or entry.day.isoformat()
        return self._page(
            "entry.html",
            viewer,
            entry=entry,
            title=title,
            neighbours=neighbours,
            canonical=self.urls.entry(entry.day, entry.name),
            og_type="article",
            description=summary_of(self.rendered(entry).text),
        )

    def month(self, viewer: Viewer, year: int, month: int) -> str:
        days = self.store.month_pages(year, month, include_private=viewer.is_owner)
        return self.month_view(viewer, year, month, days)

    def month_view(
        self,
        viewer: Viewer,
        year: int,
        month: int,
        days: list[DayPage],
        *,
        neighbours: tuple[str, str] | None = None,
    ) -> str:
        """A month; ``neighbours`` replaces the links to the calendar months either side
        (the static export links the nearest months that have pages); past 0001-01 and
        9999-12, which no date goes beyond, the archive stands in."""
        before = (year, month - 1) if month > 1 else (year - 1, 12)
        after = (year, month + 1) if month < 12 else (year + 1, 1)
        links = neighbours or tuple(
            self.urls.month(*ym) if dt.MINYEAR <= ym[0] <= dt.MAXYEAR else self.urls.archive()
            for ym in (before, after)
        )
        return self._page(
            "month.html",
            viewer,
            days=days,
            title=f"{year:04d}-{month:02d}",
            previous=links[0],
            following=links[1],
            canonical=self.urls.month(year, month),
        )

    def same_date(self, viewer: Viewer, month: int, day: int) -> str:
        days = self.store.same_date_pages(month, day, include_private=viewer.is_owner)
        return self.same_date_view(viewer, month, day, days)

    def same_date_view(self, viewer: Viewer, month: int, day: int, days: list[DayPage]) -> str:
        return self._page(
            "same_date.html",
            viewer,
            days=days,
            title=f"{month}月{day}日",
            month=month,
            mday=day,
            canonical=self.urls.same_date(month, day),
        )

    def archive(self, viewer: Viewer) -> str:
        headings = self.store.headings(include_private=viewer.is_owner)
        categories = self.store.categories(include_private=viewer.is_owner)
        return self.archive_view(viewer, headings, categories)

    def archive_view(
        self, viewer: Viewer, headings: list[Heading], categories: list[tuple[str, int]]
    ) -> str:
        by_month: dict[tuple[int, int], list[Heading]] = defaultdict(list)
        for heading in headings:
            by_month[(heading.day.year, heading.day.month)].append(heading)
        return self._page(
            "archive.html",
            viewer,
            months=list(by_month.items()),
            categories=categories,
            title="Archive",
            canonical=self.urls.archive(),
        )

    def category(self, viewer: Viewer, name: str, *, page: int = 1) -> str:
        all_entries = self.store.entries(
            include_private=viewer.is_owner, category=name, newest_first=True
        )
        return self.category_view(viewer, name, all_entries, page=page)

    def category_view(
        self, viewer: Viewer, name: str, all_entries: list[Entry], *, page: int = 1
    ) -> str:
        """One page of a category from its entries, newest first."""
        pages = math.ceil(len(all_entries) / ENTRIES_PER_CATEGORY_PAGE)
        missing = f"There is no category [{name}]."
        check_page(page, exists=page <= pages, of=f"[{name}]", pages=pages, empty=missing)
        start = (page - 1) * ENTRIES_PER_CATEGORY_PAGE
        entries = all_entries[start : start + ENTRIES_PER_CATEGORY_PAGE]
        paging = Paging(
            page,
            pages,
            self.urls.category(name, page - 1) if page > 1 else None,
            self.urls.category(name, page + 1) if page < pages else None,
        )
        return self.category_page_view(
            viewer,
            name,
            entries,
            count=len(all_entries),
            paging=paging,
            canonical=self.urls.category(name, page),
        )

    def category_page_view(
        self,
        viewer: Viewer,
        name: str,
        entries: list[Entry],
        *,
        count: int | None,
        paging: Paging,
        canonical: str | None = None,
    ) -> str:
        """One page of a category from the entries it shows; ``count`` None leaves the
        category's size out (the static export's earlier pages, which never change);
        ``canonical`` is the page's own path (the static export numbers its pages its own
        way)."""
        return self._page(
            "category.html",
            viewer,
            name=name,
            entries=entries,
            count=count,
            paging=paging,
            title=f"[{name}]",
            category_feed=self.urls.category_feed(name),
            canonical=canonical,
        )

    def search(
        self,
        viewer: Viewer,
        *,
        query: str,
        sort: str,
        results: SearchPage | None,
        error: str | None = None,
    ) -> str:
        paging = None
        if results is not None:

            def link(page: int) -> str:
                params = {"q": query, "sort": sort, "page": page}
                return f"{self.urls.search()}?{urlencode(params)}"

            paging = Paging(
                results.page,
                results.pages,
                link(results.page - 1) if results.page > 1 else None,
                link(results.page + 1) if results.page < results.pages else None,
            )
        title = f"{query} - Search" if query.strip() else "Search"
        hits = {"hits": [hit.entry for hit in results.hits] if results else []}
        return self._page(
            "search.html",
            viewer,
            story_refs=self._story_refs(viewer, hits),
            query=query,
            sort=sort,
            results=results,
            error=error,
            paging=paging,
            title=title,
        )

    def not_found(self, viewer: Viewer, message: str) -> str:
        return self._page("404.html", viewer, message=message, title="Not found")

    def error(self, viewer: Viewer, message: str) -> str:
        return self._page("error.html", viewer, message=message, title="Error")

    def api_reference(
        self,
        viewer: Viewer,
        *,
        title: str,
        description: str,
        operations: list[Any],
        schemas: list[Any],
    ) -> str:
        """The JSON API's reference (``web/api_docs.py`` reads it from the OpenAPI schema)."""
        return self._page(
            "api_docs.html",
            viewer,
            intro=description,
            description=description,
            operations=operations,
            schemas=schemas,
            schema_names={schema.name for schema in schemas},
            title=title,
            canonical=self.urls.api_docs(),
        )


def _entries_in(values: Iterable[Any]) -> Iterator[Entry]:
    """The entries a page shows, wherever its context holds them."""
    for value in values:
        if isinstance(value, Entry):
            yield value
        elif isinstance(value, DayPage):
            yield from value.entries
        elif isinstance(value, list | tuple):
            yield from _entries_in(value)


def _uncached_section(macro: Any, entry: Entry, full: bool, heading: str) -> Markup:
    """The live site renders each section where it appears (the static export caches)."""
    return Markup(macro(entry, full, heading))  # noqa: S704 - the macro's own output


def _uncached_archive_month(macro: Any, year: int, month: int, headings: Any) -> Markup:
    """The live site renders each archive month (the static export keeps them)."""
    return Markup(macro(year, month, headings))  # noqa: S704 - the macro's own output


def _weekday(day: dt.date) -> str:
    return WEEKDAYS_JA[day.weekday()]


def site_root(base_url: str, base_path: str) -> str:
    """The absolute prefix for paths that start with ``base_path``: ``base_url`` as it is
    when paths carry no base path (the live site, wherever a proxy mounts it), else only
    its scheme and host, since the base path says where the diary is."""
    base_url = base_url.strip().rstrip("/")
    if not base_url or not base_path:
        return base_url
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


def summary_of(text: str, limit: int = DESCRIPTION_LENGTH) -> str | None:
    """The first ``limit`` characters of plain text on one line, for a link preview."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat or None
    return flat[: limit - 1].rstrip() + "…"


__all__ = ["DayPage", "Neighbours", "PageBuilder", "PageMeta", "Paging", "Viewer"]
