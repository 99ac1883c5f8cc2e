"""The diary itself and its owner: ``init``, ``settings``, ``passwd`` (tokens: tokens.py)."""

from __future__ import annotations

import sys

import click

from clipdiary.errors import UsageError
from clipdiary.model import Diary

from .common import Target, folder_diary, json_option, pass_target, print_json


@click.command()
@click.option("--name", default="diary", show_default=True, help="Short name, e.g. d1021.")
@click.option("--title", default="My clipping diary", show_default=True)
@click.option("--timezone", default="Asia/Tokyo", show_default=True)
@click.option(
    "--day-starts-at",
    type=click.IntRange(0, 23),
    default=0,
    show_default=True,
    help="Hour a new day starts; 6 puts a 2 a.m. post on the day before.",
)
@click.option("--base-url", default="", help="Where the diary is published, for feeds.")
@click.option(
    "--notation",
    type=click.Choice(["diary", "blog"]),
    default="diary",
    show_default=True,
    help="Paragraph style of Hatena notation: Diary (a <p> per line) or Blog.",
)
@json_option
@pass_target
def init(
    target: Target,
    name: str,
    title: str,
    timezone: str,
    day_starts_at: int,
    base_url: str,
    notation: str,
    as_json: bool,
) -> None:
    """Create a new diary."""
    here = folder_diary()
    if here is not None and target.folder is None and target.db_url is None:
        # Not a second diary in this folder's database, nor one elsewhere by surprise.
        raise UsageError(
            f"{here} holds a diary already (diary.db): "
            "name the folder of a new one with --diary PATH"
        )
    diary = Diary(
        name=name,
        title=title,
        timezone=timezone,
        day_starts_at=day_starts_at,
        base_url=base_url,
        notation_mode="blog" if notation == "blog" else "diary",
    )
    from clipdiary.store import create_diary

    store = create_diary(target.resolved_folder, target.db_url, diary)
    store.database.close()
    where = target.db_url or str(target.resolved_folder)
    if as_json:
        print_json({"name": name, "title": title, "timezone": timezone, "where": where})
    else:
        click.echo(f"Created the diary {name!r} ({title}) in {where}")
        click.echo("Next: 'clipdiary passwd' to set the owner's password, then 'clipdiary serve'.")


@click.command()
@click.option("--title", help="The diary's title.")
@click.option("--timezone", help="Its time zone, e.g. Asia/Tokyo.")
@click.option("--day-starts-at", type=click.IntRange(0, 23), help="Hour a new day starts.")
@click.option("--base-url", help="Where the diary is published (feeds, canonical links).")
@click.option("--notation", type=click.Choice(["diary", "blog"]), help="Hatena paragraph style.")
@click.option(
    "--archived-pages",
    type=click.Choice(["owner", "public"]),
    help="Who may open a clip's archived page (/YYYYMMDD/NAME/page).",
)
@json_option
@pass_target
def settings(
    target: Target,
    title: str | None,
    timezone: str | None,
    day_starts_at: int | None,
    base_url: str | None,
    notation: str | None,
    archived_pages: str | None,
    as_json: bool,
) -> None:
    """Show the diary's settings, or change those given.

    A new time zone or day start applies to entries written from then on: entries keep
    the day they were written on. A running server reads the change at its next request.

    Example: clipdiary settings --base-url https://example.com/diary
    """
    with target.store() as store:
        diary = store.update_settings(
            title=title,
            timezone=timezone,
            day_starts_at=day_starts_at,
            base_url=base_url,
            notation_mode=notation,
        )
        from clipdiary.archive.view import archived_pages_setting, set_archived_pages

        if archived_pages is not None:
            set_archived_pages(store, archived_pages)
        archive_choice = archived_pages_setting(store)
    shown = {
        "name": diary.name,
        "title": diary.title,
        "timezone": diary.timezone,
        "day_starts_at": diary.day_starts_at,
        "base_url": diary.base_url,
        "notation": diary.notation_mode,
        "archived_pages": archive_choice,
    }
    if as_json:
        print_json(shown)
        return
    for key, value in shown.items():
        click.echo(f"{key + ':':<15}{value}")


# -- the owner ----------------------------------------------------------------------------


@click.command()
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin (for scripts).")
@pass_target
def passwd(target: Target, password_stdin: bool) -> None:
    """Set the owner's password (used to log in to the web diary)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    from clipdiary.passwords import hash_password
    from clipdiary.store.sessions import end_all_sessions

    hashed = hash_password(password)
    with target.store() as store, store.transaction():
        store.set_password_hash(hashed)
        end_all_sessions(store)
    click.echo("Password set. Browsers logged in before are logged out.")
