"""Render: one static page (a ``Job``) to its file path and bytes, through ``pages/``.

The templates and page methods are the live site's; only the URL builder (folder
addresses, see ``addresses.py``) and a cache of rendered bodies differ.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import jinja2

from clipdiary.model import DayPage, Entry, RelatedLink, parse_day
from clipdiary.pages.builder import ENTRIES_PER_CATEGORY_PAGE, PageBuilder, Paging, Viewer
from clipdiary.pages.feeds import FEED_SIZE, atom
from clipdiary.render import RenderedBody
from clipdiary.site.addresses import StaticUrls
from clipdiary.site.content import Content
from clipdiary.store import Store
from clipdiary.urls import Urls

VISITOR = Viewer(is_owner=False)


@dataclass(frozen=True, order=True)
class Job:
    """One page of the static site: ``kind`` and a ``key`` naming which one."""

    kind: str
    key: str = ""
    page: int = 1


def category_pages(count: int) -> int:
    return max(1, -(-count // ENTRIES_PER_CATEGORY_PAGE))


class StaticBuilder(PageBuilder):
    """``PageBuilder`` with folder addresses, no owner links, and bodies rendered once."""

    def __init__(self, store: Store, urls: StaticUrls) -> None:
        super().__init__(store, urls)
        self.env.loader = jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("clipdiary.pages", "templates"),
                jinja2.PackageLoader("clipdiary.site", "templates"),
            ]
        )
        self.env.globals["static_site"] = True
        self.bodies: dict[int, RenderedBody] = {}
        self.related: dict[int, list[RelatedLink]] = {}

    def preload_related(self, entries: list[Entry]) -> None:
        """Every entry's related links in one read, so no page asks the store again (and
        worker processes never touch the parent's database connections)."""
        loader = getattr(PageBuilder, "_related_links", None)
        if loader is not None:
            self.related = dict(loader(self, VISITOR, {"entries": entries}))

    def _related_links(
        self, viewer: Viewer, context: dict[str, Any]
    ) -> dict[int, list[RelatedLink]]:
        ids = {entry.id for entry in _entries_in(context.values())}
        return {i: self.related[i] for i in ids if i in self.related}

    def rendered(self, entry: Entry) -> RenderedBody:
        body = self.bodies.get(entry.id)
        if body is None:
            body = self.bodies[entry.id] = super().rendered(entry)
        return body

    def search_page(self) -> str:
        return self._page("static_search.html", VISITOR, title="Search")


