"""Kept images and archived pages over real HTTP: ``/media/…``, ``/YYYYMMDD/NAME/page``,
the entry's JSON, who may see what, and the static build's copies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from clipdiary.archive.view import set_archived_pages
from clipdiary.clip.pipeline import clip_url
from clipdiary.passwords import hash_password
from clipdiary.site.build import build_site
from tests.clip.image_server import FIG1, LEAD, ImageServer, image_server
from tests.conftest import LiveServer

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def images() -> Iterator[ImageServer]:
    with image_server() as running:
        yield running


@contextmanager
def _owner(server: LiveServer) -> Iterator[httpx.Client]:
    server.store.set_password_hash(hash_password(PASSWORD))
    with server.client() as client:
        found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert found
        client.post("/login", data={"password": PASSWORD, "csrf_token": found.group(1)})
        yield client


def test_images_are_served_by_the_diary_and_listed_in_the_api(
    live_server: LiveServer, images: ImageServer
) -> None:
    store = live_server.store
    store.update_settings(allow_private_addresses=True)
    entry = clip_url(store, images.url("/article")).entry
    with live_server.client() as client:
        data = client.get(f"/api/entries/{entry.day:%Y%m%d}/{entry.name}").json()
        kept = data["images"]
        assert [i["lead"] for i in kept] == [True, False, False]
        assert kept[0]["url"] == images.url("/img/lead.jpg")
        assert data["source_status"] is None  # no check yet, and visitors are not told
        answer = client.get(kept[0]["src"])
        assert answer.status_code == 200
        assert answer.content == LEAD
        assert answer.headers["content-type"] == "image/jpeg"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "immutable" in answer.headers["cache-control"]
        # The same file under another kind's name, or a made-up one, is not there.
        assert client.get(kept[0]["src"].replace(".jpg", ".png")).status_code == 404
        assert client.get("/media/" + "0" * 64 + ".jpg").status_code == 404
        assert client.get("/media/../diary.db").status_code == 404


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the store is covered on both
def test_a_private_clips_images_are_the_owners(
    live_server: LiveServer, images: ImageServer
) -> None:
    store = live_server.store
    store.update_settings(allow_private_addresses=True)
    entry = clip_url(store, images.url("/article"), visibility="private").entry
    src = store_images_src(live_server, entry.day.strftime("%Y%m%d"), entry.name)
    with live_server.client() as client:
        assert client.get(src).status_code == 404
    with _owner(live_server) as owner:
        answer = owner.get(src)
        assert answer.status_code == 200 and answer.content == FIG1
        assert "private" in answer.headers["cache-control"]


def store_images_src(server: LiveServer, day: str, name: str) -> str:
    with _owner(server) as owner:
        data = owner.get(f"/api/entries/{day}/{name}").json()
    return str(data["images"][1]["src"])


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the store is covered on both
def test_the_archived_page_is_the_owners_unless_the_diary_says_so(
    live_server: LiveServer, images: ImageServer
) -> None:
    store = live_server.store
    store.update_settings(allow_private_addresses=True)
    entry = clip_url(store, images.url("/article")).entry
    path = f"/{entry.day:%Y%m%d}/{entry.name}/page"
    with live_server.client() as client:
        assert client.get(path).status_code == 404
        assert client.get(path + "/content").status_code == 404
        assert "/page" not in client.get(path.removesuffix("/page")).text.split("quote")[-1]
    with _owner(live_server) as owner:
        entry_page = owner.get(path.removesuffix("/page")).text
        assert f'href="{path}"' in entry_page
        wrapper = owner.get(path)
        assert wrapper.status_code == 200
        assert "fetched" in wrapper.text and images.url("/article") in wrapper.text
        assert re.search(r'<iframe[^>]*sandbox=""[^>]*src="' + path + '/content"', wrapper.text)
        content = owner.get(path + "/content")
        policy = content.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "img-src data:" in policy
        assert "sandbox" in policy
        assert "<script" not in content.text.lower()
        assert "New ferry terminal opens" in content.text
        # Kept images are inline; the ones not kept are gone, so nothing is fetched.
        assert content.text.count('src="data:image/') == 2  # the lead is og:image only
        assert images.base_url not in content.text.replace(f'href="{images.base_url}', "")
    set_archived_pages(store, "public")
    with live_server.client() as client:
        assert client.get(path).status_code == 200
        assert client.get(path + "/content").status_code == 200


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the store is covered on both
def test_the_static_build_copies_the_images_it_shows(
    live_server: LiveServer, images: ImageServer, tmp_path: Path
) -> None:
    store = live_server.store
    store.update_settings(allow_private_addresses=True)
    entry = clip_url(store, images.url("/article")).entry
    hidden = clip_url(store, images.url("/article"), again=True, visibility="private").entry
    out = tmp_path / "site"
    build_site(store, out)
    page = (out / f"{entry.day:%Y%m%d}" / entry.name / "index.html").read_text("utf-8")
    sources = re.findall(r'<img src="(/media/[0-9a-f]{64}\.\w+)"', page)
    assert len(sources) == 3
    for src in sources:
        assert (out / src.lstrip("/")).is_file()
    assert (out / sources[0].lstrip("/")).read_bytes() == LEAD
    assert not (out / f"{hidden.day:%Y%m%d}" / hidden.name).exists()
