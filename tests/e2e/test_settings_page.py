"""The settings page in Chromium on a 375 px phone: the import report wraps instead of
widening the page, and a dry run keeps the chosen format, encoding and file, so the file
it checked is imported with one more click."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import LiveDiary, log_in

LONG = "https://news.example.com/" + "a-very-long-address-that-goes-on-" * 6
BOOKMARKS = f"""<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<DL><p>
    <DT><A HREF="{LONG}1" ADD_DATE="1473071774">First</A>
    <DT><A HREF="{LONG}2" ADD_DATE="1473075374" PRIVATE="1">Second</A>
    <DT><A HREF="{LONG}3" ADD_DATE="1473078974">Third</A>
    <DT><A HREF="javascript:void(document.body.innerHTML='{"x" * 200}')" ADD_DATE="1">bad</A>
    <DT><A HREF="{LONG}4">No date</A>
</DL><p>
"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
        has_touch=True, locale="ja-JP",
    )  # fmt: skip
    context.set_default_timeout(10_000)
    yield context
    context.close()


def assert_fits(page: Page) -> None:
    """No sideways scroll: on a phone, content wider than the screen also widens the
    window (the page is shown zoomed out), so both are held to the screen's 375 px."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert (scroll, inner) == (375, 375), f"{page.url} is {scroll} px wide, its window {inner}"


def test_the_import_report_fits_a_phone_and_a_dry_run_keeps_the_file(
    phone: BrowserContext, fresh_diary: LiveDiary, tmp_path: Path, screenshot_dir: Path
) -> None:
    file = tmp_path / "bookmarks.html"
    file.write_text(BOOKMARKS, encoding="utf-8")
    page = phone.new_page()
    log_in(page, fresh_diary)
    page.goto(fresh_diary.url("/settings"))
    assert_fits(page)

    page.get_by_label("File", exact=True).set_input_files(file)
    page.get_by_label("Format").select_option("bookmarks")
    page.get_by_label("Encoding").select_option("utf-8,cp1252")
    page.get_by_label("Only check the file").check()
    page.get_by_role("button", name="Import", exact=True).click()
    report = page.locator(".import-report")
    expect(report).to_contain_text("Dry run: 3 entries in bookmarks.html; 3 would be added")
    expect(report).to_contain_text(LONG + "4: no ADD_DATE")
    assert_fits(page)
    page.screenshot(path=str(screenshot_dir / "settings-dry-run-375.png"), full_page=True)
    assert fresh_diary.store.count_entries(include_private=True) == 0

    # What was chosen is still chosen, and the file checked is one click from imported.
    expect(page.get_by_label("Format")).to_have_value("bookmarks")
    expect(page.get_by_label("Encoding")).to_have_value("utf-8,cp1252")
    page.get_by_role("button", name="Import bookmarks.html now").click()
    expect(report).to_contain_text("Imported 3 entries from bookmarks.html (bookmarks)")
    assert_fits(page)
    entries = fresh_diary.store.entries(include_private=True)
    assert sorted(e.title for e in entries) == ["First", "Second", "Third"]
    assert [e.title for e in entries if not e.is_public] == ["Second"]
    expect(page.get_by_role("button", name="Import bookmarks.html now")).to_have_count(0)

    page.get_by_role("button", name="Make a bookmarklet").click()
    expect(page.locator("#bookmarklet")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=str(screenshot_dir / "settings-imported-375.png"), full_page=True)


def test_the_import_report_on_a_desktop(
    page: Page, fresh_diary: LiveDiary, tmp_path: Path, screenshot_dir: Path
) -> None:
    file = tmp_path / "bookmarks.html"
    file.write_text(BOOKMARKS, encoding="utf-8")
    log_in(page, fresh_diary)
    page.goto(fresh_diary.url("/settings"))
    page.get_by_label("File", exact=True).set_input_files(file)
    page.get_by_label("Format").select_option("bookmarks")
    page.get_by_label("Only check the file").check()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".import-report")).to_contain_text("Dry run: 3 entries")
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner == 1280
    box = page.locator(".import-report").bounding_box()
    assert box is not None and box["width"] <= 800  # the column's measure, not the window
    page.screenshot(path=str(screenshot_dir / "settings-dry-run-1280.png"), full_page=True)
