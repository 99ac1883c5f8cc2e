"""The owner's controls on a story's page over real HTTP, on both backends: rename, merge,
move, apart, each changing what the page shows; a bad one changes nothing."""

from __future__ import annotations

import html as htmllib
from collections.abc import Iterator

import httpx
import pytest

from clipdiary.model import Entry
from clipdiary.stories.query import get_story
from tests.conftest import LiveServer
from tests.pages.story_fixtures import RALLY, Stories, address, csrf, fill, log_in, story_of
from tests.related.helpers import ATM_STORY, add


def _post(client: httpx.Client, story: int, action: str, **fields: str) -> httpx.Response:
    token = csrf(client.get(f"/story/s{story}").text)
    return client.post(f"/story/s{story}/{action}", data={**fields, "csrf_token": token})


@pytest.fixture
def owner(live_server: LiveServer) -> Iterator[tuple[httpx.Client, Stories]]:
    """The owner's browser, logged in, on a diary with the ATM story."""
    s = fill(live_server.store)
    with live_server.client() as client:
        log_in(live_server.store, client)
        yield client, s


def test_the_owner_sees_the_controls_and_visitors_cannot_post(
    live_server: LiveServer, owner: tuple[httpx.Client, Stories]
) -> None:
    client, s = owner
    page = client.get(f"/story/s{s.number}").text
    assert f'action="/story/s{s.number}/rename"' in page
    assert f'action="/story/s{s.number}/merge"' in page
    assert page.count(f'action="/story/s{s.number}/move"') == 2
    assert page.count(f'action="/story/s{s.number}/apart"') == 2
    assert f'name="entry" value="{address(s.english)}"' in page
    # Without the form's token nothing is done.
    forged = client.post(f"/story/s{s.number}/rename", data={"title": "forged"})
    assert forged.status_code == 403
    with live_server.client() as visitor:
        answer = visitor.post(f"/story/s{s.number}/rename", data={"title": "x", "csrf_token": "x"})
        assert answer.status_code == 403
    assert get_story(live_server.store, s.number, include_private=True).owner_title is None


def test_renaming_shows_the_owners_title_and_empty_gives_the_chosen_one_back(
    live_server: LiveServer, owner: tuple[httpx.Client, Stories]
) -> None:
    client, s = owner
    done = _post(client, s.number, "rename", title="ATM <theft> in Newport")
    assert done.status_code == 303
    assert done.headers["location"] == f"/story/s{s.number}"
    page = client.get(f"/story/s{s.number}").text
    assert "ATM &lt;theft&gt; in Newport</h2>" not in page  # the chosen title is beside it
    assert '<h2 class="page-title story-title">ATM &lt;theft&gt; in Newport<span' in page
    assert 'value="ATM &lt;theft&gt; in Newport"' in page
    assert "Renamed the story." in page
    day = client.get("/20191101").text
    assert f'<a href="/story/s{s.number}">ATM &lt;theft&gt; in Newport</a>' in day
    _post(client, s.number, "rename", title="")
    page = client.get(f"/story/s{s.number}").text
    assert f'story-title">{htmllib.escape(s.japanese.title)}<span' in page
    assert "chosen title again" in page


def test_merging_brings_the_other_storys_entries_in(
    live_server: LiveServer, owner: tuple[httpx.Client, Stories]
) -> None:
    client, s = owner
    store = live_server.store
    rally_en = add(store, RALLY, "en", hours=60)
    add(store, RALLY, "ja", hours=62)
    rally = story_of(store, rally_en)
    assert rally is not None
    done = _post(client, s.number, "merge", other=f"s{rally}")
    assert done.headers["location"] == f"/story/s{s.number}"
    page = client.get(f"/story/s{s.number}").text
    assert "4 clips" in page and rally_en.title in page
    assert f"Merged s{rally} into s{s.number}." in page
    assert client.get(f"/story/s{rally}").status_code == 404
    # An id that is no story's, or no id at all: the reason, and nothing changed.
    for other, reason in (("s999", "no story s999"), ("twelve", "not a story id")):
        failed = _post(client, s.number, "merge", other=other)
        assert failed.status_code == 400
        assert reason in failed.text and 'role="alert"' in failed.text
        assert "4 clips" in failed.text


