"""The owner's logged-in sessions, kept on the server so that logging out ends one for good.

The session cookie is signed but is otherwise a bearer of its contents: on its own, a copy
saved before logging out would keep working until it expires. So each login gets a random
session id, the cookie carries it, and the diary keeps the id's digest (a ``diary_settings``
row ``session:DIGEST`` whose value is the second the session began). A cookie counts only
while its row is there and younger than the session's lifetime; logging out deletes the row,
and ``clipdiary passwd`` deletes them all (beside the password fingerprint the cookie holds,
which ends every session on its own). Only digests are stored, so a copy of the database
cannot be made into a cookie.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import sqlalchemy as sa

from clipdiary.store import Store, schema

PREFIX = "session:"
_S = schema.diary_settings


def _key(session_id: str) -> str:
    # 8 + 56 characters: the settings key column holds 64.
    return PREFIX + hashlib.sha256(session_id.encode()).hexdigest()[:56]


def _stamp(second: int) -> str:
    return f"{second:012d}"  # fixed width, so the database compares them as numbers


def _sessions(store: Store) -> sa.ColumnElement[bool]:
    return sa.and_(_S.c.diary_id == store.diary_id, _S.c.key.startswith(PREFIX))


def _one(store: Store, session_id: str) -> sa.ColumnElement[bool]:
    return sa.and_(_S.c.diary_id == store.diary_id, _S.c.key == _key(session_id))


def start_session(store: Store, max_age: int) -> str:
    """A new session's id (for the cookie); sessions past ``max_age`` seconds go."""
    session_id = secrets.token_urlsafe(32)
    now = int(time.time())
    with store.transaction() as conn:
        conn.execute(sa.delete(_S).where(_sessions(store), _S.c.value < _stamp(now - max_age)))
        conn.execute(
            sa.insert(_S).values(diary_id=store.diary_id, key=_key(session_id), value=_stamp(now))
        )
    return session_id


def session_alive(store: Store, session_id: object, max_age: int) -> bool:
    """Whether ``session_id`` (from a cookie) names a session that was not ended."""
    if not isinstance(session_id, str) or not session_id or len(session_id) > 100:
        return False
    with store._read() as conn:
        began = conn.execute(sa.select(_S.c.value).where(_one(store, session_id))).scalar()
    return began is not None and str(began) >= _stamp(int(time.time()) - max_age)


def end_session(store: Store, session_id: object) -> None:
    if isinstance(session_id, str) and session_id and len(session_id) <= 100:
        with store.transaction() as conn:
            conn.execute(sa.delete(_S).where(_one(store, session_id)))


def end_all_sessions(store: Store) -> int:
    """Log every browser out; the number of sessions ended."""
    with store.transaction() as conn:
        return conn.execute(sa.delete(_S).where(_sessions(store))).rowcount
