"""The JSON API over real HTTP: reading, writing with a token, the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import re

from clipdiary.model import NewEntry
from tests.conftest import LiveServer

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)


def test_reading_an_entry_gives_the_shape_of_design_md(live_server: LiveServer) -> None:
    live_server.store.add_entry(
        NewEntry("Putin", body="本文", categories=("Russia",), created=SUMMIT)
    )
    with live_server.client() as client:
        data = client.get("/api/entries/20160905/1473071774").json()
    assert data == {
        "day": "2016-09-05",
        "name": "1473071774",
        "url": "/20160905/1473071774",
        "title": "Putin",
        "categories": ["Russia"],
        "format": "hatena",
        "body": "本文",
        "visibility": "public",
        "created": "2016-09-05T19:36:14+09:00",
        "updated": "2016-09-05T19:36:14+09:00",
        "source": None,
        "aliases": [],
        "comments": [],
        "text": "本文",
        "related": [],
        "story": None,
        "images": [],
        "source_status": None,
    }


def test_private_entries_need_the_owner(live_server: LiveServer) -> None:
    store = live_server.store
    store.add_entry(NewEntry("open", created=SUMMIT))
    store.add_entry(NewEntry("closed", visibility="private", created=SUMMIT))
    _, token = store.create_token("test")
    with live_server.client() as visitor:
        assert visitor.get("/api/entries/20160905/1473071775").status_code == 404
        assert [e["title"] for e in visitor.get("/api/entries").json()] == ["open"]
        assert [e["title"] for e in visitor.get("/api/entries?day=20160905").json()] == ["open"]
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as owner:
        assert owner.get("/api/entries/20160905/1473071775").json()["title"] == "closed"
        assert [e["title"] for e in owner.get("/api/entries?day=20160905").json()] == [
            "open",
            "closed",
        ]


def test_writing_needs_a_valid_token(live_server: LiveServer) -> None:
    store = live_server.store
    made, token = store.create_token("script")
    payload = {
        "title": "Summit",
        "body": "note",
        "categories": ["Russia", "Syria"],
        "created": "2016-09-05T19:36:14+09:00",
    }
    with live_server.client() as anonymous:
        refused = anonymous.post("/api/entries", json=payload)
        assert refused.status_code == 401
        assert "API token" in refused.json()["detail"]
        wrong = anonymous.post(
            "/api/entries", json=payload, headers={"Authorization": "Bearer cd_wrong"}
        )
        assert wrong.status_code == 401
    auth = {"Authorization": f"Bearer {token}"}
    with live_server.client(headers=auth) as owner:
        created = owner.post("/api/entries", json=payload)
        assert created.status_code == 201
        entry = created.json()
        assert entry["url"] == "/20160905/1473071774"
        assert created.headers["location"] == entry["url"]
        assert entry["categories"] == ["Russia", "Syria"]

        patched = owner.patch(
            "/api/entries/20160905/1473071774", json={"title": "Summit (updated)"}
        )
        assert patched.status_code == 200
        assert patched.json()["title"] == "Summit (updated)"
        assert patched.json()["body"] == "note"

        assert owner.delete("/api/entries/20160905/1473071774").status_code == 204
        assert owner.get("/api/entries/20160905/1473071774").status_code == 404
        assert owner.delete("/api/entries/20160905/1473071774").status_code == 404

    store.revoke_token(str(made.id))
    with live_server.client(headers=auth) as revoked:
        assert revoked.post("/api/entries", json=payload).status_code == 401
    assert store.count_entries(include_private=True) == 0
    assert store.tokens()[0].last_used is not None


def test_bad_input_gets_a_clear_answer_and_stores_nothing(live_server: LiveServer) -> None:
    _, token = live_server.store.create_token("t")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as owner:
        missing_title = owner.post("/api/entries", json={"body": "x"})
        assert missing_title.status_code == 422
        bad_visibility = owner.post("/api/entries", json={"title": "x", "visibility": "secret"})
        assert bad_visibility.status_code == 422
        bad_name = owner.post("/api/entries", json={"title": "x", "name": "../../etc"})
        assert bad_name.status_code == 400
        assert "bad entry name" in bad_name.json()["detail"]
        no_zone = owner.post("/api/entries", json={"title": "x", "created": "2016-09-05T10:00"})
        assert no_zone.status_code == 400
        owner.post("/api/entries", json={"title": "p1", "name": "p1", "day": "2004-01-02"})
        twice = owner.post("/api/entries", json={"title": "p1", "name": "p1", "day": "2004-01-02"})
        assert twice.status_code == 409
        not_json = owner.post(
            "/api/entries", content=b"\xff\xfe", headers={"Content-Type": "application/json"}
        )
        assert not_json.status_code == 422
        bad_day = owner.get("/api/entries/20161345/1")
        assert bad_day.status_code == 404
        empty = owner.post("/api/entries", json={"title": " ", "body": "\n"})
        assert empty.status_code == 400
        assert empty.json()["detail"] == (
            'an entry needs a title or a body: give a non-empty "title" or "body"'
        )
        emptied = owner.patch("/api/entries/20040102/p1", json={"title": "", "body": ""})
        assert emptied.status_code == 400 and "needs a title or a body" in emptied.text
        assert owner.get("/api/entries/20040102/p1").json()["title"] == "p1"
    assert live_server.store.count_entries(include_private=True) == 1


def test_the_openapi_schema_describes_the_api(live_server: LiveServer) -> None:
    with live_server.client() as client:
        schema = client.get("/openapi.json").json()
        docs = client.get("/api/docs")
    paths = schema["paths"]
    assert set(paths["/api/entries"]) == {"get", "post"}
    assert set(paths["/api/entries/{day}/{name}"]) == {"get", "patch", "delete"}
    assert "EntryOut" in schema["components"]["schemas"]
    assert not any(path.startswith("/login") for path in paths)
    assert docs.status_code == 200


def test_the_api_reference_page_works_without_a_network(live_server: LiveServer) -> None:
    with live_server.client() as client:
        page = client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    for operation in (
        "GET /api/entries",
        "POST /api/entries",
        "PATCH /api/entries/{day}/{name}",
        "POST /api/clips",
        "GET /api/search",
    ):
        assert f"<code>{operation}</code>" in html, operation
    assert 'id="schema-EntryIn"' in html and 'href="#schema-EntryOut"' in html
    assert "<code>q</code> (required)" in html  # the search query parameter
    assert "Bearer" in html and 'href="/openapi.json"' in html
    # Nothing is loaded from another host: no scripts at all, styles from this site.
    assert "<script" not in html
    assert all(href.startswith("/") for href in re.findall(r'<link[^>]+href="([^"]+)"', html))


def test_every_link_of_the_api_reference_has_its_target(live_server: LiveServer) -> None:
    with live_server.client() as client:
        html = client.get("/api/docs").text
    targets = set(re.findall(r'id="([^"]+)"', html))
    links = re.findall(r'href="#([^"]+)"', html)
    assert links and all(link in targets for link in links), set(links) - targets
