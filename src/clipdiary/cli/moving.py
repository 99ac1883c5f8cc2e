"""Moving in and out: ``import`` and ``export`` (the work is in clipdiary.formats)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from clipdiary.errors import UsageError

from .common import Target, json_option, pass_target

IMPORT_CHOICES = ("hatena", "mt", "bookmarks", "jsonl", "warc")
EXPORT_CHOICES = ("hatena", "mt", "jsonl", "bookmarks", "warc")


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(IMPORT_CHOICES), required=True)
@click.option("--dry-run", is_flag=True, help="Read and check the file; write nothing.")
@click.option("--fetch", is_flag=True, help="Bookmarks: clip each page instead of linking it.")
@click.option(
    "--hatena-user",
    help="The diary's old Hatena user name, so /USER/YYYYMMDD addresses keep working.",
)
@click.option(
    "--encoding",
    help="The file's encoding when it is not UTF-8, e.g. cp1252, shift_jis, euc_jp.",
)
@json_option
@pass_target
def import_command(
    target: Target,
    file: Path,
    fmt: str,
    dry_run: bool,
    fetch: bool,
    hatena_user: str | None,
    encoding: str | None,
    as_json: bool,
) -> None:
    """Bring a Hatena Diary XML, Movable Type, bookmarks, JSON Lines or WARC file in.

    Example: clipdiary import d1021.xml --format hatena
    """
    from clipdiary.formats.cli_support import import_and_report

    if fetch and fmt != "bookmarks":
        raise UsageError("--fetch works with --format bookmarks only")
    if fmt == "warc":
        from clipdiary.formats.warc_cli import import_warc

        with target.store() as store:
            sys.exit(import_warc(store, file, dry_run=dry_run, as_json=as_json))
    with target.store() as store:
        if hatena_user is not None and not dry_run:
            from clipdiary.model import check_diary_name

            store.set_setting("hatena_user", check_diary_name(hatena_user))
        code = import_and_report(
            store, file, fmt, dry_run=dry_run, fetch=fetch, as_json=as_json, encoding=encoding
        )
    if code:
        sys.exit(code)


@click.command(name="export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_CHOICES), required=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (replaced only when the export is complete); default stdout.",
)
@pass_target
def export_command(target: Target, fmt: str, output: Path | None) -> None:
    """Write the whole diary (private entries too, where the format can mark them).

    Example: clipdiary export --format jsonl -o backup.jsonl
    """
    from clipdiary.formats.cli_support import export_to

    if fmt == "warc":
        from clipdiary.formats.warc_cli import export_warc

        with target.store() as store:
            export_warc(store, output)
        return
    with target.store() as store:
        for note in export_to(store, fmt, output):
            click.echo(f"clipdiary: note: {note}", err=True)
