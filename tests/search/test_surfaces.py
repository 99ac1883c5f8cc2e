"""Search where people use it: the page and search box, the JSON API, the command line."""

from __future__ import annotations

import datetime as dt
import json

from clipdiary.model import NewEntry, Source
from clipdiary.store import Store
from tests.conftest import LiveServer
from tests.test_cli import run

T0 = dt.datetime(2016, 9, 5, 10, 0, tzinfo=dt.UTC)


def _fill(store: Store) -> None:
    for i in range(23):
        store.add_entry(
            NewEntry(
                f"首脳会談 第{i}報",
                body=f"プーチン大統領は{i}日に会談した。<script>alert(1)</script>",
                categories=("Russia",),
                created=T0 + dt.timedelta(days=i),
                source=Source("https://www3.nhk.or.jp/news/a.html", site="NHK", lang="ja"),
            )
        )
    store.add_entry(NewEntry("秘密の会談", body="非公開", created=T0, visibility="private"))


def test_the_search_page_and_the_box_on_every_page(live_server: LiveServer) -> None:
    _fill(live_server.store)
    with live_server.client() as client:
        top = client.get("/")
        assert '<form action="/search" method="get" role="search"' in top.text
        empty = client.get("/search")
        assert empty.status_code == 200
        assert "category:NAME" in empty.text
        page = client.get("/search", params={"q": "会談 site:nhk.or.jp"})
        assert page.status_code == 200
        assert "23 results (page 1 of 2)" in page.text
        assert "秘密の会談" not in page.text
        assert "<mark>会談</mark>" in page.text
        assert "<script>alert" not in page.text
        assert (
            'href="/search?q=%E4%BC%9A%E8%AB%87+site%3Anhk.or.jp&amp;sort=relevance&amp;page=2"'
            in (page.text)
        )
        by_date = client.get("/search", params={"q": "会談", "sort": "date"})
        first = by_date.text.index("第22報")
        assert first < by_date.text.index("第21報")
        second = client.get("/search", params={"q": "会談", "page": "2"})
        assert "page 2 of 2" in second.text


def test_a_malformed_query_is_a_message_on_the_page_never_a_server_error(
    live_server: LiveServer,
) -> None:
    _fill(live_server.store)
    with live_server.client() as client:
        for q in ['"会談', "OR OR", "-", "x" * 10_000, "from:2016-99-01", "*", "NEAR("]:
            page = client.get("/search", params={"q": q})
            assert page.status_code in (200, 400), q
            assert 'role="search"' in page.text
        # A NUL is refused before any page is made, naming what was wrong.
        nul = client.get("/search", params={"q": "\x00"})
        assert nul.status_code == 400 and "NUL" in nul.text
        bad = client.get("/search", params={"q": '"会談'})
        assert bad.status_code == 400
        assert "quotation mark is not closed" in bad.text
        assert client.get("/search", params={"q": "会談", "page": "x"}).status_code == 404


def test_the_api(live_server: LiveServer) -> None:
    _fill(live_server.store)
    with live_server.client() as client:
        data = client.get("/api/search", params={"q": "会談", "per_page": 5, "page": 2}).json()
        assert (data["total"], data["pages"], data["page"], len(data["results"])) == (23, 5, 2, 5)
        hit = data["results"][0]
        assert hit["url"].startswith("/2016")
        assert "<mark>会談</mark>" in hit["title_html"]
        assert "会談" in hit["snippet"]
        assert hit["source"]["site"] == "NHK"
        assert hit["visibility"] == "public"
        bad = client.get("/api/search", params={"q": "OR OR"})
        assert bad.status_code == 400
        assert "OR needs a word on each side" in bad.json()["detail"]
        assert client.get("/api/search", params={"q": "会談", "sort": "x"}).status_code == 422
        schema = client.get("/openapi.json").json()
        assert "/api/search" in schema["paths"]


def test_the_command_line_searches_as_the_owner(store: Store, db_url: str) -> None:
    _fill(store)
    if db_url.startswith("sqlite"):
        folder = db_url.removeprefix("sqlite:///").rsplit("/", 1)[0]
        where = ["--diary", folder]
    else:
        where = ["--db", db_url]
    out = run(*where, "search", "会談", "--limit", "30").stdout
    assert "秘密の会談  (private)" in out
    assert "24 results, page 1 of 1" in out
    assert "2016-09-05 · NHK" in out
    data = json.loads(run(*where, "search", "プーチン", "--json", "--sort", "date").stdout)
    assert data["total"] == 23
    assert data["results"][0]["title"] == "首脳会談 第22報"
    bad = run(*where, "search", '"会談', ok=False)
    assert bad.returncode == 1
    assert bad.stderr.startswith("clipdiary: error: a quotation mark is not closed")
