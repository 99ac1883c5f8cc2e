"""A feed stays well-formed XML whatever an entry holds: characters XML cannot carry (a
clipped title's ``&#7;``) are left out, live and in the static build."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from clipdiary.site.build import build_site
from tests.clip.clip_server import Server, running_server
from tests.conftest import LiveServer

ATOM = "{http://www.w3.org/2005/Atom}"
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=dt.timezone(dt.timedelta(hours=9)))


@pytest.fixture(scope="module")
def pages() -> Iterator[Server]:
    with running_server() as running:
        yield running


def _titles(xml: str) -> list[str]:
    root = ET.fromstring(xml)  # noqa: S314 - our own feed; refuses one not well-formed
    return [e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")]


def test_a_control_character_in_a_clipped_title_keeps_the_feed_well_formed(
    live_server: LiveServer, pages: Server, tmp_path: Path
) -> None:
    store = live_server.store
    store.update_settings(allow_private_addresses=True)  # the page is on loopback
    _, token = store.create_token("test")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        clipped = client.post("/api/clips", json={"url": pages.url("/control-title")})
        assert clipped.status_code == 201, clipped.text
        typed = {
            "title": "bell\u0007 esc\u001b \ufffe end",
            "body": "a body with \u0008 in it",
            "categories": ["ca\u0007t"],
            "created": SUMMIT.isoformat(),
            "source": {"url": "https://news.example.com/a", "site": "Site\u0007"},
        }
        assert client.post("/api/entries", json=typed).status_code == 201
        feed = client.get("/feed")
        category = client.get("/category/ca%07t/feed")
    assert feed.status_code == 200
    assert sorted(_titles(feed.text)) == ["Summit talks  resume", "bell esc  end"]
    assert category.status_code == 200
    assert _titles(category.text) == ["bell esc  end"]
    build_site(store, tmp_path / "site")
    static = (tmp_path / "site" / "feed").read_text("utf-8")
    assert sorted(_titles(static)) == ["Summit talks  resume", "bell esc  end"]
