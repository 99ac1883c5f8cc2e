"""The diary's pages under its Content-Security-Policy, in Chromium: the owner's pages work
and break no rule of the policy; another site cannot frame them (issue 15, item 6)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveDiary, log_in

OWNER_PAGES = ["/", "/20160905", "/201609", "/0905", "/archive", "/settings", "/new", "/clip"]


def _violations(page: Page) -> list[str]:
    """Every report of a broken policy rule on ``page`` from now on."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_the_owner_s_pages_work_under_the_policy(page: Page, reading_diary: LiveDiary) -> None:
    broken = _violations(page)
    log_in(page, reading_diary)
    for path in OWNER_PAGES:
        answer = page.goto(reading_diary.url(path))
        assert answer is not None and answer.status == 200, path
        assert "frame-ancestors 'none'" in (answer.header_value("content-security-policy") or "")
    entry = reading_diary.store.entries(include_private=True)[0]
    page.goto(reading_diary.url(f"/{entry.day:%Y%m%d}/{entry.name}"))
    expect(page.locator("main")).to_contain_text(entry.title)
    page.goto(reading_diary.url("/search?q=Syria"))
    expect(page.locator("main")).to_contain_text("Syria")
    # The stylesheet applied: the page is laid out by it, not by the browser's defaults.
    margin = page.evaluate("getComputedStyle(document.body).margin")
    assert margin != "8px"
    assert broken == []


def test_writing_and_the_bookmarklet_work_under_the_policy(
    page: Page, fresh_diary: LiveDiary
) -> None:
    broken = _violations(page)
    log_in(page, fresh_diary)
    page.goto(fresh_diary.url("/new"))
    page.get_by_label("Title").fill("Under the policy")
    page.get_by_label("Body (Hatena notation)").fill("* a heading\n\nsome text")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("main")).to_contain_text("Under the policy")
    page.goto(fresh_diary.url("/settings"))
    page.get_by_role("button", name="Make a bookmarklet").click()
    expect(page.locator("#bookmarklet")).to_be_visible()
    page.get_by_role("button", name="Make a token").click()
    expect(page.locator("#new-token")).to_be_visible()
    assert broken == []
    assert fresh_diary.store.count_entries(include_private=True) == 1


class _Framer(BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:
        body = f'<!doctype html><title>evil</title><iframe src="{self.target}"></iframe>'
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def framing_site(reading_diary: LiveDiary) -> Iterator[str]:
    """Another site (another port on the same host) that frames the settings page."""
    handler = type("Framer", (_Framer,), {"target": reading_diary.url("/settings")})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_another_site_cannot_frame_the_settings_page(
    page: Page, reading_diary: LiveDiary, framing_site: str
) -> None:
    log_in(page, reading_diary)
    page.goto(framing_site)
    page.wait_for_timeout(500)
    frame = page.frames[-1]
    assert frame != page.main_frame
    buttons = frame.evaluate("document.querySelectorAll('button').length")
    assert buttons == 0  # the frame shows Chromium's refusal, not the owner's buttons


def test_the_headers_on_every_kind_of_answer(reading_diary: LiveDiary) -> None:
    for path in ["/", "/feed", "/api/entries", "/static/style.css", "/no-such-page"]:
        answer = httpx.get(reading_diary.url(path))
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["referrer-policy"] == "same-origin", path
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy, path
        assert answer.headers["x-frame-options"] == "DENY", path
        assert "strict-transport-security" not in answer.headers  # plain HTTP
