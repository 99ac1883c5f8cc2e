"""The owner's side of the site: log in and out, write, edit and delete entries."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from clipdiary.errors import ClipdiaryError, PermissionDenied, UsageError
from clipdiary.model import Entry, EntryChanges, NewEntry, check_day_title, has_content
from clipdiary.passwords import verify_password
from clipdiary.web.auth import (
    check_csrf,
    csrf_token,
    log_in,
    log_out,
    pages_of,
    session_is_owner,
    store_of,
    viewer_of,
)
from clipdiary.web.login_guard import LoginGuard
from clipdiary.web.reader import day_of_address
from clipdiary.web.redirects import local_target

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
OptionalFormText = Annotated[str | None, Form()]
EMPTY = "Write a title or a body: an entry with neither would be an empty section."
EMPTY_EDIT = EMPTY + " To remove the entry, use “Delete this entry” below."


def _require_owner(request: Request) -> None:
    if not session_is_owner(request):
        raise PermissionDenied("only the diary's owner can do this: log in first")


def _login_redirect(request: Request) -> Response:
    return RedirectResponse(pages_of(request).urls.login(request.url.path), status_code=303)


def _split_categories(text: str) -> tuple[str, ...]:
    spaced = text.replace("，", ",").replace("、", ",")
    return tuple(c.strip() for c in spaced.split(",") if c.strip())


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    csrf = csrf_token(request)
    viewer = viewer_of(request)
    viewer = type(viewer)(is_owner=viewer.is_owner, csrf_token=csrf)
    return HTMLResponse(pages_of(request).login(viewer, next_path=local_target(next)))


@router.post("/login", response_model=None)
def login(
    request: Request,
    password: FormText,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
    next_path: Annotated[str | None, Form(alias="next")] = None,
) -> Response:
    check_csrf(request, csrf_token_field)
    guard: LoginGuard = request.app.state.login_guard
    address = request.client.host if request.client else "unknown"
    guard.check(address)  # before Argon2: a locked-out address costs nothing
    store = store_of(request)
    stored = store.password_hash()
    with guard.checking():
        right = stored is not None and verify_password(stored, password)
    if not right:
        message = (
            "No password is set: run 'clipdiary passwd' on the server first."
            if stored is None
            else "Wrong password."
        )
        if stored is not None:
            guard.failed(address)
        request.session["csrf"] = secrets.token_urlsafe(32)  # one token per try
        viewer = viewer_of(request)
        viewer = type(viewer)(is_owner=False, csrf_token=csrf_token(request))
        html = pages_of(request).login(viewer, next_path=local_target(next_path), error=message)
        return HTMLResponse(html, status_code=401)
    guard.succeeded(address)
    log_in(request)
    return RedirectResponse(local_target(next_path), status_code=303)  # only to this site


@router.post("/logout")
def logout(
    request: Request, csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None
) -> RedirectResponse:
    check_csrf(request, csrf_token_field)
    log_out(request)
    return RedirectResponse("/", status_code=303)


@router.get("/new", response_class=HTMLResponse, response_model=None)
def new_form(request: Request) -> Response:
    if not session_is_owner(request):
        return _login_redirect(request)
    form = {"title": "", "categories": "", "body": "", "private": ""}
    return HTMLResponse(pages_of(request).edit(viewer_of(request), entry=None, form=form))


@router.post("/new", response_model=None)
def create(
    request: Request,
    title: FormText = "",
    body: FormText = "",
    categories: FormText = "",
    private: OptionalFormText = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    _require_owner(request)
    check_csrf(request, csrf_token_field)
    form = {"title": title, "categories": categories, "body": body, "private": private or ""}
    try:
        if not has_content(title, body):
            raise UsageError(EMPTY)
        entry = store_of(request).add_entry(
            NewEntry(
                title=title.strip(),
                body=body.replace("\r\n", "\n"),
                categories=_split_categories(categories),
                visibility="private" if private else "public",
            )
        )
    except ClipdiaryError as exc:
        html = pages_of(request).edit(viewer_of(request), entry=None, form=form, error=str(exc))
        return HTMLResponse(html, status_code=400)
    request.session["flash"] = f"Published “{entry.title or entry.name}”."
    return RedirectResponse(pages_of(request).urls.entry(entry.day, entry.name), status_code=303)


@router.get("/{day}/{name}/edit", response_class=HTMLResponse, response_model=None)
def edit_form(request: Request, day: str, name: str) -> Response:
    if not session_is_owner(request):
        return _login_redirect(request)
    entry = store_of(request).get_entry(day_of_address(day), name)
    form = _form_of(entry)
    return HTMLResponse(pages_of(request).edit(viewer_of(request), entry=entry, form=form))


@router.post("/{day}/{name}/edit", response_model=None)
def edit(
    request: Request,
    day: str,
    name: str,
    title: FormText = "",
    body: FormText = "",
    categories: FormText = "",
    private: OptionalFormText = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    _require_owner(request)
    check_csrf(request, csrf_token_field)
    store = store_of(request)
    the_day = day_of_address(day)
    changes = EntryChanges(
        title=title.strip(),
        body=body.replace("\r\n", "\n"),
        categories=_split_categories(categories),
        visibility="private" if private else "public",
    )
    try:
        if not has_content(title, body):
            raise UsageError(EMPTY_EDIT)
        entry = store.update_entry(the_day, name, changes)
    except UsageError as exc:
        form = {"title": title, "categories": categories, "body": body, "private": private or ""}
        entry = store.get_entry(the_day, name)
        html = pages_of(request).edit(viewer_of(request), entry=entry, form=form, error=str(exc))
        return HTMLResponse(html, status_code=400)
    request.session["flash"] = "Saved."
    return RedirectResponse(pages_of(request).urls.entry(entry.day, entry.name), status_code=303)


@router.post("/{day}/{name}/delete")
def delete(
    request: Request,
    day: str,
    name: str,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> RedirectResponse:
    _require_owner(request)
    check_csrf(request, csrf_token_field)
    the_day = day_of_address(day)
    store_of(request).delete_entry(the_day, name)
    request.session["flash"] = f"Deleted {day}/{name}."
    return RedirectResponse(pages_of(request).urls.top(), status_code=303)


@router.post("/{day}/title")
def set_day_title(
    request: Request,
    day: str,
    title: Annotated[str, Form()] = "",
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> RedirectResponse:
    _require_owner(request)
    check_csrf(request, csrf_token_field)
    the_day = day_of_address(day)
    store_of(request).set_day_title(the_day, check_day_title(title))
    request.session["flash"] = (
        "Saved the day's title." if title.strip() else "Removed the day's title."
    )
    return RedirectResponse(pages_of(request).urls.day(the_day), status_code=303)


def _form_of(entry: Entry) -> dict[str, str]:
    return {
        "title": entry.title,
        "categories": ", ".join(entry.categories),
        "body": entry.body,
        "private": "" if entry.is_public else "1",
    }
