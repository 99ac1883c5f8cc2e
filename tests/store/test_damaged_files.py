"""A diary.db that is not a diary — text, random bytes, truncated, empty, somebody else's
SQLite database — is refused in one line by every verb, and left byte for byte as it was
(issue 15, item 3)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_cli import run


def _text(db: Path) -> None:
    db.write_text("these are my notes, not a database\n")


def _random(db: Path) -> None:
    db.write_bytes(os.urandom(64_000))


def _empty(db: Path) -> None:
    db.write_bytes(b"")


def _foreign(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('miso soup')")
    conn.commit()
    conn.close()


def _no_tables(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.commit()
    conn.close()


DAMAGES: dict[str, Callable[[Path], None]] = {
    "text": _text,
    "random bytes": _random,
    "zero bytes": _empty,
    "foreign SQLite": _foreign,
    "SQLite with no tables": _no_tables,
}
VERBS = [["list"], ["export", "--format", "jsonl"]]


@pytest.fixture(scope="module")
def truncated(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("whole") / "d"
    run("--diary", str(folder), "init")
    run("--diary", str(folder), "add", "--title", "summit", stdin="body\n")
    run("--diary", str(folder), "list")  # checkpoint: the pages are in the file
    return (folder / "diary.db").read_bytes()[:3000]


@pytest.mark.parametrize("damage", [*DAMAGES, "truncated"])
def test_a_damaged_diary_file_is_refused_in_one_line_and_not_changed(
    tmp_path: Path, damage: str, truncated: bytes
) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    db = folder / "diary.db"
    if damage == "truncated":
        db.write_bytes(truncated)
    else:
        DAMAGES[damage](db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for verb in VERBS:
        refused = run("--diary", str(folder), *verb, ok=False)
        assert "Traceback" not in refused.stderr, (damage, verb, refused.stderr)
        assert refused.stderr.strip().count("\n") == 0, (damage, verb, refused.stderr)
        assert refused.stderr.startswith("clipdiary: error: "), (damage, verb)
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before, (damage, verb)
    assert not db.with_name("diary.db-journal").exists()


def test_init_makes_a_diary_in_an_empty_file_but_not_in_a_foreign_one(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "diary.db").write_bytes(b"")
    run("--diary", str(empty), "init")
    assert run("--diary", str(empty), "list").returncode == 0
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    _foreign(foreign / "diary.db")
    before = (foreign / "diary.db").read_bytes()
    refused = run("--diary", str(foreign), "init", ok=False)
    assert "not a clipdiary diary" in refused.stderr and "recipes" in refused.stderr
    assert (foreign / "diary.db").read_bytes() == before
