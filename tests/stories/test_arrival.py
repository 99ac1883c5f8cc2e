"""Stories found as entries are written, recomputed by restory, and the owner's word."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from clipdiary.errors import NotFound, UsageError
from clipdiary.model import Entry
from clipdiary.store import Store, schema
from clipdiary.stories import owner
from clipdiary.stories.query import get_story, list_stories, story_refs
from clipdiary.stories.restory import restory
from tests.related.helpers import ATM_STORY, GEIGER_STORY, add

RALLY = "ntrex:cnn.304447"  # Trump rallies in West Virginia
RALLY_LATER = "ntrex:newsweek.51310"  # the same rally, reported later


def story_numbers(store: Store, *entries: Entry) -> list[int | None]:
    refs = story_refs(store, [e.id for e in entries], include_private=True)
    return [refs[e.id].number if e.id in refs else None for e in entries]


def test_reports_of_one_story_in_two_languages_share_a_story(store: Store) -> None:
    english = add(store, ATM_STORY, "en", hours=0)
    other = add(store, GEIGER_STORY, "en", hours=1)
    japanese = add(store, ATM_STORY, "ja", hours=2)

    first, unrelated, second = story_numbers(store, english, other, japanese)
    assert first is not None and first == second
    assert unrelated is None
    story = get_story(store, first, include_private=False)
    assert {e.lang for e in story.entries} == {"en", "ja"}
    assert [e.name for e in story.entries] == [english.name, japanese.name]
    assert story.title  # chosen from a member
    assert [s.number for s in list_stories(store, include_private=False)] == [first]


def test_a_visitor_does_not_see_a_story_of_private_entries(store: Store) -> None:
    english = add(store, ATM_STORY, "en", hours=0, visibility="private")
    japanese = add(store, ATM_STORY, "ja", hours=2, visibility="private")
    (number,) = set(story_numbers(store, english, japanese))
    assert number is not None
    with pytest.raises(NotFound):
        get_story(store, number, include_private=False)
    assert story_refs(store, [english.id], include_private=False) == {}
    assert list_stories(store, include_private=False) == []
    assert get_story(store, number, include_private=True).size == 2


def test_restory_keeps_the_ids_of_stories_that_hold(store: Store) -> None:
    a = add(store, ATM_STORY, "en", hours=0)
    b = add(store, ATM_STORY, "ja", hours=2)
    c = add(store, RALLY, "en", hours=10)
    d = add(store, RALLY, "ja", hours=12)
    before = story_numbers(store, a, b, c, d)
    report = restory(store)
    assert story_numbers(store, a, b, c, d) == before
    assert report.kept == report.stories == 2 and report.new == 0


def test_the_owner_renames_and_the_title_survives_restory(store: Store) -> None:
    a = add(store, ATM_STORY, "en", hours=0)
    add(store, ATM_STORY, "ja", hours=2)
    (number,) = story_numbers(store, a)
    assert number is not None
    owner.rename(store, number, "ATM <theft> in Newport")
    restory(store)
    assert get_story(store, number, include_private=False).title == "ATM <theft> in Newport"
    owner.rename(store, number, "")
    assert get_story(store, number, include_private=False).owner_title is None
    with pytest.raises(UsageError, match="at most 200"):
        owner.rename(store, number, "x" * 201)


def test_merged_stories_stay_merged_and_apart_entries_stay_apart(store: Store) -> None:
    a = add(store, ATM_STORY, "en", hours=0)
    b = add(store, ATM_STORY, "ja", hours=2)
    c = add(store, RALLY, "en", hours=10)
    d = add(store, RALLY, "ja", hours=12)
    first, _, second, _ = story_numbers(store, a, b, c, d)
    assert first is not None and second is not None and first != second
    kept = owner.merge(store, [first, second])
    restory(store)
    assert set(story_numbers(store, a, b, c, d)) == {kept}
    with pytest.raises(NotFound):
        get_story(store, second, include_private=True)

    owner.apart(store, (a.day, a.name), (d.day, d.name))
    # The later of the two left the story; restory and later arrivals keep them apart.
    assert story_numbers(store, a, d)[1] != kept
    restory(store)
    numbers = story_numbers(store, a, d)
    assert numbers[0] != numbers[1] or numbers[0] is None
    with pytest.raises(UsageError, match="two or more"):
        owner.merge(store, [kept])


def test_an_entry_moved_by_the_owner_stays_where_it_was_put(store: Store) -> None:
    a = add(store, ATM_STORY, "en", hours=0)
    b = add(store, ATM_STORY, "ja", hours=2)
    c = add(store, RALLY, "en", hours=10)
    d = add(store, RALLY, "ja", hours=12)
    atm, _, rally, _ = story_numbers(store, a, b, c, d)
    assert atm is not None and rally is not None
    owner.move(store, b.day, b.name, to=rally)
    restory(store)
    assert story_numbers(store, b, c)[0] == rally
    alone = owner.move(store, c.day, c.name, alone=True)
    restory(store)
    # Alone: a story of its own, which shows as no story under the entry.
    assert story_numbers(store, c) == [None]
    assert get_story(store, alone, include_private=True).size == 1
    with pytest.raises(UsageError, match="--alone"):
        owner.move(store, c.day, c.name)
    with pytest.raises(NotFound):
        owner.move(store, c.day, c.name, to=9999)


def test_a_follow_up_reaches_the_first_report_through_its_story(store: Store) -> None:
    first = add(store, RALLY, "en", hours=0)
    second = add(store, RALLY, "ja", hours=3)
    later = add(store, RALLY_LATER, "ja", hours=30)
    numbers = story_numbers(store, first, second, later)
    assert numbers[0] is not None and len(set(numbers)) == 1


def test_deleting_entries_removes_a_story_left_with_one(store: Store) -> None:
    a = add(store, ATM_STORY, "en", hours=0)
    b = add(store, ATM_STORY, "ja", hours=2)
    (number,) = set(story_numbers(store, a, b))
    store.delete_entry(b.day, b.name)
    assert story_numbers(store, a) == [None]
    with store._read() as conn:
        left = conn.execute(sa.select(sa.func.count()).select_from(schema.stories)).scalar()
    assert left == 0
    assert number is not None


def test_story_timeline_lists_days_in_order(store: Store) -> None:
    a = add(store, ATM_STORY, "en", hours=0)
    b = add(store, ATM_STORY, "ja", hours=30)
    (number,) = set(story_numbers(store, a, b))
    assert number is not None
    story = get_story(store, number, include_private=False)
    assert story.first_day <= story.last_day
    assert story.last_day - story.first_day <= dt.timedelta(days=2)


def test_a_story_number_is_never_given_twice(store: Store) -> None:
    a = add(store, ATM_STORY, "en", hours=0)
    add(store, ATM_STORY, "ja", hours=2)
    c = add(store, RALLY, "en", hours=10)
    add(store, RALLY, "ja", hours=12)
    first, newest = story_numbers(store, a, c)
    assert first is not None and newest is not None and newest > first
    owner.merge(store, [first, newest])  # the newest number goes away
    alone = owner.move(store, c.day, c.name, alone=True)
    assert alone > newest
