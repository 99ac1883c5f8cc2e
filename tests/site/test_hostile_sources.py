"""The static site writes an entry's source as a link only when it is an http(s) address,
whatever the diary holds (an address stored before addresses were checked)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from clipdiary.model import NewEntry, Source
from clipdiary.site.build import build_site
from clipdiary.store import Store
from tests.hostile import HOSTILE_URLS, plant_source_url
from tests.web.test_source_links import SCRIPT_URL

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)


def test_no_static_page_or_feed_links_a_hostile_source(store: Store, tmp_path: Path) -> None:
    kept = store.add_entry(
        NewEntry("kept", created=SUMMIT, source=Source(url="https://news.example.com/a"))
    )
    for k, url in enumerate(HOSTILE_URLS, start=1):
        entry = store.add_entry(
            NewEntry(
                f"clip {k}",
                categories=("Russia",),
                created=SUMMIT + dt.timedelta(seconds=k),
                source=Source(url="https://placeholder.example/", site="Site"),
            )
        )
        plant_source_url(store, entry, url)
    out = tmp_path / "site"
    build_site(store, out)
    pages = [p for p in out.rglob("*") if p.is_file() and p.suffix in ("", ".html", ".json")]
    assert len(pages) > 10
    for path in pages:
        text = path.read_text("utf-8", errors="replace")
        assert not SCRIPT_URL.search(text), (path, SCRIPT_URL.search(text))
        assert "placeholder.example" not in text, path
    entry_page = (out / f"20160905/{kept.name}/index.html").read_text()
    assert '<a href="https://news.example.com/a" rel="nofollow noopener">' in entry_page
    assert (out / "feed").read_text().count('rel="related"') == 1
