"""The ``clipdiary`` command: one verb per job, each a thin layer over the library.

The verbs live in one module per group (``diary``, ``entries``, ``clipping``, ``moving``,
``related``, ``stories``, ``publishing``); ``common`` holds what they share. This module
makes the group, registers the verbs and runs them: every ``ClipdiaryError`` becomes one
line on stderr and exit status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from clipdiary import __version__
from clipdiary.errors import ClipdiaryError

from . import clipping, diary, entries, links, moving, publishing, related, stories, tokens
from .common import Target, accept_global_options


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clipdiary")
@click.option(
    "--diary",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CLIPDIARY_DIARY",
    help="The diary folder (holds diary.db). Default: ~/.local/share/clipdiary.",
)
@click.option(
    "--db",
    "db_url",
    envvar="CLIPDIARY_DB",
    help="A PostgreSQL diary: postgresql://USER@HOST:PORT/DB (instead of --diary).",
)
@click.option(
    "--diary-name",
    envvar="CLIPDIARY_DIARY_NAME",
    help="Which diary, when the database holds several.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON, for verbs that print data.")
@click.pass_context
def cli(
    ctx: click.Context,
    folder: Path | None,
    db_url: str | None,
    diary_name: str | None,
    as_json: bool,
) -> None:
    """clipdiary: a news-clipping diary for Japanese and English news.

    The options above may also follow the verb: clipdiary list --json --diary d1021
    """
    ctx.obj = Target(folder, db_url, diary_name, as_json=as_json)


for command in (
    diary.init,
    diary.settings,
    entries.add,
    entries.show,
    entries.list_entries,
    entries.day_title,
    clipping.clip,
    clipping.reextract,
    clipping.render,
    links.check_links_command,
    entries.search_entries,
    moving.import_command,
    moving.export_command,
    related.related,
    related.relink,
    stories.stories,
    stories.story,
    stories.restory,
    diary.passwd,
    tokens.token,
    publishing.build,
    publishing.serve,
    publishing.demo,
):
    cli.add_command(command)
accept_global_options(cli)


def _database_failed(exc: Exception) -> bool:
    """A database error of SQLAlchemy or sqlite3 (without importing SQLAlchemy: the static
    build never does)."""
    import sqlite3

    found = sys.modules.get("sqlalchemy.exc")
    errors = getattr(found, "DatabaseError", None)
    return isinstance(exc, sqlite3.DatabaseError) or (
        isinstance(errors, type) and isinstance(exc, errors)
    )


def main() -> None:
    try:
        result = cli.main(prog_name="clipdiary", standalone_mode=False)
    except ClipdiaryError as exc:
        click.echo(f"clipdiary: error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if not _database_failed(exc):
            raise
        # Damage found past the checks made on opening (a page deep in a damaged file).
        cause = (str(getattr(exc, "orig", exc)).strip().splitlines() or [type(exc).__name__])[0]
        click.echo(f"clipdiary: error: the database failed: {cause}", err=True)
        sys.exit(1)
    if isinstance(result, int) and result:
        sys.exit(result)
