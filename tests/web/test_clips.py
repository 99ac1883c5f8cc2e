"""Clipping through the web: the API (with and without the page's HTML), the owner's
Clip form, the bookmarklet on the settings page, and the CORS the bookmarklet needs."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote

import httpx
import pytest

from clipdiary.passwords import hash_password
from clipdiary.web.bookmarklet import bookmarklet
from tests.clip.clip_server import DEMO, MANIFEST, Server, running_server
from tests.conftest import LiveServer

PASSWORD = "correct horse battery"
EUC = next(e for e in MANIFEST if e["encoding"] == "EUC-JP")
EN = next(e for e in MANIFEST if e["lang"] == "en")


@pytest.fixture(scope="module")
def pages() -> Iterator[Server]:
    with running_server() as running:
        yield running


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


@contextmanager
def _owner(server: LiveServer) -> Iterator[httpx.Client]:
    server.store.set_password_hash(hash_password(PASSWORD))
    with server.client() as client:
        token = _csrf(client.get("/login").text)
        client.post("/login", data={"password": PASSWORD, "csrf_token": token})
        yield client


def test_the_api_clips_a_page_by_url(live_server: LiveServer, pages: Server) -> None:
    live_server.store.update_settings(allow_private_addresses=True)
    _, token = live_server.store.create_token("script")
    url = pages.url(f"/demo/{EUC['file']}")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        answer = client.post("/api/clips", json={"url": url, "note": "メモ", "categories": ["x"]})
        assert answer.status_code == 201, answer.text
        entry = answer.json()
        assert entry["title"] == EUC["title"]
        assert entry["source"]["url"] == url
        assert entry["source"]["lang"] == "ja"
        assert entry["categories"] == ["x"]
        assert EUC["text"].splitlines()[0] in entry["text"]
        assert answer.headers["location"] == entry["url"]
        again = client.post("/api/clips", json={"url": url})
        assert again.status_code == 409
        # In the API's words (no command-line option), with the earlier clip as data.
        assert again.json()["detail"] == (
            f"{url} is clipped already at {entry['url']} ({EUC['title']!r}); "
            'to clip it once more, send "again": true'
        )
        assert again.json()["clipped"] == {
            "day": entry["day"],
            "name": entry["name"],
            "url": entry["url"],
            "title": EUC["title"],
        }
        once_more = client.post("/api/clips", json={"url": url, "again": True})
        assert once_more.status_code == 201
        page = client.get(entry["url"])
    assert EUC["title"] in page.text
    assert "<blockquote" in page.text and "<cite>" in page.text


def test_the_api_clips_the_html_the_browser_sent(live_server: LiveServer) -> None:
    _, token = live_server.store.create_token("bookmarklet")
    html = (DEMO / EN["file"]).read_text("utf-8")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        answer = client.post("/api/clips", json={"url": EN["url"], "html": html})
    assert answer.status_code == 201, answer.text
    assert answer.json()["title"] == EN["title"]
    assert answer.json()["source"]["url"] == EN["url"]


def test_a_private_clip_stays_private_on_every_way_in(
    live_server: LiveServer, pages: Server
) -> None:
    live_server.store.update_settings(allow_private_addresses=True)
    _, token = live_server.store.create_token("script")
    html = (DEMO / EN["file"]).read_text("utf-8")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        sent = client.post(
            "/api/clips", json={"url": EN["url"], "html": html, "visibility": "private"}
        )
        fetched = client.post(
            "/api/clips",
            json={"url": pages.url(f"/demo/{EUC['file']}"), "visibility": "private"},
        )
    assert (sent.status_code, fetched.status_code) == (201, 201), fetched.text
    assert sent.json()["visibility"] == fetched.json()["visibility"] == "private"
    with _owner(live_server) as owner:
        form = owner.get("/clip")
        assert 'name="private"' in form.text
        answer = owner.post(
            "/clip",
            data={
                "url": pages.url(f"/demo/{EN['file']}"),
                "private": "1",
                "again": "1",
                "csrf_token": _csrf(form.text),
            },
        )
        assert answer.status_code == 303
        by_form = answer.headers["location"]
        assert EN["title"] in owner.get(by_form).text  # the owner sees it
    with live_server.client() as visitor:
        for path in (sent.json()["url"], fetched.json()["url"], by_form):
            assert visitor.get(path).status_code == 404
        assert EN["title"] not in visitor.get("/").text
    assert {e.visibility for e in live_server.store.entries(include_private=True)} == {"private"}


def test_the_api_refuses_clips_without_a_token_and_bad_pages(
    live_server: LiveServer, pages: Server
) -> None:
    _, token = live_server.store.create_token("t")
    with live_server.client() as anonymous:
        assert anonymous.post("/api/clips", json={"url": EN["url"]}).status_code == 401
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        refused = client.post("/api/clips", json={"url": pages.url("/demo/" + EN["file"])})
        assert refused.status_code == 400
        assert "private" in refused.json()["detail"] or "loopback" in refused.json()["detail"]
        empty = client.post("/api/clips", json={"url": EN["url"], "html": "<html></html>"})
        assert empty.status_code == 400
    assert live_server.store.count_entries(include_private=True) == 0


def test_the_owner_clips_through_the_form(live_server: LiveServer, pages: Server) -> None:
    live_server.store.update_settings(allow_private_addresses=True)
    url = pages.url(f"/demo/{EN['file']}")
    with _owner(live_server) as client:
        form = client.get("/clip")
        assert form.status_code == 200
        answer = client.post(
            "/clip",
            data={
                "url": url,
                "note": "Worth reading",
                "categories": "Crime",
                "csrf_token": _csrf(form.text),
            },
        )
        assert answer.status_code == 303
        page = client.get(answer.headers["location"]).text
        assert EN["title"] in page and "Worth reading" in page and "Clipped" in page
        entry_path = answer.headers["location"]
        twice = client.post("/clip", data={"url": url, "csrf_token": _csrf(form.text)})
        assert twice.status_code == 409
        # In the form's words: the checkbox to tick, not a command-line option.
        said = re.search(r'<p class="error" role="alert">([^<]*)</p>', twice.text)
        assert said is not None and "--again" not in said.group(1)
        assert html.unescape(said.group(1)) == (
            f"{url} is clipped already at {entry_path} ({EN['title']!r}). "
            "To clip it once more, tick “Clip again” below."
        )
        assert "> Clip again <" in twice.text and f'value="{url}"' in twice.text
        bad = client.post(
            "/clip", data={"url": pages.url("/status/404"), "csrf_token": _csrf(form.text)}
        )
        assert bad.status_code == 400
        assert "404" in bad.text
    with live_server.client() as visitor:
        assert visitor.get("/clip").status_code == 303


def test_the_settings_page_makes_a_working_bookmarklet(live_server: LiveServer) -> None:
    with _owner(live_server) as client:
        settings = client.get("/settings")
        assert settings.status_code == 200
        assert 'id="bookmarklet"' not in settings.text  # made only on request
        made = client.post("/settings/bookmarklet", data={"csrf_token": _csrf(settings.text)})
        assert made.status_code == 200
        assert made.headers["cache-control"] == "no-store"
        link = re.search(r'id="bookmarklet" href="([^"]+)"|href="(javascript:[^"]+)"', made.text)
        assert link is not None
        code = unquote(
            (link.group(1) or link.group(2)).replace("&#39;", "'").replace("&quot;", '"')
        )
        assert code.startswith("javascript:")
        assert "/api/clips" in code and "document.documentElement.outerHTML" in code
        token = re.search(r"Bearer (cd_[A-Za-z0-9_\-]+)", code)
        assert token is not None
        assert live_server.store.verify_token(token.group(1)) is not None
        assert token.group(1) not in made.headers.get("set-cookie", "")
        listed = client.get("/settings").text
        assert "bookmarklet" in listed and "revoke" in listed


def test_the_bookmarklet_code_is_safe_javascript() -> None:
    link = bookmarklet("https://diary.example/", "cd_abc'\"</script>")
    assert link.startswith("javascript:(()=>{")
    code = unquote(link.removeprefix("javascript:"))
    assert json.dumps("https://diary.example/api/clips") in code
    # The token is embedded as a JSON string, so quotes cannot break out of it.
    assert json.dumps("Bearer cd_abc'\"</script>") in code
    # What the browser decodes is the code itself: a '%' or a space is encoded.
    tilde = bookmarklet("https://d.example/%7E", "t")
    assert " " not in link and "%257E" in tilde and "/%7E" not in tilde


def test_cors_lets_the_bookmarklet_post_without_cookies(live_server: LiveServer) -> None:
    with live_server.client() as client:
        preflight = client.options(
            "/api/clips",
            headers={
                "Origin": "https://news.example.com",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in preflight.headers
