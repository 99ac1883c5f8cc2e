"""The static site in Chromium: built by ``clipdiary build``, served by a plain file server.

The site is built with the base path ``/diary`` and served from a folder whose ``diary``
sub-folder holds it, so every link must carry the base path to work.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import feedparser
import pytest
from playwright.sync_api import Page, expect

from clipdiary.site.build import BuildOptions, build_site
from clipdiary.store import create_diary
from tests.e2e.conftest import BUSY_DAY, DIARY, PRIVATE_TITLE, public_entries, seed_diary


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def static_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """``(base URL, titles of the busy day)`` of the built site on a loopback file server."""
    folder = tmp_path_factory.mktemp("static")
    store = create_diary(folder / "diary-db", None, DIARY)
    try:
        seed_diary(store)
        build_site(store, folder / "www" / "diary", BuildOptions(base_path="/diary"))
        titles = [e.title for e in public_entries(store, BUSY_DAY)]
    finally:
        store.database.close()
    handler = functools.partial(_QuietHandler, directory=str(folder / "www"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", titles
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_pages_and_links_work_under_a_sub_path(
    page: Page, static_site: tuple[str, list[str]]
) -> None:
    base, titles = static_site
    response = page.goto(f"{base}/diary/")
    assert response is not None and response.status == 200
    expect(page.locator("header h1")).to_contain_text(DIARY.title)
    expect(page.get_by_text(PRIVATE_TITLE)).to_have_count(0)
    # The day heading leads to the day page, and its first permalink to the entry page.
    day_link = page.locator(f"h2.day-title a[href='/diary/{BUSY_DAY:%Y%m%d}/']").first
    day_link.click()
    expect(page).to_have_url(f"{base}/diary/{BUSY_DAY:%Y%m%d}/")
    expect(page.locator("section.entry")).to_have_count(len(titles))
    page.locator("section.entry a.sanchor").first.click()
    expect(page.locator("h3.entry-title")).to_contain_text(titles[0])
    # The stylesheet loaded from the sub-path.
    color = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert color
    page.get_by_role("link", name="一覧 Archive").click()
    expect(page).to_have_url(f"{base}/diary/archive/")
    page.locator("p.categories a", has_text="外交").click()
    expect(page.locator("h2.page-title")).to_contain_text("[外交]")


def test_the_static_search_finds_two_character_japanese(
    page: Page, static_site: tuple[str, list[str]]
) -> None:
    base, _ = static_site
    page.goto(f"{base}/diary/")
    box = page.locator("header form[role=search] input[name=q]")
    box.fill("会談")
    box.press("Enter")
    expect(page).to_have_url(f"{base}/diary/search/?q=%E4%BC%9A%E8%AB%87")
    hits = page.locator("#search-results li.search-hit")
    expect(hits.first).to_be_visible()
    assert hits.count() > 1
    expect(page.locator("#search-status")).to_contain_text("件")
    for title in hits.locator("a").all_inner_texts():
        assert "ロシア" in title  # the Japanese clips quote the summit talks
    hits.locator("a").first.click()
    expect(page.locator("h3.entry-title")).to_be_visible()
    page.goto(f"{base}/diary/search/?q=存在しない語")
    expect(page.locator("#search-status")).to_contain_text("No entries match")


def test_the_feed_is_discoverable_and_valid(page: Page, static_site: tuple[str, list[str]]) -> None:
    base, titles = static_site
    page.goto(f"{base}/diary/{BUSY_DAY:%Y%m%d}/")
    href = page.locator("link[rel=alternate][type='application/atom+xml']").first.get_attribute(
        "href"
    )
    assert href == "/diary/feed"
    body = page.request.get(base + href).body()
    feed = feedparser.parse(body)
    assert not feed.bozo
    assert {e.title for e in feed.entries} >= set(titles)
    assert PRIVATE_TITLE not in body.decode()


def test_static_pages_name_their_own_address_and_preview(
    page: Page, static_site: tuple[str, list[str]]
) -> None:
    base, titles = static_site
    page.goto(f"{base}/diary/{BUSY_DAY:%Y%m%d}/")
    canonical = page.locator("link[rel=canonical]")
    expect(canonical).to_have_attribute("href", f"/diary/{BUSY_DAY:%Y%m%d}/")
    expect(page.locator("meta[property='og:type']")).to_have_attribute("content", "website")
    page.locator("section.entry a.sanchor").first.click()
    expect(canonical).to_have_attribute("href", re.compile(rf"^/diary/{BUSY_DAY:%Y%m%d}/\d+/$"))
    assert canonical.get_attribute("href") == page.url.removeprefix(base)
    expect(page.locator("meta[property='og:type']")).to_have_attribute("content", "article")
    expect(page.locator("meta[property='og:title']")).to_have_attribute("content", titles[0])


def test_static_days_link_their_neighbours_anchors_and_related_clips(
    page: Page, static_site: tuple[str, list[str]]
) -> None:
    base, titles = static_site
    day = f"{BUSY_DAY:%Y%m%d}"
    page.goto(f"{base}/diary/{day}/")
    names = page.locator("section.entry").evaluate_all("els => els.map(e => e.id)")
    assert len(names) == len(titles)

    # An anchor lands on its section, far enough down the day to need a scroll.
    page.goto(f"{base}/diary/{day}/#{names[-1]}")
    expect(page.locator(f"section.entry[id='{names[-1]}'] .entry-title")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0

    # The day links walk to the day before and back.
    page.goto(f"{base}/diary/{day}/")
    page.locator("nav a[rel=prev]", has_text="前の日").click()
    expect(page).to_have_url(f"{base}/diary/{BUSY_DAY - dt.timedelta(days=1):%Y%m%d}/")
    page.locator("nav a[rel=next]", has_text="次の日").click()
    expect(page).to_have_url(f"{base}/diary/{day}/")

    # A related clip from an entry's page leads to its section of its day.
    page.goto(f"{base}/diary/{day}/{names[-2]}/")
    related = page.locator(f".related a.related-title[href^='/diary/{day}/#']")
    assert related.count() > 0
    target = (related.first.get_attribute("href") or "").split("#")[1]
    shown = related.first.inner_text()
    related.first.click()
    expect(page).to_have_url(f"{base}/diary/{day}/#{target}")
    expect(page.locator(f"section.entry[id='{target}'] .entry-title")).to_contain_text(shown)


def test_the_static_day_page_fits_a_phone(page: Page, static_site: tuple[str, list[str]]) -> None:
    base, _ = static_site
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{base}/diary/{BUSY_DAY:%Y%m%d}/")
    width, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= client
