"""The settings page's import: an uploaded file checked (a dry run) or imported, with the
report on the page.

A dry run keeps the file it checked (``pending_uploads``), so the page can offer to import
that very file, in the format and encoding chosen, without choosing it again; the form
keeps its choices after every answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from clipdiary.errors import ClipdiaryError, UsageError, WrongEncoding
from clipdiary.pages.owner_pages import ImportForm
from clipdiary.web.auth import check_csrf, pages_of, store_of, viewer_of
from clipdiary.web.owner import _require_owner
from clipdiary.web.pending_uploads import PendingUpload, PendingUploads

router = APIRouter(include_in_schema=False)

MAX_IMPORT_BYTES = 100_000_000  # Hatena Blog's own import limit is 100 MB
GONE = "The file checked before is no longer kept (it is kept for an hour): choose it again."


def pending_uploads(request: Request) -> PendingUploads:
    """This diary's kept uploads, in a folder named from its secret (two diaries of the
    same name on one machine never share one)."""
    secret = store_of(request).secret_key.encode("utf-8")
    return PendingUploads(hashlib.sha256(b"uploads:" + secret).hexdigest()[:24])


@router.post("/settings/import", response_model=None)
def import_upload(
    request: Request,
    file: Annotated[UploadFile | None, File()] = None,
    format: Annotated[str, Form()] = "hatena",
    encoding: Annotated[str, Form()] = "",
    dry_run: Annotated[str | None, Form()] = None,
    pending: Annotated[str | None, Form()] = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> HTMLResponse:
    """Check or import an uploaded file, or the file a dry run kept (``pending``)."""
    _require_owner(request)
    check_csrf(request, csrf_token_field)
    kept = pending_uploads(request)
    checked: PendingUpload | None = None
    lines: list[str] = []
    error: str | None = None
    try:
        if pending:
            checked = kept.get(pending)
            if checked is None:
                raise UsageError(GONE)
            format, encoding, dry_run = checked.format, checked.encoding, None
            with checked.path.open("rb") as stream:
                lines = _run(request, stream, checked.name, format, encoding, dry=False)
            kept.forget(checked.id)
            checked = None
        elif file is None or not file.filename:
            raise UsageError("Choose a file to import.")
        else:
            name = Path(file.filename.replace("\\", "/")).name or "upload"
            lines = _run(request, file.file, name, format, encoding, dry=dry_run is not None)
            if dry_run is not None:
                checked = kept.keep(file.file, name=name, format=format, encoding=encoding)
    except ClipdiaryError as exc:
        error = str(exc)
    form = ImportForm(format=format, encoding=encoding, dry_run=dry_run is not None)
    html = pages_of(request).settings(
        viewer_of(request), tokens=store_of(request).tokens(), bookmarklet=None,
        import_lines=lines, import_error=error, import_form=form, pending=checked,
    )  # fmt: skip
    return HTMLResponse(html, status_code=400 if error else 200)


def _run(
    request: Request, stream: BinaryIO, name: str, format: str, encoding: str, *, dry: bool
) -> list[str]:
    """Import (or check) the file in ``stream``; the report's lines."""
    from clipdiary.formats import IMPORT_FORMATS
    from clipdiary.formats.cli_support import fallback_note, report_lines
    from clipdiary.formats.encoding import check_encoding, recoding
    from clipdiary.formats.encoding_hint import encoding_that_reads, with_hint
    from clipdiary.formats.importer import import_file

    if format not in IMPORT_FORMATS:
        raise UsageError(f"unknown format {format!r}")
    stream.seek(0, 2)
    size = stream.tell()
    if size > MAX_IMPORT_BYTES:
        raise UsageError(f"the file is larger than the {MAX_IMPORT_BYTES // 1_000_000} MB limit")

    @contextmanager
    def open_upload() -> Iterator[BinaryIO]:
        stream.seek(0)
        yield stream

    codec = check_encoding(encoding, format) if encoding else None
    opener, fallbacks = recoding(open_upload, codec, name)
    try:
        report = import_file(
            store_of(request),
            opener,
            format,
            source=name,
            size=None if codec else size,
            dry_run=dry,
        )
    except WrongEncoding as exc:
        choice = encoding_that_reads(open_upload, format, codec)
        raise with_hint(exc, choice, _choose_encoding) from exc
    lines = report_lines(report)
    if codec is not None and fallbacks.count:
        lines.append(fallback_note(codec, fallbacks))
    return lines


def _choose_encoding(choice: Any) -> str:
    """The settings page's words for following an encoding hint (its Encoding list)."""
    return f"choose “{choice.label}” under Encoding and import it again"
