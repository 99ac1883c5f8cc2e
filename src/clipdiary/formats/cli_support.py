"""What ``clipdiary import`` and ``clipdiary export`` print, kept out of ``cli.py``."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import click

from clipdiary.errors import UsageError, WrongEncoding
from clipdiary.store import Store

from .encoding import Encoding, Fallbacks, check_encoding, recoding
from .exporter import export_diary
from .importer import ImportReport, Note, import_file
from .progress import NoProgress, ProgressSink, progress_for_terminal

SHOWN = 20  # skipped / repaired lines printed before "… and N more"


def import_and_report(
    store: Store,
    path: Path,
    fmt: str,
    *,
    dry_run: bool,
    fetch: bool,
    as_json: bool,
    encoding: str | None = None,
) -> int:
    """Run the import, print what happened; the exit status (130 when interrupted).
    ``encoding`` names the file's encoding when it is not UTF-8."""
    codec = check_encoding(encoding, fmt) if encoding else None

    @contextmanager
    def open_file() -> Iterator[BinaryIO]:
        with path.open("rb") as stream:
            yield stream

    opener, fallbacks = recoding(open_file, codec, str(path))

    progress: ProgressSink = NoProgress() if as_json else progress_for_terminal()
    try:
        if fetch and not dry_run:
            from .fetching import fetch_bookmarks

            report = fetch_bookmarks(store, opener, source=str(path), progress=progress)
        else:
            report = import_file(
                store,
                opener,
                fmt,
                source=str(path),
                # Recoded, the stream is not the file's bytes: progress goes by entries.
                size=None if codec else path.stat().st_size,
                dry_run=dry_run,
                progress=progress,
            )
    except WrongEncoding as exc:
        from .encoding_hint import encoding_that_reads, with_hint

        choice = encoding_that_reads(open_file, fmt, codec)
        raise with_hint(exc, choice, lambda c: f"import it with --encoding {c.name}") from exc
    finally:
        progress.close()
    if codec is not None and fallbacks.count:
        click.echo(f"clipdiary: note: {fallback_note(codec, fallbacks)}", err=True)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for line in report_lines(report):
            click.echo(line)
    return 130 if report.interrupted else 0


def fallback_note(codec: Encoding, found: Fallbacks) -> str:
    """How many bytes were read with the fallback encoding, and where the first were."""
    where = ", ".join(f"line {line} ({bad.hex(' ')})" for line, bad in found.first)
    more = ", …" if found.runs > len(found.first) else ""
    return f"{found.count} byte(s) not in {codec.name} were read as {codec.fallback}: {where}{more}"


def report_lines(report: ImportReport) -> list[str]:
    """The report as a person reads it."""
    lines: list[str] = []
    if report.dry_run:
        lines.append(
            f"Dry run: {report.entries} entries in {report.source}; {report.added} would be "
            f"added, {report.already} are in the diary already. Nothing was written."
        )
    else:
        lines.append(
            f"Imported {report.added} entr{'y' if report.added == 1 else 'ies'} "
            f"from {report.source} ({report.format}); "
            f"{report.already} already in the diary; "
            f"{report.day_titles} day title(s) and {report.comments} comment(s) added."
        )
    if report.stories or report.apart:
        stories = f"{report.stories} stor{'y' if report.stories == 1 else 'ies'}"
        pairs = f"{report.apart} pair{'' if report.apart == 1 else 's'} of entries kept apart"
        verb = "would be restored" if report.dry_run else "restored"
        lines.append(f"Stories: {stories} and {pairs} {verb}.")
    not_imported = "would not be imported" if report.dry_run else "not imported"
    lines += _notes(f"Skipped, {not_imported}", report.skipped, report.skipped_count)
    lines += _notes("Imported with a change", report.changed, report.changed_count)
    lines += _notes("Repaired", report.repaired, report.repaired_count)
    if report.deferred and report.added:
        lines.append(
            "Related links of the new entries are not computed yet: run 'clipdiary relink'."
        )
    if report.interrupted:
        lines.append(
            "Interrupted: the batches above are in the diary; run the same command again "
            "to import the rest."
        )
    return lines


def _notes(heading: str, notes: list[Note], count: int) -> list[str]:
    if not count:
        return []
    lines = [f"{heading} ({count}):"]
    lines += [f"  {n.where}: {n.message}" for n in notes[:SHOWN]]
    if count > SHOWN:
        lines.append(f"  … and {count - SHOWN} more")
    return lines


def export_to(store: Store, fmt: str, output: Path | None) -> list[str]:
    """Export to a file (written whole, then moved into place) or to standard output."""
    progress = progress_for_terminal() if output is not None else NoProgress()
    try:
        if output is None:
            stdout = open(  # noqa: SIM115 - wraps stdout, closed below without closing it
                sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False
            )
            try:
                return export_diary(store, fmt, stdout, progress=progress)
            finally:
                stdout.close()
        folder = output.resolve().parent
        if not folder.is_dir():
            raise UsageError(f"no folder {folder} to write {output.name} in")
        handle, temporary = tempfile.mkstemp(prefix=".clipdiary-export-", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                notes = export_diary(store, fmt, out, progress=progress)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return notes
    finally:
        progress.close()
