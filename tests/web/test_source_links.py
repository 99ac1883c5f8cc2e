"""An entry's source address becomes a link on the day, month, same-date and entry pages and
in the feeds: only an http(s) one. Refused at the API; never written into a page otherwise."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from clipdiary.model import NewEntry, Source
from tests.conftest import LiveServer
from tests.hostile import HOSTILE_URLS, plant_source_url

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)
PAGES = ("/20160905", "/20160905/1473071774", "/201609", "/0905", "/", "/category/Russia")
# Any attribute that would take the address: scheme letters with anything between them.
SCRIPT_URL = re.compile(
    r"""(?:href|src)\s*=\s*["']?[^"'>]*(?:j\W*a\W*v\W*a|vbscript|data:)""", re.IGNORECASE
)


@pytest.mark.parametrize("url", HOSTILE_URLS[:6])
def test_the_api_refuses_a_source_that_is_not_http(live_server: LiveServer, url: str) -> None:
    _, token = live_server.store.create_token("test")
    payload = {"title": "t", "created": SUMMIT.isoformat(), "source": {"url": url}}
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        refused = client.post("/api/entries", json=payload)
        assert refused.status_code == 400
        detail = refused.json()["detail"]
        assert detail.startswith("source.url must be an http(s) address"), detail
        assert "\n" not in detail
        assert client.get("/api/entries").json() == []


def test_the_api_keeps_an_http_source(live_server: LiveServer) -> None:
    _, token = live_server.store.create_token("test")
    source = {"url": "https://news.example.com/a", "site": "News"}
    payload = {"title": "t", "created": SUMMIT.isoformat(), "source": source}
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        made = client.post("/api/entries", json=payload)
        assert made.status_code == 201
        day = client.get("/20160905").text
    assert '<a href="https://news.example.com/a" rel="nofollow noopener">News</a>' in day


def test_a_stored_hostile_source_is_shown_but_never_linked(live_server: LiveServer) -> None:
    store = live_server.store
    entries = []
    for k, url in enumerate(HOSTILE_URLS):
        entry = store.add_entry(
            NewEntry(
                f"clip {k}",
                categories=("Russia",),
                created=SUMMIT + dt.timedelta(seconds=k),
                source=Source(url="https://placeholder.example/", site=None if k % 2 else "Site"),
            )
        )
        plant_source_url(store, entry, url)
        entries.append(entry)
    with live_server.client() as client:
        for path in (*PAGES, *(f"/20160905/{e.name}" for e in entries)):
            answer = client.get(path)
            assert answer.status_code == 200, path
            html = answer.text
            assert "placeholder.example" not in html, path
            assert not SCRIPT_URL.search(html), (path, SCRIPT_URL.search(html))
            assert '<span class="source"><a' not in html, path
        feed = client.get("/feed").text
    assert 'rel="related"' not in feed
    assert not SCRIPT_URL.search(feed)


@pytest.mark.parametrize("url", HOSTILE_URLS[:6])
def test_a_page_sent_to_be_clipped_needs_an_http_address(live_server: LiveServer, url: str) -> None:
    """The bookmarklet's way in: the page's HTML with its address, nothing fetched."""
    _, token = live_server.store.create_token("test")
    page = "<html><head><title>T</title></head><body><p>" + "text " * 20 + "</p></body></html>"
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        refused = client.post("/api/clips", json={"url": url, "html": page})
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("the page's address must be an http(s) address")
    assert live_server.store.count_entries(include_private=True) == 0
