"""Render: one static page (a ``Job``) to its file path and bytes, through ``pages/``.

The templates and page methods are the live site's; only the URL builder (folder
addresses, see ``addresses.py``), the category pages' numbering (from the oldest, so they
do not shift) and a cache of rendered bodies and entry sections differ. Each page also has
a fingerprint of what it shows (``print_of``), so an incremental build renders only the
pages whose fingerprint moved.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import jinja2
from markupsafe import Markup

from clipdiary.model import DayPage, Entry, RelatedLink, StoryRef, day_key, parse_day
from clipdiary.pages.builder import ENTRIES_PER_CATEGORY_PAGE, PageBuilder, Paging, Viewer
from clipdiary.pages.feeds import FEED_SIZE, atom
from clipdiary.render import RenderedBody
from clipdiary.site.addresses import StaticUrls, category_folder
from clipdiary.site.content import Content, DiaryReader
from clipdiary.site.writer import SiteError
from clipdiary.store.rows import EntryStamp
from clipdiary.urls import Urls

if TYPE_CHECKING:
    from clipdiary.store import Store

VISITOR = Viewer(is_owner=False)
FEED_BODIES = "feed-bodies.json"  # in the cache folder


class Job(NamedTuple):
    """One page of the static site: ``kind`` and a ``key`` naming which one; for a category
    page, ``page`` 0 is its front page and 1, 2, … its earlier pages, oldest first."""

    kind: str
    key: str = ""
    page: int = 0


PER_PAGE = ENTRIES_PER_CATEGORY_PAGE


def frozen_pages(count: int) -> int:
    """A category's earlier pages: full pages of 20 counted from its oldest entry, so a new
    entry never moves one. The front page holds the rest, the newest 20 to 39."""
    return max(0, count // PER_PAGE - 1)


def category_slice(stamps: list[EntryStamp], page: int) -> list[EntryStamp]:
    """The entries (oldest first) of one page of a category whose entries are ``stamps``."""
    if page == 0:
        return stamps[frozen_pages(len(stamps)) * PER_PAGE :]
    return stamps[(page - 1) * PER_PAGE : page * PER_PAGE]


class StaticBuilder(PageBuilder):
    """``PageBuilder`` with folder addresses, no owner links, and each entry's body and
    section rendered once per build."""

    def __init__(
        self, store: DiaryReader, urls: StaticUrls, content: Content, cache_dir: Path | None = None
    ) -> None:
        # The static pages read only the diary's settings through the builder's store;
        # everything else comes from ``content``, so a read-only reader stands in for it.
        super().__init__(cast("Store", store), urls)
        if cache_dir is not None:
            # Compiled templates kept between builds (keyed by each template's source).
            templates = cache_dir / "templates"
            templates.mkdir(parents=True, exist_ok=True)
            self.env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(templates))
        self.env.loader = jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("clipdiary.pages", "templates"),
                jinja2.PackageLoader("clipdiary.site", "templates"),
            ]
        )
        self.env.globals["static_site"] = True
        self.env.globals["cached_section"] = self._cached_section
        self.content = content
        self.cache_dir = cache_dir
        self.salt = ""
        self.reuse = True  # a full build renders every section afresh
        self.origin = ""  # scheme://host of the published site, when known
        self.bundles: dict[str, dict[str, list[str]]] = {}
        self.dirty: set[str] = set()
        self.bodies: dict[int, RenderedBody] = {}
        self.sections: dict[tuple[int, bool, str], Markup] = {}

    def _cached_section(
        self, macro: Any, entry: Entry | EntryStamp, full: bool, heading: str
    ) -> Markup:
        # A section shows the same wherever it appears on the static site (one viewer, the
        # same related links), so it is rendered once per build; the summary sections
        # (the lists' kind) are kept between builds too (``kept_section``). A list page
        # may pass an entry's stamp: its full entry is then read only when not kept.
        key = (entry.id, full, heading)
        found = self.sections.get(key)
        if found is None and not full and heading == "h3" and self.reuse:
            found = self.kept_section(entry.id)
        if found is None:
            if isinstance(entry, EntryStamp):
                entry = self.content.entry(entry)
            found = Markup(macro(entry, full, heading))  # noqa: S704 - the macro's output
            if not full and heading == "h3":
                self.keep_section(entry, found)
        self.sections[key] = found
        return found

    # -- summary sections kept between builds, a bundle per month -------------------------

    def section_print(self, entry_id: int) -> str:
        return self.content.prints[entry_id] + self.salt

    def _bundle(self, month: str) -> dict[str, list[str]]:
        bundle = self.bundles.get(month)
        if bundle is None:
            bundle = {}
            if self.cache_dir is not None:
                try:
                    data = json.loads((self.cache_dir / "sections" / f"{month}.json").read_bytes())
                    if isinstance(data, dict):
                        bundle = data
                except (OSError, ValueError):
                    pass
            self.bundles[month] = bundle
        return bundle

    def kept_section(self, entry_id: int) -> Markup | None:
        stamp = self.content.by_id[entry_id]
        found = self._bundle(f"{stamp.day:%Y%m}").get(str(entry_id))
        if found is not None and found[0] == self.section_print(entry_id):
            return Markup(found[1])  # noqa: S704 - rendered by an earlier build
        return None

    def keep_all(self) -> None:
        """After a full build: every summary section rendered, as the bundles to write."""
        ids = self.content.by_id
        self.bundles = {}
        for (entry_id, full, heading), html in self.sections.items():
            if not full and heading == "h3" and entry_id in ids:
                month = f"{ids[entry_id].day:%Y%m}"
                record = [self.section_print(entry_id), str(html)]
                self.bundles.setdefault(month, {})[str(entry_id)] = record
        self.dirty = set(self.bundles)

    def has_kept_section(self, stamp: EntryStamp) -> bool:
        return (stamp.id, False, "h3") in self.sections or self.kept_section(stamp.id) is not None

    def keep_section(self, entry: Entry, html: Markup) -> None:
        month = f"{entry.day:%Y%m}"
        self._bundle(month)[str(entry.id)] = [self.section_print(entry.id), str(html)]
        self.dirty.add(month)

    def save_sections(self) -> None:
        """Write the bundles that gained sections, without the entries no longer public."""
        if self.cache_dir is None:
            return
        folder = self.cache_dir / "sections"
        folder.mkdir(parents=True, exist_ok=True)
        ids = self.content.by_id
        for month in sorted(self.dirty):
            bundle = {k: v for k, v in self.bundles[month].items() if int(k) in ids}
            target = folder / f"{month}.json"
            temporary = folder / f".{month}.json.tmp{os.getpid()}"
            temporary.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, target)
        self.dirty.clear()

    @property
    def site_url(self) -> str:
        # The build's own address (--base-url, else the diary's), not the live site's.
        return self.origin

    def _related_links(
        self, viewer: Viewer, context: dict[str, Any]
    ) -> dict[int, list[RelatedLink]]:
        return _RelatedOnDemand(self.content)

    def _story_refs(self, viewer: Viewer, context: dict[str, Any]) -> Mapping[int, StoryRef]:
        return self.content.stories.by_entry

    def rendered(self, entry: Entry) -> RenderedBody:
        body = self.bodies.get(entry.id)
        if body is None:
            body = self.bodies[entry.id] = super().rendered(entry)
        return body

    def search_page(self) -> str:
        return self._page("static_search.html", VISITOR, title="Search")


class _RelatedOnDemand(dict[int, list[RelatedLink]]):
    """``related_links`` for a template: each entry's links made when first asked for."""

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content

    def get(self, key: int, default: Any = None) -> Any:
        if key not in self:
            self[key] = self.content.related(key)
        return self[key]


