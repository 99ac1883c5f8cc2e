"""Paged lists over real HTTP: every page that exists answers 200, and a page past the end
(or a page number that is no page) is a missing page, 404, not an empty or another page."""

from __future__ import annotations

import datetime as dt

import pytest

from clipdiary.model import NewEntry
from clipdiary.pages.builder import DAYS_PER_PAGE, ENTRIES_PER_CATEGORY_PAGE
from clipdiary.store.indexers import bulk_writes
from tests.conftest import LiveServer

JST = dt.timezone(dt.timedelta(hours=9))
START = dt.datetime(2016, 9, 1, 12, 0, tzinfo=JST)


@pytest.fixture
def paged(live_server: LiveServer) -> LiveServer:
    """Nine days (two top pages) and 21 entries in [Russia] (two category pages)."""
    store = live_server.store
    with bulk_writes(store), store.transaction():
        for k in range(ENTRIES_PER_CATEGORY_PAGE + 1):
            store.add_entry(
                NewEntry(
                    f"Entry {k}",
                    body=f"body {k}",
                    categories=("Russia",),
                    created=START + dt.timedelta(days=k % (DAYS_PER_PAGE + 2), minutes=k),
                )
            )
        store.add_entry(NewEntry("Only the owner's", categories=("Secret",), visibility="private"))
    return live_server


def test_a_page_past_the_end_is_a_missing_page(paged: LiveServer) -> None:
    with paged.client() as client:
        for path in ("/", "/?page=1", "/?page=2", "/category/Russia?page=2", "/stories"):
            assert client.get(path).status_code == 200, path
        for path, says in [
            ("/?page=3", "There is no page 3 of the latest days."),
            ("/?page=99", "There is no page 99 of the latest days."),
            ("/category/Russia?page=3", "There is no page 3 of [Russia]: it has 2 pages."),
            ("/category/Russia?page=9", "There is no page 9 of [Russia]: it has 2 pages."),
            ("/stories?page=2", "There is no page 2 of the stories."),
            ("/search?q=body&page=9", "There is no page 9 of these results: they fill 2 pages."),
        ]:
            answer = client.get(path)
            assert answer.status_code == 404, path
            assert says in answer.text, path
            assert "Entry " not in answer.text, path  # not another page's entries


def test_a_page_number_that_is_no_page_is_missing_too(paged: LiveServer) -> None:
    with paged.client() as client:
        for path in ("/?page=0", "/?page=-1", "/?page=two", "/category/Russia?page=0"):
            answer = client.get(path)
            assert answer.status_code == 404, path
            assert "There is no page" in answer.text, path


def test_a_category_nobody_may_see_is_missing(paged: LiveServer) -> None:
    with paged.client() as client:
        assert client.get("/category/NoSuch").status_code == 404
        secret = client.get("/category/Secret")  # its only entry is private
        assert secret.status_code == 404
        assert "Only the owner" not in secret.text
