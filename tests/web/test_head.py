"""HEAD over real HTTP: answered wherever GET is (feed readers and link checkers ask it),
with GET's status and headers and no body."""

from __future__ import annotations

import datetime as dt

import httpx

from clipdiary.model import NewEntry
from tests.conftest import LiveServer

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)
# Headers that must agree between GET and HEAD of the same address.
SAME = ("content-type", "content-length", "etag", "last-modified", "location", "allow")


def _paths(server: LiveServer) -> list[str]:
    entry = server.store.add_entry(
        NewEntry("Putin: Russia & US", body="English line", categories=("Russia",), created=SUMMIT)
    )
    server.store.set_password_hash("x")  # so /login is the form, not a first-run note
    path = f"/20160905/{entry.name}"
    return [
        "/",
        "/20160905",
        path,
        "/201609",
        "/0905",
        "/archive",
        "/category/Russia",
        "/search?q=Putin",
        "/stories",
        "/story/s1",
        "/feed",
        "/category/Russia/feed",
        "/login",
        "/static/style.css",
        "/api/entries",
        f"/api/entries/20160905/{entry.name}",
        f"/api/entries/20160905/{entry.name}/related",
        "/api/search?q=Putin",
        "/api/stories",
        "/api/docs",
        "/openapi.json",
        "/no-such-page",
        "/20160905/",  # a redirect to the address without the slash
        "/settings",  # the owner's: a redirect to the login form
        "/logout",  # only POST logs out: GET and HEAD find no page there
    ]


def test_head_answers_wherever_get_does_with_the_same_headers(live_server: LiveServer) -> None:
    paths = _paths(live_server)
    with live_server.client(follow_redirects=False) as client:
        for path in paths:
            got = client.get(path)
            head = client.head(path)
            assert head.status_code == got.status_code, path
            assert head.status_code != 405, path
            assert head.content == b"", path
            for name in SAME:
                assert head.headers.get(name) == got.headers.get(name), (path, name)


def test_head_of_a_page_is_a_conditional_request_too(live_server: LiveServer) -> None:
    _paths(live_server)
    with live_server.client() as client:
        etag = client.get("/feed").headers["etag"]
        again = client.head("/feed", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_a_head_request_leaves_the_owners_message_for_the_page(live_server: LiveServer) -> None:
    """A HEAD (a link checker in the owner's browser) does not use up a one-time message."""
    from tests.web.test_clips import _owner

    live_server.store.add_entry(NewEntry("x", body="y", created=SUMMIT))
    with _owner(live_server) as owner:
        token = _token(owner)
        answer = owner.post("/20160905/title", data={"title": "シリア", "csrf_token": token})
        assert answer.status_code == 303
        owner.head("/20160905")
        assert "Saved the day&#39;s title." in owner.get("/20160905").text


def _token(client: httpx.Client) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/new").text)
    assert found
    return found.group(1)
