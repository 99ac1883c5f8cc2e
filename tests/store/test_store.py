"""The Store API, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import pytest

from clipdiary.errors import Conflict, NotFound, UsageError
from clipdiary.model import Comment, EntryChanges, NewEntry, Source, Visibility
from clipdiary.store import Store

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)  # epoch 1473071774


def test_an_entry_is_named_by_the_second_it_was_written(store: Store) -> None:
    entry = store.add_entry(NewEntry("Putin on Syria", body="本文", created=SUMMIT))
    assert entry.name == "1473071774"
    assert entry.day == dt.date(2016, 9, 5)
    assert entry.path == "/20160905/1473071774"
    assert entry.created == SUMMIT
    assert entry.created.utcoffset() == dt.timedelta(hours=9)
    assert store.get_entry(entry.day, entry.name).body == "本文"


def test_a_second_entry_in_the_same_second_takes_the_next_free_one(store: Store) -> None:
    names = [store.add_entry(NewEntry(f"n{i}", created=SUMMIT)).name for i in range(3)]
    assert names == ["1473071774", "1473071775", "1473071776"]


def test_a_name_from_an_older_diary_is_kept_and_cannot_be_taken_twice(store: Store) -> None:
    day = dt.date(2004, 1, 2)
    kept = store.add_entry(NewEntry("Hobby", name="hobby", day=day, created=SUMMIT))
    assert (kept.day, kept.name) == (day, "hobby")
    with pytest.raises(Conflict, match="hobby"):
        store.add_entry(NewEntry("Again", name="hobby", day=day, created=SUMMIT))


def test_names_that_cannot_be_addresses_are_refused(store: Store) -> None:
    for bad in ("../x", "a b", "", "a/b", "#top"):
        with pytest.raises(UsageError):
            store.add_entry(NewEntry("x", name=bad))


def test_the_day_starts_at_the_diarys_hour(store: Store) -> None:
    # The diary's day starts at 6: 02:00 on the 6th still belongs to the 5th.
    late = dt.datetime(2016, 9, 6, 2, 0, tzinfo=JST)
    morning = dt.datetime(2016, 9, 6, 6, 0, tzinfo=JST)
    assert store.add_entry(NewEntry("late", created=late)).day == dt.date(2016, 9, 5)
    assert store.add_entry(NewEntry("morning", created=morning)).day == dt.date(2016, 9, 6)


def test_the_day_follows_the_diarys_time_zone(store: Store) -> None:
    # 20:00 UTC is 05:00 the next day in Tokyo, before the 6 o'clock day start.
    store.update_settings(day_starts_at=0)
    utc_evening = dt.datetime(2016, 9, 5, 20, 0, tzinfo=dt.UTC)
    assert store.add_entry(NewEntry("x", created=utc_evening)).day == dt.date(2016, 9, 6)
    store.update_settings(timezone="UTC")
    assert store.add_entry(NewEntry("y", created=utc_evening)).day == dt.date(2016, 9, 5)


def test_categories_keep_their_order_without_duplicates(store: Store) -> None:
    entry = store.add_entry(
        NewEntry("x", categories=("Syria", "Russia", "Syria", " ", "ロシア"), created=SUMMIT)
    )
    assert entry.categories == ("Syria", "Russia", "ロシア")
    assert store.categories(include_private=True) == [("Russia", 1), ("Syria", 1), ("ロシア", 1)]


def test_an_edit_changes_the_content_never_the_address(store: Store) -> None:
    entry = store.add_entry(NewEntry("old", body="a", categories=("x",), created=SUMMIT))
    later = SUMMIT + dt.timedelta(days=3)
    edited = store.update_entry(
        entry.day,
        entry.name,
        EntryChanges(title="new", body="b", categories=("y", "z"), visibility="private"),
        when=later,
    )
    assert (edited.day, edited.name) == (entry.day, entry.name)
    assert (edited.title, edited.body, edited.categories) == ("new", "b", ("y", "z"))
    assert edited.visibility == "private"
    assert edited.created == SUMMIT and edited.updated == later
    untouched = store.update_entry(entry.day, entry.name, EntryChanges(title="newer"))
    assert untouched.body == "b" and untouched.categories == ("y", "z")


def test_deleting_removes_the_entry_its_categories_and_aliases(store: Store) -> None:
    entry = store.add_entry(NewEntry("x", categories=("c",), aliases=("/old/1",), created=SUMMIT))
    store.delete_entry(entry.day, entry.name)
    with pytest.raises(NotFound):
        store.get_entry(entry.day, entry.name)
    assert store.categories(include_private=True) == []
    assert store.resolve_alias("/old/1") is None
    with pytest.raises(NotFound):
        store.delete_entry(entry.day, entry.name)


def test_private_entries_are_hidden_from_every_public_view(store: Store) -> None:
    public = store.add_entry(NewEntry("public", categories=("c",), created=SUMMIT))
    secret = store.add_entry(
        NewEntry(
            "secret",
            categories=("c", "hidden"),
            visibility="private",
            created=SUMMIT + dt.timedelta(days=1),
        )
    )
    assert [e.title for e in store.entries(include_private=False)] == ["public"]
    assert [e.title for e in store.entries(include_private=True)] == ["public", "secret"]
    with pytest.raises(NotFound):
        store.get_entry(secret.day, secret.name, include_private=False)
    with pytest.raises(NotFound):
        store.day_page(secret.day, include_private=False)
    assert [d.day for d in store.latest_days(include_private=False, limit=10)] == [public.day]
    assert [h.title for h in store.headings(include_private=False)] == ["public"]
    assert store.categories(include_private=False) == [("c", 1)]
    assert store.count_entries(include_private=False) == 1
    assert store.count_days(include_private=False) == 1
    assert store.same_date_pages(9, 6, include_private=False) == []


def test_latest_days_are_newest_first_and_paged(store: Store) -> None:
    for offset in range(10):
        store.add_entry(NewEntry(f"day {offset}", created=SUMMIT + dt.timedelta(days=offset)))
    first = store.latest_days(include_private=False, limit=3)
    second = store.latest_days(include_private=False, limit=3, offset=3)
    assert [p.day.day for p in first] == [14, 13, 12]
    assert [p.day.day for p in second] == [11, 10, 9]
    assert store.count_days(include_private=False) == 10


def test_a_day_holds_its_entries_in_the_order_written_and_its_title(store: Store) -> None:
    later = store.add_entry(NewEntry("later", created=SUMMIT + dt.timedelta(hours=1)))
    earlier = store.add_entry(NewEntry("earlier", created=SUMMIT))
    store.set_day_title(SUMMIT.date(), "G20 サミット")
    page = store.day_page(SUMMIT.date(), include_private=False)
    assert [e.name for e in page.entries] == [earlier.name, later.name]
    assert page.title == "G20 サミット"
    store.set_day_title(SUMMIT.date(), None)
    assert store.day_page(SUMMIT.date(), include_private=False).title is None


def test_month_and_same_date_pages(store: Store) -> None:
    for year in (2014, 2015, 2016):
        store.add_entry(NewEntry(f"y{year}", created=SUMMIT.replace(year=year)))
    store.add_entry(NewEntry("other", created=SUMMIT + dt.timedelta(days=1)))
    month = store.month_pages(2016, 9, include_private=False)
    assert [p.day for p in month] == [dt.date(2016, 9, 5), dt.date(2016, 9, 6)]
    same = store.same_date_pages(9, 5, include_private=False)
    assert [p.day.year for p in same] == [2016, 2015, 2014]


def test_headings_list_every_entry_newest_first(store: Store) -> None:
    store.add_entry(NewEntry("a", categories=("x",), created=SUMMIT))
    store.add_entry(NewEntry("b", created=SUMMIT + dt.timedelta(days=40)))
    headings = store.headings(include_private=True)
    assert [(h.title, h.categories) for h in headings] == [("b", ()), ("a", ("x",))]


def test_aliases_resolve_and_cannot_point_to_two_entries(store: Store) -> None:
    entry = store.add_entry(NewEntry("x", aliases=("/entry/20160905/summit",), created=SUMMIT))
    assert store.resolve_alias("/entry/20160905/summit") == (entry.day, entry.name)
    assert entry.aliases == ("/entry/20160905/summit",)
    with pytest.raises(Conflict):
        store.add_entry(NewEntry("y", aliases=("/entry/20160905/summit",), created=SUMMIT))
    with pytest.raises(UsageError):
        store.add_entry(NewEntry("z", aliases=("no-slash",), created=SUMMIT))


def test_a_failed_write_leaves_nothing_half_written(store: Store) -> None:
    store.add_entry(NewEntry("taken", aliases=("/a",), created=SUMMIT))
    with pytest.raises(Conflict), store.transaction():
        store.add_entry(NewEntry("first", created=SUMMIT + dt.timedelta(days=1)))
        store.add_entry(NewEntry("second", aliases=("/a",), created=SUMMIT))
    assert [e.title for e in store.entries(include_private=True)] == ["taken"]


def test_source_and_comments_are_kept(store: Store) -> None:
    published = dt.datetime(2016, 9, 5, 12, 0, tzinfo=dt.UTC)
    comment = Comment("someid", "いい記事", SUMMIT + dt.timedelta(hours=2))
    entry = store.add_entry(
        NewEntry(
            "RT",
            created=SUMMIT,
            source=Source("https://www.rt.com/news/1", "RT", "en", published, None),
            comments=(comment,),
        )
    )
    assert entry.source == Source("https://www.rt.com/news/1", "RT", "en", published, None)
    assert entry.comments == (comment,)
    store.add_comment(entry.day, Comment("visitor", "day comment", SUMMIT))
    assert store.day_page(entry.day, include_private=False).comments[0].body == "day comment"


def test_api_tokens_are_kept_as_hashes_and_can_be_revoked(store: Store) -> None:
    made, secret = store.create_token("bookmarklet")
    assert secret.startswith("cd_") and len(secret) > 30
    assert store.verify_token(secret) is not None
    assert store.verify_token(secret + "x") is None
    assert [t.label for t in store.tokens()] == ["bookmarklet"]
    assert store.revoke_token("bookmarklet") == 1
    assert store.verify_token(secret) is None
    assert store.tokens()[0].revoked
    with pytest.raises(NotFound):
        store.revoke_token(str(made.id))


def test_settings_are_validated(store: Store) -> None:
    with pytest.raises(UsageError, match="time zone"):
        store.update_settings(timezone="Mars/Olympus")
    with pytest.raises(UsageError):
        store.update_settings(day_starts_at=24)
    assert store.update_settings(title="新しい題").title == "新しい題"


def test_times_without_a_zone_are_refused(store: Store) -> None:
    with pytest.raises(UsageError, match="time zone"):
        store.add_entry(NewEntry("x", created=dt.datetime(2016, 9, 5, 12, 0)))


def test_hostile_text_is_stored_exactly(store: Store) -> None:
    hostile = "'; DROP TABLE entries; --\n<script>alert(1)</script>\n\U0001f600 ＡＢＣ"
    entry = store.add_entry(NewEntry(hostile, body=hostile, categories=(hostile,), created=SUMMIT))
    again = store.get_entry(entry.day, entry.name)
    assert (again.title, again.body, again.categories) == (hostile, hostile, (hostile,))


def test_neighbour_days_are_the_nearest_days_with_a_visible_entry(store: Store) -> None:
    def on(days: int, title: str, visibility: Visibility = "public") -> None:
        created = SUMMIT + dt.timedelta(days=days)
        store.add_entry(NewEntry(title, created=created, visibility=visibility))

    on(-30, "a month before")
    on(-2, "private, two days before", "private")
    on(0, "the summit")
    on(0, "the summit, private", "private")
    on(1, "private, the day after", "private")
    on(3, "three days after")
    summit = SUMMIT.date()

    before, after = summit - dt.timedelta(days=30), summit + dt.timedelta(days=3)
    assert store.neighbour_days(summit, include_private=False) == (before, after)
    assert store.neighbour_days(summit, include_private=True) == (
        summit - dt.timedelta(days=2),
        summit + dt.timedelta(days=1),
    )
    # the first and last days have nothing beyond them; a day with nothing still has both
    assert store.neighbour_days(before, include_private=False) == (None, summit)
    assert store.neighbour_days(after, include_private=True) == (
        summit + dt.timedelta(days=1),
        None,
    )
    empty = summit + dt.timedelta(days=2)
    assert store.neighbour_days(empty, include_private=False) == (summit, after)


def test_neighbour_days_of_an_empty_diary(store: Store) -> None:
    assert store.neighbour_days(SUMMIT.date(), include_private=True) == (None, None)
