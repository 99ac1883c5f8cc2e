"""Bookmarks and JSON Lines in."""

from __future__ import annotations

import datetime as dt
import json

from clipdiary.store import Store
from tests.formats.helpers import run_export, run_import
from tests.formats.samples import BOOKMARKS, HATENA_XML

DAY = dt.date(2016, 9, 5)


def test_each_bookmark_becomes_a_link_entry_on_the_day_it_was_added(store: Store) -> None:
    report = run_import(store, BOOKMARKS, "bookmarks")
    assert report.added == 2
    rt, nhk = store.entries(include_private=True, day=DAY)
    assert (rt.name, nhk.name) == ("1473071774", "1473071775")  # one second apart
    assert rt.title == "Putin: Russia & US" and rt.categories == ("russia", "syria")
    assert rt.body == (
        "Read after the G20 summit.\nSecond line.\n\n"
        "[https://www.rt.com/news/358290-putin-syria-us-agreement/:title=Putin: Russia & US]"
    )
    assert rt.source is not None and rt.source.url.startswith("https://www.rt.com/")
    assert nhk.visibility == "private" and nhk.title == "NHK [速報]"
    assert "［速報］" in nhk.body
    reasons = {n.where: n.message for n in report.skipped}
    assert any("not a web address" in r for r in reasons.values())
    assert any("no ADD_DATE" in r for r in reasons.values())
    assert all(w.startswith("line ") for w in reasons)


def test_json_lines_lines_are_the_entry_json_shape(store: Store) -> None:
    run_import(store, HATENA_XML, "hatena")
    text, notes = run_export(store, "jsonl")
    assert notes == []
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["day"] == "2004-01-02"  # oldest first
    day = next(line for line in lines if line.get("kind") == "day")
    assert day["kind"] == "day" and day["title"] == "シリア" and len(day["comments"]) == 2
    entry = next(line for line in lines if line.get("name") == "1473071774")
    assert set(entry) == {
        "day", "name", "title", "categories", "format", "body", "visibility", "created",
        "updated", "source", "aliases", "comments",
    }  # fmt: skip
    assert entry["created"] == "2016-09-05T19:36:14+09:00"
