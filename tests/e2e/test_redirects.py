"""Chromium, which reads a Location loosely, is never sent to another site by the diary.

Every request the browser makes to a host other than the diary's is recorded, redirects
included (a route would see only the first request of a redirect chain, so requests are
watched as events and any elsewhere aborted); none may happen, whether the address is
typed or reached through the login form.
"""

from __future__ import annotations

from contextlib import suppress
from urllib.parse import quote, urlsplit

from playwright.sync_api import BrowserContext, Error, Request, Route

from tests.e2e.conftest import OWNER_PASSWORD, LiveDiary

SPELLINGS = (
    "//evil.example/",
    "/\\evil.example/",
    "/%2F%2Fevil.example/",
    "/%5Cevil.example/",
    "/%09/evil.example/",
    "/\t/evil.example/",
    "/.//evil.example/",
    "///evil.example/",
)


def _refuse_other_hosts(context: BrowserContext, diary: LiveDiary) -> list[str]:
    here = urlsplit(diary.base_url).netloc
    elsewhere: list[str] = []

    def seen(request: Request) -> None:
        if urlsplit(request.url).netloc != here:
            elsewhere.append(request.url)

    def route(found: Route) -> None:
        if urlsplit(found.request.url).netloc == here:
            found.continue_()
        else:
            found.abort()

    context.on("request", seen)
    context.route("**/*", route)
    return elsewhere


def test_typed_addresses_stay_on_the_diary(fresh_diary: LiveDiary, context: BrowserContext) -> None:
    elsewhere = _refuse_other_hosts(context, fresh_diary)
    page = context.new_page()
    for spelling in SPELLINGS:
        with suppress(Error):  # a navigation elsewhere fails; it is recorded all the same
            page.goto(fresh_diary.base_url + spelling)
    assert elsewhere == []


def test_the_login_form_returns_only_to_the_diary(
    fresh_diary: LiveDiary, context: BrowserContext
) -> None:
    elsewhere = _refuse_other_hosts(context, fresh_diary)
    page = context.new_page()
    for spelling in (*SPELLINGS, "https://evil.example/", "/\t/evil.example"):
        with suppress(Error):  # the last login's redirect may still be going elsewhere
            page.goto(fresh_diary.url("/login?next=" + quote(spelling, safe="")))
        if page.get_by_label("Password").count():
            page.get_by_label("Password").fill(OWNER_PASSWORD)
            with suppress(Error):
                page.get_by_role("button", name="Log in").click()
                page.wait_for_load_state()
        context.clear_cookies()
    assert elsewhere == []
