"""Reader comforts in Chromium: the page's own address and preview, the days either side,
landmarks, alt texts and contrast, the printed page, and the day page on a desktop and a
phone (screenshots kept as test artifacts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, ViewportSize, expect

from clipdiary.model import NewEntry, day_key
from tests.e2e.conftest import BUSY_DAY, LiveDiary, public_entries

OLDEST_DAY = BUSY_DAY - dt.timedelta(days=8)  # the seeded diary holds nine days in a row
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ONE_PIXEL_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

# WCAG 2 contrast of an element's text against what is painted behind it: the
# backgrounds of the element and its ancestors, composited over the white canvas.
CONTRAST_JS = """
(elements) => {
  const channels = (css) => {
    const found = css.match(/[\\d.]+/g).map(Number);
    return {r: found[0], g: found[1], b: found[2], a: found.length > 3 ? found[3] : 1};
  };
  const over = (top, below) => ({
    r: top.r * top.a + below.r * (1 - top.a),
    g: top.g * top.a + below.g * (1 - top.a),
    b: top.b * top.a + below.b * (1 - top.a),
    a: 1,
  });
  const luminance = (c) => {
    const linear = [c.r, c.g, c.b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  return elements.map((element) => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      layers.push(channels(getComputedStyle(node).backgroundColor));
    }
    let background = {r: 255, g: 255, b: 255, a: 1};
    for (const layer of layers.reverse()) background = over(layer, background);
    const text = over(channels(getComputedStyle(element).color), background);
    const [light, dark] = [luminance(text), luminance(background)].sort((x, y) => y - x);
    const label = element.tagName.toLowerCase() + "." + element.className + " "
      + JSON.stringify(element.textContent.trim().slice(0, 30));
    return {label, ratio: (light + 0.05) / (dark + 0.05)};
  });
}
"""


def _day_url(diary: LiveDiary, day: dt.date) -> str:
    return diary.url(f"/{day_key(day)}")


def _meta(page: Page, prop: str) -> str | None:
    found = page.locator(f"meta[property='{prop}']")
    return found.get_attribute("content") if found.count() else None


def test_day_and_entry_pages_name_their_address_and_preview(
    page: Page, reading_diary: LiveDiary
) -> None:
    title = reading_diary.store.diary.title
    page.goto(_day_url(reading_diary, BUSY_DAY))
    expect(page.locator("link[rel=canonical]")).to_have_attribute("href", f"/{day_key(BUSY_DAY)}")
    assert _meta(page, "og:type") == "website"
    assert _meta(page, "og:title") == BUSY_DAY.isoformat()
    assert _meta(page, "og:site_name") == title

    entry = public_entries(reading_diary.store, BUSY_DAY)[1]
    page.locator(f"section.entry[id='{entry.name}'] a.sanchor").click()
    expect(page.locator("link[rel=canonical]")).to_have_attribute(
        "href", f"/{day_key(BUSY_DAY)}/{entry.name}"
    )
    assert _meta(page, "og:type") == "article"
    assert _meta(page, "og:title") == entry.title
    description = _meta(page, "og:description")
    assert description
    # the preview is the start of what the page shows, as one line of plain text
    shown = " ".join(page.locator("section.entry .body").inner_text().split())
    assert shown.startswith(description.removesuffix("…"))


def test_previous_and_next_day_links_walk_the_diary(page: Page, reading_diary: LiveDiary) -> None:
    middle = BUSY_DAY - dt.timedelta(days=4)
    page.goto(_day_url(reading_diary, middle))
    earlier = page.locator("nav[aria-label=days] a[rel=prev]")
    later = page.locator("nav[aria-label=days] a[rel=next]")
    shown_day = page.locator("article.day h2.day-title time")

    expect(earlier).to_contain_text((middle - dt.timedelta(days=1)).isoformat())
    earlier.click()
    expect(page).to_have_url(_day_url(reading_diary, middle - dt.timedelta(days=1)))
    expect(shown_day).to_have_attribute("datetime", (middle - dt.timedelta(days=1)).isoformat())
    later.click()
    later.click()
    expect(page).to_have_url(_day_url(reading_diary, middle + dt.timedelta(days=1)))
    expect(shown_day).to_have_attribute("datetime", (middle + dt.timedelta(days=1)).isoformat())

    # the first and the last day link only inwards
    page.goto(_day_url(reading_diary, OLDEST_DAY))
    expect(earlier).to_have_count(0)
    expect(later).to_have_attribute("href", f"/{day_key(OLDEST_DAY + dt.timedelta(days=1))}")
    page.goto(_day_url(reading_diary, BUSY_DAY))
    expect(later).to_have_count(0)
    expect(earlier).to_be_visible()

    # an entry's page links the days around its own
    entry = public_entries(reading_diary.store, middle)[0]
    page.goto(reading_diary.url(f"/{day_key(middle)}/{entry.name}"))
    later.click()
    expect(page).to_have_url(_day_url(reading_diary, middle + dt.timedelta(days=1)))


def test_day_page_has_landmarks_and_readable_contrast(page: Page, reading_diary: LiveDiary) -> None:
    page.goto(_day_url(reading_diary, BUSY_DAY))
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("navigation", name="diary")).to_be_visible()
    expect(page.get_by_role("search")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    for nav in page.locator("nav").all():
        assert nav.get_attribute("aria-label"), "every navigation is named"
    expect(page.locator("img:not([alt])")).to_have_count(0)

    samples = {
        "body text": ".entry .body p",
        "quoted text": ".entry .body blockquote p",
        "entry title": ".entry-title",
        "links": ".entry-title a.category, .related a, .body a",
        "meta text": ".meta, .meta a, .meta .lang",
        "nav links": "header nav a, nav.pager a",
        "footer": "footer.site p, footer.site a",
    }
    for kind, selector in samples.items():
        found = page.locator(selector)
        assert found.count() > 0, f"nothing to measure for {kind} ({selector})"
        measured: list[dict[str, Any]] = found.evaluate_all(CONTRAST_JS)
        weak = [m for m in measured if m["ratio"] < 4.5]
        assert not weak, f"{kind} below 4.5:1: {weak[:3]}"


def test_every_image_has_alt_text(page: Page, fresh_diary: LiveDiary) -> None:
    store = fresh_diary.store
    picture = fresh_diary.url("/static/no-such-photo.png")
    store.add_entry(
        NewEntry(
            title="Photos",
            body=(
                f"[{picture}:image]\n"
                f'><p><img src="{ONE_PIXEL_PNG}"> <img src="{ONE_PIXEL_PNG}" alt="地図"></p><\n'
            ),
            created=dt.datetime(2016, 9, 5, 12, 0, tzinfo=dt.UTC),
        )
    )
    page.goto(fresh_diary.url("/20160905"))
    images = page.locator("main img")
    # An image given by an absolute address is named and linked, not loaded (issue 15).
    expect(page.locator(f'main a[href="{picture}"]')).to_have_count(1)
    expect(images).to_have_count(2)
    expect(page.locator("img:not([alt])")).to_have_count(0)
    alts = images.evaluate_all("els => els.map(e => e.getAttribute('alt'))")
    assert alts == ["", "地図"]


def test_the_printed_day_leaves_out_what_only_works_on_a_screen(
    page: Page, reading_diary: LiveDiary
) -> None:
    page.goto(_day_url(reading_diary, BUSY_DAY))
    screen_only = [
        "header.site nav",
        "header.site form[role=search]",
        "nav[aria-label=days]",
        "nav[aria-label='same date']",
        "footer.site a.login",
    ]
    for selector in screen_only:
        expect(page.locator(selector)).to_be_visible()

    page.emulate_media(media="print")
    for selector in screen_only:
        expect(page.locator(selector)).to_be_hidden()
    expect(page.locator("header.site h1")).to_be_visible()
    expect(page.locator("section.entry .entry-title").first).to_be_visible()
    colours = page.evaluate(
        "[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    source = page.locator("section.entry .meta .source a").first
    href = source.get_attribute("href")
    after = source.evaluate("e => getComputedStyle(e, '::after').content")
    assert href and href in after


def _screenshot(page: Page, path: Path) -> None:
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == PNG_SIGNATURE


def test_day_page_on_a_desktop_and_a_375px_phone(
    browser: Browser, reading_diary: LiveDiary, screenshot_dir: Path
) -> None:
    viewports: dict[str, ViewportSize] = {
        "desktop": {"width": 1280, "height": 900},
        "phone": {"width": 375, "height": 812},
    }
    for device, viewport in viewports.items():
        phone = device == "phone"
        context = browser.new_context(
            viewport=viewport,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
            locale="ja-JP",
        )
        context.set_default_timeout(10_000)
        try:
            page = context.new_page()
            page.goto(_day_url(reading_diary, BUSY_DAY))
            expect(page.locator("nav[aria-label=days] a[rel=prev]")).to_be_visible()
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert client == viewport["width"]
            assert scroll <= client, f"the day page scrolls sideways on a {device}"
            _screenshot(page, screenshot_dir / f"day-{device}-{viewport['width']}.png")
        finally:
            context.close()
