"""Moving diaries in and out: one module per exchange format, each a streaming ``read``
(file → items, see ``items``) and a ``write`` (days → file).

    hatena     Hatena Diary XML            hatena_xml.py
    mt         Movable Type / Hatena Blog  movabletype.py
    bookmarks  Netscape bookmark HTML      bookmarks.py
    jsonl      JSON Lines (the backup)     jsonl.py

``importer`` brings a file into a store (checked first, then written in batches);
``exporter`` writes a store out.
"""

from __future__ import annotations

from clipdiary.errors import UsageError

from . import bookmarks, hatena_xml, jsonl, movabletype
from .items import Reader, Writer

READERS: dict[str, Reader] = {
    "hatena": hatena_xml.read,
    "mt": movabletype.read,
    "bookmarks": bookmarks.read,
    "jsonl": jsonl.read,
}
WRITERS: dict[str, Writer] = {
    "hatena": hatena_xml.write,
    "mt": movabletype.write,
    "bookmarks": bookmarks.write,
    "jsonl": jsonl.write,
}
IMPORT_FORMATS = tuple(READERS)
EXPORT_FORMATS = tuple(WRITERS)
SUFFIXES = {"hatena": ".xml", "mt": ".export.txt", "bookmarks": ".html", "jsonl": ".jsonl"}


def reader_for(fmt: str) -> Reader:
    try:
        return READERS[fmt]
    except KeyError:
        raise UsageError(
            f"unknown import format {fmt!r}: use {', '.join(IMPORT_FORMATS)}"
        ) from None


def writer_for(fmt: str) -> Writer:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise UsageError(
            f"unknown export format {fmt!r}: use {', '.join(EXPORT_FORMATS)}"
        ) from None
