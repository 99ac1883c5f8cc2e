"""Shared fixtures: real SQLite files, a real PostgreSQL server, a real HTTP server."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from clipdiary.model import Diary
from clipdiary.store import Store
from clipdiary.store.engine import sqlite_url
from clipdiary.store.store import Database
from clipdiary.web import create_app
from tests.pgserver import PostgresServer, find_bin_dir, free_port

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        message = "PostgreSQL server binaries are not installed (apt-get install postgresql)"
        if IN_CI:
            pytest.fail(message + "; under CI=true this is a failure, not a skip")
        pytest.skip(message)
    server = PostgresServer(bin_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database()


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    database = Database.open(db_url)
    yield database
    database.close()


@pytest.fixture
def store(database: Database) -> Store:
    return database.create_diary(
        Diary(name="d1021", title="Test diary", timezone="Asia/Tokyo", day_starts_at=6)
    )


class LiveServer:
    def __init__(self, base_url: str, store: Store) -> None:
        self.base_url = base_url
        self.store = store

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30, **kwargs)  # type: ignore[arg-type]


@contextmanager
def serve(store: Store) -> Iterator[str]:
    """The web diary served by uvicorn on a loopback port, in a thread; yields its URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(store), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(store: Store) -> Iterator[LiveServer]:
    with serve(store) as base_url:
        yield LiveServer(base_url, store)
