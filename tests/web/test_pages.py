"""The reader's pages over real HTTP, on both backends."""

from __future__ import annotations

import datetime as dt
import re

from clipdiary.model import EntryChanges, NewEntry
from tests.conftest import LiveServer

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)


def _fill(server: LiveServer) -> None:
    store = server.store
    store.add_entry(
        NewEntry(
            "プーチン大統領、シリア停戦で合意の可能性",
            body="一行目\n<b>二行目</b><script>alert(1)</script>\n-項目((注))",
            categories=("Russia", "Syria"),
            created=SUMMIT,
        )
    )
    store.add_entry(
        NewEntry(
            "Putin: Russia & US may reach agreement on Syria",
            body="English line",
            categories=("Russia",),
            created=SUMMIT + dt.timedelta(minutes=30),
        )
    )
    store.add_entry(
        NewEntry(
            "Secret note",
            body="not for visitors",
            categories=("Hidden",),
            visibility="private",
            created=SUMMIT + dt.timedelta(hours=1),
        )
    )
    store.add_entry(NewEntry("A year earlier", created=SUMMIT.replace(year=2015)))
    store.set_day_title(SUMMIT.date(), "シリア")


def test_a_day_page_anchors_every_entry_by_its_name(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        page = client.get("/20160905")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert 'id="1473071774"' in html and 'name="1473071774"' in html
    assert 'id="1473073574"' in html
    assert "19:36" in html and "20:06" in html
    assert "シリア" in html
    assert 'href="/20160905/1473071774"' in html
    assert 'href="/category/Russia"' in html and 'href="/category/Syria"' in html
    assert html.index("プーチン大統領") < html.index("Putin: Russia")
    # Bodies are Hatena notation: a paragraph per line, lists, footnotes with ids of their
    # entry; the inline HTML Hatena allowed passes, scripts never do.
    assert "<p>一行目</p>" in html and "<b>二行目</b>" in html
    assert "<li>項目" in html and 'id="1473071774-f1"' in html
    assert "<script" not in html and "alert(1)" not in html
    assert "Secret note" not in html and "not for visitors" not in html


def test_the_top_page_shows_the_latest_days_newest_first(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        html = client.get("/").text
    assert html.index("2016-09-05") < html.index("2015-09-05")
    assert "Secret note" not in html


def test_the_top_page_is_paged(live_server: LiveServer) -> None:
    for offset in range(9):
        live_server.store.add_entry(
            NewEntry(f"entry of day {offset}", created=SUMMIT + dt.timedelta(days=offset))
        )
    with live_server.client() as client:
        first = client.get("/").text
        second = client.get("/?page=2").text
        silly = client.get("/?page=abc")
    assert "entry of day 8" in first and "entry of day 2" in first
    # (It may still be named in the related list under "entry of day 2".)
    assert "entry of day 1</h3>" not in first
    assert 'href="/?page=2"' in first
    assert "entry of day 1" in second and "entry of day 0" in second
    # Not page 1 under another address: a page number that names no page is missing.
    assert silly.status_code == 404 and "There is no page &#39;abc&#39;" in silly.text


def test_a_permalink_shows_one_entry(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        page = client.get("/20160905/1473071774")
        hidden = client.get("/20160905/1473077774")
    assert page.status_code == 200
    assert "プーチン大統領" in page.text and "Putin: Russia" not in page.text
    assert "<title>プーチン大統領、シリア停戦で合意の可能性 - Test diary</title>" in page.text
    assert hidden.status_code == 404
    assert "Secret note" not in hidden.text


def test_month_archive_category_and_same_date_pages(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        month = client.get("/201609").text
        archive = client.get("/archive").text
        category = client.get("/category/Russia").text
        same_date = client.get("/0905").text
        hidden_category = client.get("/category/Hidden")
    assert "プーチン大統領" in month and "A year earlier" not in month
    assert "2016-09" in archive and "2015-09" in archive
    assert archive.index("2016-09") < archive.index("2015-09")
    assert "Russia (2)" in archive and "Hidden" not in archive and "Secret" not in archive
    assert "プーチン大統領" in category and "Putin: Russia" in category
    assert "A year earlier" not in category
    assert same_date.index("2016-09-05") < same_date.index("2015-09-05")
    assert "Secret note" not in hidden_category.text


def test_japanese_category_addresses(live_server: LiveServer) -> None:
    live_server.store.add_entry(NewEntry("記事", categories=("ロシア/シリア",), created=SUMMIT))
    with live_server.client() as client:
        day = client.get("/20160905").text
        href = re.search(r'href="(/category/[^"]+)"', day)
        assert href is not None
        page = client.get(href.group(1))
    assert page.status_code == 200
    assert "記事" in page.text


def test_unknown_addresses_get_a_real_404_page(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        for path in (
            "/nothing",
            "/20160906",
            "/20161345",
            "/201613",
            "/1340",
            "/20160905/nobody",
            "/20160905/bad.name",
            "/a/b/c/d",
        ):
            page = client.get(path)
            assert page.status_code == 404, path
            assert "Not found" in page.text and "</html>" in page.text
        api = client.get("/api/entries/20160906/1")
    assert api.status_code == 404
    assert api.json() == {"detail": "no entry 20160906/1"}


def test_old_hatena_addresses_redirect_permanently(live_server: LiveServer) -> None:
    live_server.store.add_entry(
        NewEntry(
            "kept",
            name="p1",
            day=dt.date(2004, 1, 2),
            created=SUMMIT,
            aliases=("/archive/2004/01/02/hobby",),
        )
    )
    with live_server.client() as client:
        cases = {
            "/d1021/20040102": "/20040102",
            "/d1021/20040102/p1": "/20040102/p1",
            "/entry/20040102/p1": "/20040102/p1",
            "/d1021/": "/",
            "/archive/2004/01/02/hobby": "/20040102/p1",
        }
        for old, new in cases.items():
            answer = client.get(old)
            assert answer.status_code == 301, old
            assert answer.headers["location"] == new
        assert client.get("/someone-else/20040102").status_code == 404


def test_static_style_is_served(live_server: LiveServer) -> None:
    with live_server.client() as client:
        css = client.get("/static/style.css")
        page = client.get("/")
    assert css.status_code == 200
    assert "Noto Sans CJK JP" in css.text
    assert 'name="viewport"' in page.text
    assert "<script" not in page.text  # nothing to read needs JavaScript


def test_pages_change_as_soon_as_the_diary_does(live_server: LiveServer, db_url: str) -> None:
    """Visitors' pages are cached by revision; a write from any process shows at once."""
    from clipdiary.store.store import Database

    live_server.store.add_entry(NewEntry("first", created=SUMMIT))
    with live_server.client() as client:
        assert "first" in client.get("/20160905").text
        assert "second" not in client.get("/20160905").text
        # Another process (the command line, an import) writes through its own connection.
        other = Database.open(db_url)
        try:
            other.diary().add_entry(NewEntry("second", created=SUMMIT + dt.timedelta(minutes=1)))
        finally:
            other.close()
        assert "second" in client.get("/20160905").text
        assert "second" in client.get("/").text
        live_server.store.update_entry(
            dt.date(2016, 9, 5), "1473071774", EntryChanges(visibility="private")
        )
        assert "first" not in client.get("/20160905").text
        assert client.get("/20160905/1473071774").status_code == 404


def test_a_running_server_reads_settings_another_process_changed(
    live_server: LiveServer, db_url: str
) -> None:
    from clipdiary.store import Database

    with live_server.client() as client:
        assert "Test diary" in client.get("/").text
        other = Database.open(db_url)  # as `clipdiary settings` would, from its own process
        try:
            other.diary().update_settings(title="改題した日記", base_url="https://example.org/d")
        finally:
            other.close()
        page = client.get("/").text
        assert "<title>改題した日記</title>" in page
        assert '<link rel="canonical" href="https://example.org/d/">' in page
        entries = client.get("/api/entries").status_code
        assert entries == 200
