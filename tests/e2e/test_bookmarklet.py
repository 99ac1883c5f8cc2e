"""The bookmarklet as the owner uses it, in Chromium: made on /settings, clicked on an
article served on loopback (a plain page, and one whose article a script builds), and the
clip found in the diary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Dialog, Page, expect

from clipdiary.model import day_key
from tests.clip.clip_server import (
    MANIFEST,
    SCRIPTED_SENTENCES,
    SCRIPTED_TITLE,
    Server,
    running_server,
)
from tests.e2e.conftest import LiveDiary, log_in

ARTICLE = next(e for e in MANIFEST if e["lang"] == "en")


@pytest.fixture(scope="module")
def news_site() -> Iterator[Server]:
    with running_server() as server:
        yield server


def make_bookmarklet(page: Page, diary: LiveDiary) -> str:
    log_in(page, diary)
    page.goto(diary.url("/settings"))
    page.get_by_role("button", name="Make a bookmarklet").click()
    link = page.locator("#bookmarklet")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href is not None and href.startswith("javascript:")
    return href


def click_bookmarklet(page: Page, href: str, note: str, *, again: bool = False) -> str:
    """Put the bookmarklet on the page as a link (what a bookmarks bar does), click it,
    answer its prompt with ``note`` and a question whether to clip again with ``again``;
    return the last thing it said (an alert, or the question when it was declined)."""
    said: list[str] = []
    done: list[bool] = []
    errors: list[str] = []

    def answer(dialog: Dialog) -> None:
        if dialog.type == "prompt":
            dialog.accept(note)
            return
        said.append(dialog.message)
        if dialog.type == "confirm":
            if again:
                dialog.accept()
                return
            dialog.dismiss()
        else:
            dialog.accept()
        done.append(True)

    page.on("dialog", answer)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.evaluate(
        """href => {
            const a = document.createElement('a');
            a.href = href; a.id = 'clipdiary-bookmarklet'; a.textContent = 'Clip';
            document.body.append(a);
        }""",
        href,
    )
    page.locator("#clipdiary-bookmarklet").click()
    for _ in range(300):
        if done:
            break
        page.wait_for_timeout(100)
    page.remove_listener("dialog", answer)
    assert done, f"the bookmarklet said nothing; the page reported {errors}"
    return said[-1]


def test_the_bookmarklet_clips_a_loopback_article(
    page: Page, fresh_diary: LiveDiary, news_site: Server
) -> None:
    href = make_bookmarklet(page, fresh_diary)
    article_url = news_site.url(f"/demo/{ARTICLE['file']}")
    page.goto(article_url)
    said = click_bookmarklet(page, href, "Read on the train.")
    assert said == f"Clipped: {ARTICLE['title']}"

    page.goto(fresh_diary.url("/"))
    section = page.locator("section.entry", has_text=ARTICLE["title"])
    expect(section).to_have_count(1)
    expect(section.locator(".body")).to_contain_text("Read on the train.")
    expect(section.locator(".meta .source a")).to_have_attribute("href", article_url)
    first_line = next(line for line in ARTICLE["text"].splitlines() if line.strip())
    expect(section.locator(".body blockquote")).to_contain_text(first_line.strip()[:30])


def test_the_bookmarklet_clips_what_a_script_put_on_the_page(
    page: Page, fresh_diary: LiveDiary, news_site: Server
) -> None:
    href = make_bookmarklet(page, fresh_diary)
    page.goto(news_site.url("/scripted"))
    expect(page.locator("article p").first).to_have_text(SCRIPTED_SENTENCES[0])
    said = click_bookmarklet(page, href, "")
    assert said == f"Clipped: {SCRIPTED_TITLE}"

    page.goto(fresh_diary.url("/"))
    section = page.locator("section.entry", has_text=SCRIPTED_TITLE)
    expect(section).to_have_count(1)
    for sentence in SCRIPTED_SENTENCES:
        expect(section.locator(".body blockquote")).to_contain_text(sentence)


def test_a_page_clipped_already_is_clipped_again_only_when_asked(
    page: Page, fresh_diary: LiveDiary, news_site: Server
) -> None:
    href = make_bookmarklet(page, fresh_diary)
    article_url = news_site.url(f"/demo/{ARTICLE['file']}")
    page.goto(article_url)
    assert click_bookmarklet(page, href, "") == f"Clipped: {ARTICLE['title']}"
    first = fresh_diary.store.entries(include_private=True)
    assert len(first) == 1

    page.goto(article_url)
    asked = click_bookmarklet(page, href, "", again=False)
    # The question is the bookmarklet's own: no command-line option, no API field.
    earlier = fresh_diary.url(f"/{day_key(first[0].day)}/{first[0].name}")
    assert asked == (
        f"clipdiary: this page is in your diary already: {ARTICLE['title']} ({earlier})."
        " Clip it again?"
    )
    assert len(fresh_diary.store.entries(include_private=True)) == 1

    page.goto(article_url)
    assert click_bookmarklet(page, href, "Twice.", again=True) == (f"Clipped: {ARTICLE['title']}")
    assert len(fresh_diary.store.entries(include_private=True)) == 2
