"""Running the importer and exporter over bytes, as the command line does over files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from clipdiary.formats.exporter import export_diary
from clipdiary.formats.importer import ImportReport, import_file
from clipdiary.store import Store


def run_import(
    store: Store, data: bytes | str, fmt: str, *, dry_run: bool = False, batch_size: int = 500
) -> ImportReport:
    raw = data.encode("utf-8") if isinstance(data, str) else data

    @contextmanager
    def open_bytes() -> Iterator[BinaryIO]:
        yield io.BytesIO(raw)

    return import_file(
        store, open_bytes, fmt, source="sample", dry_run=dry_run, batch_size=batch_size
    )


def run_export(store: Store, fmt: str) -> tuple[str, list[str]]:
    out = io.StringIO()
    notes = export_diary(store, fmt, out)
    return out.getvalue(), notes