class StaticPages:
    def __init__(
        self,
        store: DiaryReader,
        content: Content,
        *,
        base_path: str,
        site_url: str,
        cache_dir: Path | None = None,
        salt: str = "",
    ) -> None:
        self.content = content
        self.salt = (
            salt  # the build's configuration: a kept fragment made under another is not used
        )
        self.urls = StaticUrls(base_path)
        self.id_urls = Urls(base_path)  # feed ids: the live site's permalinks
        self.site_url = site_url
        self.cache_dir = cache_dir
        self.reader = store
        self.builder = StaticBuilder(store, self.urls, content, cache_dir)
        self.builder.salt = salt
        self.builder.origin = site_url
        self.builder.env.globals["archive_month"] = self._archive_month
        self._archive_files: set[str] | None = None
        self._feed_bodies: dict[str, list[str]] | None = None
        self._feed_bodies_changed = False

    # -- what a page is, known without rendering it ---------------------------------------

    def path_of(self, job: Job) -> str:
        """The file a page is written to (``StaticUrls.file_of`` of its address)."""
        kind = job.kind
        if kind in ("entry", "day", "month", "same_date"):
            return f"{job.key}/index.html"
        if kind == "category":
            folder = category_folder(job.key)  # any name is one folder (addresses.py)
            if job.page == 0:
                return f"category/{folder}/index.html"
            return f"category/{folder}/page/{job.page}/index.html"
        if kind == "category_feed":
            return f"category/{category_folder(job.key)}/feed"
        if kind == "story":
            return f"story/{job.key}/index.html"
        if kind == "story_feed":
            return f"story/{job.key}/feed"
        if kind == "stories":
            return "stories/index.html" if job.page <= 1 else f"stories/page/{job.page}/index.html"
        return {
            "top": "index.html",
            "archive": "archive/index.html",
            "search": "search/index.html",
            "feed": "feed",
            "404": "404.html",
        }[kind]

    def plan(self) -> tuple[dict[str, str], dict[str, Job]]:
        """Each page's file with its fingerprint, in one pass over the site, and the pages
        other than entries' by file (an entry's is ``entry_job(path)``).

        An entry's page (most of the site) shows the entry and its day's own parts, so its
        fingerprint is the two fingerprints side by side, with no hashing of its own, and
        it needs no ``Job`` until it is to be rendered.
        """
        c = self.content
        prints = c.prints
        planned: dict[str, str] = {}
        others: dict[str, Job] = {}
        for job in all_jobs(c, entries=False, days=False):
            path = self.path_of(job)
            planned[path] = self.print_of(job)
            others[path] = job
        # Days and entries are most of the site: their fingerprints are made here in one
        # pass, the same as ``print_of`` makes them one at a time.
        day_parts: dict[dt.date, str] = {}
        page_print, day_print, day_part = c.page_print, c.day_print, c._day_part
        for day, neighbours in c.all_neighbours.items():
            path = f"{c.day_keys[day]}/index.html"
            planned[path] = page_print("day", day_part(day), neighbours)
            others[path] = Job("day", c.day_keys[day])
            day_parts[day] = page_print(day_print(day), neighbours)
        count = len(planned)
        # An entry's page shows the entry and its day's own parts: its fingerprint is the
        # two side by side, with no hashing of its own.
        for key, s in c.by_key.items():
            planned[key + "/index.html"] = prints[s.id] + day_parts[s.day]
        if len(planned) != count + len(c.by_key):
            raise SiteError("two pages claim the same address")
        return planned, others

    @staticmethod
    def entry_job(path: str) -> Job:
        return Job("entry", path.removesuffix("/index.html"))

    def print_of(self, job: Job) -> str:
        """The page's fingerprint: it changes whenever anything the page shows changes
        (the entries' own fingerprints are made first, by ``Content.fingerprints``)."""
        c = self.content
        kind, key = job.kind, job.key
        if kind == "entry":
            stamp = c.by_key[key]
            day = stamp.day
            return c.prints[stamp.id] + c.page_print(c.day_print(day), c.neighbours(day))
        if kind == "day":
            day = parse_day(key)
            return c.page_print(kind, c.days_print([day]), c.neighbours(day))
        if kind == "month":
            year, month = int(key[:4]), int(key[4:])
            days = c.months.get((year, month), [])
            return c.page_print(kind, key, self._neighbours(year, month), c.days_print(days))
        if kind == "same_date":
            return c.page_print(kind, c.days_print(c.same_dates.get(_month_day(key), [])))
        if kind == "category":
            stamps = c.categories[key]
            shown = category_slice(stamps, job.page)
            frozen = frozen_pages(len(stamps))
            # The front shows the count and links the newest earlier page; an earlier
            # page links its neighbours, the front after the newest of them.
            links = (frozen, len(stamps)) if job.page == 0 else job.page == frozen
            return c.page_print(kind, key, job.page, links, c.prints_of(shown))
        if kind == "category_feed":
            return c.page_print(kind, key, c.prints_of(c.newest(c.categories[key], FEED_SIZE)))
        if kind == "top":
            return c.page_print(kind, c.days_print(c.latest_days()))
        if kind == "feed":
            return c.page_print(kind, c.prints_of(c.newest(c.stamps, FEED_SIZE)))
        if kind == "archive":
            return c.page_print(kind, self.archive_prints, c.category_counts())
        if kind in ("story", "story_feed"):
            # Its title comes from every entry's title and links, so all of them count.
            story = c.stories.stories[int(key[1:])]
            return c.page_print(kind, key, story.owner_title, c.prints_of(story.members))
        if kind == "stories":
            listed = [repr(item) for item in c.stories.list_page(job.page)]
            return c.page_print(kind, job.page, c.stories.list_pages(), listed)
        return c.page_print(kind)

    def days_of(self, job: Job) -> Iterable[dt.date]:
        """The days whose entries the page shows in full."""
        c = self.content
        kind, key = job.kind, job.key
        if kind in ("entry", "day"):
            return [parse_day(key[:8])]
        if kind == "month":
            return self._unkept(c.months.get((int(key[:4]), int(key[4:])), []))
        if kind == "same_date":
            return self._unkept(c.same_dates.get(_month_day(key), []))
        if kind == "category":
            return {s.day for s in category_slice(c.categories[key], job.page)}
        if kind == "category_feed":
            return {s.day for s in c.newest(c.categories[key], FEED_SIZE)}
        if kind == "top":
            return self._unkept(c.latest_days())
        if kind == "feed":
            return {s.day for s in c.newest(c.stamps, FEED_SIZE)}
        if kind in ("story", "story_feed"):
            return {s.day for s in c.stories.stories[int(key[1:])].members}
        return []

    def _unkept(self, days: Iterable[dt.date]) -> list[dt.date]:
        """The days with an entry whose summary section no earlier build kept."""
        by_day, kept = self.content.by_day, self.builder.has_kept_section
        return [day for day in days if not all(kept(s) for s in by_day[day])]

    def outline_days(self, days: Iterable[dt.date]) -> list[DayPage]:
        """Days for a list page (month, date, top) that shows only the entries' summary
        sections and titles: entries not read in full stand as their stamps."""
        c = self.content
        pages = []
        for day in days:
            stamps = c.by_day.get(day)
            if stamps is not None:
                shown = tuple(c.loaded.get(s.id, s) for s in stamps)
                pages.append(DayPage(day, c.day_titles.get(day), shown, ()))  # type: ignore[arg-type]
        return pages

    # -- rendering ------------------------------------------------------------------------

    def render(self, job: Job) -> tuple[str, bytes]:
        return self.path_of(job), self.html_of(job).encode("utf-8")

    def html_of(self, job: Job) -> str:
        b, c = self.builder, self.content
        if job.kind == "entry":
            stamp = c.by_key.get(job.key)
            if stamp is None:
                raise KeyError(job.key)
            return b.entry_view(VISITOR, c.entry(stamp), neighbours=c.neighbours(stamp.day))
        if job.kind == "day":
            day_page = c.day(parse_day(job.key))
            if day_page is None:
                raise KeyError(job.key)
            return b.day_view(VISITOR, day_page, neighbours=c.neighbours(day_page.day))
        if job.kind == "month":
            year, month = int(job.key[:4]), int(job.key[4:])
            days = self.outline_days(c.months.get((year, month), []))
            return b.month_view(
                VISITOR, year, month, days, neighbours=self._neighbours(year, month)
            )
        if job.kind == "same_date":
            month, mday = _month_day(job.key)
            days = self.outline_days(c.same_dates[(month, mday)])
            return b.same_date_view(VISITOR, month, mday, days)
        if job.kind == "category":
            return self._category(job.key, job.page)
        if job.kind == "top":
            return b.top_view(VISITOR, self.outline_days(c.latest_days()), Paging(1, 1, None, None))
        if job.kind == "archive":
            # Each month's section is made by _archive_month, from the last build's if kept.
            months = [(ym, ym) for ym in reversed(c.month_list)]
            return b._page(
                "archive.html",
                VISITOR,
                months=months,
                categories=c.category_counts(),
                title="Archive",
                canonical=self.urls.archive(),
            )
        if job.kind == "search":
            return b.search_page()
        if job.kind == "404":
            return b.not_found(VISITOR, "There is no page at this address.")
        if job.kind == "feed":
            return self._feed(c.entries(c.newest(c.stamps, FEED_SIZE)), None)
        if job.kind == "category_feed":
            return self._feed(c.entries(c.newest(c.categories[job.key], FEED_SIZE)), job.key)
        if job.kind == "story":
            return b.story_view(VISITOR, c.stories.story(job.key, c.entry))
        if job.kind == "story_feed":
            return self._story_feed(job.key)
        if job.kind == "stories":
            return self._stories(job.page)
        raise ValueError(f"unknown page kind {job.kind!r}")

    def _category(self, name: str, page: int) -> str:
        """A category page: the front shows the newest entries and the count, and each
        earlier page (numbered from the oldest) shows only what never changes on it."""
        stamps = self.content.categories[name]
        frozen = frozen_pages(len(stamps))
        u = self.urls
        if page == 0:
            number, newer = frozen + 1, None
        else:
            number = page
            newer = u.category_page(name, page + 1) if page < frozen else u.category(name)
        older = u.category_page(name, number - 1) if number > 1 else None
        entries = self.content.entries(reversed(category_slice(stamps, page)))
        return self.builder.category_page_view(
            VISITOR,
            name,
            entries,
            count=len(stamps) if page == 0 else None,
            paging=Paging(number, None, newer, older),
            canonical=u.category(name) if page == 0 else u.category_page(name, page),
        )

    def _stories(self, page: int) -> str:
        page, pages, u = max(page, 1), self.content.stories.list_pages(), self.urls
        paging = Paging(
            page,
            pages,
            u.stories(page - 1) if page > 1 else None,
            u.stories(page + 1) if page < pages else None,
        )
        items = self.content.stories.list_page(page)
        return self.builder.stories_view(VISITOR, items, paging, canonical=u.stories(page))

    def _story_feed(self, key: str) -> str:
        c = self.content
        story = c.stories.story(key, c.entry)
        members = c.stories.stories[story.number].members
        newest = sorted(members, key=lambda s: (s.created_at, s.id), reverse=True)[:FEED_SIZE]
        return atom(
            c.diary,
            c.entries(newest),
            urls=self.urls,
            id_urls=self.id_urls,
            site_url=self.site_url,
            feed_path=self.urls.story_feed(story.number),
            title=f"{story.title} - {c.diary.title}",
            home_path=self.urls.story(story.number),
            body_html=self._feed_body,
        ).xml

    # -- the archive, a month's section at a time ----------------------------------------

    @cached_property
    def archive_prints(self) -> dict[tuple[int, int], str]:
        """Each month's fingerprint of what its archive section shows."""
        c = self.content
        prints = {}
        for (year, month), days in c.months.items():
            # The entries' fingerprints cover what a heading shows (day, name, title,
            # categories, time) and more: a month's section is made again a little more
            # often than it must, never less.
            shown = ";".join(c.prints_of(c.by_day[day]) for day in days)
            prints[(year, month)] = c.page_print(self.salt, year, month, shown)
        return prints

    def _archive_month(self, macro: Any, year: int, month: int, _unused: object) -> Markup:
        """A month's archive section: kept from an earlier build while its fingerprint holds."""
        name = f"{year:04d}{month:02d}-{self.archive_prints[(year, month)]}.html"
        folder = self.cache_dir / "archive" if self.cache_dir else None
        if folder is not None:
            try:
                return Markup((folder / name).read_text(encoding="utf-8"))  # noqa: S704
            except FileNotFoundError:
                pass
        c = self.content
        headings = [
            c.heading(s)
            for day in reversed(c.months[(year, month)])
            for s in reversed(c.by_day[day])
        ]
        html = Markup(macro(year, month, headings))  # noqa: S704 - the macro's own output
        if folder is not None:
            self._keep(folder, name, str(html))
        return html

    def _keep(self, folder: Path, name: str, text: str) -> None:
        """Write a fragment for later builds and drop the ones no month has any more."""
        if self._archive_files is None:
            folder.mkdir(parents=True, exist_ok=True)
            wanted = {f"{y:04d}{m:02d}-{p}.html" for (y, m), p in self.archive_prints.items()}
            for old in os.listdir(folder):
                if old not in wanted:
                    (folder / old).unlink(missing_ok=True)
            self._archive_files = wanted
        temporary = folder / f".{name}.tmp{os.getpid()}"
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, folder / name)

    def _neighbours(self, year: int, month: int) -> tuple[str, str]:
        """The nearest months before and after that have pages; the archive at either end."""
        months = self.content.month_list
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
            body_html=self._feed_body,
        ).xml

    # -- feed bodies kept between builds ---------------------------------------------------

    def _feed_body(self, entry: Entry) -> str:
        """An entry's full body for a feed: kept from an earlier build while the entry's
        fingerprint holds, since every feed shows 30 bodies and one new clip changes one."""
        if self._feed_bodies is None:
            self._feed_bodies = self._load_feed_bodies()
        key, stamp = str(entry.id), self.builder.section_print(entry.id)
        found = self._feed_bodies.get(key)
        if found is None or found[0] != stamp:
            found = [stamp, self.builder.rendered(entry).html]
            self._feed_bodies[key] = found
            self._feed_bodies_changed = True
        return found[1]

    def _load_feed_bodies(self) -> dict[str, list[str]]:
        if self.cache_dir is None or not self.builder.reuse:
            return {}
        try:
            data = json.loads((self.cache_dir / FEED_BODIES).read_bytes())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save_feed_bodies(self) -> None:
        """Keep the bodies of the entries the feeds show now, and no others (after a full
        build, whose feeds were rendered in worker processes, from the bodies they sent)."""
        if self.cache_dir is None:
            return
        c = self.content
        shown = {s.id for s in c.newest(c.stamps, FEED_SIZE)}
        for stamps in c.categories.values():
            shown.update(s.id for s in c.newest(stamps, FEED_SIZE))
        for story in c.stories.stories.values():
            newest = sorted(story.members, key=lambda s: (s.created_at, s.id))[-FEED_SIZE:]
            shown.update(s.id for s in newest)
        bodies = self._feed_bodies if self._feed_bodies is not None else self._load_feed_bodies()
        changed = self._feed_bodies_changed or len(bodies) != len(shown)
        for entry_id in shown:
            rendered = self.builder.bodies.get(entry_id)
            if str(entry_id) not in bodies and rendered is not None:
                bodies[str(entry_id)] = [self.builder.section_print(entry_id), rendered.html]
                changed = True
        if not changed:
            return
        kept = {k: v for k, v in bodies.items() if int(k) in shown}
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = self.cache_dir / f".{FEED_BODIES}.tmp{os.getpid()}"
        temporary.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.cache_dir / FEED_BODIES)


