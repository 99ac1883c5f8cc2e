"""Who may open a clip's archived page, and the page itself as the diary serves it.

The owner always may; visitors only when the diary's ``archived_pages`` setting is
``public`` (``clipdiary settings --archived-pages public``) and the entry is public. The
page is two documents: the diary's own page with a banner (when and from where the page
was fetched) around a sandboxed frame, and the frame's document, the stored page made
inert (``clean.py``) under a Content-Security-Policy that allows nothing but its inline
images and the diary's plain style.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from clipdiary.archive.clean import inert_page
from clipdiary.errors import NotFound, UsageError
from clipdiary.model import Entry, Snapshot, day_key
from clipdiary.store import Store
from clipdiary.store.media import images_of, media_bytes

SETTING = "archived_pages"
CHOICES = ("owner", "public")
#: The frame document's policy: its images are inline data, and nothing else may load.
CONTENT_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'; sandbox"
)
CONTENT_HEADERS = {
    "Content-Security-Policy": CONTENT_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "private, no-cache",
}
_STYLE = (
    "body{font:16px/1.7 system-ui,sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem;"
    "color:#222;background:#fff}img{max-width:100%;height:auto}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .4rem}"
    ".missing-image{color:#777;font-size:.9em}"
)


def archived_pages_setting(store: Store) -> str:
    return store.setting(SETTING) or "owner"


def set_archived_pages(store: Store, choice: str) -> None:
    if choice not in CHOICES:
        raise UsageError(f"archived pages are shown to owner or public, not {choice!r}")
    store.set_setting(SETTING, None if choice == "owner" else choice)


def may_see(store: Store, entry: Entry, *, owner: bool) -> bool:
    if owner:
        return True
    return entry.is_public and archived_pages_setting(store) == "public"


def archived_snapshot(
    store: Store, day: dt.date, name: str, *, owner: bool
) -> tuple[Entry, Snapshot]:
    """The entry and its stored page, when this viewer may see them; else NotFound."""
    entry = store.get_entry(day, name, include_private=owner)
    if not may_see(store, entry, owner=owner):
        raise NotFound("There is no page at this address.")
    snapshot = store.snapshot_of(day, name)
    if snapshot is None:
        raise NotFound(f"The entry {day_key(day)}/{name} keeps no clipped page.")
    return entry, snapshot


def content_document(store: Store, entry: Entry, snapshot: Snapshot) -> str:
    """The frame's document: the stored page made inert, with the clip's kept images."""
    images = [i for i in images_of(store, [entry.id]).get(entry.id, []) if i.sha256]
    stored = media_bytes(store, (i.sha256 for i in images if i.sha256))
    kept = {i.url: stored[i.sha256] for i in images if i.sha256 in stored}
    charset = _header_charset(snapshot)
    page = inert_page(snapshot.body, snapshot.url, kept, charset)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(page.title)}</title><style>{_STYLE}</style></head>"
        f"<body>{page.body_html}</body></html>\n"
    )


def _header_charset(snapshot: Snapshot) -> str | None:
    from clipdiary.clip.charset import charset_from_content_type

    content_type = next((v for k, v in snapshot.headers if k.lower() == "content-type"), None)
    return charset_from_content_type(content_type)
