"""Links found when entries are written, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from clipdiary.model import EntryChanges
from clipdiary.related.query import related_for, related_of
from clipdiary.related.relink import relink, stale_count
from clipdiary.store import Store, schema
from tests.related.helpers import ATM_STORY, GEIGER_STORY, NORTH_KOREA_STORY, add


def titles(store: Store, entry_id: int, *, owner: bool = True) -> list[str]:
    links = related_for(store, [entry_id], include_private=owner).get(entry_id, [])
    return [link.title for link in links]


def test_a_japanese_report_links_to_the_english_one_and_not_to_an_unrelated_one(
    store: Store,
) -> None:
    english = add(store, ATM_STORY, "en", hours=0)
    add(store, GEIGER_STORY, "en", hours=1)
    japanese = add(store, ATM_STORY, "ja", hours=2)

    links = related_of(store, japanese.day, japanese.name, include_private=False)
    assert [(link.title, link.lang) for link in links] == [(english.title, "en")]
    assert 0.5 <= links[0].score <= 1.5
    # Earlier only: the English report, written first, lists nothing.
    assert titles(store, english.id) == []


def test_links_are_listed_newest_first(store: Store) -> None:
    first = add(store, "ntrex:cnn.304447", "en", hours=0)  # Trump rallies in West Virginia
    second = add(store, "ntrex:cnn.304447", "ja", hours=3)
    third = add(store, "ntrex:newsweek.51310", "ja", hours=30)  # the same rally, later
    listed = titles(store, third.id)
    assert listed[:2] == [second.title, first.title]


def test_an_entry_written_into_the_past_joins_the_later_lists(store: Store) -> None:
    japanese = add(store, ATM_STORY, "ja", hours=5)
    assert titles(store, japanese.id) == []
    english = add(store, ATM_STORY, "en", hours=0)  # imported later, written earlier
    assert titles(store, japanese.id) == [english.title]
    assert titles(store, english.id) == []


def test_deleting_and_editing_update_the_lists(store: Store) -> None:
    english = add(store, ATM_STORY, "en", hours=0)
    japanese = add(store, ATM_STORY, "ja", hours=2)
    assert titles(store, japanese.id) == [english.title]

    store.update_entry(
        english.day,
        english.name,
        EntryChanges(title="Almanac: the inventor of the Geiger counter", body="Hans Geiger."),
    )
    assert titles(store, japanese.id) == []

    korea = add(store, NORTH_KOREA_STORY, "en", hours=3)
    korea_ja = add(store, NORTH_KOREA_STORY, "ja", hours=4)
    assert titles(store, korea_ja.id) == [korea.title]
    store.delete_entry(korea.day, korea.name)
    assert titles(store, korea_ja.id) == []


def test_a_private_entry_is_listed_for_the_owner_only(store: Store) -> None:
    english = add(store, ATM_STORY, "en", hours=0, visibility="private")
    japanese = add(store, ATM_STORY, "ja", hours=2)
    assert titles(store, japanese.id, owner=True) == [english.title]
    assert titles(store, japanese.id, owner=False) == []


def test_two_clips_of_one_address_are_not_related(store: Store) -> None:
    english = add(store, ATM_STORY, "en", hours=0)
    again = add(store, ATM_STORY, "en", hours=1, title=english.title + " (updated)")
    assert titles(store, again.id) == []


def test_a_change_of_model_is_seen_and_relink_recomputes(store: Store) -> None:
    english = add(store, ATM_STORY, "en", hours=0)
    japanese = add(store, ATM_STORY, "ja", hours=2)
    vectors = schema.related_vectors
    with store.transaction() as conn:
        conn.execute(sa.update(vectors).values(model_version="0.0.1/old"))
        conn.execute(sa.delete(schema.related_links))
    assert stale_count(store) == 2

    report = relink(store)
    assert (report.embedded, report.linked, report.resumed) == (2, 2, False)
    assert stale_count(store) == 0
    assert titles(store, japanese.id) == [english.title]


def test_an_interrupted_relink_resumes(store: Store) -> None:
    english = add(store, ATM_STORY, "en", hours=0)
    japanese = add(store, ATM_STORY, "ja", hours=2)
    with store.transaction() as conn:
        conn.execute(sa.insert(schema.related_runs).values(diary_id=store.diary_id, run=7))
        conn.execute(
            sa.update(schema.related_vectors)
            .where(schema.related_vectors.c.entry_id == english.id)
            .values(linked_run=7)
        )
        conn.execute(sa.delete(schema.related_links))
    report = relink(store)
    assert report.resumed
    assert report.linked == 1  # only the entry the interrupted run had not reached
    assert titles(store, japanese.id) == [english.title]
    assert relink(store).resumed is False
