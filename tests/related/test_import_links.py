"""An import leaves its entries linked: related links are computed in bulk at the end."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from clipdiary.formats.importer import import_file
from clipdiary.related.query import related_of
from clipdiary.store import Store
from tests.related.helpers import ATM_STORY, GEIGER_STORY, new_entry


def _jsonl(store: Store) -> bytes:
    lines = []
    for story, lang, hour in (
        (ATM_STORY, "en", 9),
        (GEIGER_STORY, "en", 10),
        (ATM_STORY, "ja", 11),
    ):
        entry = new_entry(story, lang)
        created = entry.created.replace(hour=hour) if entry.created else None
        assert created is not None
        lines.append(
            json.dumps(
                {
                    "day": created.date().isoformat(),
                    "name": str(int(created.timestamp())),
                    "title": entry.title,
                    "categories": [],
                    "format": "hatena",
                    "body": entry.body,
                    "visibility": "public",
                    "created": created.isoformat(),
                    "updated": created.isoformat(),
                    "source": {
                        "url": entry.source.url if entry.source else None,
                        "site": "Example",
                        "lang": lang,
                        "published": None,
                        "author": None,
                    },
                    "aliases": [],
                    "comments": [],
                },
                ensure_ascii=False,
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_imported_entries_get_their_related_links(store: Store) -> None:
    data = _jsonl(store)

    @contextmanager
    def opener() -> Iterator[BinaryIO]:
        yield io.BytesIO(data)

    report = import_file(store, opener, "jsonl", source="backup.jsonl")
    assert report.added == 3
    assert report.deferred == []  # caught up: nothing left for 'clipdiary relink'
    entries = {e.title: e for e in store.entries(include_private=True)}
    japanese = next(e for e in entries.values() if e.source and e.source.lang == "ja")
    linked = [
        link.title for link in related_of(store, japanese.day, japanese.name, include_private=True)
    ]
    english_atm = next(
        e.title
        for e in entries.values()
        if e.source and e.source.lang == "en" and "26,750" in e.title
    )
    assert linked == [english_atm]
