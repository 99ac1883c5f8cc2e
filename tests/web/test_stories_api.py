"""The stories' JSON API over real HTTP, on both backends: reading as a visitor or the owner,
the owner's decisions with an API token, and clear answers to bad ids."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from clipdiary.model import EntryChanges
from tests.conftest import LiveServer
from tests.pages.story_fixtures import RALLY, Stories, address, fill, story_of
from tests.related.helpers import ATM_STORY, add


@pytest.fixture
def diary(live_server: LiveServer) -> Stories:
    return fill(live_server.store)


@pytest.fixture
def owner(live_server: LiveServer) -> Iterator[httpx.Client]:
    _, token = live_server.store.create_token("test")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


@pytest.fixture
def visitor(live_server: LiveServer) -> Iterator[httpx.Client]:
    with live_server.client() as client:
        yield client


def test_a_story_in_the_shape_of_design_md(diary: Stories, visitor: httpx.Client) -> None:
    s = diary
    data = visitor.get(f"/api/stories/s{s.number}").json()
    assert data == {
        "id": f"s{s.number}",
        "title": s.japanese.title,
        "url": f"/story/s{s.number}",
        "size": 2,
        "first_day": "2019-11-01",
        "last_day": "2019-11-02",
        "langs": ["en", "ja"],
        "entries": [
            {
                "day": e.day.isoformat(),
                "name": e.name,
                "url": f"/{address(e)}",
                "title": e.title,
                "lang": lang,
            }
            for e, lang in ((s.english, "en"), (s.japanese, "ja"))
        ],
    }
    listed = visitor.get("/api/stories").json()
    assert listed == [{k: v for k, v in data.items() if k != "entries"}]
    # Each entry names its story; the one in none says null.
    entry = visitor.get(f"/api/entries/{address(s.english)}").json()
    assert entry["story"] == {
        "id": f"s{s.number}",
        "title": s.japanese.title,
        "url": f"/story/s{s.number}",
        "size": 2,
    }
    assert visitor.get(f"/api/entries/{address(s.unrelated)}").json()["story"] is None
    entries = visitor.get("/api/entries?day=20191101").json()
    assert [e["story"] and e["story"]["id"] for e in entries] == [f"s{s.number}", None]
    # A search result is the entry in the same shape: its story and its related list.
    later = visitor.get(f"/api/entries/{address(s.japanese)}").json()
    assert later["related"]
    found = visitor.get("/api/search", params={"q": "ATM"}).json()["results"]
    by_name = {r["name"]: r for r in found}
    assert by_name[s.japanese.name]["related"] == later["related"]
    assert by_name[s.japanese.name]["story"] == later["story"]


def test_the_list_is_paged(live_server: LiveServer, diary: Stories, visitor: httpx.Client) -> None:
    rally = add(live_server.store, RALLY, "en", hours=60)
    add(live_server.store, RALLY, "ja", hours=62)
    newest = f"s{story_of(live_server.store, rally)}"
    assert [s["id"] for s in visitor.get("/api/stories").json()] == [newest, f"s{diary.number}"]
    assert [s["id"] for s in visitor.get("/api/stories?limit=1").json()] == [newest]
    assert [s["id"] for s in visitor.get("/api/stories?limit=1&page=2").json()] == [
        f"s{diary.number}"
    ]
    assert visitor.get("/api/stories?limit=1&page=3").json() == []
    assert visitor.get("/api/stories?limit=0").status_code == 422


def test_private_entries_are_the_owners_only(
    live_server: LiveServer, owner: httpx.Client, visitor: httpx.Client
) -> None:
    store = live_server.store
    s = fill(store, visibility="private")
    story = f"/api/stories/s{s.number}"
    # One public entry: the visitor's story is that one alone, and no entry shows a story.
    assert [e["name"] for e in visitor.get(story).json()["entries"]] == [s.english.name]
    assert visitor.get(f"/api/entries/{address(s.english)}").json()["story"] is None
    store.update_entry(s.english.day, s.english.name, EntryChanges(visibility="private"))
    assert visitor.get(story).status_code == 404
    assert visitor.get(story).json() == {"detail": f"no story s{s.number}"}
    assert visitor.get("/api/stories").json() == []
    assert owner.get(story).json()["size"] == 2
    assert owner.get(f"/api/entries/{address(s.english)}").json()["story"]["size"] == 2


def test_bad_ids_get_a_one_line_answer(diary: Stories, owner: httpx.Client) -> None:
    missing = owner.get("/api/stories/s999")
    assert missing.status_code == 404 and missing.json() == {"detail": "no story s999"}
    bad = owner.get("/api/stories/seventeen")
    assert bad.status_code == 400
    assert bad.json() == {"detail": "not a story id: 'seventeen' (story ids look like s17)"}
    bad_entry = owner.post("/api/stories/move", json={"entry": "20191101", "to": None})
    assert bad_entry.status_code == 400 and "YYYYMMDD/NAME" in bad_entry.json()["detail"]
    no_entry = owner.post("/api/stories/move", json={"entry": "20191101/1", "to": None})
    assert no_entry.status_code == 404 and no_entry.json() == {"detail": "no entry 20191101/1"}
    one = owner.post("/api/stories/merge", json={"ids": [f"s{diary.number}"] * 2})
    assert one.status_code == 400 and "two or more" in one.json()["detail"]
    long = owner.post(f"/api/stories/s{diary.number}/rename", json={"title": "x" * 201})
    assert long.status_code == 400 and "at most 200" in long.json()["detail"]
    assert owner.get(f"/api/stories/s{diary.number}").json()["title"] == diary.japanese.title


def test_writes_need_a_token(live_server: LiveServer, diary: Stories) -> None:
    number = diary.number
    with live_server.client() as visitor:
        answer = visitor.post(f"/api/stories/s{number}/rename", json={"title": "mine"})
        assert answer.status_code == 401 and "API token" in answer.json()["detail"]
    with live_server.client(headers={"Authorization": "Bearer wrong"}) as forged:
        assert forged.post("/api/stories/merge", json={"ids": ["s1", "s2"]}).status_code == 401
    with live_server.client() as visitor:
        assert visitor.get(f"/api/stories/s{number}").json()["title"] == diary.japanese.title


def test_the_owner_renames_merges_moves_and_keeps_apart(
    live_server: LiveServer, diary: Stories, owner: httpx.Client, visitor: httpx.Client
) -> None:
    store, s = live_server.store, diary
    atm = f"s{s.number}"
    renamed = owner.post(f"/api/stories/{atm}/rename", json={"title": "ATM <theft>"})
    assert renamed.status_code == 200 and renamed.json()["title"] == "ATM <theft>"
    assert visitor.get(f"/api/entries/{address(s.english)}").json()["story"]["title"] == (
        "ATM <theft>"
    )
    chosen = owner.post(f"/api/stories/{atm}/rename", json={"title": ""}).json()
    assert chosen["title"] == s.japanese.title

    rally_en = add(store, RALLY, "en", hours=60)
    add(store, RALLY, "ja", hours=62)
    rally = f"s{story_of(store, rally_en)}"
    merged = owner.post("/api/stories/merge", json={"ids": [atm, rally]}).json()
    assert merged["id"] == atm and merged["size"] == 4
    assert owner.get(f"/api/stories/{rally}").status_code == 404

    alone = owner.post("/api/stories/move", json={"entry": address(rally_en), "to": None})
    assert alone.status_code == 200 and alone.json()["size"] == 1
    assert alone.json()["entries"][0]["name"] == rally_en.name
    back = owner.post("/api/stories/move", json={"entry": address(rally_en), "to": atm}).json()
    assert back["id"] == atm and back["size"] == 4

    follow = add(store, ATM_STORY, "en", hours=40, title="ATM theft: follow-up")
    assert story_of(store, follow) == s.number
    apart = owner.post(
        "/api/stories/apart", json={"entries": [address(s.english), address(s.japanese)]}
    )
    assert apart.status_code == 200
    placed = apart.json()["entries"]
    assert [p["entry"] for p in placed] == [address(s.english), address(s.japanese)]
    assert placed[0]["story"]["id"] == atm and placed[1]["story"] is None
    names = [e["name"] for e in visitor.get(f"/api/stories/{atm}").json()["entries"]]
    assert s.english.name in names and s.japanese.name not in names
    kept = owner.post("/api/stories/move", json={"entry": address(s.japanese), "to": atm})
    assert kept.status_code == 400 and "kept apart" in kept.json()["detail"]


def test_the_reference_lists_the_stories_api(visitor: httpx.Client) -> None:
    html = visitor.get("/api/docs").text
    for operation in (
        "GET /api/stories",
        "GET /api/stories/{story_id}",
        "POST /api/stories/{story_id}/rename",
        "POST /api/stories/merge",
        "POST /api/stories/move",
        "POST /api/stories/apart",
    ):
        assert f"<code>{operation}</code>" in html, operation
    assert 'id="schema-StoryOut"' in html
