"""Logging out ends the session: a copy of the cookie saved before stops working."""

from __future__ import annotations

from pathlib import Path

import httpx

from clipdiary.passwords import hash_password
from clipdiary.store import open_store
from tests.conftest import LiveServer, serve
from tests.test_cli import run
from tests.web.test_owner import PASSWORD, _csrf, _log_in

COOKIE = "clipdiary_session"


def _log_in_with(client: httpx.Client) -> str:
    """Log ``client`` in; its session cookie."""
    _log_in(client)
    return str(client.cookies[COOKIE])


def _writes_with(server: LiveServer, cookie: str) -> int:
    """What a browser holding ``cookie`` gets when it opens the form to write."""
    with server.client(cookies={COOKIE: cookie}) as replay:
        return replay.get("/new").status_code


def test_a_saved_cookie_stops_working_after_logout(live_server: LiveServer) -> None:
    live_server.store.set_password_hash(hash_password(PASSWORD))
    with live_server.client() as client:
        saved = _log_in_with(client)
        form = client.get("/new").text
        assert _writes_with(live_server, saved) == 200
        answer = client.post("/logout", data={"csrf_token": _csrf(form)})
        assert answer.status_code == 303
        assert client.get("/new").status_code == 303
    assert _writes_with(live_server, saved) == 303  # to the login form
    with live_server.client(cookies={COOKIE: saved}) as replay:
        refused = replay.post(
            "/new", data={"title": "after logout", "body": "x", "csrf_token": _csrf(form)}
        )
    assert refused.status_code == 403
    assert live_server.store.count_entries(include_private=True) == 0


def test_logging_out_in_one_browser_leaves_the_others_logged_in(
    live_server: LiveServer,
) -> None:
    live_server.store.set_password_hash(hash_password(PASSWORD))
    with live_server.client() as first, live_server.client() as second:
        first_cookie, second_cookie = _log_in_with(first), _log_in_with(second)
        first.post("/logout", data={"csrf_token": _csrf(first.get("/new").text)})
        assert second.get("/new").status_code == 200
    assert _writes_with(live_server, first_cookie) == 303
    assert _writes_with(live_server, second_cookie) == 200


def test_logging_in_again_does_not_revive_the_old_cookie(live_server: LiveServer) -> None:
    live_server.store.set_password_hash(hash_password(PASSWORD))
    with live_server.client() as client:
        before = _log_in_with(client)
        _log_in(client)
        assert client.get("/new").status_code == 200
    assert _writes_with(live_server, before) == 303


def test_passwd_ends_every_session(tmp_path: Path) -> None:
    folder = tmp_path / "diary"
    run("--diary", str(folder), "init", "--name", "d1021")
    run("--diary", str(folder), "passwd", "--password-stdin", stdin=PASSWORD + "\n")
    store = open_store(folder, None, None)
    try:
        with serve(store) as base_url:
            server = LiveServer(base_url, store)
            with server.client() as client:
                cookie = _log_in_with(client)
            assert _writes_with(server, cookie) == 200
            said = run("--diary", str(folder), "passwd", "--password-stdin", stdin=PASSWORD + "\n")
            assert "logged out" in said.stdout
            assert _writes_with(server, cookie) == 303  # the same password, yet logged out
    finally:
        store.database.close()
