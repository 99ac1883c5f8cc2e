"""Hostile and broken files: a clear error naming the place, and nothing written."""

from __future__ import annotations

import pytest

from clipdiary.errors import FormatError
from clipdiary.store import Store
from tests.formats.helpers import run_import
from tests.formats.samples import BOOKMARKS, HATENA_XML, MT_EXPORT

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


@pytest.mark.parametrize(
    ("data", "fmt", "expected"),
    [
        (HATENA_XML[:400], "hatena", r"sample:24: a tag is not closed \(truncated\?\)"),
        (HATENA_XML[:300], "hatena", r"sample:\d+: the file ends .*\(truncated\?\)"),
        (HATENA_XML.encode("shift_jis"), "hatena", r"sample:\d+: bytes that are not in"),
        (PNG, "hatena", "sample:1: this is a binary file"),
        (b"", "hatena", "sample:1: the file is empty"),
        ("<html><body>hi</body></html>", "hatena", "sample:1: no <diary> element"),
        (
            HATENA_XML.replace("&gt;&gt;", "<<"),
            "hatena",
            r"sample:10: the XML is damaged: StartTag",
        ),
        (
            MT_EXPORT.replace("DATE: 04/22/2017 20:41:58\n", ""),
            "mt",
            "sample:25: the entry '下書き' has no DATE",
        ),
        (
            MT_EXPORT.replace("20:41:58", "25:41:58"),
            "mt",
            "sample:31: bad DATE '04/22/2017 25:41:58'",
        ),
        (MT_EXPORT.replace("07:49:39 PM", "19:49:39 PM"), "mt", "sample:7: bad DATE"),
        (MT_EXPORT[:700], "mt", r"sample:\d+: the last entry \(from line 37\) does not end"),
        (MT_EXPORT.encode("euc_jp"), "mt", r"sample:2: the file is not UTF-8"),
        ("just some text\n", "mt", "sample:1: expected 'KEY: VALUE'"),
        (PNG, "mt", "sample:1: this is a binary file"),
        (BOOKMARKS.encode("shift_jis"), "bookmarks", r"sample:\d+: the file is not UTF-8"),
        ("hello", "bookmarks", "sample:1: no bookmarks"),
        ('{"day": "2016-09-05"}\n', "jsonl", "sample:1: 'name' is missing"),
        ('{"day": "x", "name": "p1", "created": "2016-09-05T00:00:00"}', "jsonl", "sample:1: 'day"),
        ('\n\n{"name": ', "jsonl", "sample:3: not JSON"),
        ("[1]", "jsonl", "sample:1: each line must be a JSON object"),
    ],
)
def test_a_damaged_file_stops_with_its_place_and_writes_nothing(
    store: Store, data: str | bytes, fmt: str, expected: str
) -> None:
    with pytest.raises(FormatError, match=expected):
        run_import(store, data, fmt)
    assert store.count_entries(include_private=True) == 0
    assert store.day_extras([]) == ({}, {})


def test_a_store_error_in_a_batch_rolls_that_batch_back(store: Store) -> None:
    good = '{"day": "2016-09-05", "name": "p1", "created": "2016-09-05T10:00:00+09:00"}\n'
    bad = '{"day": "2016-09-06", "name": "p1", "created": "2016-09-06T10:00:00+09:00",'
    bad += ' "aliases": ["/x"], "categories": []}\n'
    clash = bad.replace("2016-09-06", "2016-09-07")  # the same alias on another entry is fine
    report = run_import(store, good + bad + clash, "jsonl", batch_size=1)
    assert report.added == 3 and report.skipped_count == 0  # imported, all three
    assert report.changed_count == 1 and "was imported without it" in report.changed[0].message
    assert store.count_entries(include_private=True) == 3
