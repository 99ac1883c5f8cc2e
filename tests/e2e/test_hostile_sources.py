"""Hostile source addresses in Chromium: clicking an entry's source never runs script.

Entries are offered with ``javascript:`` sources in the spellings that ran before (issue 15,
item 0) through the API and through a JSON Lines import; both must refuse them. An entry
whose stored source is hostile anyway (written before addresses were checked) is planted
too, so that every page has a source to click. Then every source on the day, month, same-date
and entry pages is clicked, as a visitor and as the owner on the live site and on the static
build, and the script (which would retitle the page and open a dialog) must not have run.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Dialog, Page

from clipdiary.model import NewEntry, Source
from clipdiary.site.build import build_site
from tests.e2e.conftest import TOKYO, LiveDiary, log_in
from tests.hostile import plant_source_url
from tests.test_cli import run

MARK = "pwned"
SCRIPT = f"document.title='{MARK}';alert('{MARK}')"
SPELLINGS = (
    f"javascript:{SCRIPT}",
    f"JaVaScRiPt:{SCRIPT}",
    f" javascript:{SCRIPT}",
    f"\tjavascript:{SCRIPT}",
    f"java\nscript:{SCRIPT}",
)
DAY = dt.date(2016, 9, 5)


def _at(second: int) -> dt.datetime:
    return dt.datetime(2016, 9, 5, 12, 0, second, tzinfo=TOKYO)


def _offer_through_the_api(diary: LiveDiary) -> list[int]:
    _, token = diary.store.create_token("e2e")
    statuses = []
    with httpx.Client(base_url=diary.base_url, headers={"Authorization": f"Bearer {token}"}) as c:
        for k, url in enumerate(SPELLINGS):
            payload = {
                "title": f"API {k}",
                "created": _at(k).isoformat(),
                "source": {"url": url, "site": f"API source {k}"},
            }
            statuses.append(c.post("/api/entries", json=payload).status_code)
    return statuses


def _offer_through_an_import(folder: Path, tmp_path: Path) -> str:
    backup = tmp_path / "hostile.jsonl"
    lines = [
        {
            "day": DAY.isoformat(),
            "name": f"jsonl{k}",
            "title": f"JSONL {k}",
            "created": _at(20 + k).isoformat(),
            "source": {"url": url, "site": f"JSONL source {k}"},
        }
        for k, url in enumerate(SPELLINGS)
    ]
    backup.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = run("--diary", str(folder), "import", str(backup), "--format", "jsonl", ok=False)
    return result.stderr


def _plant(diary: LiveDiary) -> list[str]:
    names = []
    for k, url in enumerate(SPELLINGS):
        entry = diary.store.add_entry(
            NewEntry(
                f"Old entry {k}",
                created=_at(40 + k),
                source=Source(url="https://placeholder.example/", site=f"Old source {k}"),
            )
        )
        plant_source_url(diary.store, entry, url)
        names.append(entry.name)
    return names


def _click_every_source(page: Page, url: str) -> int:
    """Click each entry's source on the page at ``url``; the number clicked."""
    page.goto(url)
    count = page.locator(".entry .source").count()
    for index in range(count):
        if page.url != url:
            page.goto(url)
        source = page.locator(".entry .source").nth(index)
        link = source.locator("a")
        (link if link.count() else source).first.click()
        page.wait_for_timeout(50)
        assert MARK not in page.title(), f"script ran from source {index} on {url}"
    # Every link left on the page is an http(s) one, as the browser itself reads it.
    schemes = page.eval_on_selector_all(".entry a[href]", "links => links.map(a => a.protocol)")
    assert set(schemes) <= {"http:", "https:"}, (url, schemes)
    return count


def _visit(context: BrowserContext, base: str, paths: list[str]) -> int:
    ran: list[str] = []

    def dialog(opened: Dialog) -> None:  # the script's alert()
        ran.append(opened.message)
        opened.dismiss()

    page = context.new_page()
    page.on("dialog", dialog)
    clicked = sum(_click_every_source(page, base + path) for path in paths)
    assert ran == [], f"script ran: {ran}"
    page.close()
    return clicked


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _file_server(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# Five spellings, clicked on four kinds of page as a visitor, the owner and the static
# build, in one browser: minutes on a busy machine, past the suite's 300 s default.
@pytest.mark.timeout(900)
def test_no_source_link_runs_script_live_or_static(
    fresh_diary: LiveDiary, context: BrowserContext, tmp_path: Path
) -> None:
    statuses = _offer_through_the_api(fresh_diary)
    import_error = _offer_through_an_import(tmp_path / "diary", tmp_path)
    planted = _plant(fresh_diary)
    names = [e.name for e in fresh_diary.store.entries(include_private=True, day=DAY)]
    live = ["/20160905", "/201609", "/0905", *(f"/20160905/{n}" for n in names)]

    # Live, as a visitor and then as the owner (whose page holds the CSRF token).
    visitor = _visit(context, fresh_diary.base_url, live)
    owner_page = context.new_page()
    log_in(owner_page, fresh_diary)
    # Left open (the context closes it): Page.close once hung for the whole timeout in CI.
    owner = _visit(context, fresh_diary.base_url, live)

    # The static build of the same diary, served as plain files.
    out = tmp_path / "www"
    build_site(fresh_diary.store, out)
    static = [p.rstrip("/") + "/" for p in live]
    with _file_server(out) as base:
        built = _visit(context, base, static)

    assert visitor == owner == built == 4 * len(names)
    assert len(names) == len(planted)  # nothing came in through the API or the import
    assert statuses == [400] * len(SPELLINGS)
    assert ":1: 'source.url' must be an http(s) address" in import_error
