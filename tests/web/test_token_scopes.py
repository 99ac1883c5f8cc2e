"""API tokens with a scope and an expiry: the bookmarklet's token can only clip, a read token
only reads, an expired or revoked one is refused by name; the settings page makes, lists
and revokes them (issue 15, item 0b)."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from clipdiary.errors import UsageError
from clipdiary.model import NewEntry
from clipdiary.store import Store
from tests.clip.clip_server import DEMO
from tests.conftest import LiveServer
from tests.test_cli import run
from tests.web.test_clips import EN, _owner
from tests.web.test_owner import _csrf

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)
ENTRY = "/api/entries/20160905/1473071774"
PRIVATE = "/api/entries/20160905/1473071775"


def _two_entries(server: LiveServer) -> None:
    server.store.add_entry(NewEntry("open", body="本文", created=SUMMIT))
    server.store.add_entry(NewEntry("closed", visibility="private", created=SUMMIT))


def _bookmarklet_token(server: LiveServer) -> str:
    """The token inside the bookmarklet the settings page makes."""
    with _owner(server) as client:
        page = client.get("/settings").text
        made = client.post("/settings/bookmarklet", data={"csrf_token": _csrf(page)}).text
    found = re.search(r"Bearer%20(cd_[A-Za-z0-9_\-]+)|Bearer (cd_[A-Za-z0-9_\-]+)", unquote(made))
    assert found is not None, "no token in the bookmarklet"
    return found.group(1) or found.group(2)


def test_the_bookmarklet_token_clips_and_can_do_nothing_else(live_server: LiveServer) -> None:
    _two_entries(live_server)
    token = _bookmarklet_token(live_server)
    html = (DEMO / EN["file"]).read_text("utf-8")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as stolen:
        clipped = stolen.post("/api/clips", json={"url": EN["url"], "html": html})
        assert clipped.status_code == 201, clipped.text
        # What a hostile page that captured the token tried next (issue 15: it deleted one).
        deleted = stolen.delete(ENTRY)
        assert deleted.status_code == 403
        assert "scope 'write'" in deleted.json()["detail"]
        assert "scope 'clip'" in deleted.json()["detail"]
        assert stolen.patch(ENTRY, json={"title": "defaced"}).status_code == 403
        assert stolen.post("/api/entries", json={"title": "spam"}).status_code == 403
        assert stolen.get(PRIVATE).status_code == 404  # reads as a visitor
        titles = [e["title"] for e in stolen.get("/api/entries?day=20160905").json()]
    assert titles == ["open"]
    with live_server.client() as visitor:
        assert visitor.get(ENTRY).json()["title"] == "open"
    assert live_server.store.count_entries(include_private=True) == 3


def test_a_read_token_reads_private_entries_and_writes_nothing(live_server: LiveServer) -> None:
    _two_entries(live_server)
    _, token = live_server.store.create_token("reader", scope="read")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as reader:
        assert reader.get(PRIVATE).json()["title"] == "closed"
        refused = reader.delete(ENTRY)
        assert refused.status_code == 403, refused.text
        assert reader.post("/api/clips", json={"url": EN["url"], "html": "<p>x"}).status_code == 403
    assert live_server.store.count_entries(include_private=True) == 2


def test_a_write_token_does_everything(live_server: LiveServer) -> None:
    _two_entries(live_server)
    _, token = live_server.store.create_token("script", scope="write")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as script:
        assert script.get(PRIVATE).status_code == 200
        assert script.patch(ENTRY, json={"title": "edited"}).json()["title"] == "edited"
        assert script.delete(ENTRY).status_code == 204


def test_an_expired_token_is_refused_saying_so(live_server: LiveServer) -> None:
    _two_entries(live_server)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    _, token = live_server.store.create_token("short", scope="write", expires=soon)
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as script:
        assert script.get(PRIVATE).status_code == 200
        time.sleep(2.1)
        refused = script.delete(ENTRY)
        assert refused.status_code == 401
        assert "expired" in refused.json()["detail"]
        assert "'short'" in refused.json()["detail"]
    assert live_server.store.count_entries(include_private=True) == 2


def test_the_settings_page_makes_lists_and_revokes_tokens(live_server: LiveServer) -> None:
    _two_entries(live_server)
    with _owner(live_server) as client:
        page = client.get("/settings").text
        made = client.post(
            "/settings/tokens",
            data={
                "csrf_token": _csrf(page),
                "label": "backup script",
                "scope": "read",
                "expires_in": "7",
            },
        )
        assert made.status_code == 200
        assert made.headers["cache-control"] == "no-store"
        shown = re.search(r'<code id="new-token">(cd_[A-Za-z0-9_\-]+)</code>', made.text)
        assert shown is not None
        token = shown.group(1)
        with live_server.client(headers={"Authorization": f"Bearer {token}"}) as script:
            assert script.get(PRIVATE).status_code == 200
        listed = client.get("/settings").text
        assert token not in listed  # shown once
        row = re.search(r'<li id="token-(\d+)">(.*?)</li>', listed, re.S)
        assert row is not None
        week = (dt.datetime.now(JST) + dt.timedelta(days=7)).strftime("%Y-%m-%d")
        assert "backup script" in row.group(2) and ">read<" in row.group(2)
        assert "used " in row.group(2) and f"expires {week}" in row.group(2)
        revoked = client.post(
            f"/settings/tokens/{row.group(1)}/revoke", data={"csrf_token": _csrf(listed)}
        )
        assert revoked.status_code == 303
        bad = client.post(
            "/settings/tokens",
            data={"csrf_token": _csrf(listed), "label": "x", "scope": "admin", "expires_in": ""},
        )
        assert bad.status_code == 400
        assert "unknown token scope &#39;admin&#39;" in bad.text and 'id="tokens"' in bad.text
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as script:
        assert script.get(PRIVATE).status_code == 401
    assert [t.scope for t in live_server.store.tokens()] == ["read"]


def test_the_token_verb_takes_a_scope_and_an_expiry(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init")
    made = json.loads(
        run(*where, "token", "create", "--scope", "clip", "--expires", "30d", "--json").stdout
    )
    assert made["scope"] == "clip" and made["state"] == "active"
    until = dt.datetime.fromisoformat(made["expires"])
    assert dt.timedelta(days=29) < until - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)
    dated = json.loads(run(*where, "token", "create", "--expires", "2099-01-31", "--json").stdout)
    assert dated["expires"] == "2099-01-31T23:59:59+09:00"
    listing = run(*where, "token", "list").stdout
    assert " clip " in listing and " write " in listing
    for wrong in ("soon", "2001-01-01"):
        refused = run(*where, "token", "create", "--expires", wrong, ok=False)
        assert refused.stderr.count("\n") == 1 and "expir" in refused.stderr
        assert "Traceback" not in refused.stderr
    assert len(json.loads(run(*where, "token", "list", "--json").stdout)) == 2


@pytest.mark.parametrize("scope", ["admin", ""])
def test_an_unknown_scope_is_refused(store: Store, scope: str) -> None:
    with pytest.raises(UsageError, match="unknown token scope"):
        store.create_token("x", scope=scope)
    assert store.tokens() == []
