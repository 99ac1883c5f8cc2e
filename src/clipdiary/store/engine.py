"""Making a SQLAlchemy engine for a diary folder or a PostgreSQL address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from clipdiary.errors import UsageError

DB_FILENAME = "diary.db"

# Marks a connection that will write, so that SQLite takes the write lock at BEGIN rather
# than failing half-way through when another writer got there first.
WRITE_OPTION = "clipdiary_write"

# Enough connections for the web server's worker threads (anyio runs 40), so busy pages
# reuse connections instead of opening and closing them.
POOL_SIZE = 20


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / DB_FILENAME}"


def normalise_url(url: str) -> str:
    """Accept the URLs people write (``postgresql://…``) and pick the driver we ship."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith(("postgresql+psycopg://", "sqlite://")):
        return url
    raise UsageError(
        f"unsupported database address {url!r}: use postgresql://USER@HOST:PORT/DB, "
        "or --diary PATH for a SQLite diary"
    )


def make_engine(url: str, *, echo: bool = False) -> sa.Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=POOL_SIZE,
            max_overflow=POOL_SIZE,
        )
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(
        url, echo=echo, pool_size=POOL_SIZE, max_overflow=POOL_SIZE, pool_pre_ping=True
    )


def _configure_sqlite(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(conn: sa.Connection) -> None:
        writes = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
