"""Numbers and dates at the edge of what the database and ``datetime`` hold: a page or a
one-line 4xx, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest

from clipdiary.model import NewEntry
from tests.conftest import LiveServer

SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=dt.timezone(dt.timedelta(hours=9)))


@pytest.mark.parametrize("offset", ["9223372036854775808", "99999999999999999999", "100000001"])
def test_an_offset_past_any_diary_is_a_bad_request(live_server: LiveServer, offset: str) -> None:
    with live_server.client() as client:
        answer = client.get("/api/entries", params={"offset": offset})
    assert answer.status_code == 400
    assert answer.json() == {"detail": f"offset must be at most 100,000,000, not {offset}"}


def test_a_large_offset_within_bounds_is_an_empty_page(live_server: LiveServer) -> None:
    live_server.store.add_entry(NewEntry("one", created=SUMMIT))
    with live_server.client() as client:
        assert client.get("/api/entries", params={"offset": "100000000"}).json() == []
        assert len(client.get("/api/entries", params={"offset": "0"}).json()) == 1


@pytest.mark.parametrize(
    "query", ["to:9999-12", "to:9999", "to:9999-12-31", "from:9999-12 to:9999-12", "x to:9999-12"]
)
def test_the_last_dates_a_search_can_name_answer(live_server: LiveServer, query: str) -> None:
    live_server.store.add_entry(NewEntry("summit x", created=SUMMIT))
    with live_server.client() as client:
        page = client.get("/search", params={"q": query})
        api = client.get("/api/search", params={"q": query})
    assert page.status_code == 200, page.text
    assert api.status_code == 200, api.text
    expected = 0 if query.startswith("from:") else 1
    assert api.json()["total"] == expected


@pytest.mark.parametrize(
    ("path", "previous", "following"),
    [("/999912", "/999911", "/archive"), ("/000101", "/archive", "/000102")],
)
def test_the_first_and_last_months_have_pages(
    live_server: LiveServer, path: str, previous: str, following: str
) -> None:
    with live_server.client() as client:
        answer = client.get(path)
    assert answer.status_code == 200
    assert "Nothing was written this month." in answer.text
    # At either end the pager leads to the archive rather than to a month no date can hold.
    assert f'<a href="{previous}" rel="prev">' in answer.text
    assert f'<a href="{following}" rel="next">' in answer.text
