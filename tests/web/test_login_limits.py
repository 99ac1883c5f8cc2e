"""Password guessing is limited by address and in total, with a growing delay, and
anonymous logins cannot make the server hold many Argon2 checks' memory at once
(issue 15, items 7 and 0c)."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from clipdiary.errors import TooManyTries
from clipdiary.model import Diary
from clipdiary.passwords import hash_password
from clipdiary.store.engine import sqlite_url
from clipdiary.store.store import Database
from clipdiary.web.login_guard import LoginGuard, LoginLimits
from tests.conftest import LiveServer, serve
from tests.web.test_owner import PASSWORD, _csrf


@pytest.fixture
def owner_site(tmp_path: Path) -> Iterator[LiveServer]:
    """A diary with a password, served on loopback (the limits do not depend on the
    database, so SQLite only)."""
    database = Database.open(sqlite_url(tmp_path))
    store = database.create_diary(Diary(name="d1021", title="Test diary"))
    store.set_password_hash(hash_password(PASSWORD))
    try:
        with serve(store) as base_url:
            yield LiveServer(base_url, store)
    finally:
        database.close()


def _try(client: httpx.Client, password: str, address: str | None = None) -> httpx.Response:
    """One login attempt from ``address`` (uvicorn takes X-Forwarded-For from loopback,
    as it would from a reverse proxy on the same machine)."""
    headers = {"X-Forwarded-For": address} if address else {}
    form = client.get("/login", headers=headers).text
    return client.post(
        "/login",
        data={"password": password, "csrf_token": _csrf(form), "next": "/"},
        headers=headers,
    )


def test_after_a_few_wrong_passwords_even_the_right_one_waits(
    owner_site: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="clipdiary.login")
    with owner_site.client() as guesser:
        for _ in range(5):
            assert _try(guesser, "wrong password", "198.51.100.9").status_code == 401
        refused = _try(guesser, PASSWORD, "198.51.100.9")
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 60
        assert "too many wrong passwords: try again in" in refused.text
        assert "clipdiary_session" not in refused.headers.get("set-cookie", "")
    with owner_site.client() as owner:  # another address is not locked out
        assert _try(owner, PASSWORD, "203.0.113.7").status_code == 303
        assert owner.get("/new").status_code == 200
    said = [r.getMessage() for r in caplog.records if r.name == "clipdiary.login"]
    assert sum("wrong password from 198.51.100.9" in m for m in said) == 5
    assert any(m.startswith("login refused for 198.51.100.9") for m in said)


def test_a_form_s_token_is_good_for_one_try(owner_site: LiveServer) -> None:
    with owner_site.client() as guesser:
        form = guesser.get("/login").text
        token = _csrf(form)
        first = guesser.post("/login", data={"password": "nope nope", "csrf_token": token})
        assert first.status_code == 401
        again = guesser.post("/login", data={"password": PASSWORD, "csrf_token": token})
        assert again.status_code == 403  # the token was used: the answer held a new one
        assert _csrf(first.text) != token
        fresh = {"password": PASSWORD, "csrf_token": _csrf(first.text)}
        assert guesser.post("/login", data=fresh).status_code == 303


def test_wrong_passwords_from_many_addresses_lock_the_login_for_everyone(
    owner_site: LiveServer,
) -> None:
    with owner_site.client() as guessers:
        for n in range(30):
            assert _try(guessers, "wrong password", f"10.0.{n}.1").status_code == 401
        refused = _try(guessers, PASSWORD, "192.0.2.50")
    assert refused.status_code == 429


def test_the_delay_doubles_with_each_lockout() -> None:
    now = [1000.0]
    guard = LoginGuard(LoginLimits(per_address=3, window=600), clock=lambda: now[0])
    waits = []
    for _ in range(4):
        for _ in range(3):
            guard.check("198.51.100.9")
            guard.failed("198.51.100.9")
        with pytest.raises(TooManyTries) as refused:
            guard.check("198.51.100.9")
        waits.append(refused.value.retry_after)
        now[0] += refused.value.retry_after
    assert waits == [61, 121, 241, 481]
    guard.succeeded("198.51.100.9")  # the right password starts it over
    for _ in range(3):
        guard.check("198.51.100.9")
        guard.failed("198.51.100.9")
    with pytest.raises(TooManyTries) as refused:
        guard.check("198.51.100.9")
    assert refused.value.retry_after == 61


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def test_concurrent_wrong_logins_do_not_each_hold_argon2_memory(owner_site: LiveServer) -> None:
    """Sixteen wrong logins at once from sixteen addresses: each Argon2 check holds 64 MiB,
    so without a bound the server grew by about 1 GiB (issue 15 measured 1.7 GB for 32)."""
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss_bytes())
            time.sleep(0.002)

    with owner_site.client() as warm:  # the first check's allocations are not the burst's
        assert _try(warm, "wrong password", "192.0.2.1").status_code == 401
    clients = [owner_site.client() for _ in range(16)]
    forms = [(c, _csrf(c.get("/login").text)) for c in clients]
    before = _rss_bytes()
    sampler = threading.Thread(target=sample)
    sampler.start()

    def attempt(n: int) -> int:
        client, token = forms[n]
        headers = {"X-Forwarded-For": f"10.9.{n}.1"}
        data = {"password": "wrong password", "csrf_token": token}
        return client.post("/login", data=data, headers=headers).status_code

    try:
        with ThreadPoolExecutor(16) as pool:
            codes = list(pool.map(attempt, range(16)))
    finally:
        done.set()
        sampler.join()
        for client in clients:
            client.close()
    assert codes.count(401) + codes.count(429) == 16
    grew = (peak[0] - before) / 2**20
    assert grew < 350, f"the server grew by {grew:.0f} MiB during 16 concurrent logins"


def test_a_right_password_logs_in_at_once(owner_site: LiveServer) -> None:
    """A right password from a fresh address logs in at once: the limits cost nothing."""
    with owner_site.client() as owner:
        answer = _try(owner, PASSWORD)
    assert answer.status_code == 303
    assert re.search(r"clipdiary_session=", answer.headers.get("set-cookie", ""))
