"""API tokens: made, listed, checked and revoked; each with a scope and an optional expiry.

A token is shown once when it is made; the diary keeps only its SHA-256. Its scope bounds
what a stolen copy can do:

- ``read``: read the diary as the owner does (private entries too), write nothing;
- ``clip``: only ``POST /api/clips`` — what the bookmarklet needs. A page that captures the
  bookmarklet's token can add a clip, but cannot read, edit or delete anything;
- ``write``: everything the API offers (the scope tokens made before scopes existed have).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

import sqlalchemy as sa

from clipdiary.errors import NotFound, PermissionDenied, UsageError
from clipdiary.model import TOKEN_SCOPES, ApiToken, TokenScope
from clipdiary.store import schema
from clipdiary.store.rows import from_epoch

if TYPE_CHECKING:
    from clipdiary.store.store import Store

Scope = TokenScope
SCOPES = TOKEN_SCOPES
# What each scope allows: a write token may also read and clip.
_ALLOWS: dict[str, frozenset[str]] = {
    "read": frozenset({"read"}),
    "clip": frozenset({"clip"}),
    "write": frozenset({"read", "clip", "write"}),
}
MAX_LABEL = 100
_T = schema.api_tokens


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_scope(scope: str) -> Scope:
    for known in SCOPES:
        if scope == known:
            return known
    raise UsageError(f"unknown token scope {scope!r}: use one of {', '.join(SCOPES)}")


def allows(token: ApiToken, needed: Scope) -> bool:
    return needed in _ALLOWS.get(token.scope, frozenset())


def _now() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp())


def _token_of(row: sa.Row[tuple[object, ...]], zone: dt.tzinfo) -> ApiToken:
    return ApiToken(
        row.id,
        row.label,
        from_epoch(row.created_at, zone),
        from_epoch(row.last_used_at, zone) if row.last_used_at else None,
        bool(row.revoked),
        scope=str(row.scope),
        expires=from_epoch(row.expires_at, zone) if row.expires_at is not None else None,
    )


def create_token(
    store: Store, label: str, *, scope: str = "write", expires: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token; the plain token is returned once and only its digest is kept."""
    label = label.strip()
    if not label or len(label) > MAX_LABEL:
        raise UsageError(f"a token's label must be 1 to {MAX_LABEL} characters")
    checked = check_scope(scope)
    now = _now()
    if expires is not None:
        if expires.tzinfo is None:
            raise UsageError(f"the expiry {expires.isoformat()} has no time zone")
        if expires.timestamp() <= now:
            raise UsageError(f"the expiry {expires.isoformat()} is not in the future")
    token = "cd_" + secrets.token_urlsafe(32)
    with store.transaction() as conn:
        token_id = conn.execute(
            sa.insert(_T)
            .values(
                diary_id=store.diary_id,
                label=label,
                token_hash=token_digest(token),
                created_at=now,
                scope=checked,
                expires_at=int(expires.timestamp()) if expires is not None else None,
            )
            .returning(_T.c.id)
        ).scalar_one()
    zone = store.diary.zone
    made = ApiToken(
        token_id,
        label,
        from_epoch(now, zone),
        None,
        False,
        scope=checked,
        expires=from_epoch(int(expires.timestamp()), zone) if expires is not None else None,
    )
    return made, token


def list_tokens(store: Store) -> list[ApiToken]:
    with store._read() as conn:
        rows = conn.execute(
            sa.select(_T).where(_T.c.diary_id == store.diary_id).order_by(_T.c.id)
        ).all()
    return [_token_of(r, store.diary.zone) for r in rows]


def revoke_token(store: Store, which: str) -> int:
    """Revoke tokens by id or label; returns how many were revoked."""
    match = _T.c.label == which
    if which.isdigit() and len(which) < 12:
        match = sa.or_(match, _T.c.id == int(which))
    with store.transaction() as conn:
        count = conn.execute(
            sa.update(_T)
            .where(_T.c.diary_id == store.diary_id, match, _T.c.revoked == sa.false())
            .values(revoked=True)
        ).rowcount
    if not count:
        raise NotFound(f"no active API token with id or label {which!r}")
    return int(count)


def verify_token(store: Store, token: str) -> ApiToken | None:
    """The live token ``token`` is, or None (unknown, revoked). An expired one is refused
    by name, so a script's owner learns why it stopped working."""
    if len(token) > 200:
        return None
    with store._read() as conn:
        row = conn.execute(
            sa.select(_T).where(
                _T.c.diary_id == store.diary_id,
                _T.c.token_hash == token_digest(token),
                _T.c.revoked == sa.false(),
            )
        ).first()
    if row is None:
        return None
    if row.expires_at is not None and row.expires_at <= _now():
        ended = from_epoch(row.expires_at, store.diary.zone).isoformat()
        raise PermissionDenied(
            f"the API token {row.label!r} expired on {ended}; "
            "make a new one on the settings page or with 'clipdiary token create'"
        )
    return _token_of(row, store.diary.zone)


def touch_token(store: Store, token_id: int) -> None:
    """Record the token's use, at most once a minute (a write per request would be a
    write lock per read)."""
    now = _now()
    with store.transaction() as conn:
        conn.execute(
            sa.update(_T)
            .where(
                _T.c.id == token_id,
                sa.or_(_T.c.last_used_at.is_(None), _T.c.last_used_at < now - 60),
            )
            .values(last_used_at=now)
        )
