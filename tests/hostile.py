"""Hostile addresses, shared by the tests that check every way in and every way out.

Each one ran script on click in a browser before addresses were checked (issue 15, item 0).
"""

from __future__ import annotations

import sqlalchemy as sa

from clipdiary.model import Entry
from clipdiary.store import Store, schema

# The script sets a flag the browser tests look for; the HTTP tests look for the scheme.
SCRIPT = "document.title='pwned'"
HOSTILE_URLS = (
    f"javascript:{SCRIPT}",
    f"JaVaScRiPt:{SCRIPT}",
    f" javascript:{SCRIPT}",
    f"\tjavascript:{SCRIPT}",
    f"java\nscript:{SCRIPT}",
    f"java\tscript:{SCRIPT}",
    f"\x01javascript:{SCRIPT}",
    f"vbscript:{SCRIPT}",
    "data:text/html,<script>document.title='pwned'</script>",
    f"javascript://example.com/%0A{SCRIPT}",
    f"http:javascript:{SCRIPT}",
    "//evil.example/",
    "https:/evil.example/",
    "",
)
GOOD_URLS = (
    "https://news.example.com/a?b=c#d",
    "http://127.0.0.1:8000/x",
    "HTTPS://NEWS.EXAMPLE.COM/A",
    "https://ja.wikipedia.org/wiki/日本",
    "https://[::1]:8443/",
)


def plant_source_url(store: Store, entry: Entry, url: str) -> None:
    """Give a stored entry a source address without any check, as an older clipdiary (or a
    way in that forgot the check) may have left it: the pages must still link nothing."""
    with store.transaction() as conn:
        conn.execute(
            sa.update(schema.entries).where(schema.entries.c.id == entry.id).values(source_url=url)
        )
