"""An import that would fail while writing is refused while reading, so nothing is half
done; one that fails anyway (a full disk) says in one line what was written and that a new
run finishes it (issue 15, items 2b and 2c)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from clipdiary.errors import FormatError, StoreError
from clipdiary.store import Store
from tests.formats.helpers import run_import
from tests.test_cli import run


def _line(n: int, **fields: Any) -> str:
    entry = {
        "day": f"2016-09-{n % 28 + 1:02d}",
        "name": f"e{n}",
        "title": f"entry {n}",
        "body": f"body {n}",
        "created": f"2016-09-{n % 28 + 1:02d}T10:00:00+09:00",
    }
    return json.dumps({**entry, **fields}, ensure_ascii=True)


def _file(count: int, bad_line: int | None = None, **bad: Any) -> str:
    lines = [_line(n, **(bad if n == bad_line else {})) for n in range(1, count + 1)]
    return "\n".join(lines) + "\n"


def test_a_lone_surrogate_on_line_601_writes_nothing(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init")
    damaged = tmp_path / "backup.jsonl"
    # ensure_ascii writes the surrogate as the JSON escape \udfff, as the file had it
    damaged.write_text(_file(601, 601, body="bad \udfff x"), encoding="utf-8")
    refused = run(*where, "import", str(damaged), "--format", "jsonl", ok=False)
    assert "Traceback" not in refused.stderr
    assert refused.stderr.strip().count("\n") == 0
    assert "line 601" in refused.stderr and "U+DFFF" in refused.stderr
    assert "body" in refused.stderr
    assert json.loads(run(*where, "list", "--json").stdout) == []


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("created", "0000-01-01T00:00:00+09:00", "created"),
        ("title", "x\udc00", "title"),
        ("categories", ["ok", "\ud800"], "category"),
    ],
)
def test_values_the_database_refuses_stop_the_first_pass(
    store: Store, field: str, value: Any, said: str
) -> None:
    with pytest.raises(FormatError, match=said):
        run_import(store, _file(10, 7, **{field: value}), "jsonl", batch_size=3)
    assert store.count_entries(include_private=True) == 0


def test_nul_characters_are_taken_out_with_a_note(store: Store) -> None:
    """PostgreSQL refuses NUL in text: on both databases the entry imports without it."""
    report = run_import(store, _file(3, 2, title="a\x00b", body="c\x00d\x00"), "jsonl")
    assert report.added == 3
    entry = store.get_entry(store.entries(include_private=True)[1].day, "e2")
    assert (entry.title, entry.body) == ("ab", "cd")
    notes = [n.message for n in report.repaired]
    assert "removed 1 NUL character(s) from the title" in notes
    assert "removed 2 NUL character(s) from the body" in notes


def test_an_absurd_title_is_cut_with_a_note(store: Store) -> None:
    report = run_import(store, _file(2, 1, title="長" * 200_000), "jsonl")
    assert report.added == 2
    kept = next(e for e in store.entries(include_private=True) if e.name == "e1")
    assert kept.title == "長" * 1000
    assert any("cut to 1,000" in n.message for n in report.repaired)


def test_a_full_disk_says_what_was_written_and_a_new_run_finishes(
    tmp_path: Path,
) -> None:
    """SQLite's own 'database or disk is full', from a page limit set on every connection."""
    folder = tmp_path / "d"
    where = ["--diary", str(folder)]
    run(*where, "init")
    backup = tmp_path / "backup.jsonl"
    backup.write_text(_file(400, None), encoding="utf-8")
    from clipdiary.store import open_store

    store = open_store(folder, None, None)
    try:
        pages = store.database.engine.connect().exec_driver_sql("PRAGMA page_count").scalar()
        assert isinstance(pages, int)

        @sa.event.listens_for(store.database.engine, "connect")
        def small_disk(dbapi: Any, record: Any) -> None:
            dbapi.execute(f"PRAGMA max_page_count = {pages + 25}")

        store.database.engine.dispose()  # every connection from now on has the small disk
        with pytest.raises(StoreError) as failed:
            run_import(store, backup.read_text("utf-8"), "jsonl", batch_size=50)
        message = str(failed.value)
        assert "\n" not in message
        assert "writing failed at" in message and "running the same import again" in message
        written = store.count_entries(include_private=True)
        assert 0 < written < 400 and f"{written} entries of earlier batches were" in message
    finally:
        store.database.close()
    added = run(*where, "import", str(backup), "--format", "jsonl", "--json")
    assert json.loads(added.stdout)["added"] == 400 - written
    assert len(json.loads(run(*where, "list", "--json", "--limit", "5000").stdout)) == 400
