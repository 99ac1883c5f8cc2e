"""Hatena Diary XML in: days cut into entries at their sections, names and comments kept."""

from __future__ import annotations

import datetime as dt

from clipdiary.store import Store
from tests.formats.helpers import run_import
from tests.formats.samples import HATENA_XML

DAY = dt.date(2016, 9, 5)


def test_a_day_is_cut_into_entries_at_its_sections(store: Store) -> None:
    report = run_import(store, HATENA_XML, "hatena")
    assert report.added == 7 and report.already == 0 and report.skipped_count == 0
    page = store.day_page(DAY, include_private=False)
    assert page.title == "シリア"
    assert [e.name for e in page.entries] == ["p0", "1473071774", "1473073574", "hobby"]
    lead, putin_ja, putin_en, hobby = page.entries
    assert lead.title == "" and lead.body == "朝に書いた前置き。"
    assert putin_ja.categories == ("Russia", "Syria")
    assert putin_ja.title == "プーチン大統領、シリア停戦で合意の可能性"
    assert putin_ja.body == "一行目\n**小見出し\n>>\n引用 & 注意 <b>\n<<"
    assert putin_ja.created == dt.datetime.fromtimestamp(1473071774, tz=dt.UTC)
    assert putin_en.title == "Putin: Russia & US may reach agreement on Syria"
    assert hobby.title == "趣味" and hobby.body == "ギター"
    assert [(c.author, c.body) for c in page.comments] == [
        ("someid", "なるほど"),
        ("guest", "two\nlines"),
    ]
    assert page.comments[0].created == dt.datetime.fromtimestamp(1473080000, tz=dt.UTC)
    old = store.day_page(dt.date(2004, 1, 2), include_private=False)
    assert [(e.name, e.title, e.body) for e in old.entries] == [
        ("p1", "一つ目", "本文"),
        ("p2", "二つ目", ""),
        ("p3", "見出しだけ", "名前なし"),
    ]


def test_running_it_again_adds_nothing_and_says_so(store: Store) -> None:
    run_import(store, HATENA_XML, "hatena", batch_size=2)
    again = run_import(store, HATENA_XML, "hatena", batch_size=2)
    assert again.added == 0 and again.already == 7 and again.comments == 0
    assert store.count_entries(include_private=True) == 7
    assert len(store.day_page(DAY, include_private=False).comments) == 2


def test_a_dry_run_writes_nothing(store: Store) -> None:
    report = run_import(store, HATENA_XML, "hatena", dry_run=True)
    assert report.dry_run and report.entries == 7 and report.added == 7
    assert store.count_entries(include_private=True) == 0


def test_invalid_characters_are_removed_and_reported(store: Store) -> None:
    damaged = HATENA_XML.replace("一行目", "一行&#65535;目\x01").replace("ギター", "AT&T ギター")
    report = run_import(store, damaged, "hatena")
    assert report.added == 7
    entry = store.get_entry(DAY, "1473071774")
    assert entry.body.startswith("一行目\n")
    messages = [n.message for n in report.repaired]
    assert any("&#65535;" in m and "removed 2" in m for m in messages), messages
    assert any(n.where.startswith("line ") and "repaired" in n.message for n in report.repaired)


def test_a_section_name_twice_on_one_day_is_skipped_with_its_place(store: Store) -> None:
    doubled = HATENA_XML.replace("*hobby*趣味", "*1473073574*again")
    report = run_import(store, doubled, "hatena")
    assert report.added == 6
    assert report.skipped[0].where.startswith("line 3, 2016-09-05 section 4")
    assert "second section named '1473073574'" in report.skipped[0].message
