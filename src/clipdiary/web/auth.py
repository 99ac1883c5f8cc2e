"""Who is asking: the owner (a signed session cookie or an API token) or a visitor.

Sessions are Starlette's signed cookies (itsdangerous); they hold ``owner`` and the CSRF
token. A session also keeps a fingerprint of the password hash, so changing the password
with ``clipdiary passwd`` logs every browser out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

from clipdiary.errors import PermissionDenied
from clipdiary.model import ApiToken
from clipdiary.pages import PageBuilder, Viewer
from clipdiary.store import Store

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
    if "session" not in request.scope or request.session.get("owner") is not True:
        return False
    current = password_fingerprint(store_of(request).password_hash())
    return hmac.compare_digest(str(request.session.get("pw", "")), current)


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


def is_owner(request: Request) -> bool:
    """The owner, by API token or by session (reads may use either)."""
    return bearer_token(request) is not None or session_is_owner(request)


def viewer_of(request: Request, *, flash: str | None = None) -> Viewer:
    owner = session_is_owner(request)
    token = csrf_token(request) if owner else ""
    return Viewer(is_owner=owner, csrf_token=token, flash=flash)


def log_in(request: Request) -> None:
    request.session.clear()
    request.session["owner"] = True
    request.session["pw"] = password_fingerprint(store_of(request).password_hash())
    request.session["csrf"] = secrets.token_urlsafe(32)


def log_out(request: Request) -> None:
    request.session.clear()
