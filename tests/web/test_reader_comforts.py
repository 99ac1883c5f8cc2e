"""What a page says about itself (canonical address, OpenGraph) and the links to the days
either side, in the HTML served over real HTTP, on both backends."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import httpx

from clipdiary.model import NewEntry
from clipdiary.passwords import hash_password
from tests.conftest import LiveServer

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)  # its entry is 20160905/1473071774
PASSWORD = "correct horse battery"
LONG_BODY = "首脳会談の続報。\n" + "Officials said the talks made progress.\n" * 10


class _Head(HTMLParser):
    """The <link>, <meta property> and rel'd <a> tags of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: dict[str, list[str]] = {}
        self.meta: dict[str, list[str]] = {}
        self.anchors: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and "rel" in a:
            self.links.setdefault(a["rel"], []).append(a.get("href", ""))
        elif tag == "meta" and ("property" in a or "name" in a):
            key = a.get("property") or a["name"]
            self.meta.setdefault(key, []).append(a.get("content", ""))
        elif tag == "a" and "rel" in a:
            self.anchors.setdefault(a["rel"], []).append(a.get("href", ""))

    def one(self, kind: str, key: str) -> str | None:
        """The only value of a link rel, meta property or anchor rel; None when absent."""
        found = {"link": self.links, "meta": self.meta, "a": self.anchors}[kind].get(key, [])
        assert len(found) <= 1, f"{kind} {key} appears {len(found)} times"
        return found[0] if found else None


def _fill(server: LiveServer) -> None:
    """Public days on the 1st, the 5th and the 9th; the 3rd and the 7th hold only private
    entries; the 5th has a private entry beside its public one."""
    add = server.store.add_entry
    for days in (-4, 4):
        add(NewEntry(f"day {days:+d}", created=SUMMIT + dt.timedelta(days=days)))
    for days in (-2, 2):
        add(NewEntry("draft", created=SUMMIT + dt.timedelta(days=days), visibility="private"))
    add(NewEntry("Putin & Obama: サミットで会談", body=LONG_BODY, created=SUMMIT))
    add(NewEntry("Secret", created=SUMMIT + dt.timedelta(hours=1), visibility="private"))


def _head(client: httpx.Client, path: str) -> _Head:
    answer = client.get(path)
    assert answer.status_code == 200, path
    return _Head(answer.text)


def test_day_and_entry_pages_name_their_address_and_preview(live_server: LiveServer) -> None:
    _fill(live_server)
    with live_server.client() as client:
        day = _head(client, "/20160905")
        entry = _head(client, "/20160905/1473071774")
        top = _head(client, "/")
        login = _head(client, "/login")

    # no base URL set: the canonical address is a path, and og:url is left out
    assert day.one("link", "canonical") == "/20160905"
    assert day.one("meta", "og:type") == "website"
    assert day.one("meta", "og:title") == "2016-09-05"
    assert day.one("meta", "og:site_name") == "Test diary"
    assert day.one("meta", "og:url") is None
    assert day.one("meta", "og:description") is None

    assert entry.one("link", "canonical") == "/20160905/1473071774"
    assert entry.one("meta", "og:type") == "article"
    assert entry.one("meta", "og:title") == "Putin & Obama: サミットで会談"
    description = entry.one("meta", "og:description")
    assert description is not None
    assert description.startswith("首脳会談の続報。 Officials said the talks made progress.")
    assert len(description) <= 120 and description.endswith("…")
    assert "\n" not in description and "<" not in description
    assert entry.one("meta", "description") == description

    assert top.one("link", "canonical") == "/"
    assert login.one("link", "canonical") is None  # an owner's page is nobody's link target


def test_the_canonical_address_is_absolute_once_the_diary_has_one(
    live_server: LiveServer,
) -> None:
    _fill(live_server)
    live_server.store.update_settings(base_url="https://diary.example.org/d1021/")
    with live_server.client() as client:
        entry = _head(client, "/20160905/1473071774")
        month = _head(client, "/201609")
    address = "https://diary.example.org/d1021/20160905/1473071774"
    assert entry.one("link", "canonical") == address
    assert entry.one("meta", "og:url") == address
    assert month.one("link", "canonical") == "https://diary.example.org/d1021/201609"


def test_day_pages_link_the_nearest_days_the_viewer_may_read(live_server: LiveServer) -> None:
    _fill(live_server)
    live_server.store.set_password_hash(hash_password(PASSWORD))
    with live_server.client() as visitor:
        middle = _head(visitor, "/20160905")
        first = _head(visitor, "/20160901")
        last = _head(visitor, "/20160909")
        entry = _head(visitor, "/20160905/1473071774")
    # the private days between are skipped for a visitor
    assert middle.one("a", "prev") == "/20160901"
    assert middle.one("a", "next") == "/20160909"
    assert first.one("a", "prev") is None and first.one("a", "next") == "/20160905"
    assert last.one("a", "prev") == "/20160905" and last.one("a", "next") is None
    assert entry.one("a", "prev") == "/20160901" and entry.one("a", "next") == "/20160909"

    with live_server.client() as owner:
        token = re.search(r'name="csrf_token" value="([^"]+)"', owner.get("/login").text)
        assert token
        owner.post("/login", data={"password": PASSWORD, "csrf_token": token.group(1)})
        seen_by_owner = _head(owner, "/20160905")
    assert seen_by_owner.one("a", "prev") == "/20160903"
    assert seen_by_owner.one("a", "next") == "/20160907"
