"""A reader in Chromium follows an entry's story line to the story's page, whose timeline
holds the story's reports in both languages."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from clipdiary.model import day_key
from tests.e2e.conftest import LiveDiary
from tests.pages.story_fixtures import story_of
from tests.related.helpers import ATM_STORY, GEIGER_STORY, add


def test_the_story_line_leads_to_a_timeline_in_both_languages(
    page: Page, fresh_diary: LiveDiary, screenshot_dir: Path
) -> None:
    store = fresh_diary.store
    english = add(store, ATM_STORY, "en", hours=0)
    add(store, GEIGER_STORY, "en", hours=1)
    japanese = add(store, ATM_STORY, "ja", hours=30)
    number = story_of(store, english, include_private=False)
    assert number is not None

    page.goto(fresh_diary.url(f"/{day_key(japanese.day)}"))
    section = page.locator(f"section.entry[id='{japanese.name}']")
    line = section.locator("p.story-line")
    expect(line).to_contain_text("Story:")
    expect(line).to_contain_text("2 clips since 2019-11-01")
    line.get_by_role("link").click()

    expect(page).to_have_url(fresh_diary.url(f"/story/s{number}"))
    timeline = page.locator(".timeline li.story-entry")
    expect(timeline).to_have_count(2)
    expect(timeline.nth(0).locator(".story-entry-title")).to_have_text(english.title)
    expect(timeline.nth(0).locator(".lang")).to_have_text("en")
    expect(timeline.nth(1).locator(".story-entry-title")).to_have_text(japanese.title)
    expect(timeline.nth(1).locator(".lang")).to_have_text("ja")
    expect(page.locator("h2.story-title")).to_contain_text(japanese.title)
    page.screenshot(path=str(screenshot_dir / "story-timeline.png"), full_page=True)

    # Each entry of the timeline leads to its permalink.
    timeline.nth(0).locator(".story-entry-title a").click()
    expect(page).to_have_url(fresh_diary.url(f"/{day_key(english.day)}/{english.name}"))
