"""The owner in a real browser: log in, write, see it published, edit, delete, log out."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import OWNER_PASSWORD, LiveDiary, log_in

ENTRY_PATH = re.compile(r"/(\d{8})/(\d+)$")


def test_owner_writes_edits_and_deletes_an_entry(
    context: BrowserContext, browser: Browser, fresh_diary: LiveDiary
) -> None:
    page = context.new_page()
    page.goto(fresh_diary.url("/"))
    expect(page.locator("p.empty")).to_have_text("Nothing has been written yet.")
    expect(page.locator("a.owner", has_text="Write")).to_have_count(0)

    # writing asks for the password first, then comes back to the form
    page.goto(fresh_diary.url("/new"))
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fnew$"))
    page.get_by_label("Password").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(fresh_diary.url("/new"))
    expect(page.locator("h2.page-title")).to_have_text("Write an entry")

    page.get_by_label("Title", exact=True).fill("G20杭州サミット開幕 G20 summit opens in Hangzhou")
    page.get_by_label("Categories", exact=True).fill("China, 外交")
    page.get_by_label("Body (Hatena notation)").fill(
        "First clip of the summit.\n\n"
        ">https://news.example.jp/g20:title=G20開幕>\n"
        "習近平国家主席が開幕を宣言した。\n"
        "<<\n"
    )
    page.get_by_role("button", name="Publish").click()

    # published: the browser lands on the permalink, with a note saying so
    expect(page).to_have_url(ENTRY_PATH)
    match = ENTRY_PATH.search(page.url)
    assert match is not None
    day, name = match.groups()
    expect(page.locator("p.flash")).to_contain_text("Published")
    title = page.locator(f"section.entry[id='{name}'] .entry-title")
    expect(title).to_contain_text("G20 summit opens in Hangzhou")
    assert title.locator("a.category").all_inner_texts() == ["[China]", "[外交]"]
    expect(page.locator("section.entry .body")).to_contain_text("習近平国家主席が開幕を宣言した。")

    # a visitor (another browser session) sees it on the day page and the top page
    visitor = browser.new_context()
    try:
        reader = visitor.new_page()
        reader.goto(fresh_diary.url(f"/{day}"))
        expect(reader.locator(f"section.entry[id='{name}']")).to_contain_text("G20 summit")
        reader.goto(fresh_diary.url("/"))
        expect(reader.locator("section.entry")).to_have_count(1)
        expect(reader.locator("a.owner")).to_have_count(0)
    finally:
        visitor.close()

    # edit from the entry's own "edit" link: the form comes back filled in
    page.locator(f"section.entry[id='{name}'] a.owner", has_text="edit").click()
    expect(page).to_have_url(fresh_diary.url(f"/{day}/{name}/edit"))
    expect(page.get_by_label("Title", exact=True)).to_have_value(
        "G20杭州サミット開幕 G20 summit opens in Hangzhou"
    )
    expect(page.get_by_label("Categories", exact=True)).to_have_value("China, 外交")
    page.get_by_label("Title", exact=True).fill("G20 summit opens in Hangzhou (updated)")
    page.get_by_label("Categories", exact=True).fill("China")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(fresh_diary.url(f"/{day}/{name}"))
    expect(page.locator("p.flash")).to_have_text("Saved.")
    expect(title).to_contain_text("G20 summit opens in Hangzhou (updated)")
    assert title.locator("a.category").all_inner_texts() == ["[China]"]
    page.goto(fresh_diary.url(f"/{day}"))
    expect(page.locator(f"section.entry[id='{name}']")).to_contain_text("(updated)")

    # delete it: gone from the day, its address answers 404
    page.goto(fresh_diary.url(f"/{day}/{name}/edit"))
    page.get_by_text("Delete this entry…").click()  # a second step, so no slip deletes
    page.get_by_role("button", name="Delete this entry").click()
    expect(page).to_have_url(fresh_diary.url("/"))
    expect(page.locator("p.flash")).to_contain_text("Deleted")
    expect(page.locator("section.entry")).to_have_count(0)
    response = page.goto(fresh_diary.url(f"/{day}/{name}"))
    assert response is not None
    assert response.status == 404

    # log out: the writing links go, and writing asks for the password again
    page.goto(fresh_diary.url("/"))
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(fresh_diary.url("/"))
    expect(page.locator("footer a.login")).to_have_text("Log in")
    expect(page.locator("nav a.owner")).to_have_count(0)
    page.goto(fresh_diary.url("/new"))
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fnew$"))


def test_private_entry_written_by_the_owner_stays_private(
    page: Page, browser: Browser, fresh_diary: LiveDiary
) -> None:
    log_in(page, fresh_diary)
    page.goto(fresh_diary.url("/new"))
    page.get_by_label("Title", exact=True).fill("Notes to self")
    page.get_by_label("Body (Hatena notation)").fill("not for readers")
    page.get_by_label("Private (only you can see it)").check()
    page.get_by_role("button", name="Publish").click()
    expect(page).to_have_url(ENTRY_PATH)
    path = ENTRY_PATH.search(page.url)
    assert path is not None
    day, name = path.groups()
    expect(page.locator("section.entry.private .badge")).to_have_text("private")

    visitor = browser.new_context()
    try:
        reader = visitor.new_page()
        response = reader.goto(fresh_diary.url(f"/{day}/{name}"))
        assert response is not None
        assert response.status == 404
        reader.goto(fresh_diary.url("/"))
        expect(reader.locator("body")).not_to_contain_text("Notes to self")
    finally:
        visitor.close()


def test_wrong_password_shows_an_error(page: Page, fresh_diary: LiveDiary) -> None:
    page.goto(fresh_diary.url("/login"))
    page.get_by_label("Password").fill("not the password")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Log in").click()
    assert answer.value.status == 401
    expect(page.get_by_role("alert")).to_have_text("Wrong password.")
    expect(page.locator("footer a.login")).to_be_visible()
    # still a visitor: writing sends the browser back to the login form
    page.goto(fresh_diary.url("/new"))
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fnew$"))
