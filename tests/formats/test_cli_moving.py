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
    assert "Repaired 1:" in first and "&#65535;" in first
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
