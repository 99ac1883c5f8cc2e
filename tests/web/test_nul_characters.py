"""A NUL character never reaches the database as text: in an address (%00) it answers 404
or 400, in a title or body 400 naming the field — on PostgreSQL it was a 500 (issue 15,
item 3)."""

from __future__ import annotations

from clipdiary.model import NewEntry
from tests.conftest import LiveServer


def test_nul_in_addresses_and_fields_is_never_a_500(live_server: LiveServer) -> None:
    live_server.store.add_entry(NewEntry("kept", body="本文"))
    _, token = live_server.store.create_token("script")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        for path in ["/a%00b", "/20160905/x%00", "/category/%00", "/api/entries/20160905/x%00"]:
            assert client.get(path).status_code == 404, path
        assert client.get("/search?q=a%00b").status_code == 400
        assert client.get("/api/search?q=a%00b").status_code == 400
        for fields in ({"title": "a\x00b"}, {"title": "t", "body": "x\x00"}):
            refused = client.post("/api/entries", json=fields)
            assert refused.status_code == 400, refused.text
            assert "NUL character" in refused.json()["detail"]
        assert client.get("/").status_code == 200
    assert live_server.store.count_entries(include_private=True) == 1
