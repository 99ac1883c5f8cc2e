"""Atom feeds and conditional GET on the live site, over real HTTP, on both backends."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import feedparser

from clipdiary.model import NewEntry, Source
from tests.conftest import LiveServer

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)


def _fill(server: LiveServer) -> None:
    store = server.store
    store.add_entry(
        NewEntry(
            "プーチン大統領、シリア停戦で合意の可能性 <&>",
            body="首脳会談の続報。\n<b>太字</b><script>alert(1)</script>",
            categories=("Russia", "Syria"),
            created=SUMMIT,
            source=Source(url="https://news.example.jp/a?x=1&y=2", site="Example 新聞", lang="ja"),
        )
    )
    store.add_entry(
        NewEntry(
            "Putin: Russia & US may reach agreement on Syria",
            body="English line",
            categories=("Russia", "a/b"),
            created=SUMMIT + dt.timedelta(minutes=30),
            source=Source(url="https://world.example.com/2016/09/putin", site="RT", lang="en"),
        )
    )
    store.add_entry(
        NewEntry(
            "Secret note",
            body="not for visitors",
            categories=("Russia", "Hidden"),
            visibility="private",
            created=SUMMIT + dt.timedelta(hours=1),
        )
    )
    store.add_entry(NewEntry("A year earlier", created=SUMMIT.replace(year=2015)))


def _parse(text: str) -> Any:
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_the_diary_feed_has_one_item_per_public_entry(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        response = client.get("/feed")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = _parse(response.text)
    assert feed.version == "atom10"
    assert feed.feed.title == "Test diary"
    titles = [e.title for e in feed.entries]
    assert titles == [
        "Putin: Russia & US may reach agreement on Syria",
        "プーチン大統領、シリア停戦で合意の可能性 <&>",
        "A year earlier",
    ]
    assert "Secret note" not in response.text
    assert "not for visitors" not in response.text
    assert "Hidden" not in response.text

    base = live_server.base_url
    putin, summit, _ = feed.entries
    assert summit.id == f"{base}/20160905/1473071774"
    assert summit.link == f"{base}/20160905/1473071774"
    assert [t.term for t in summit.tags] == ["Russia", "Syria"]
    related = [link for link in summit.links if link.rel == "related"]
    assert [link.href for link in related] == ["https://news.example.jp/a?x=1&y=2"]
    assert summit.updated_parsed is not None and summit.published_parsed is not None
    assert summit.published == "2016-09-05T19:36:14+09:00"
    content = summit.content[0]
    assert content.type == "text/html"
    assert "首脳会談の続報" in content.value and "<b>太字</b>" in content.value
    assert "<script" not in content.value
    assert summit.content[0].language == "ja" and putin.content[0].language == "en"
    assert feed.feed.updated == putin.updated


def test_a_category_feed_holds_that_category_only(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        russia = client.get("/category/Russia/feed")
        slashed = client.get("/category/a%2Fb/feed")
        hidden = client.get("/category/Hidden/feed")
        page = client.get("/category/Russia")
    assert russia.status_code == 200
    feed = _parse(russia.text)
    assert len(feed.entries) == 2
    assert all("Russia" in [t.term for t in e.tags] for e in feed.entries)
    assert "Secret note" not in russia.text
    assert [e.title for e in _parse(slashed.text).entries] == [
        "Putin: Russia & US may reach agreement on Syria"
    ]
    # A category holding only private entries has no public feed.
    assert hidden.status_code == 404
    assert "Secret" not in hidden.text
    # The category page itself still answers, and advertises its feed.
    assert page.status_code == 200
    assert 'href="/category/Russia/feed"' in page.text


def test_every_page_links_to_the_feed(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        for path in ("/", "/20160905", "/20160905/1473071774", "/201609", "/archive", "/0905"):
            html = client.get(path).text
            links = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', html)
            assert any('href="/feed"' in link for link in links), path


def test_pages_and_feeds_answer_304_to_a_matching_etag(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        for path in ("/", "/20160905", "/feed", "/category/Russia/feed"):
            first = client.get(path)
            etag = first.headers["etag"]
            assert first.status_code == 200 and etag.startswith('"')
            again = client.get(path, headers={"If-None-Match": etag})
            assert again.status_code == 304, path
            assert again.content == b""
            assert again.headers["etag"] == etag
            other = client.get(path, headers={"If-None-Match": '"something-else"'})
            assert other.status_code == 200 and other.content == first.content
        # A new entry changes the page, so the old validator no longer matches.
        old = client.get("/feed").headers["etag"]
        live_server.store.add_entry(NewEntry("Later", created=SUMMIT + dt.timedelta(days=1)))
        changed = client.get("/feed", headers={"If-None-Match": old})
        assert changed.status_code == 200 and "Later" in changed.text


def test_feeds_answer_304_to_if_modified_since(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        first = client.get("/feed")
        last_modified = first.headers["last-modified"]
        assert last_modified.endswith("GMT")
        same = client.get("/feed", headers={"If-Modified-Since": last_modified})
        assert same.status_code == 304
        older = client.get("/feed", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
        assert older.status_code == 200
        assert "<entry" in older.text


def test_an_empty_diary_has_a_valid_empty_feed(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/feed")
    assert response.status_code == 200
    assert _parse(response.text).entries == []
