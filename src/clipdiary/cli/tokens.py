"""API tokens: ``clipdiary token create | list | revoke``, each with a scope and an expiry."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import click

from clipdiary.errors import UsageError
from clipdiary.model import TOKEN_SCOPES as SCOPES
from clipdiary.model import ApiToken

from .common import Target, json_option, pass_target, print_json

_SPAN = re.compile(r"(\d{1,6})([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_expiry(text: str, zone: dt.tzinfo) -> dt.datetime:
    """``30d``, ``12h``, ``90m`` from now, or a date (its end of day) or time in the diary's
    zone when it names none."""
    spelled = text.strip()
    span = _SPAN.fullmatch(spelled)
    if span:
        amount = dt.timedelta(**{_UNITS[span.group(2)]: int(span.group(1))})
        return dt.datetime.now(dt.UTC) + amount
    try:
        if len(spelled) == 10:
            day = dt.date.fromisoformat(spelled)
            return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)
        moment = dt.datetime.fromisoformat(spelled)
    except ValueError:
        raise UsageError(
            f"--expires {text!r} is neither a span (30d, 12h, 90m) nor a date or time "
            "(2027-01-31, 2027-01-31T09:00)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def token_state(token: ApiToken) -> str:
    if token.revoked:
        return "revoked"
    if token.expires is not None and token.expires <= dt.datetime.now(dt.UTC):
        return "expired"
    return "active"


def token_json(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "label": token.label,
        "scope": token.scope,
        "created": token.created.isoformat(),
        "expires": token.expires.isoformat() if token.expires else None,
        "last_used": token.last_used.isoformat() if token.last_used else None,
        "revoked": token.revoked,
        "state": token_state(token),
    }


@click.group()
def token() -> None:
    """API tokens for scripts and the bookmarklet."""


@token.command(name="create")
@click.option("--label", default="api", show_default=True, help="What the token is for.")
@click.option(
    "--scope",
    type=click.Choice(SCOPES),
    default="write",
    show_default=True,
    help="read: read as the owner; clip: only clip pages; write: everything.",
)
@click.option(
    "--expires",
    metavar="WHEN",
    default=None,
    help="When it stops working: 30d, 12h, or a date/time (2027-01-31); never by default.",
)
@json_option
@pass_target
def token_create(
    target: Target, label: str, scope: str, expires: str | None, as_json: bool
) -> None:
    """Make a token; it is shown once and only its hash is kept."""
    with target.store() as store:
        until = parse_expiry(expires, store.diary.zone) if expires is not None else None
        made, secret = store.create_token(label, scope=scope, expires=until)
    if as_json:
        print_json({**token_json(made), "token": secret})
    else:
        click.echo(secret)
        ending = f", until {made.expires.isoformat()}" if made.expires else ""
        click.echo(
            f"(token {made.id}, {made.label!r}, scope {made.scope}{ending}: "
            "keep it now, it is not shown again)",
            err=True,
        )


@token.command(name="list")
@json_option
@pass_target
def token_list(target: Target, as_json: bool) -> None:
    """List tokens (never the tokens themselves)."""
    with target.store() as store:
        tokens = store.tokens()
    if as_json:
        print_json([token_json(t) for t in tokens])
        return
    for t in tokens:
        state = token_state(t)
        used = t.last_used.isoformat() if t.last_used else "never used"
        click.echo(f"{t.id:>4}  {t.label:<20} {t.scope:<6} {state:<8} {used}")


@token.command(name="revoke")
@click.argument("which", metavar="ID_OR_LABEL")
@json_option
@pass_target
def token_revoke(target: Target, which: str, as_json: bool) -> None:
    """Revoke a token by its id or label."""
    with target.store() as store:
        count = store.revoke_token(which)
    if as_json:
        print_json({"revoked": count})
    else:
        click.echo(f"Revoked {count} token{'s' if count != 1 else ''}.")
