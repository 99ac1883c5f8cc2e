"""The owner's login, CSRF protection and writing forms, over real HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from clipdiary.passwords import hash_password
from tests.conftest import LiveServer

PASSWORD = "correct horse battery"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def _log_in(client: httpx.Client) -> None:
    token = _csrf(client.get("/login").text)
    answer = client.post("/login", data={"password": PASSWORD, "csrf_token": token, "next": "/"})
    assert answer.status_code == 303


@pytest.fixture
def owner_server(live_server: LiveServer) -> LiveServer:
    live_server.store.set_password_hash(hash_password(PASSWORD))
    return live_server


def test_the_owner_logs_in_writes_edits_and_deletes(owner_server: LiveServer) -> None:
    with owner_server.client() as client:
        assert client.get("/new").status_code == 303  # to the login form
        _log_in(client)
        assert "clipdiary_session" in client.cookies
        form = client.get("/new")
        assert form.status_code == 200
        token = _csrf(form.text)
        made = client.post(
            "/new",
            data={
                "title": "首脳会談",
                "categories": "Russia, シリア",
                "body": "一行目\r\n二行目",
                "csrf_token": token,
            },
        )
        assert made.status_code == 303
        permalink = made.headers["location"]
        assert re.fullmatch(r"/\d{8}/\d{10}", permalink)
        page = client.get(permalink).text
        assert "首脳会談" in page and "<p>二行目</p>" in page
        assert "Published" in page  # the flash message

        day, name = permalink.strip("/").split("/")
        edit_form = client.get(f"{permalink}/edit").text
        assert "一行目\n二行目" in edit_form
        edited = client.post(
            f"{permalink}/edit",
            data={
                "title": "首脳会談 (更新)",
                "categories": "Russia",
                "body": "新しい本文",
                "private": "1",
                "csrf_token": _csrf(edit_form),
            },
        )
        assert edited.headers["location"] == permalink
        entry = owner_server.store.get_entry(
            owner_server.store.entries(include_private=True)[0].day, name
        )
        assert (entry.title, entry.categories, entry.body) == (
            "首脳会談 (更新)",
            ("Russia",),
            "新しい本文",
        )
        assert entry.visibility == "private"

    with owner_server.client() as visitor:
        assert visitor.get(permalink).status_code == 404  # now private

    with owner_server.client() as client:
        _log_in(client)
        assert client.get(permalink).status_code == 200  # the owner still sees it
        deleted = client.post(
            f"{permalink}/delete", data={"csrf_token": _csrf(client.get("/").text)}
        )
        assert deleted.status_code == 303
        assert client.get(permalink).status_code == 404
        logout = client.post("/logout", data={"csrf_token": _csrf(client.get("/").text)})
        assert logout.status_code == 303
        assert client.get("/new").status_code == 303
    assert day.isdigit()


def test_an_entry_with_neither_title_nor_body_is_refused_and_nothing_stored(
    owner_server: LiveServer,
) -> None:
    store = owner_server.store
    with owner_server.client() as client:
        _log_in(client)
        token = _csrf(client.get("/new").text)
        for title, body in [("", ""), ("   ", " \r\n\t "), ("　", "")]:
            refused = client.post(
                "/new",
                data={"title": title, "body": body, "categories": "Kept", "csrf_token": token},
            )
            assert refused.status_code == 400
            assert '<p class="error" role="alert">Write a title or a body: an entry ' in (
                refused.text
            )
            assert 'value="Kept"' in refused.text  # the form keeps what was typed
        assert store.count_entries(include_private=True) == 0
        assert "Write a title" not in client.get("/").text

        made = client.post("/new", data={"title": "Only a title", "csrf_token": token})
        assert made.status_code == 303  # a title alone is an entry
        path = made.headers["location"]
        emptied = client.post(path + "/edit", data={"title": " ", "body": "", "csrf_token": token})
        assert emptied.status_code == 400
        assert "Write a title or a body" in emptied.text and "Delete this entry" in emptied.text
        (entry,) = store.entries(include_private=True)
        assert entry.title == "Only a title"


def test_a_wrong_password_is_refused(owner_server: LiveServer) -> None:
    with owner_server.client() as client:
        token = _csrf(client.get("/login").text)
        answer = client.post("/login", data={"password": "wrong password", "csrf_token": token})
        assert answer.status_code == 401
        assert "Wrong password." in answer.text
        assert client.get("/new").status_code == 303


def test_login_without_a_password_set_says_what_to_do(live_server: LiveServer) -> None:
    with live_server.client() as client:
        token = _csrf(client.get("/login").text)
        answer = client.post("/login", data={"password": "anything at all", "csrf_token": token})
    assert answer.status_code == 401
    assert "clipdiary passwd" in answer.text


def test_every_form_needs_the_csrf_token(owner_server: LiveServer) -> None:
    with owner_server.client() as client:
        no_token = client.post("/login", data={"password": PASSWORD})
        assert no_token.status_code == 403
        assert "CSRF" in no_token.text
        _log_in(client)
        forged = client.post("/new", data={"title": "forged", "csrf_token": "not-the-token"})
        assert forged.status_code == 403
        missing = client.post("/new", data={"title": "forged"})
        assert missing.status_code == 403
        assert client.post("/logout", data={}).status_code == 403
    assert owner_server.store.count_entries(include_private=True) == 0


def test_visitors_cannot_write(owner_server: LiveServer) -> None:
    with owner_server.client() as visitor:
        token = _csrf(visitor.get("/login").text)
        answer = visitor.post("/new", data={"title": "spam", "csrf_token": token})
        assert answer.status_code == 403
    assert owner_server.store.count_entries(include_private=True) == 0


def test_the_login_form_only_returns_to_this_site(owner_server: LiveServer) -> None:
    with owner_server.client() as client:
        token = _csrf(client.get("/login").text)
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
            answer = client.post(
                "/login", data={"password": PASSWORD, "csrf_token": token, "next": target}
            )
            assert answer.headers["location"] == "/"
            token = _csrf(client.get("/login").text)


def test_a_new_password_logs_every_browser_out(owner_server: LiveServer) -> None:
    with owner_server.client() as client:
        _log_in(client)
        assert client.get("/new").status_code == 200
        owner_server.store.set_password_hash(hash_password("another password"))
        assert client.get("/new").status_code == 303


def test_a_forged_session_cookie_is_ignored(owner_server: LiveServer) -> None:
    with owner_server.client(cookies={"clipdiary_session": "eyJvd25lciI6IHRydWV9.forged"}) as c:
        assert c.get("/new").status_code == 303


def test_the_owner_titles_a_day_from_its_page(owner_server: LiveServer) -> None:
    import datetime as dt

    from clipdiary.model import NewEntry

    when = dt.datetime(2016, 9, 5, 10, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    owner_server.store.add_entry(NewEntry("首脳会談", body="本文", created=when))
    with owner_server.client() as client:
        assert "day-title-form" not in client.get("/20160905").text  # visitors see no form
        refused = client.post("/20160905/title", data={"title": "x"})
        assert refused.status_code == 403
        _log_in(client)
        page = client.get("/20160905").text
        assert 'action="/20160905/title"' in page
        saved = client.post(
            "/20160905/title", data={"title": "シリア停戦", "csrf_token": _csrf(page)}
        )
        assert (saved.status_code, saved.headers["location"]) == (303, "/20160905")
        shown = client.get("/20160905").text
        assert '<span class="day-name">シリア停戦</span>' in shown
        assert "Saved the day" in shown
        client.post("/20160905/title", data={"title": " ", "csrf_token": _csrf(shown)})
        assert "day-name" not in client.get("/20160905").text
    with owner_server.client() as visitor:
        assert "シリア停戦" not in visitor.get("/20160905").text
