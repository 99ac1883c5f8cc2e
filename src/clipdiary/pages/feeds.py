"""Atom 1.0 feeds of a diary's public entries: the whole diary, one category, one story.

Each item is one entry: its permalink is its ``id`` and ``alternate`` link, the full
rendered body is its ``content``, its categories are ``category`` terms, the clipped page
is a ``related`` link, and ``xml:lang`` says the language of the source when it is known.
Times are RFC 3339. The XML is written by ``xml.etree``, which escapes every text and
attribute, so a title or body can never break the document; the characters XML 1.0 cannot
hold at all (control characters such as a clipped title's ``&#7;``, lone surrogates,
U+FFFE/U+FFFF), which it would write as they are, are left out.

Private entries never reach this module: callers pass what the public may read, and
``atom`` refuses anything else.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clipdiary import __version__
from clipdiary.model import Diary, Entry, Story, day_key
from clipdiary.render import render_entry
from clipdiary.safeurl import is_web_url
from clipdiary.urls import Urls

if TYPE_CHECKING:
    from clipdiary.store import Store

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
FEED_SIZE = 30
MEDIA_TYPE = "application/atom+xml"
# A feed with no entry still needs an <updated>; this one never changes, so it caches well.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

ET.register_namespace("", ATOM_NS)
# Outside XML 1.0's Char production; never part of the markup itself, so safe to drop.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Feed:
    """A rendered feed and the newest time in it (for ``Last-Modified``)."""

    xml: str
    updated: dt.datetime
    count: int


def rfc3339(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def absolute(site_url: str, path: str) -> str:
    """``site_url`` (scheme and host, maybe empty) joined to a path built by ``Urls``."""
    return site_url.rstrip("/") + path if site_url else path


def entry_id(diary: Diary, site_url: str, permalink: str, entry: Entry) -> str:
    """The permalink when the site's address is known; else a stable ``tag:`` URI."""
    if site_url:
        return absolute(site_url, permalink)
    year = f"{entry.day.year:04d}"
    return f"tag:clipdiary.invalid,{year}:{diary.name}/{day_key(entry.day)}/{entry.name}"


def atom(
    diary: Diary,
    entries: Sequence[Entry],
    *,
    urls: Urls,
    site_url: str,
    feed_path: str,
    id_urls: Urls | None = None,
    title: str,
    home_path: str,
    body_html: Callable[[Entry], str],
) -> Feed:
    """An Atom document of ``entries`` (newest first, public only).

    Links are built by ``urls``; ids by ``id_urls`` (default ``urls``), so a static copy of
    the diary can give its items the live site's permalinks as ids.
    """
    for entry in entries:
        if not entry.is_public:
            raise ValueError(f"private entry {entry.path} passed to a feed")
    updated = max((e.updated for e in entries), default=EPOCH)
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    if site_url:
        root.set(f"{{{XML_NS}}}base", absolute(site_url, urls.top()))
    _text(root, "title", title)
    feed_id = f"tag:clipdiary.invalid,2000:{diary.name}{feed_path}"
    _text(root, "id", absolute(site_url, feed_path) if site_url else feed_id)
    _text(root, "updated", rfc3339(updated))
    _link(root, "self", absolute(site_url, feed_path), MEDIA_TYPE)
    _link(root, "alternate", absolute(site_url, home_path), "text/html")
    author = ET.SubElement(root, f"{{{ATOM_NS}}}author")
    _text(author, "name", diary.title or diary.name)
    generator = _text(root, "generator", "clipdiary")
    generator.set("version", __version__)
    for entry in entries:
        _entry(
            root,
            diary,
            entry,
            urls=urls,
            id_urls=id_urls or urls,
            site_url=site_url,
            body_html=body_html,
        )
    ET.indent(root, space=" ")
    xml = _NOT_XML.sub("", ET.tostring(root, encoding="unicode", xml_declaration=False))
    return Feed('<?xml version="1.0" encoding="utf-8"?>\n' + xml + "\n", updated, len(entries))


