"""PageBuilder's page heads and day links, rendered straight from the store."""

from __future__ import annotations

import datetime as dt

import pytest

from clipdiary.model import NewEntry
from clipdiary.pages import PageBuilder, Viewer
from clipdiary.pages.builder import site_root, summary_of
from clipdiary.store import Store
from clipdiary.urls import Urls

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)  # its entry is 20160905/1473071774
VISITOR = Viewer()


@pytest.mark.parametrize(
    ("base_url", "base_path", "root"),
    [
        ("", "", ""),
        ("", "/d", ""),
        ("https://example.com", "", "https://example.com"),
        ("https://example.com/d1021/", "", "https://example.com/d1021"),
        # the paths carry the base path already: only scheme and host are added
        ("https://example.com/diary", "/diary", "https://example.com"),
        ("https://example.com", "/diary", "https://example.com"),
    ],
)
def test_site_root(base_url: str, base_path: str, root: str) -> None:
    assert site_root(base_url, base_path) == root


def test_summary_is_one_short_line_of_plain_text() -> None:
    assert summary_of("") is None
    assert summary_of("  \n ") is None
    assert summary_of("一行目\n\n  二行目 ") == "一行目 二行目"
    long = summary_of("word " * 100, limit=20)
    assert long == "word word word word…"
    assert long is not None and len(long) <= 20


def test_a_base_path_builder_makes_absolute_addresses_once(store: Store) -> None:
    store.add_entry(NewEntry("サミット", body="本文", created=SUMMIT))
    store.update_settings(base_url="https://example.com/diary/")
    html = PageBuilder(store, Urls("/diary")).entry(VISITOR, SUMMIT.date(), "1473071774")
    address = "https://example.com/diary/20160905/1473071774"
    assert f'<link rel="canonical" href="{address}">' in html
    assert f'<meta property="og:url" content="{address}">' in html
    assert '<meta property="og:description" content="本文">' in html


def test_day_links_show_only_when_the_neighbours_are_given(store: Store) -> None:
    for days in (-1, 0, 1):
        store.add_entry(NewEntry(f"day {days}", created=SUMMIT + dt.timedelta(days=days)))
    builder = PageBuilder(store)
    page = store.day_page(SUMMIT.date(), include_private=False)
    # the static build renders a day from data it read, without neighbours: no links
    assert 'aria-label="days"' not in builder.day_view(VISITOR, page)
    only_earlier = builder.day_view(VISITOR, page, neighbours=(dt.date(2016, 9, 4), None))
    assert '<a href="/20160904" rel="prev">' in only_earlier and 'rel="next"' not in only_earlier
    live = builder.day(VISITOR, SUMMIT.date())
    assert '<a href="/20160904" rel="prev">' in live
    assert '<a href="/20160906" rel="next">' in live