def _month_day(key: str) -> tuple[int, int]:
    return int(key[:2]), int(key[2:])


def all_jobs(content: Content, *, entries: bool = True, days: bool = True) -> list[Job]:
    """Every page of the static site (but the entries' own with ``entries=False``, and the
    days' with ``days=False``)."""
    jobs = [Job("top"), Job("archive"), Job("search"), Job("404"), Job("feed")]
    for year, month in content.months:
        if days:
            jobs.extend(month_jobs(content, year, month, entries=entries))
        else:
            jobs.append(Job("month", f"{year:04d}{month:02d}"))
    jobs.extend(Job("same_date", f"{m:02d}{d:02d}") for m, d in content.same_dates)
    for name in content.categories:
        jobs.extend(category_jobs(content, name))
    jobs.extend(Job("stories", page=p) for p in range(1, content.stories.list_pages() + 1))
    for number in content.stories.stories:
        jobs.extend((Job("story", f"s{number}"), Job("story_feed", f"s{number}")))
    return jobs


def month_jobs(content: Content, year: int, month: int, *, entries: bool = True) -> list[Job]:
    """A month's page with its days and their entries: the pages that share its bodies."""
    jobs = [Job("month", f"{year:04d}{month:02d}")]
    for day in content.months.get((year, month), []):
        key = day_key(day)
        jobs.append(Job("day", key))
        if entries:
            jobs.extend(Job("entry", f"{key}/{s.name}") for s in content.by_day[day])
    return jobs


def category_jobs(content: Content, name: str) -> list[Job]:
    count = len(content.categories.get(name, []))
    if not count:
        return []
    jobs = [Job("category", name, page) for page in range(frozen_pages(count) + 1)]
    return [*jobs, Job("category_feed", name)]


@cache  # package files: they do not change while clipdiary runs
def asset_files() -> dict[str, bytes]:
    """The stylesheet and the search script, at ``static/NAME`` as on the live site."""
    found: dict[str, bytes] = {}
    for package in ("clipdiary.pages", "clipdiary.site"):
        folder = files(package).joinpath("static")
        for item in folder.iterdir():
            if item.is_file() and not item.name.startswith("."):
                found[f"static/{item.name}"] = item.read_bytes()
    return found