def _third(live_server: LiveServer, s: Stories) -> Entry:
    """A third report of the ATM theft, so that the story outlives one leaving it."""
    follow = add(live_server.store, ATM_STORY, "en", hours=40, title="ATM theft: follow-up")
    assert story_of(live_server.store, follow) == s.number
    return follow


def test_moving_an_entry_to_another_story_or_on_its_own(
    live_server: LiveServer, owner: tuple[httpx.Client, Stories]
) -> None:
    client, s = owner
    store = live_server.store
    _third(live_server, s)
    rally_en = add(store, RALLY, "en", hours=60)
    add(store, RALLY, "ja", hours=62)
    rally = story_of(store, rally_en)
    assert rally is not None
    done = _post(client, s.number, "move", entry=address(s.japanese), to=f"s{rally}")
    assert done.headers["location"] == f"/story/s{s.number}"
    page = client.get(f"/story/s{s.number}").text
    assert "2 clips</span>" in page and s.japanese.title not in page.split("<main>")[1]
    assert f"Moved {address(s.japanese)} to s{rally}." in page
    assert s.japanese.title in client.get(f"/story/s{rally}").text
    # On its own: a story of one, so the entry shows no story line any more.
    done = _post(client, rally, "move", entry=address(s.japanese), alone="1", to="")
    assert done.headers["location"] == f"/story/s{rally}"
    assert "a story of its own now" in client.get(f"/story/s{rally}").text
    assert 'class="story-line"' not in client.get("/" + address(s.japanese)).text
    # Neither a story nor 'on its own', or an entry that is not there.
    failed = _post(client, rally, "move", entry=address(rally_en), to="")
    assert failed.status_code == 400 and "On its own" in failed.text
    failed = _post(client, rally, "move", entry="20191101/999", to=f"s{s.number}")
    assert failed.status_code == 400 and "no entry 20191101/999" in failed.text
    failed = _post(client, rally, "move", entry="yesterday", to=f"s{s.number}")
    assert failed.status_code == 400 and "YYYYMMDD/NAME" in failed.text
    assert story_of(store, rally_en) == rally


def test_moving_out_of_a_story_of_two_goes_where_the_entry_went(
    live_server: LiveServer, owner: tuple[httpx.Client, Stories]
) -> None:
    client, s = owner
    done = _post(client, s.number, "move", entry=address(s.japanese), alone="1")
    # A story left with one entry goes; the owner is taken to the one the entry is in now.
    assert client.get(f"/story/s{s.number}").status_code == 404
    assert done.headers["location"] != f"/story/s{s.number}"
    page = client.get(done.headers["location"]).text
    assert "1 clip</span>" in page and s.japanese.title in page


def test_keeping_two_entries_apart_splits_the_story(
    live_server: LiveServer, owner: tuple[httpx.Client, Stories]
) -> None:
    client, s = owner
    follow = _third(live_server, s)
    done = _post(client, s.number, "apart", entry=address(s.english), other=address(s.japanese))
    assert done.headers["location"] == f"/story/s{s.number}"
    page = client.get(f"/story/s{s.number}").text
    assert "are kept apart" in page
    assert s.japanese.title not in page.split("<main>")[1]
    assert follow.title in page and "2 clips</span>" in page
    assert 'class="story-line"' not in client.get("/" + address(s.japanese)).text
    failed = _post(client, s.number, "apart", entry=address(s.english), other="20191101")
    assert failed.status_code == 400 and "not an entry address" in failed.text
    # Two apart in a story of two: the story goes, and the owner is back at the list.
    done = _post(client, s.number, "apart", entry=address(s.english), other=address(follow))
    assert done.headers["location"] == "/stories"
    assert story_of(live_server.store, s.english) is None
