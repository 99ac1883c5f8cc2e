"""Movable Type (Hatena Blog's export) in."""

from __future__ import annotations

import datetime as dt

from clipdiary.store import Store
from tests.formats.helpers import run_import
from tests.formats.samples import MT_EXPORT

JST = dt.timezone(dt.timedelta(hours=9))


def test_entries_keep_their_fields_and_hatena_blog_addresses(store: Store) -> None:
    report = run_import(store, MT_EXPORT, "mt")
    assert (report.added, report.skipped_count) == (3, 0)
    cold = store.get_entry(dt.date(2017, 4, 9), "1491734979")
    assert cold.title == "風邪で声を失った話 & 回復"
    assert cold.created == dt.datetime(2017, 4, 9, 19, 49, 39, tzinfo=JST)  # 07:49:39 PM
    assert cold.categories == ("日常", "健康")
    assert cold.format == "html" and cold.visibility == "public"
    assert cold.body == (
        '<figure class="eyecatch"><img src="https://cdn-ak.f.st-hatena.com/images/fotolife/u/'
        'user/20170409/20170409194939.jpg" alt=""></figure>\n'
        "<p>bodybodybody</p>\n<!-- more -->\n<p>extended body body body</p>"
    )
    assert cold.aliases == ("/entry/2017/04/09/194939",)
    assert [(c.author, c.body) for c in cold.comments] == [
        ("Foo", "ここに\nこのコメントの本文が来ます。")
    ]
    assert cold.comments[0].created == dt.datetime(2017, 4, 10, 15, 47, 6, tzinfo=JST)
    draft = store.get_entry(dt.date(2017, 4, 22), "1492861318")
    assert draft.visibility == "private"  # STATUS: Draft
    assert draft.created == dt.datetime(2017, 4, 22, 20, 41, 58, tzinfo=JST)  # 24-hour DATE
    old = store.get_entry(dt.date(2008, 3, 20), "1206011148")  # BASENAME 20080320/1206011148
    assert old.categories == ("移行",) and old.aliases == ()


def test_two_entries_in_one_second_get_the_next_free_second(store: Store) -> None:
    twice = MT_EXPORT.replace("04/22/2017 20:41:58", "04/09/2017 19:49:39")
    run_import(store, twice, "mt")
    names = [e.name for e in store.entries(include_private=True, day=dt.date(2017, 4, 9))]
    assert names == ["1491734979", "1491734980"]
    again = run_import(store, twice, "mt")
    assert (again.added, again.already) == (0, 3)


def test_an_alias_taken_by_another_entry_is_dropped_and_reported(store: Store) -> None:
    twice = MT_EXPORT.replace("BASENAME: draft-entry", "BASENAME: 2017/04/09/194939")
    report = run_import(store, twice, "mt")
    assert report.added == 3 and report.skipped_count == 0  # imported, without the alias
    assert "/entry/2017/04/09/194939 already leads to /20170409/1491734979" in (
        report.changed[0].message
    )


MT_MARKDOWN = """AUTHOR: someone
TITLE: Markdown post
BASENAME: 2019/05/01/120000
STATUS: Publish
CONVERT BREAKS: markdown
DATE: 05/01/2019 12:00:00
CATEGORY: Notes
-----
BODY:
## 会談のまとめ

- 一つ目
- 二つ目

**太字**の本文。
-----
--------
"""


def test_a_markdown_entry_stays_markdown_and_goes_out_as_it_came(store: Store) -> None:
    from tests.formats.helpers import run_export

    report = run_import(store, MT_MARKDOWN, "mt")
    assert report.added == 1
    (entry,) = store.entries(include_private=True)
    assert entry.format == "markdown"
    assert entry.body.startswith("## 会談のまとめ\n\n- 一つ目")
    text, _notes = run_export(store, "mt")
    assert "CONVERT BREAKS: markdown" in text
    assert "## 会談のまとめ" in text and "<h5>" not in text
