"""The settings page's API tokens: make one with a scope and an expiry, shown once."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from clipdiary.errors import UsageError
from clipdiary.web.auth import check_csrf, pages_of, store_of, viewer_of
from clipdiary.web.owner import _require_owner

router = APIRouter(include_in_schema=False)

# The form's "Expires" list: days from now, "" for never (templates/settings.html).
EXPIRY_DAYS = {"": None, "1": 1, "7": 7, "30": 30, "90": 90, "365": 365}


@router.post("/settings/tokens")
def make_token(
    request: Request,
    label: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "read",
    expires_in: Annotated[str, Form()] = "",
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> HTMLResponse:
    _require_owner(request)
    check_csrf(request, csrf_token_field)
    store = store_of(request)
    made, error = None, None
    try:
        if expires_in not in EXPIRY_DAYS:
            raise UsageError(f"unknown expiry {expires_in!r}: choose one from the list")
        days = EXPIRY_DAYS[expires_in]
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=days) if days else None
        made = store.create_token(label.strip() or scope, scope=scope, expires=expires)
    except UsageError as exc:
        error = str(exc)
    html = pages_of(request).settings(
        viewer_of(request),
        tokens=store.tokens(),
        bookmarklet=None,
        new_token=made,
        token_error=error,
    )
    # Shown in this answer only: the token is never stored, nor put in a cookie.
    return HTMLResponse(
        html, status_code=400 if error else 200, headers={"Cache-Control": "no-store"}
    )
