"""Old Hatena Diary and Hatena Blog addresses answer with a permanent redirect (real HTTP)."""

from __future__ import annotations

import datetime as dt

import pytest

from clipdiary.legacy import legacy_target
from tests.conftest import LiveServer
from tests.formats.helpers import run_import
from tests.formats.samples import HATENA_XML, MT_EXPORT

# (old address, where it must lead) — USER is the diary's name, d1021, unless set otherwise.
CASES = [
    ("/d1021/20160905", "/20160905"),  # what /d1021/20160905#1473071774 sends; #… stays
    ("/d1021/20160905/1473071774", "/20160905/1473071774"),
    ("/d1021/20160905/hobby", "/20160905/hobby"),
    ("/d1021/20040102/p1", "/20040102/p1"),
    ("/d1021/201609", "/201609"),
    ("/d1021/archive", "/archive"),
    ("/d1021/archive/201609", "/201609"),
    ("/d1021/searchdiary?word=*%5BRussia%5D", "/category/Russia"),
    ("/d1021/searchdiary?word=%2A%5B%E7%94%9F%E6%B4%BB%5D", "/category/%E7%94%9F%E6%B4%BB"),
    ("/d1021/searchdiary?word=Putin", "/search?q=Putin"),
    ("/d1021/rss", "/feed"),
    ("/d1021/rss2?word=%5BRussia%5D", "/category/Russia/feed"),
    ("/d1021/", "/"),
    ("/entry/20160905/1473071774", "/20160905/1473071774"),
    ("/entry/20080320/1206011148", "/20080320/1206011148"),
    ("/entry/2017/04/09/194939", "/20170409/1491734979"),  # a Hatena Blog BASENAME alias
    ("/entry/draft-entry", "/20170422/1492861318"),
    ("/entries/2016/09/05", "/20160905"),
    ("/archive/2016/09", "/201609"),
    ("/archive/category/Russia", "/category/Russia"),
    ("/archive/category/%E7%94%9F%E6%B4%BB", "/category/%E7%94%9F%E6%B4%BB"),
    ("/rss", "/feed"),
]


def test_every_old_address_form_redirects_permanently(live_server: LiveServer) -> None:
    store = live_server.store
    run_import(store, HATENA_XML, "hatena")
    run_import(store, MT_EXPORT, "mt")
    with live_server.client() as client:
        for old, new in CASES:
            answer = client.get(old)
            assert (answer.status_code, answer.headers.get("location")) == (301, new), old
        day = client.get("/d1021/20160905", follow_redirects=True)
        assert day.status_code == 200
        assert 'id="1473071774"' in day.text  # the #1473071774 anchor is on the day page
        assert "なるほど" in day.text  # the day's comments, read-only
        assert "<form" not in day.text.split("なるほど", 1)[1].split("</article>", 1)[0]
        assert client.get("/someone-else/20160905").status_code == 404
        assert client.get("/someone-else/rss").status_code == 404


def test_a_set_hatena_user_name_takes_the_place_of_the_diary_name(
    live_server: LiveServer,
) -> None:
    store = live_server.store
    run_import(store, HATENA_XML, "hatena")
    store.set_setting("hatena_user", "oldname")
    with live_server.client() as client:
        moved = client.get("/oldname/20160905/hobby")
        assert (moved.status_code, moved.headers["location"]) == (301, "/20160905/hobby")
        assert client.get("/d1021/20160905/hobby").status_code == 404


@pytest.mark.parametrize(
    ("path", "query"), [("/d1021/about", ""), ("/d1021/searchdiary", "word=[a][b]"), ("/x", "")]
)
def test_paths_that_are_no_old_address_map_to_nothing(path: str, query: str) -> None:
    assert legacy_target(path, "d1021", query) in (None, "/search?q=%5Ba%5D%5Bb%5D")


def test_entry_dates_of_the_blog_cases_are_what_the_table_says() -> None:
    tokyo = dt.timezone(dt.timedelta(hours=9))
    assert int(dt.datetime(2017, 4, 9, 19, 49, 39, tzinfo=tokyo).timestamp()) == 1491734979
    assert int(dt.datetime(2017, 4, 22, 20, 41, 58, tzinfo=tokyo).timestamp()) == 1492861318
