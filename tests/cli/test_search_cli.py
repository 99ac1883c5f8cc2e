"""``clipdiary search`` as a user types it: a query may begin with "-", and the last dates
answer like any other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import run


@pytest.fixture
def diary(tmp_path: Path) -> list[str]:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init", "--name", "d1021")
    for title, at in (("Trump summit", "09:00"), ("Tokyo summit", "10:00")):
        run(*where, "add", "--title", title, "--at", f"2016-09-05T{at}:00+09:00", stdin="x\n")
    return where


def test_a_query_may_begin_with_an_excluded_word(diary: list[str]) -> None:
    data = json.loads(run(*diary, "search", "-Trump summit", "--json").stdout)
    assert [hit["title"] for hit in data["results"]] == ["Tokyo summit"]
    for args in (
        ("search", "-Trump summit"),
        ("search", "-n", "5", "-Trump summit"),
        ("search", "-Trump summit", "--sort", "date", *diary),
        ("search", "--", "-Trump summit"),
    ):
        found = run(*diary, *args)
        assert "Tokyo summit" in found.stdout, args
        assert "Trump summit" not in found.stdout, args
    assert "No such option" in run(*diary, "search", "--bogus", "x", ok=False).stderr


@pytest.mark.parametrize("query", ["to:9999-12", "summit to:9999", "summit to:9999-12-31"])
def test_the_last_dates_are_searched_not_a_traceback(diary: list[str], query: str) -> None:
    found = run(*diary, "search", query)
    assert found.stderr == ""
    assert "2 results" in found.stdout or "summit" in found.stdout


def test_a_date_no_calendar_holds_is_one_line(diary: list[str]) -> None:
    refused = run(*diary, "search", "to:10000-01", ok=False)
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
