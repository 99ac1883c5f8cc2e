"""A page that shows markup as text: its clip shows the same text, links nothing, loads nothing.

The page is served on loopback, clipped through ``POST /api/clips`` as the bookmarklet and
scripts do, and the entry's page is read back over HTTP.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from tests.clip.clip_server import Server, running_server
from tests.conftest import LiveServer


@pytest.fixture(scope="module")
def pages() -> Iterator[Server]:
    with running_server() as running:
        yield running


def test_tags_a_page_shows_as_text_stay_text_in_the_clip(
    live_server: LiveServer, pages: Server
) -> None:
    store = live_server.store
    store.update_settings(allow_private_addresses=True)  # the page is on loopback
    _, token = store.create_token("test")
    auth = {"Authorization": f"Bearer {token}"}
    with live_server.client(headers=auth) as client:
        made = client.post("/api/clips", json={"url": pages.url("/markup-as-text")})
        assert made.status_code == 201, made.text
        page = client.get(made.json()["url"]).text
    body = page[page.index('<div class="body">') :]
    article = body[: body.index("</section>")]
    # Nothing in the clip's text became an element: no link, no image, no bold.
    assert "evil.example" in article
    assert not re.search(r"<a\b[^>]*evil\.example", article), article
    assert not re.search(r"<img\b", article), article
    assert not re.search(r"<b>", article)
    # The reader sees the characters the page showed.
    text = html.unescape(re.sub(r"<[^>]+>", "", article))
    assert '<a href="https://evil.example/steal">like this</a>' in text
    assert '<img src="https://tracker.example/pixel.gif">' in text
    assert "[https://tracker.example/notation.gif:image]" in text
    # (trafilatura decodes the page's "&amp;lt;b&amp;gt;" twice: "<b>", still only text.)
    assert "as <b> when" in text
