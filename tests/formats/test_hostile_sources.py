"""Imports that name a source address which is not http(s): refused before anything is
written (JSON Lines, whose source is data), or left out with a note (a bookmarklet in a
bookmarks file, as browsers export them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clipdiary.errors import FormatError
from clipdiary.store import Store
from tests.formats.helpers import run_import
from tests.hostile import HOSTILE_URLS
from tests.test_cli import run

BOOKMARKLETS = ("JaVaScRiPt:alert(1)", "java&#10;script:alert(1)", " javascript:alert(1)")


def _line(name: str, url: str) -> str:
    entry = {
        "day": "2016-09-05",
        "name": name,
        "title": f"entry {name}",
        "created": "2016-09-05T19:36:14+09:00",
        "source": {"url": url, "site": "Site"},
    }
    return json.dumps(entry, ensure_ascii=False) + "\n"


def _jsonl(hostile: str) -> str:
    return (
        _line("p1", "https://news.example.com/1")
        + _line("p2", "https://x.example/2")
        + (_line("p3", hostile))
    )


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_jsonl_source_that_is_not_http_stops_the_import_at_its_line(
    store: Store, url: str
) -> None:
    with pytest.raises(FormatError, match=r"^sample:3: 'source\.url' must be an http\(s\) address"):
        run_import(store, _jsonl(url), "jsonl")
    assert store.count_entries(include_private=True) == 0


def test_the_command_line_says_which_line_and_writes_nothing(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init", "--name", "d1021")
    backup = tmp_path / "backup.jsonl"
    backup.write_text(_jsonl("JaVaScRiPt:alert(document.cookie)"), encoding="utf-8")
    refused = run(*where, "import", str(backup), "--format", "jsonl", ok=False)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"clipdiary: error: {backup}:3: 'source.url' must be an http(s) address (https://…), "
        "not 'JaVaScRiPt:alert(document.cookie)'\n"
    )
    assert run(*where, "list").stdout == ""


def test_bookmarklets_in_any_spelling_are_left_out_with_a_note(store: Store) -> None:
    marks = "".join(
        f'<DT><A HREF="{href}" ADD_DATE="{1473071774 + k}">mark {k}</A>\n'
        for k, href in enumerate((*BOOKMARKLETS, "https://news.example.com/kept"))
    )
    data = f"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n{marks}</DL>"
    report = run_import(store, data, "bookmarks")
    assert report.added == 1
    assert [n.message.split(":")[0] for n in report.skipped] == ["not a web address"] * 3
    (kept,) = store.entries(include_private=True)
    assert kept.source is not None and kept.source.url == "https://news.example.com/kept"
