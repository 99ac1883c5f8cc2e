"""Whole journeys through the live site in Chromium: following a related link to its
section, searching in Japanese, and the owner clipping an article through the Clip form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from clipdiary.model import day_key
from tests.clip.clip_server import MANIFEST, Server, running_server
from tests.e2e.conftest import BUSY_DAY, LiveDiary, log_in, public_entries

ENTRY_PATH = re.compile(r"/(\d{8})/(\d+)$")
# A Japanese news page in EUC-JP that names its charset only in a <meta>: the clip must
# decode it to show the right title.
ARTICLE = next(e for e in MANIFEST if e["encoding"] == "EUC-JP")


@pytest.fixture(scope="module")
def news_site() -> Iterator[Server]:
    with running_server() as server:
        yield server


def test_a_related_link_lands_on_its_section_in_the_day(
    page: Page, reading_diary: LiveDiary
) -> None:
    entries = public_entries(reading_diary.store, BUSY_DAY)
    order = [e.name for e in entries]
    source = entries[-2]  # late in the day: its related entries are earlier the same day
    page.goto(reading_diary.url(f"/{day_key(BUSY_DAY)}/{source.name}"))

    same_day = page.locator(f".related a.related-title[href^='/{day_key(BUSY_DAY)}#']")
    assert same_day.count() > 0
    targets = [
        href.split("#")[1]
        for href in same_day.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    ]
    # the one furthest down the day page, so that reaching it takes a scroll
    deepest = max(targets, key=order.index)
    assert order.index(deepest) > 0
    link = same_day.nth(targets.index(deepest))
    shown_title = link.inner_text()
    link.click()

    expect(page).to_have_url(reading_diary.url(f"/{day_key(BUSY_DAY)}#{deepest}"))
    expect(page.locator("article.day h2.day-title time")).to_have_attribute(
        "datetime", BUSY_DAY.isoformat()
    )
    section = page.locator(f"section.entry[id='{deepest}']")
    expect(section.locator(".entry-title")).to_contain_text(shown_title)
    expect(section.locator(".entry-title")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0


def test_searching_for_a_two_character_japanese_word(page: Page, reading_diary: LiveDiary) -> None:
    page.goto(reading_diary.url("/"))
    box = page.get_by_role("searchbox", name="search the diary")
    box.fill("会談")
    box.press("Enter")

    expect(page).to_have_url(reading_diary.url(f"/search?q={quote('会談')}"))
    expect(page.locator("p.count[role=status]")).to_contain_text("results")
    titles = page.locator("ol.search-results li.hit h3 a")
    expect(titles.first).to_be_visible()
    # the Japanese clips quote the summit talks (首脳会談); the English ones do not
    shown = titles.all_inner_texts()
    assert len(shown) > 1
    assert all("ロシア・米国、シリアで合意へ" in title for title in shown)
    expect(page.locator("ol.search-results .snippet").first).to_contain_text("会談")

    first = shown[0]
    titles.first.click()
    expect(page).to_have_url(ENTRY_PATH)
    expect(page.locator("section.entry .entry-title")).to_contain_text(first)


def test_the_owner_clips_an_article_through_the_form(
    page: Page, fresh_diary: LiveDiary, news_site: Server
) -> None:
    # The article is served on loopback, which a diary refuses to fetch unless allowed.
    fresh_diary.store.update_settings(allow_private_addresses=True)
    article_url = news_site.url(f"/demo/{ARTICLE['file']}")
    log_in(page, fresh_diary)
    page.get_by_role("link", name="クリップ Clip").click()
    expect(page).to_have_url(fresh_diary.url("/clip"))

    page.get_by_label("Article URL").fill(article_url)
    page.get_by_label("Your note").fill("EUC-JP のページもそのまま読める。")
    page.get_by_label("Categories").fill("テスト")
    page.get_by_role("button", name="Clip", exact=True).click()

    # the browser lands on the new entry's permalink
    expect(page).to_have_url(ENTRY_PATH, timeout=30_000)
    match = ENTRY_PATH.search(page.url)
    assert match is not None
    day, name = match.groups()
    section = page.locator(f"section.entry[id='{name}']")
    expect(section.locator(".entry-title")).to_contain_text(ARTICLE["title"])
    expect(section.locator(".entry-title a.category")).to_have_text("[テスト]")
    expect(section.locator(".body")).to_contain_text("EUC-JP のページもそのまま読める。")
    expect(section.locator(".meta .source a")).to_have_attribute("href", article_url)

    # and its day page shows it, quoting the article
    page.locator("h2.day-title a").click()
    expect(page).to_have_url(fresh_diary.url(f"/{day}"))
    on_day = page.locator(f"section.entry[id='{name}']")
    expect(on_day.locator(".entry-title")).to_contain_text(ARTICLE["title"])
    first_line = next(line for line in ARTICLE["text"].splitlines() if line.strip())
    expect(on_day.locator(".body blockquote")).to_contain_text(first_line.strip()[:20])
