"""A body is refused before it is read: a visitor's upload to an owner's form, an API write
without a token, anything over its address's limit (issue 15, item 0c)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from clipdiary.model import Diary
from clipdiary.passwords import hash_password
from clipdiary.store.engine import sqlite_url
from clipdiary.store.store import Database
from tests.conftest import LiveServer, serve
from tests.web.test_owner import PASSWORD, _log_in

GB = 1_000_000_000


@pytest.fixture
def site(tmp_path: Path) -> Iterator[LiveServer]:
    database = Database.open(sqlite_url(tmp_path))
    store = database.create_diary(Diary(name="d1021", title="Test diary"))
    store.set_password_hash(hash_password(PASSWORD))
    try:
        with serve(store) as base_url:
            yield LiveServer(base_url, store)
    finally:
        database.close()


def _send_head_only(server: LiveServer, head: str, sent: int = 65_536) -> tuple[str, float]:
    """Send a request's head and the first ``sent`` bytes of a body it says is much longer,
    then wait for the answer; its status line and how long it took. A server that reads the
    whole body first never answers (the rest never comes)."""
    address = urlsplit(server.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=15) as conn:
        conn.sendall(head.encode("latin-1") + b"\r\n" + b"x" * sent)
        began = time.monotonic()
        try:
            answer = conn.recv(65_536).decode("latin-1")
        except TimeoutError:
            return "no answer", time.monotonic() - began
    return answer.split("\r\n", 1)[0], time.monotonic() - began


def _head(path: str, length: int, *extra: str) -> str:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: multipart/form-data; boundary=XX",
        f"Content-Length: {length}",
        *extra,
    ]
    return "\r\n".join(lines) + "\r\n"


def test_a_visitor_s_huge_upload_is_refused_before_it_is_read(site: LiveServer) -> None:
    status, took = _send_head_only(site, _head("/settings/import", GB))
    assert status == "HTTP/1.1 403 Forbidden"
    assert took < 5


def test_the_owner_s_upload_over_the_limit_is_refused_at_once(site: LiveServer) -> None:
    with site.client() as client:
        _log_in(client)
        cookie = f"Cookie: clipdiary_session={client.cookies['clipdiary_session']}"
    status, _ = _send_head_only(site, _head("/settings/import", GB, cookie))
    assert status == "HTTP/1.1 413 Request Entity Too Large"
    status, _ = _send_head_only(site, _head("/new", 50_000_000, cookie))
    assert status == "HTTP/1.1 413 Request Entity Too Large"


def test_an_api_write_without_a_token_is_refused_before_its_body(site: LiveServer) -> None:
    status, _ = _send_head_only(site, _head("/api/clips", GB))
    assert status == "HTTP/1.1 401 Unauthorized"
    wrong = "Authorization: Bearer cd_not_a_token"
    status, _ = _send_head_only(site, _head("/api/entries", 10_000_000, wrong))
    assert status == "HTTP/1.1 401 Unauthorized"


def test_a_body_without_a_length_is_cut_off_at_the_limit(site: LiveServer) -> None:
    _, token = site.store.create_token("script")

    def chunks() -> Iterator[bytes]:
        yield b'{"title": "big", "body": "'
        for _ in range(20):
            yield b"x" * 1_000_000
        yield b'"}'

    with site.client(headers={"Authorization": f"Bearer {token}"}) as script:
        answer = script.post(
            "/api/entries", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 413
        assert "16,000,000-byte limit" in answer.json()["detail"]
        small = script.post("/api/entries", json={"title": "small", "body": "x" * 100_000})
        assert small.status_code == 201
    assert site.store.count_entries(include_private=True) == 1


def test_ordinary_forms_and_writes_pass(site: LiveServer) -> None:
    with site.client() as visitor:
        assert visitor.post("/new", data={"title": "t"}).status_code == 403
        assert visitor.post("/api/entries", json={"title": "t"}).status_code == 401
    with site.client() as owner:
        _log_in(owner)
        assert owner.get("/new").status_code == 200
    assert httpx.get(site.base_url + "/").status_code == 200


def test_over_https_cookies_are_secure_and_hsts_is_sent(site: LiveServer) -> None:
    """The test server believes X-Forwarded-Proto from loopback, as serve --behind-proxy
    127.0.0.1 does."""
    https = {"X-Forwarded-Proto": "https"}
    with site.client(headers=https) as client:
        page = client.get("/login")
        assert "max-age=" in page.headers["strict-transport-security"]
        cookie = page.headers["set-cookie"]
        assert cookie.startswith("clipdiary_session=") and "; Secure" in cookie
    with site.client() as plain:
        cookie = plain.get("/login").headers["set-cookie"]
        assert "secure" not in cookie.lower()