class StaticPages:
    def __init__(self, store: Store, content: Content, *, base_path: str, site_url: str) -> None:
        self.content = content
        self.urls = StaticUrls(base_path)
        self.id_urls = Urls(base_path)  # feed ids: the live site's permalinks
        self.site_url = site_url
        self.builder = StaticBuilder(store, self.urls)

    def path_of(self, job: Job) -> str:
        """The file a page is written to, known without rendering it."""
        u = self.urls
        if job.kind in ("entry", "day"):
            day_text, _, name = job.key.partition("/")
            day = parse_day(day_text)
            address = u.entry(day, name) if job.kind == "entry" else u.day(day)
        elif job.kind == "month":
            address = u.month(int(job.key[:4]), int(job.key[4:]))
        elif job.kind == "same_date":
            address = u.same_date(int(job.key[:2]), int(job.key[2:]))
        elif job.kind == "category":
            address = u.category(job.key, job.page)
        elif job.kind == "category_feed":
            address = u.category_feed(job.key)
        elif job.kind == "404":
            return "404.html"
        else:
            address = {
                "top": u.top,
                "archive": u.archive,
                "search": u.search,
                "feed": u.feed,
            }[job.kind]()
        return u.file_of(address)

    def render(self, job: Job) -> tuple[str, bytes]:
        return self.path_of(job), self.html_of(job).encode("utf-8")

    def html_of(self, job: Job) -> str:
        b, c = self.builder, self.content
        if job.kind == "entry":
            day_text, name = job.key.split("/", 1)
            page = c.day(parse_day(day_text))
            entry = next((e for e in page.entries if e.name == name), None) if page else None
            if entry is None:
                raise KeyError(job.key)
            return b.entry_view(VISITOR, entry)
        if job.kind == "day":
            day_page = c.day(parse_day(job.key))
            if day_page is None:
                raise KeyError(job.key)
            return b.day_view(VISITOR, day_page)
        if job.kind == "month":
            year, month = int(job.key[:4]), int(job.key[4:])
            days = c.months.get((year, month), [])
            return b.month_view(
                VISITOR, year, month, days, neighbours=self._neighbours(year, month)
            )
        if job.kind == "same_date":
            month, mday = int(job.key[:2]), int(job.key[2:])
            return b.same_date_view(VISITOR, month, mday, c.same_dates.get((month, mday), []))
        if job.kind == "category":
            return b.category_view(VISITOR, job.key, c.categories[job.key], page=job.page)
        if job.kind == "top":
            return b.top_view(VISITOR, c.latest_days(), Paging(1, 1, None, None))
        if job.kind == "archive":
            return b.archive_view(VISITOR, c.headings(), c.category_counts())
        if job.kind == "search":
            return b.search_page()
        if job.kind == "404":
            return b.not_found(VISITOR, "There is no page at this address.")
        if job.kind == "feed":
            return self._feed(c.newest_entries(FEED_SIZE), None)
        if job.kind == "category_feed":
            return self._feed(c.categories[job.key][:FEED_SIZE], job.key)
        raise ValueError(f"unknown page kind {job.kind!r}")

    def _neighbours(self, year: int, month: int) -> tuple[str, str]:
        """The nearest months before and after that have pages; the archive at either end."""
        months = sorted(self.content.months)
        index = bisect.bisect_left(months, (year, month))
        earlier = months[index - 1] if index > 0 else None
        later_index = index + 1 if index < len(months) and months[index] == (year, month) else index
        later = months[later_index] if later_index < len(months) else None
        archive = self.urls.archive()
        return (
            self.urls.month(*earlier) if earlier else archive,
            self.urls.month(*later) if later else archive,
        )

    def _feed(self, entries: list[Entry], category: str | None) -> str:
        diary = self.content.diary
        title = diary.title if category is None else f"[{category}] - {diary.title}"
        feed_path = self.urls.feed() if category is None else self.urls.category_feed(category)
        home = self.urls.top() if category is None else self.urls.category(category)
        return atom(
            diary,
            entries,
            urls=self.urls,
            id_urls=self.id_urls,
            site_url=self.site_url,
            feed_path=feed_path,
            title=title,
            home_path=home,
            body_html=lambda entry: self.builder.rendered(entry).html,
        ).xml


def all_jobs(content: Content) -> list[Job]:
    """Every page of the static site."""
    jobs = [Job("top"), Job("archive"), Job("search"), Job("404"), Job("feed")]
    for year, month in content.months:
        jobs.extend(month_jobs(content, year, month))
    jobs.extend(Job("same_date", f"{m:02d}{d:02d}") for m, d in content.same_dates)
    for name in content.categories:
        jobs.extend(category_jobs(content, name))
    return jobs


def month_jobs(content: Content, year: int, month: int) -> list[Job]:
    """A month's page with its days and their entries: the pages that share its bodies."""
    jobs = [Job("month", f"{year:04d}{month:02d}")]
    for page in content.months.get((year, month), []):
        key = f"{page.day:%Y%m%d}"
        jobs.append(Job("day", key))
        jobs.extend(Job("entry", f"{key}/{e.name}") for e in page.entries)
    return jobs


def category_jobs(content: Content, name: str) -> list[Job]:
    count = len(content.categories.get(name, []))
    if not count:
        return []
    jobs = [Job("category", name, page) for page in range(1, category_pages(count) + 1)]
    return [*jobs, Job("category_feed", name)]


def asset_files() -> dict[str, bytes]:
    """The stylesheet and the search script, at ``static/NAME`` as on the live site."""
    found: dict[str, bytes] = {}
    for package in ("clipdiary.pages", "clipdiary.site"):
        folder = files(package).joinpath("static")
        for item in folder.iterdir():
            if item.is_file() and not item.name.startswith("."):
                found[f"static/{item.name}"] = item.read_bytes()
    return found


def _entries_in(values: Iterable[Any]) -> Iterator[Entry]:
    for value in values:
        if isinstance(value, Entry):
            yield value
        elif isinstance(value, DayPage):
            yield from value.entries
        elif isinstance(value, list | tuple):
            yield from _entries_in(value)
