"""Who is asking: the owner (a signed session cookie or an API token) or a visitor.

A token acts within its scope (``store.tokens``): a clip token may clip and do nothing else.

Sessions are Starlette's signed cookies (itsdangerous); they hold ``owner``, the CSRF
token and a session id that the diary keeps too (``store.sessions``), so that logging out
ends the session even for a copy of the cookie saved before. A session also keeps a
fingerprint of the password hash, so changing the password with ``clipdiary passwd`` logs
every browser out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

from clipdiary.errors import OutOfScope, PermissionDenied
from clipdiary.model import ApiToken
from clipdiary.pages import PageBuilder, Viewer
from clipdiary.store import Store
from clipdiary.store.sessions import end_session, session_alive, start_session
from clipdiary.store.tokens import Scope, allows

SESSION_COOKIE = "clipdiary_session"
SESSION_MAX_AGE = 30 * 24 * 3600


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def sync_store(request: Request) -> None:
    """Every request starts by looking at the diary's revision (one indexed row): pages
    cached at it stay good, and settings another process changed are read again."""
    request.state.revision = store_of(request).sync()


def pages_of(request: Request) -> PageBuilder:
    pages: PageBuilder = request.app.state.pages
    return pages


def password_fingerprint(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if (
        not isinstance(expected, str)
        or not submitted
        or not hmac.compare_digest(expected, submitted)
    ):
        raise PermissionDenied(
            "the form has expired or did not come from this diary (CSRF check failed); "
            "reload the page and try again"
        )


def session_is_owner(request: Request) -> bool:
    """The owner by session cookie: a live session (not logged out) under this password."""
    known = getattr(request.state, "session_owner", None)
    if isinstance(known, bool):
        return known  # checked once per request: two reads of the database
    owner = _check_session(request)
    request.state.session_owner = owner
    return owner


def _check_session(request: Request) -> bool:
    if "session" not in request.scope or request.session.get("owner") is not True:
        return False
    store = store_of(request)
    current = password_fingerprint(store.password_hash())
    if not hmac.compare_digest(str(request.session.get("pw", "")), current):
        return False
    return session_alive(store, request.session.get("sid"), SESSION_MAX_AGE)


_UNCHECKED = object()  # request.state.api_token before the header was looked at


def bearer_token(request: Request) -> ApiToken | None:
    """The request's API token, checked once per request (and its use recorded once)."""
    known: object = getattr(request.state, "api_token", _UNCHECKED)
    if known is None or isinstance(known, ApiToken):
        return known
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    found = None
    if scheme.lower() == "bearer" and token.strip():
        store = store_of(request)
        found = store.verify_token(token.strip())
        if found is None:
            raise PermissionDenied("the API token is unknown or revoked")
        store.touch_token(found.id)
    request.state.api_token = found
    return found


def require_scope(request: Request, needed: Scope, doing: str) -> ApiToken:
    """The request's token, which must allow ``needed``; else a refusal that says why."""
    token = bearer_token(request)
    if token is None:
        raise PermissionDenied(f"{doing} needs an API token: 'Authorization: Bearer TOKEN'")
    if not allows(token, needed):
        raise OutOfScope(
            f"{doing} needs a token with scope {needed!r}; the token {token.label!r} "
            f"has scope {token.scope!r}"
        )
    return token


def is_owner(request: Request) -> bool:
    """The owner, by a token that may read or by session (reads may use either)."""
    token = bearer_token(request)
    return (token is not None and allows(token, "read")) or session_is_owner(request)


def viewer_of(request: Request, *, flash: str | None = None) -> Viewer:
    owner = session_is_owner(request)
    token = csrf_token(request) if owner else ""
    return Viewer(is_owner=owner, csrf_token=token, flash=flash)


def log_in(request: Request) -> None:
    store = store_of(request)
    end_session(store, request.session.get("sid"))  # a new id at each login
    request.session.clear()
    request.session["owner"] = True
    request.session["sid"] = start_session(store, SESSION_MAX_AGE)
    request.session["pw"] = password_fingerprint(store.password_hash())
    request.session["csrf"] = secrets.token_urlsafe(32)
    request.state.session_owner = True


def log_out(request: Request) -> None:
    """End this session on the server too: a saved copy of the cookie stops working."""
    end_session(store_of(request), request.session.get("sid"))
    request.session.clear()
    request.state.session_owner = False
