"""What a visitor sees in a real browser: days, entries, permalinks, anchors, 404, phones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from clipdiary.model import day_key
from tests.e2e.conftest import (
    BUSY_DAY,
    LATE_NIGHT_TITLE,
    OWNER_PASSWORD,
    PHONE,
    PRIVATE_TITLE,
    LiveDiary,
    public_entries,
)


def _days_on_top(page: Page) -> list[dt.date]:
    stamps = page.locator("article.day h2.day-title time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    return [dt.date.fromisoformat(s) for s in stamps]


def test_top_page_lists_days_newest_first_with_titles_times_categories(
    page: Page, reading_diary: LiveDiary, screenshot_dir: Path
) -> None:
    store = reading_diary.store
    response = page.goto(reading_diary.url("/"))
    assert response is not None
    assert response.status == 200
    expect(page).to_have_title(store.diary.title)

    days = _days_on_top(page)
    expected_days = [p.day for p in store.latest_days(include_private=False, limit=7)]
    assert days == expected_days
    assert days == sorted(days, reverse=True)
    assert days[0] == BUSY_DAY

    for day in days:
        article = page.locator("article.day").filter(
            has=page.locator(f"h2.day-title time[datetime='{day.isoformat()}']")
        )
        sections = article.locator("section.entry")
        entries = public_entries(store, day)
        expect(sections).to_have_count(len(entries))
        for section, entry in zip(sections.all(), entries, strict=True):
            assert section.get_attribute("id") == entry.name
            title = section.locator(".entry-title")
            expect(title).to_contain_text(entry.title)
            shown_categories = title.locator("a.category").all_inner_texts()
            assert shown_categories == [f"[{c}]" for c in entry.categories]
            expect(section.locator(".meta time").first).to_have_text(
                entry.created.strftime("%H:%M")
            )

    # written at 01:30 on the 6th, it belongs to the 5th (the diary's day starts at 6:00)
    late = page.locator("section.entry").filter(has_text=LATE_NIGHT_TITLE)
    expect(late.locator(".meta time")).to_have_text("01:30")
    first_day = page.locator("article.day").first
    expect(first_day.locator("section.entry").last).to_contain_text(LATE_NIGHT_TITLE)

    # seven days a page, the older ones one click away
    expect(page.locator("nav.pager a[rel=next]")).to_be_visible()
    page.locator("nav.pager a[rel=next]").click()
    expect(page).to_have_url(reading_diary.url("/?page=2"))
    assert _days_on_top(page) == [
        p.day for p in store.latest_days(include_private=False, limit=7, offset=7)
    ]

    page.goto(reading_diary.url("/"))
    page.screenshot(path=str(screenshot_dir / "top-desktop.png"), full_page=False)


def test_permalink_mark_opens_the_entry_page(page: Page, reading_diary: LiveDiary) -> None:
    entry = public_entries(reading_diary.store, BUSY_DAY)[2]
    page.goto(reading_diary.url("/"))
    section = page.locator(f"section.entry[id='{entry.name}']")
    mark = section.locator("a.sanchor")
    expect(mark).to_have_text("■")
    mark.click()

    expect(page).to_have_url(reading_diary.url(f"/{day_key(BUSY_DAY)}/{entry.name}"))
    expect(page).to_have_title(f"{entry.title} - {reading_diary.store.diary.title}")
    expect(page.locator("section.entry")).to_have_count(1)
    expect(page.locator(f"section.entry[id='{entry.name}'] .entry-title")).to_contain_text(
        entry.title
    )
    # the clip's quote block names its source
    quote = page.locator("section.entry .body blockquote")
    expect(quote).to_contain_text("officials said the talks")
    expect(quote.locator("cite a")).to_have_attribute("href", "https://world.example.com/2016/09/2")
    # back to the day from the entry's heading
    page.locator("h2.day-title a").click()
    expect(page).to_have_url(reading_diary.url(f"/{day_key(BUSY_DAY)}"))


def test_day_page_entry_is_reached_by_its_anchor(page: Page, reading_diary: LiveDiary) -> None:
    entries = public_entries(reading_diary.store, BUSY_DAY)
    target = entries[-2]  # far down a long day
    page.goto(reading_diary.url(f"/{day_key(BUSY_DAY)}#{target.name}"))

    section = page.locator(f"[id='{target.name}']")
    expect(section).to_have_count(1)
    expect(section).to_contain_text(target.title)
    expect(section).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    top = section.evaluate("e => e.getBoundingClientRect().top")
    viewport = page.viewport_size
    assert viewport is not None
    assert -2 <= top < viewport["height"]  # scrolled to the top, give or take subpixels
    # the day page holds every public entry of the day, oldest first
    names = page.locator("section.entry").evaluate_all("els => els.map(e => e.id)")
    assert names == [e.name for e in entries]


def test_private_entry_is_invisible_to_a_visitor(page: Page, reading_diary: LiveDiary) -> None:
    store = reading_diary.store
    private = next(e for e in store.entries(include_private=True, day=BUSY_DAY) if not e.is_public)
    for path in ("/", f"/{day_key(BUSY_DAY)}", "/archive", "/category/Secret"):
        page.goto(reading_diary.url(path))
        expect(page.locator("body")).not_to_contain_text(PRIVATE_TITLE)
        expect(page.locator(f"[id='{private.name}']")).to_have_count(0)

    response = page.goto(reading_diary.url(f"/{day_key(BUSY_DAY)}/{private.name}"))
    assert response is not None
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(PRIVATE_TITLE)


def test_unknown_address_shows_the_404_page(page: Page, reading_diary: LiveDiary) -> None:
    for path in ("/no/such/page/here", "/20160905/9999999999", "/20161345", "/nothing-here"):
        response = page.goto(reading_diary.url(path))
        assert response is not None
        assert response.status == 404, path
        expect(page.locator("h2.page-title")).to_have_text("Not found")
        expect(page.locator("main a[href='/']")).to_be_visible()
        expect(page).to_have_title(f"Not found - {reading_diary.store.diary.title}")


def test_pages_work_without_javascript(browser: Browser, reading_diary: LiveDiary) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        entry = public_entries(reading_diary.store, BUSY_DAY)[0]
        page.goto(reading_diary.url("/"))
        expect(page.locator("article.day").first).to_contain_text(entry.title)
        page.locator(f"section.entry[id='{entry.name}'] a.sanchor").click()
        expect(page).to_have_url(reading_diary.url(f"/{day_key(BUSY_DAY)}/{entry.name}"))
        page.locator("nav[aria-label=diary] a[href='/archive']").click()
        expect(page).to_have_url(reading_diary.url("/archive"))
        expect(page.locator("main")).to_contain_text(entry.title)
        page.locator("p.categories a.category", has_text="Russia").click()
        expect(page).to_have_url(reading_diary.url("/category/Russia"))
        expect(page.locator("main")).to_contain_text(entry.title)
        # the archive's date links go to the entry's anchor in its day page
        page.goto(reading_diary.url("/archive"))
        anchor = f"/{day_key(BUSY_DAY)}#{entry.name}"
        page.locator(f"a[href='{anchor}']").click()
        expect(page).to_have_url(reading_diary.url(anchor))
        expect(page.locator(f"[id='{entry.name}']")).to_contain_text(entry.title)
        # the owner's login form is a plain form: it works with scripts off too
        page.goto(reading_diary.url("/login"))
        page.get_by_label("Password").fill(OWNER_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(reading_diary.url("/"))
        expect(page.locator("body")).to_contain_text(PRIVATE_TITLE)
    finally:
        context.close()


def test_phone_viewport_has_no_horizontal_overflow(
    browser: Browser, reading_diary: LiveDiary, screenshot_dir: Path
) -> None:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="ja-JP"
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        entry = public_entries(reading_diary.store, BUSY_DAY)[0]
        paths = [
            "/",
            f"/{day_key(BUSY_DAY)}",
            f"/{day_key(BUSY_DAY)}/{entry.name}",
            "/archive",
            "/category/Russia",
            f"/{BUSY_DAY:%Y%m}",
            f"/{BUSY_DAY:%m%d}",
            "/login",
            "/no-such-page",
        ]
        for path in paths:
            page.goto(reading_diary.url(path))
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{path} overflows: {widths}"
        page.goto(reading_diary.url("/"))
        page.screenshot(path=str(screenshot_dir / "top-phone.png"))
        page.goto(reading_diary.url(f"/{day_key(BUSY_DAY)}/{entry.name}"))
        page.screenshot(path=str(screenshot_dir / "entry-phone.png"), full_page=True)
    finally:
        context.close()
