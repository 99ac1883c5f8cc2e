"""A clip from start to finish: fetch (or take the page given), extract, compose, store.

Every way in — ``clipdiary clip``, the owner's Clip form, ``POST /api/clips`` with or
without the page's HTML (the bookmarklet), the demo — goes through ``clip_page``, so they
all store the same thing: the entry, its source as data, and the page as it was fetched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from clipdiary.clip.compose import compose
from clipdiary.clip.extract import extract_page
from clipdiary.clip.fetch import DEFAULT_LIMITS, FetchedPage, FetchLimits, fetch, local_page
from clipdiary.clip.figures import FoundImage, find_images
from clipdiary.clip.images import FetchedImage, fetch_images
from clipdiary.errors import AlreadyClipped, UsageError
from clipdiary.model import Article, Entry, EntryImage, NewEntry, Snapshot, Source, Visibility
from clipdiary.safeurl import check_web_url
from clipdiary.store import Store
from clipdiary.store.media import save_entry_images

#: Fetches (or otherwise finds) the bytes of a clip's images; the default fetches them.
ImageSource = Callable[[Sequence[FoundImage]], list[FetchedImage]]

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
    images: ImageSource | None = None,
) -> ClipResult:
    """Fetch ``url`` and clip it into the diary."""
    if not again:
        check_not_clipped(store, url)
    page = fetch(url, limits=limits, allow_private=store.diary.allow_private_addresses)
    if not again and page.url != url:
        check_not_clipped(store, page.url)
    return clip_page(
        store,
        page,
        note=note,
        categories=categories,
        day=day,
        visibility=visibility,
        images=images,
    )


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
    images: ImageSource | None = None,
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
        images=images,
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
    images: ImageSource | None = None,
) -> ClipResult:
    """Extract and store the page; ``visibility`` is the entry's (a private bookmark, the
    owner's "private" box or flag, stays private however it arrives).

    The page's lead image and figures are fetched before the write (no lock is held over
    the network) by ``images``, the diary's own fetcher unless given; they land in the
    entry's transaction. A failed image is listed, never a failed clip."""
    article = extract_page(page)
    composed = compose(article, note)
    found = find_images(page.body, page.url, article.paragraphs, page.header_charset)
    source = images or _diary_fetcher(store)
    fetched = source(found) if found else []
    with store.transaction() as conn:
        entry = _add_clip_entry(
            store,
            page,
            article,
            composed.title,
            composed.body,
            categories,
            created,
            day,
            visibility,
        )
        save_entry_images(conn, store.diary_id, entry.id, [kept_image(f) for f in fetched])
    warnings = article.warnings + tuple(f.error for f in fetched if f.error)
    return ClipResult(entry, article, warnings)


def _diary_fetcher(store: Store) -> ImageSource:
    def fetch_for_diary(wanted: Sequence[FoundImage]) -> list[FetchedImage]:
        return fetch_images(wanted, allow_private=store.diary.allow_private_addresses)

    return fetch_for_diary


def kept_image(fetched: FetchedImage) -> tuple[EntryImage, bytes | None]:
    found, image = fetched.found, fetched.image
    kept = EntryImage(
        url=found.url,
        alt=found.alt,
        caption=found.caption,
        lead=found.lead,
        after_paragraph=found.after_paragraph,
        sha256=image.sha256 if image else None,
        media_type=image.media_type if image else None,
        width=image.width if image else 0,
        height=image.height if image else 0,
        error=fetched.error,
    )
    return kept, image.data if image else None


def _add_clip_entry(
    store: Store,
    page: FetchedPage,
    article: Article,
    title: str,
    body: str,
    categories: Sequence[str],
    created: dt.datetime | None,
    day: dt.date | None,
    visibility: Visibility,
) -> Entry:
    return store.add_entry(
        NewEntry(
            title=title,
            body=body,
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
