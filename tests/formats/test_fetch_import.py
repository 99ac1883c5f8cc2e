"""``clipdiary import --format bookmarks --fetch`` as a user runs it: each bookmark's page
fetched from a real server on loopback and clipped, its privacy kept, and a report that
names what became of each."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clip.clip_server import MANIFEST, running_server
from tests.test_cli import run

EN = next(e for e in MANIFEST if e["lang"] == "en")
JA = next(e for e in MANIFEST if e["lang"] == "ja")
ALLOW = {"CLIPDIARY_ALLOW_PRIVATE_ADDRESSES": "1"}


def bookmarks(*links: tuple[str, int, bool, str]) -> str:
    rows = "".join(
        f'    <DT><A HREF="{url}" ADD_DATE="{added}" PRIVATE="{int(private)}">{title}</A>\n'
        for url, added, private, title in links
    )
    return (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n'
        f"<TITLE>Bookmarks</TITLE>\n<DL><p>\n{rows}</DL><p>\n"
    )


def test_fetched_bookmarks_keep_their_privacy_and_the_report_says_what_each_became(
    tmp_path: Path,
) -> None:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init", "--name", "d1021", "--timezone", "Asia/Tokyo")
    with running_server() as server:
        missing = server.url("/status/404")
        file = tmp_path / "bookmarks.html"
        file.write_text(
            bookmarks(
                (server.url(f"/demo/{EN['file']}"), 1572600000, True, "private article"),
                (server.url(f"/demo/{JA['file']}"), 1572603600, False, "public article"),
                (missing, 1572607200, True, "a page that is gone"),
                ("javascript:alert(1)", 1572610800, False, "a bookmarklet"),
            ),
            encoding="utf-8",
        )
        imported = run(*where, "import", str(file), "--format", "bookmarks", "--fetch", env=ALLOW)

    listed = {e["title"]: e for e in json.loads(run(*where, "list", "--json").stdout)}
    assert listed[EN["title"]]["visibility"] == "private"  # clipped, and still private
    assert listed[EN["title"]]["source"]["url"].endswith(EN["file"])
    assert listed[JA["title"]]["visibility"] == "public"
    assert listed["a page that is gone"]["visibility"] == "private"  # kept as a link
    text = run(*where, "list").stdout
    assert f"{EN['title']}  (private)" in text and f"{JA['title']}  (private)" not in text

    # Three are in the diary; only the one that is not is reported as skipped.
    report = imported.stdout
    assert report.startswith(f"Imported 3 entries from {file} (bookmarks); 0 already")
    assert "Skipped, not imported (1):\n  line 8: not a web address: 'javascript:alert(1)'\n" in (
        report
    )
    assert "Imported with a change (1):" in report
    assert f"  line 7: not clipped, kept as a link: cannot fetch {missing}: HTTP 404" in report
