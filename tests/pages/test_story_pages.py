"""What a reader sees of stories over real HTTP, on both backends: a story's page and feed,
the list of stories, the story line under every entry, and what visitors never see."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import feedparser
import pytest

from clipdiary.model import EntryChanges
from clipdiary.pages import story_pages
from clipdiary.stories import owner
from tests.conftest import LiveServer
from tests.pages.story_fixtures import RALLY, address, fill, log_in, permalink, story_of
from tests.related.helpers import add


def _parse(text: str) -> Any:
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def _section(html: str, name: str) -> str:
    start = html.index(f'id="{name}"')
    return html[start : html.index("</section>", start)]


def _titles(html: str) -> list[str]:
    found = re.findall(r'<p class="story-entry-title"><a href="[^"]+">([^<]*)</a>', html)
    return [htmllib.unescape(t) for t in found]


def test_a_story_page_shows_its_timeline_in_both_languages(live_server: LiveServer) -> None:
    s = fill(live_server.store)
    with live_server.client() as client:
        answer = client.get(f"/story/s{s.number}")
    assert answer.status_code == 200
    page = answer.text
    # Titled in the diary's language (Japanese: a diary kept in Tokyo), the English beside it.
    heading = page[page.index('<h2 class="page-title story-title">') :]
    heading = heading[: heading.index("</h2>")]
    assert htmllib.escape(s.japanese.title, quote=True) in heading
    assert f'<span class="other-title">{htmllib.escape(s.english.title)}</span>' in heading
    assert f"<title>{htmllib.escape(s.japanese.title)} - Test diary</title>" in page
    assert "2 clips" in page
    assert "2019-11-01</time> – <time" in page and "2019-11-02</time>" in page
    assert '<span class="lang">en</span> <span class="lang">ja</span>' in page
    assert 'Sources: <span class="site">Example</span>' in page
    # One day after another, oldest first, each entry linked to its permalink.
    days = re.findall(r'<h3 class="day-title"><a href="(/\d{8})">', page)
    assert days == ["/20191101", "/20191102"]
    assert _titles(page) == [s.english.title, s.japanese.title]
    english = page[page.index(f'data-address="{address(s.english)}"') :]
    english = english[: english.index("</li>")]
    assert f'href="{permalink(s.english)}" class="time"' in english
    assert ">18:00</time>" in english  # 09:00 UTC in the diary's time zone
    assert '<span class="source">Example</span>' in english
    assert '<span class="lang">en</span>' in english
    assert '<p class="lead">Thieves on Friday morning stole $26,750' in english
    assert s.unrelated.title not in page
    # Its feed is announced in the head, and the page names its one address.
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="'
        f'{htmllib.escape(s.japanese.title)} - Test diary" href="/story/s{s.number}/feed">'
    ) in page
    assert f'href="/story/s{s.number}/feed" class="feed"' in page
    assert f'<link rel="canonical" href="/story/s{s.number}">' in page
    assert 'href="/stories">話題 Stories</a>' in page
    assert "story-forms" not in page  # a visitor has no controls


def test_every_entry_in_a_story_says_so_wherever_it_is_shown(live_server: LiveServer) -> None:
    s = fill(live_server.store)
    line = (
        f'<p class="story-line">Story: <a href="/story/s{s.number}">'
        f"{htmllib.escape(s.japanese.title)}</a> — 2 clips since "
        '<time datetime="2019-11-01">2019-11-01</time></p>'
    )
    with live_server.client() as client:
        pages = {
            "top": client.get("/").text,
            "day": client.get("/20191101").text,
            "entry": client.get(permalink(s.english)).text,
            "month": client.get("/201911").text,
            "category": client.get("/category/Crime").text,
            "same date": client.get("/1101").text,
        }
        japanese = client.get(permalink(s.japanese)).text
        found = client.get("/search", params={"q": "Newport"}).text
    hit = found[found.index(f'href="{permalink(s.english)}"') :]
    assert line in hit[: hit.index("</li>")]
    for where, page in pages.items():
        assert line in _section(page, s.english.name), where
        if f'id="{s.unrelated.name}"' in page:
            assert 'class="story-line"' not in _section(page, s.unrelated.name), where
        assert 'href="/stories">話題 Stories</a>' in page, where
    assert line in _section(japanese, s.japanese.name)


def test_the_list_of_stories_is_paged_most_recent_first(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = live_server.store
    s = fill(store)
    rally_en = add(store, RALLY, "en", hours=60)
    rally_ja = add(store, RALLY, "ja", hours=62)
    rally = story_of(store, rally_en)
    assert rally is not None and rally == story_of(store, rally_ja) and rally != s.number
    with live_server.client() as client:
        page = client.get("/stories").text
        assert page.index(f'href="/story/s{rally}"') < page.index(f'href="/story/s{s.number}"')
        item = page[page.index(f'href="/story/s{s.number}"') :]
        item = item[: item.index("</li>")]
        assert htmllib.escape(s.japanese.title) in item
        assert '<span class="size">2 clips</span>' in item
        assert '<span class="lang">en</span> <span class="lang">ja</span>' in item
        assert "2019-11-01</time> – <time" in item and "2019-11-02</time>" in item
        assert '<link rel="canonical" href="/stories">' in page

        monkeypatch.setattr(story_pages, "STORIES_PER_PAGE", 1)
        store.set_day_title(s.english.day, "a change, so no page comes from the cache")
        first = client.get("/stories").text
        second = client.get("/stories?page=2").text
    assert f'href="/story/s{rally}"' in first and f'href="/story/s{s.number}"' not in first
    assert 'href="/stories?page=2" rel="next"' in first
    assert f'href="/story/s{s.number}"' in second and f'href="/story/s{rally}"' not in second
    assert 'href="/stories" rel="prev"' in second and 'rel="next"' not in second


def test_a_story_feed_has_its_public_entries_newest_first(live_server: LiveServer) -> None:
    store = live_server.store
    s = fill(store)
    hidden = add(store, "ntrex:cnn.304404", "en", hours=40, visibility="private", title="Hidden")
    assert story_of(store, hidden) == s.number
    with live_server.client() as client:
        answer = client.get(f"/story/s{s.number}/feed")
        page = client.get(f"/story/s{s.number}").text
        missing = client.get("/story/s999/feed")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = _parse(answer.text)
    assert feed.feed.title == f"{s.japanese.title} - Test diary"
    assert [e.title for e in feed.entries] == [s.japanese.title, s.english.title]
    assert feed.entries[0].link == f"{live_server.base_url}{permalink(s.japanese)}"
    assert "Hidden" not in answer.text
    # The visitor's timeline leaves the private entry out, and counts without it.
    assert _titles(page) == [s.english.title, s.japanese.title]
    assert "2 clips" in page
    assert missing.status_code == 404


def test_a_story_of_private_entries_is_not_there_for_visitors(live_server: LiveServer) -> None:
    store = live_server.store
    s = fill(store, visibility="private")
    store.update_entry(s.english.day, s.english.name, EntryChanges(visibility="private"))
    story = f"/story/s{s.number}"
    with live_server.client() as visitor:
        assert visitor.get(story).status_code == 404
        assert visitor.get(story + "/feed").status_code == 404
        assert "/story/" not in visitor.get("/stories").text.split("<main>")[1]
        assert visitor.get("/story/s999").status_code == 404
        assert visitor.get("/story/17x").status_code == 404
    with live_server.client() as client:
        log_in(store, client)
        page = client.get(story)
        day = client.get("/20191101").text
        listed = client.get("/stories").text
    assert page.status_code == 200
    assert _titles(page.text) == [s.english.title, s.japanese.title]
    assert page.text.count('<span class="badge">private</span>') == 2
    assert f'<a href="{story}">' in _section(day, s.english.name)
    assert f'href="{story}"' in listed


def test_a_public_story_shows_visitors_only_its_public_entries(live_server: LiveServer) -> None:
    store = live_server.store
    s = fill(store)
    third = add(store, "ntrex:cnn.304404", "en", hours=40, visibility="private", title="Hidden")
    assert story_of(store, third) == s.number
    with live_server.client() as visitor:
        page = visitor.get(f"/story/s{s.number}").text
        day = visitor.get("/20191101").text
    assert "Hidden" not in page and "badge" not in page
    assert "— 2 clips since" in _section(day, s.english.name)
    with live_server.client() as client:
        log_in(store, client)
        assert "— 3 clips since" in _section(client.get("/20191101").text, s.english.name)
        assert "Hidden" in client.get(f"/story/s{s.number}").text


def test_a_story_title_is_escaped_everywhere(live_server: LiveServer) -> None:
    store = live_server.store
    s = fill(store)
    owner.rename(store, s.number, "<script>alert('x')</script> & co")
    escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"
    with live_server.client() as client:
        story = client.get(f"/story/s{s.number}").text
        day = client.get("/20191101").text
        listed = client.get("/stories").text
        feed = client.get(f"/story/s{s.number}/feed").text
    for page in (story, day, listed):
        assert "<script>alert" not in page
        assert escaped in page
    assert "<script>" not in feed
    assert _parse(feed).feed.title == "<script>alert('x')</script> & co - Test diary"
    # The owner's title leads; the chosen one is shown beside it.
    assert f'<span class="other-title">{htmllib.escape(s.japanese.title)}</span>' in story
