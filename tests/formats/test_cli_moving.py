"""``clipdiary import`` and ``clipdiary export`` as a user runs them: real processes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.formats.samples import HATENA_XML, MT_EXPORT
from tests.test_cli import run


def test_import_twice_dry_run_and_export_from_the_command_line(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init", "--name", "d1021", "--day-starts-at", "6")
    xml = tmp_path / "d1021.xml"
    xml.write_text(HATENA_XML.replace("ギター", "ギター&#65535;"), encoding="utf-8")

    checked = run(*where, "import", str(xml), "--format", "hatena", "--dry-run").stdout
    assert checked.startswith(f"Dry run: 7 entries in {xml}; 7 would be added")
    assert run(*where, "list").stdout == ""

    first = run(*where, "import", str(xml), "--format", "hatena").stdout
    assert first.startswith(f"Imported 7 entries from {xml} (hatena); 0 already in the diary;")
    assert "1 day title(s) and 2 comment(s) added" in first
    assert "Repaired (1):" in first and "&#65535;" in first
    again = run(*where, "import", str(xml), "--format", "hatena", "--json").stdout
    report = json.loads(again)
    assert (report["added"], report["already"], report["comments"]) == (0, 7, 0)

    shown = run(*where, "show", "20160905/hobby").stdout
    assert "趣味" in shown and "ギター" in shown

    out = tmp_path / "backup.jsonl"
    run(*where, "export", "--format", "jsonl", "-o", str(out))
    assert sum(1 for line in out.read_text(encoding="utf-8").splitlines() if '"name"' in line) == 7
    exported = run(*where, "export", "--format", "hatena")
    assert exported.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<diary>\n')

    copy = ["--diary", str(tmp_path / "copy")]
    run(*copy, "init", "--name", "d1021", "--day-starts-at", "6")
    restored = run(*copy, "import", str(out), "--format", "jsonl").stdout
    assert restored.startswith(f"Imported 7 entries from {out} (jsonl)")
    assert run(*copy, "export", "--format", "jsonl").stdout == out.read_text(encoding="utf-8")


def test_a_broken_file_is_one_line_on_stderr_and_changes_nothing(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init")
    broken = tmp_path / "blog.export.txt"
    broken.write_text(MT_EXPORT.replace("20:41:58", "25:41:58"), encoding="utf-8")
    failed = run(*where, "import", str(broken), "--format", "mt", ok=False)
    assert failed.returncode == 1
    assert failed.stderr == (
        f"clipdiary: error: {broken}:31: bad DATE '04/22/2017 25:41:58': "
        "expected MM/DD/YYYY hh:mm:ss AM|PM or MM/DD/YYYY HH:MM:SS\n"
    )
    assert run(*where, "list").stdout == ""
    wrong = run(*where, "import", str(broken), "--format", "jsonl", ok=False)
    assert wrong.stderr.startswith(f"clipdiary: error: {broken}:1: not JSON")
    fetch = run(*where, "import", str(broken), "--format", "mt", "--fetch", ok=False)
    assert "--fetch works with --format bookmarks only" in fetch.stderr


def test_a_file_in_another_encoding_is_read_with_encoding(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init", "--name", "d1021")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(MT_EXPORT.encode("euc_jp"))

    refused = run(*where, "import", str(legacy), "--format", "mt", ok=False)
    assert refused.returncode == 1
    assert "the file is not UTF-8" in refused.stderr and "--encoding" in refused.stderr

    done = run(*where, "import", str(legacy), "--format", "mt", "--encoding", "EUC-JP", "--json")
    assert json.loads(done.stdout)["added"] == 3
    shown = run(*where, "show", "20170409/1491734979").stdout
    assert "風邪で声を失った話" in shown


def test_a_wrong_or_unknown_encoding_is_a_clear_error(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init", "--name", "d1021")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(b"AUTHOR: a\nTITLE: t\n" + b"BODY: \x81\x8d\n")  # undefined in cp1252
    wrong = run(*where, "import", str(legacy), "--format", "mt", "--encoding", "cp1252", ok=False)
    assert "legacy.txt:3: the file is not cp1252: byte 0x81" in wrong.stderr
    unknown = run(
        *where, "import", str(legacy), "--format", "mt", "--encoding", "klingon", ok=False
    )
    assert "unknown encoding 'klingon'" in unknown.stderr
    xml = run(*where, "import", str(legacy), "--format", "hatena", "--encoding", "cp1252", ok=False)
    assert "names its encoding in its first line" in xml.stderr
    assert run(*where, "list").stdout == ""


def test_utf8_with_stray_windows_1252_bytes_reads_with_two_encodings(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init", "--name", "d1021")
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(
        b"AUTHOR: a\nTITLE: \xe2\x80\x9cQuoted\xe2\x80\x9d and \xabguillemets\xbb\n"
        b"DATE: 01/02/2005 10:00:00\n-----\nBODY:\n<p>caf\xc3\xa9 \x93smart\x94</p>\n"
        b"-----\n--------\n"
    )
    mt = ["import", str(mixed), "--format", "mt"]
    assert "is not UTF-8" in run(*where, *mt, ok=False).stderr
    done = run(*where, *mt, "--encoding", "utf-8,cp1252", "--json")
    assert json.loads(done.stdout)["added"] == 1
    assert "4 byte(s) not in utf-8 were read as cp1252: line 2 (ab), line 2 (bb)" in done.stderr
    shown = json.loads(run(*where, "list", "--json").stdout)
    assert shown[0]["title"] == "“Quoted” and «guillemets»"


def test_day_titles_come_in_as_the_old_diary_had_them(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init", "--name", "d1021")
    backup = tmp_path / "backup.jsonl"
    long_title = "長い題 " * 60  # longer than the forms allow, as old diaries could have
    lines = [
        {"kind": "day", "day": "2016-09-05", "title": "会談  の日\n続き"},
        {"kind": "day", "day": "2016-09-06", "title": long_title},
        {"title": "x", "day": "2016-09-05", "name": "p1", "body": "b",
         "created": "2016-09-05T10:00:00+09:00"},
        {"title": "y", "day": "2016-09-06", "name": "p1", "body": "b",
         "created": "2016-09-06T10:00:00+09:00"},
    ]  # fmt: skip
    backup.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    first = json.loads(run(*where, "import", str(backup), "--format", "jsonl", "--json").stdout)
    assert first["added"] == 2 and first["day_titles"] == 2
    again = json.loads(run(*where, "import", str(backup), "--format", "jsonl", "--json").stdout)
    assert again["added"] == 0 and again["day_titles"] == 0  # nothing new the second time
    assert run(*where, "day-title", "20160905").stdout == "会談  の日\n続き\n"
