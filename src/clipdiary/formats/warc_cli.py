"""What ``clipdiary export --format warc`` and ``clipdiary import --format warc`` do and say."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from clipdiary.errors import UsageError
from clipdiary.store import Store

from . import warc


def export_warc(store: Store, output: Path | None) -> None:
    """Write the WARC to ``output`` (whole, then moved into place) or to standard output."""
    if output is None:
        if sys.stdout.isatty():
            raise UsageError("a WARC file is binary: write it with -o FILE.warc.gz")
        report = warc.write(store, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        folder = output.resolve().parent
        if not folder.is_dir():
            raise UsageError(f"no folder {folder} to write {output.name} in")
        handle, temporary = tempfile.mkstemp(prefix=".clipdiary-export-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                report = warc.write(store, out, filename=output.name)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    click.echo(
        f"clipdiary: note: {report.clips} clip(s) and {report.images} image(s) written as WARC",
        err=True,
    )


def import_warc(store: Store, path: Path, *, dry_run: bool, as_json: bool) -> int:
    with path.open("rb") as stream:
        report = warc.read(store, stream, source=str(path), dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return 0
    verb = "would be added" if dry_run else "added"
    click.echo(
        f"{report.clips} page(s) in {path}: {report.added} {verb}, "
        f"{report.already} already in the diary, {len(report.skipped)} skipped."
    )
    for line in report.skipped[:20]:
        click.echo(f"  skipped: {line}")
    if len(report.skipped) > 20:
        click.echo(f"  … and {len(report.skipped) - 20} more")
    return 0