def _entry(
    root: ET.Element,
    diary: Diary,
    entry: Entry,
    *,
    urls: Urls,
    id_urls: Urls,
    site_url: str,
    body_html: Callable[[Entry], str],
) -> None:
    permalink = urls.entry(entry.day, entry.name)
    canonical = id_urls.entry(entry.day, entry.name)
    item = ET.SubElement(root, f"{{{ATOM_NS}}}entry")
    if entry.source is not None and entry.source.lang:
        item.set(f"{{{XML_NS}}}lang", entry.source.lang)
    _text(item, "id", entry_id(diary, site_url, canonical, entry))
    _text(item, "title", entry.title or entry.day.isoformat())
    _link(item, "alternate", absolute(site_url, permalink), "text/html")
    if entry.source is not None and is_web_url(entry.source.url):
        related = _link(item, "related", entry.source.url, None)
        if entry.source.site:
            related.set("title", entry.source.site)
    _text(item, "published", rfc3339(entry.created))
    _text(item, "updated", rfc3339(entry.updated))
    for category in entry.categories:
        ET.SubElement(item, f"{{{ATOM_NS}}}category", {"term": category})
    content = _text(item, "content", body_html(entry))
    content.set("type", "html")


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    element.text = text
    return element


def _link(parent: ET.Element, rel: str, href: str, media_type: str | None) -> ET.Element:
    attributes = {"rel": rel, "href": href}
    if media_type:
        attributes["type"] = media_type
    return ET.SubElement(parent, f"{{{ATOM_NS}}}link", attributes)


class FeedBuilder:
    """The live site's feeds, read from the store (public entries only)."""

    def __init__(self, store: Store, urls: Urls | None = None, size: int = FEED_SIZE) -> None:
        self.store = store
        self.urls = urls or Urls()
        self.size = size

    def body_html(self, entry: Entry) -> str:
        permalink = self.urls.entry(entry.day, entry.name)
        return render_entry(
            entry, self.store.diary, permalink=permalink, base_path=self.urls.base_path
        ).html

    def diary_feed(self, site_url: str) -> Feed:
        entries = self.store.entries(include_private=False, newest_first=True, limit=self.size)
        return atom(
            self.store.diary,
            entries,
            urls=self.urls,
            site_url=site_url,
            feed_path=self.urls.feed(),
            title=self.store.diary.title,
            home_path=self.urls.top(),
            body_html=self.body_html,
        )

    def category_feed(self, name: str, site_url: str) -> Feed:
        entries = self.store.entries(
            include_private=False, category=name, newest_first=True, limit=self.size
        )
        return atom(
            self.store.diary,
            entries,
            urls=self.urls,
            site_url=site_url,
            feed_path=self.urls.category_feed(name),
            title=f"[{name}] - {self.store.diary.title}",
            home_path=self.urls.category(name),
            body_html=self.body_html,
        )

    def story_feed(self, number: int, site_url: str) -> Feed:
        """A story's public entries, newest first (NotFound when it has none)."""
        from clipdiary.stories.query import get_story  # SQLAlchemy: the live site only

        story = get_story(self.store, number, include_private=False)
        return atom(
            self.store.diary,
            story_entries(self.store, story, self.size),
            urls=self.urls,
            site_url=site_url,
            feed_path=self.urls.story_feed(number),
            title=f"{story.title} - {self.store.diary.title}",
            home_path=self.urls.story(number),
            body_html=self.body_html,
        )


def story_entries(store: Store, story: Story, size: int) -> list[Entry]:
    """The newest ``size`` public entries of ``story`` in full, newest first, read a day at a
    time rather than one by one."""
    newest = sorted(
        (e for e in story.entries if e.is_public), key=lambda e: (e.created, e.id), reverse=True
    )[:size]
    wanted = {e.id for e in newest}
    found = {
        entry.id: entry
        for entry in store.entries(include_private=False, days={e.day for e in newest})
        if entry.id in wanted
    }
    return [found[e.id] for e in newest if e.id in found]
