"""Look at each clip's source again: is it gone, has it moved, has it changed?

- **gone**: the server answers 404 or 410;
- **moved**: the address now redirects to another page (another key in ``urlnorm``: a
  changed scheme-and-host case, tracking parameters or fragment is no move);
- **changed**: the article extracted from the page today shares less than
  ``CHANGED_BELOW`` of its words, in order, with the one extracted (by the same code) from
  the page the diary kept;
- **unreachable**: anything else that stops the fetch (a timeout, a refused address,
  a server error); the check says what;
- **ok**: otherwise.

Politeness: one request at a time, at least ``delay`` seconds between two requests to the
same host, under the clip's own fetch limits, address refusals and User-Agent. A source
whose host keeps failing is still checked next time: one check is one request per clip.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from clipdiary.clip.extract import extract_page
from clipdiary.clip.fetch import DEFAULT_LIMITS, FetchedPage, FetchLimits, fetch
from clipdiary.clip.reextract import page_of
from clipdiary.errors import ClipdiaryError, FetchError
from clipdiary.model import Entry, SourceStatus
from clipdiary.store import Store
from clipdiary.store.source_checks import record_check
from clipdiary.urlnorm import url_key

#: Below this share of words in common, the source's text has changed.
CHANGED_BELOW = 0.85
DEFAULT_DELAY = 1.0
GONE_STATUSES = frozenset({404, 410})
PAGE = 500


@dataclass(frozen=True)
class LinkCheck:
    entry: Entry
    status: SourceStatus


def clips_to_check(store: Store, since: dt.date | None) -> Iterator[Entry]:
    """The diary's clips, oldest first, from ``since`` on when given."""
    offset = 0
    while True:
        page = store.entries(include_private=True, limit=PAGE, offset=offset)
        if not page:
            return
        offset += len(page)
        for entry in page:
            if entry.source is not None and (since is None or entry.day >= since):
                yield entry


def check_links(
    store: Store,
    *,
    since: dt.date | None = None,
    delay: float = DEFAULT_DELAY,
    limits: FetchLimits = DEFAULT_LIMITS,
    on_checked: Callable[[LinkCheck], None] | None = None,
) -> list[LinkCheck]:
    """Check every clip's source (see the module's note) and keep what was found."""
    last_request: dict[str, float] = {}
    results: list[LinkCheck] = []
    for entry in clips_to_check(store, since):
        assert entry.source is not None
        host = (urlsplit(entry.source.url).hostname or "").lower()
        wait = last_request.get(host, -delay) + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        state, http_status, detail = _look(store, entry, limits)
        last_request[host] = time.monotonic()
        status = record_check(
            store,
            entry.id,
            state,
            when=dt.datetime.now(dt.UTC),
            http_status=http_status,
            detail=detail,
        )
        result = LinkCheck(entry, status)
        results.append(result)
        if on_checked is not None:
            on_checked(result)
    return results


def _look(store: Store, entry: Entry, limits: FetchLimits) -> tuple[str, int | None, str]:
    assert entry.source is not None
    url = entry.source.url
    try:
        page = fetch(url, limits=limits, allow_private=store.diary.allow_private_addresses)
    except FetchError as exc:
        if exc.status in GONE_STATUSES:
            return "gone", exc.status, f"HTTP {exc.status}"
        return "unreachable", exc.status, str(exc)
    if url_key(page.url) != url_key(url):
        return "moved", page.status, page.url
    similarity = _similarity(store, entry, page)
    if similarity is not None and similarity < CHANGED_BELOW:
        return "changed", page.status, f"{similarity:.0%} of the words as clipped"
    return "ok", page.status, ""


def _similarity(store: Store, entry: Entry, page: FetchedPage) -> float | None:
    """The share of the kept article's words found, in order, in today's; None when either
    cannot be read (a page with no article is not "changed" by that alone)."""
    snapshot = store.snapshot_of(entry.day, entry.name)
    if snapshot is None:
        return None
    try:
        before = extract_page(page_of(snapshot))
        after = extract_page(page)
    except ClipdiaryError:
        return None
    old_words = " ".join(before.paragraphs).split()
    new_words = " ".join(after.paragraphs).split()
    if not old_words:
        return None
    if len(old_words) == 1 and len(new_words) == 1:  # Japanese text has no spaces
        old_words, new_words = list(old_words[0]), list(new_words[0])
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())
    return common / max(len(old_words), len(new_words))
