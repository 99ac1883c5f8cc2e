"""``check-links``: clips whose source is gone, moved, changed or fine, found on loopback,
kept per entry, shown to the owner and in the entry's JSON."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from clipdiary.cli.common import entries_to_json
from clipdiary.clip.linkcheck import check_links
from clipdiary.clip.pipeline import clip_url
from clipdiary.pages import PageBuilder, Viewer
from clipdiary.store import Store

WORDS = (
    "The harbour authority opened the new ferry terminal on Monday after three years of "
    "building work and the first boats left on time while passengers watched."
)


def page(paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Ferry</title>"
        f"</head><body><article><h1>Ferry</h1>{body}</article></body></html>"
    ).encode()


ORIGINAL = [WORDS, WORDS.replace("Monday", "Tuesday"), WORDS.replace("ferry", "bus")]


@dataclass
class Site:
    base_url: str
    answers: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base_url + path


@contextmanager
def site() -> Iterator[Site]:
    holder: list[Site] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = holder[0].answers.get(self.path, (404, {}, b"no"))
            self.send_response(status)
            for name, value in {"Content-Type": "text/html", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    holder.append(Site(f"http://127.0.0.1:{httpd.server_address[1]}"))
    try:
        yield holder[0]
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def source_site() -> Iterator[Site]:
    with site() as running:
        yield running


def test_gone_moved_changed_and_fine(store: Store, source_site: Site) -> None:
    store.update_settings(allow_private_addresses=True)
    names = ["gone", "deleted", "moved", "changed", "touched", "same", "broken"]
    for name in names:
        source_site.answers[f"/{name}"] = (200, {}, page(ORIGINAL))
    entries = {n: clip_url(store, source_site.url(f"/{n}")).entry for n in names}
    source_site.answers.update(
        {
            "/gone": (404, {}, b"not here"),
            "/deleted": (410, {}, b"gone"),
            "/moved": (301, {"Location": "/elsewhere"}, b""),
            "/elsewhere": (200, {}, page(ORIGINAL)),
            "/changed": (200, {}, page(["A different story about the city budget."] * 3)),
            "/touched": (200, {}, page([*ORIGINAL, "Updated at 10:00 with a quote."])),
            "/broken": (503, {}, b"down"),
        }
    )
    results = check_links(store, delay=0)
    found = {r.entry.name: r.status for r in results}
    states = {n: found[entries[n].name].state for n in names}
    assert states == {
        "gone": "gone",
        "deleted": "gone",
        "moved": "moved",
        "changed": "changed",
        "touched": "ok",
        "same": "ok",
        "broken": "unreachable",
    }
    assert found[entries["moved"].name].detail == source_site.url("/elsewhere")
    assert found[entries["gone"].name].http_status == 404
    assert "HTTP 503" in found[entries["broken"].name].detail

    # Checked again, a state that holds keeps the day it was first seen.
    first_since = found[entries["gone"].name].since
    again = {r.entry.name: r.status for r in check_links(store, delay=0)}
    assert again[entries["gone"].name].since == first_since
    assert again[entries["gone"].name].checked >= first_since

    gone = entries["gone"]
    owner_page = PageBuilder(store).entry(
        Viewer(is_owner=True, csrf_token="t"), gone.day, gone.name
    )
    day = first_since.date().isoformat()
    assert f"the source is gone since {day}; this diary keeps the page" in owner_page
    visitor_page = PageBuilder(store).entry(
        Viewer(is_owner=False, csrf_token=""), gone.day, gone.name
    )
    assert "the source is gone" not in visitor_page
    shaped = entries_to_json(store, [store.get_entry(gone.day, gone.name)])
    assert shaped[0]["source_status"]["state"] == "gone"
    assert shaped[0]["source_status"]["http_status"] == 404


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_since_limits_the_check_and_entries_without_source_are_left_alone(
    store: Store, source_site: Site
) -> None:
    import datetime as dt

    from clipdiary.model import NewEntry

    store.update_settings(allow_private_addresses=True)
    source_site.answers["/a"] = (200, {}, page(ORIGINAL))
    clip_url(store, source_site.url("/a"), day=dt.date(2020, 1, 1))
    store.add_entry(NewEntry(title="typed", body="no source"))
    assert check_links(store, delay=0, since=dt.date(2021, 1, 1)) == []
    assert [r.status.state for r in check_links(store, delay=0)] == ["ok"]
