"""Export, then import into an empty diary: the same diary, for all the format can carry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from clipdiary.model import Comment, Diary, NewEntry, Source
from clipdiary.store import Store
from tests.formats.helpers import run_export, run_import
from tests.formats.samples import BOOKMARKS, HATENA_XML, MT_EXPORT

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)


def _empty_twin(store: Store) -> Store:
    diary = store.diary
    return store.database.create_diary(
        Diary(
            name="copy",
            title=diary.title,
            timezone=diary.timezone,
            day_starts_at=diary.day_starts_at,
        )
    )


def _entries(store: Store, *fields: str) -> list[dict[str, Any]]:
    return [{f: getattr(e, f) for f in fields} for e in store.entries(include_private=True)]


def _days(store: Store) -> tuple[dict[dt.date, str], dict[dt.date, list[Comment]]]:
    days = sorted({e.day for e in store.entries(include_private=True)})
    return store.day_extras(days)


def _round_trip(store: Store, fmt: str) -> tuple[Store, str]:
    text, _ = run_export(store, fmt)
    copy = _empty_twin(store)
    report = run_import(copy, text, fmt)
    assert report.skipped_count == 0, report.skipped
    assert report.repaired_count == 0, report.repaired
    again, _ = run_export(copy, fmt)
    assert again.replace("AUTHOR: copy\n", "AUTHOR: d1021\n") == text
    return copy, text


def _fill_everything(store: Store) -> None:
    run_import(store, HATENA_XML, "hatena")
    store.add_entry(
        NewEntry(
            "Putin clip",
            body="note\n\n>>\nquoted\n<<\n",
            categories=("Russia", "a/b"),
            created=SUMMIT + dt.timedelta(hours=2),
            updated=SUMMIT + dt.timedelta(days=1),
            source=Source(
                "https://www.rt.com/news/1/",
                site="RT",
                lang="en",
                published=dt.datetime(2016, 9, 5, 12, tzinfo=dt.UTC),
                author="RT staff",
            ),
            aliases=("/entry/2016/09/05/213614", "/archive/2016/09/05/x"),
            comments=(Comment("a", "entry comment", SUMMIT + dt.timedelta(hours=3)),),
        )
    )
    store.add_entry(
        NewEntry("secret", body="<p>html</p>", format="html", visibility="private", created=SUMMIT)
    )


def test_json_lines_keeps_everything(store: Store) -> None:
    _fill_everything(store)
    copy, text = _round_trip(store, "jsonl")
    fields = (
        "day", "name", "title", "categories", "format", "body", "visibility", "created",
        "updated", "source", "aliases", "comments",
    )  # fmt: skip
    assert _entries(copy, *fields) == _entries(store, *fields)
    assert _days(copy) == _days(store)
    assert '"kind": "day"' in text.splitlines()[0] or '"kind": "day"' in text


def test_hatena_diary_xml_keeps_sections_day_titles_and_comments(store: Store) -> None:
    run_import(store, HATENA_XML, "hatena")
    copy, text = _round_trip(store, "hatena")
    fields = ("day", "name", "title", "categories", "body", "format")
    assert _entries(copy, *fields) == _entries(store, *fields)
    assert _days(copy) == _days(store)
    epochs = [e for e in store.entries(include_private=True) if e.name.isdigit()]
    assert [e.created for e in epochs] == [copy.get_entry(e.day, e.name).created for e in epochs]
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<diary>\n')
    assert "*1473071774*[Russia][Syria]プーチン大統領" in text


def test_hatena_diary_xml_leaves_private_entries_out_and_says_so(store: Store) -> None:
    store.add_entry(NewEntry("secret", body="x", visibility="private", created=SUMMIT))
    text, notes = run_export(store, "hatena")
    assert "secret" not in text
    assert "left out 1 private entry" in notes[0]


def test_movable_type_keeps_entries_drafts_aliases_and_comments(store: Store) -> None:
    run_import(store, MT_EXPORT, "mt")
    copy, text = _round_trip(store, "mt")
    fields = (
        "day", "name", "title", "categories", "body", "format", "visibility", "created",
        "aliases", "comments",
    )  # fmt: skip
    assert _entries(copy, *fields) == _entries(store, *fields)
    assert "IMAGE: https://cdn-ak.f.st-hatena.com/" in text
    assert "EXTENDED BODY:\n<p>extended body body body</p>" in text
    assert "STATUS: Draft" in text


def test_bookmarks_keep_links_tags_notes_and_privacy(store: Store) -> None:
    run_import(store, BOOKMARKS, "bookmarks")
    copy, _ = _round_trip(store, "bookmarks")
    fields = ("day", "name", "title", "categories", "body", "visibility", "created")
    assert _entries(copy, *fields) == _entries(store, *fields)
    assert [e.source.url for e in copy.entries(include_private=True) if e.source] == [
        e.source.url for e in store.entries(include_private=True) if e.source
    ]
