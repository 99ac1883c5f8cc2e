"""Extract a clip again from the page kept with it, with today's extractor.

The owner's note (everything above the article's quote block) is kept as written; the
quote block is replaced. The title follows the article only if it was still the title the
earlier extraction gave it, so a title the owner changed by hand stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clipdiary.clip.charset import charset_from_content_type
from clipdiary.clip.compose import compose, quote_title
from clipdiary.clip.extract import extract_page
from clipdiary.clip.fetch import FetchedPage
from clipdiary.errors import UsageError
from clipdiary.model import Entry, EntryChanges, Snapshot
from clipdiary.store import Store

# The quote block compose() writes: `>URL:title=T>` … `<<`, at the end of the body.
_QUOTE_START = re.compile(r"^>(?P<url>https?://[^\s>]+?):title=(?P<title>[^\n]*)>$", re.MULTILINE)


@dataclass(frozen=True)
class Reextracted:
    entry: Entry
    changed: bool
    warnings: tuple[str, ...]


def page_of(snapshot: Snapshot) -> FetchedPage:
    headers = dict(snapshot.headers)
    content_type = headers.get("content-type", "text/html")
    return FetchedPage(
        url=snapshot.url,
        requested_url=snapshot.requested_url,
        status=snapshot.status,
        headers=snapshot.headers,
        body=snapshot.body,
        content_type=content_type.split(";")[0].strip().lower() or "text/html",
        header_charset=charset_from_content_type(content_type),
        fetched_at=snapshot.fetched_at,
        sha256=snapshot.sha256,
    )


def split_note(body: str) -> tuple[str | None, str | None]:
    """The owner's note and the quoted title, from a body compose() wrote."""
    starts = list(_QUOTE_START.finditer(body))
    if not starts:
        return None, None
    last = starts[-1]
    note = body[: last.start()].strip("\n")
    return (note or None), last.group("title")


def reextract(store: Store, entry: Entry) -> Reextracted:
    snapshot = store.snapshot_of(entry.day, entry.name)
    if snapshot is None:
        raise UsageError(f"{entry.path} is not a clip: no page was kept with it")
    article = extract_page(page_of(snapshot))
    note, quoted_title = split_note(entry.body)
    if quoted_title is None:
        raise UsageError(f"{entry.path} no longer ends with the article's quote block")
    composed = compose(article, note)
    owner_kept_title = quote_title(entry.title) == quoted_title
    new_title = composed.title if owner_kept_title else entry.title
    if composed.body == entry.body and new_title == entry.title:
        return Reextracted(entry, False, article.warnings)
    updated = store.update_entry(
        entry.day, entry.name, EntryChanges(title=new_title, body=composed.body)
    )
    return Reextracted(updated, True, article.warnings)
