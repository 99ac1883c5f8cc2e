"""A clip from start to finish: fetch (or take the page given), extract, compose, store.

Every way in — ``clipdiary clip``, the owner's Clip form, ``POST /api/clips`` with or
without the page's HTML (the bookmarklet), the demo — goes through ``clip_page``, so they
all store the same thing: the entry, its source as data, and the page as it was fetched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from clipdiary.clip.compose import compose
from clipdiary.clip.extract import extract_page
from clipdiary.clip.fetch import DEFAULT_LIMITS, FetchedPage, FetchLimits, fetch, local_page
from clipdiary.errors import AlreadyClipped, UsageError
from clipdiary.model import Article, Entry, NewEntry, Snapshot, Source, Visibility
from clipdiary.safeurl import check_web_url
from clipdiary.store import Store

MAX_SUPPLIED_HTML = 10_000_000


@dataclass(frozen=True)
class ClipResult:
    entry: Entry
    article: Article
    warnings: tuple[str, ...]


def check_not_clipped(store: Store, url: str) -> None:
    """Refuse a page the diary holds already, saying where it is."""
    earlier = store.clips_of(url)
    if earlier:
        first = earlier[0]
        raise AlreadyClipped(url, first.day, first.name, first.title)


def clip_url(
    store: Store,
    url: str,
    *,
    note: str | None = None,
    categories: Sequence[str] = (),
    day: dt.date | None = None,
    again: bool = False,
    visibility: Visibility = "public",
    limits: FetchLimits = DEFAULT_LIMITS,
) -> ClipResult:
    """Fetch ``url`` and clip it into the diary."""
    if not again:
        check_not_clipped(store, url)
    page = fetch(url, limits=limits, allow_private=store.diary.allow_private_addresses)
    if not again and page.url != url:
        check_not_clipped(store, page.url)
    return clip_page(store, page, note=note, categories=categories, day=day, visibility=visibility)


def clip_html(
    store: Store,
    html: bytes,
    url: str,
    *,
    content_type: str = "text/html",
    note: str | None = None,
    categories: Sequence[str] = (),
    day: dt.date | None = None,
    again: bool = False,
    created: dt.datetime | None = None,
    visibility: Visibility = "public",
) -> ClipResult:
    """Clip a page the caller already has: a saved file, or what the browser showed."""
    check_web_url(url, "the page's address")
    if len(html) > MAX_SUPPLIED_HTML:
        raise UsageError(f"the page is larger than the {MAX_SUPPLIED_HTML:,}-byte limit")
    if not again:
        check_not_clipped(store, url)
    page = local_page(html, url, content_type=content_type)
    return clip_page(
        store,
        page,
        note=note,
        categories=categories,
        day=day,
        created=created,
        visibility=visibility,
    )


def clip_page(
    store: Store,
    page: FetchedPage,
    *,
    note: str | None = None,
    categories: Sequence[str] = (),
    day: dt.date | None = None,
    created: dt.datetime | None = None,
    visibility: Visibility = "public",
) -> ClipResult:
    """Extract and store the page; ``visibility`` is the entry's (a private bookmark, the
    owner's "private" box or flag, stays private however it arrives)."""
    article = extract_page(page)
    composed = compose(article, note)
    entry = store.add_entry(
        NewEntry(
            title=composed.title,
            body=composed.body,
            categories=tuple(categories),
            created=created,
            day=day,
            visibility=visibility,
            source=Source(
                url=page.url,
                site=article.site,
                lang=article.lang,
                published=article.published,
                author=article.author,
            ),
        ),
        snapshot=snapshot_of(page),
    )
    return ClipResult(entry, article, article.warnings)


def snapshot_of(page: FetchedPage) -> Snapshot:
    return Snapshot(
        url=page.url,
        requested_url=page.requested_url,
        status=page.status,
        headers=page.headers,
        body=page.body,
        fetched_at=page.fetched_at,
        sha256=page.sha256,
    )
