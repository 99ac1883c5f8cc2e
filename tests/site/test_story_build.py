"""Stories in ``clipdiary build``, on both backends: a page and a feed for each story of two
public entries, the list of stories, the story line under entries, privacy, and rebuilds
that follow a story's changes."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path
from typing import Any

import feedparser
import pytest

from clipdiary.model import EntryChanges, day_key
from clipdiary.pages import story_pages
from clipdiary.site.build import CACHE_NAME, build_site
from clipdiary.site.content import gather
from clipdiary.site.manifest import MANIFEST_NAME
from clipdiary.site.verify import broken_links
from clipdiary.store import Store
from clipdiary.store.lite import SqliteReader
from clipdiary.stories import owner
from clipdiary.stories.query import get_story, list_stories, story_langs_and_last, story_refs
from tests.pages.story_fixtures import RALLY, Stories, address, fill, story_of
from tests.related.helpers import ATM_STORY, add


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != MANIFEST_NAME and CACHE_NAME not in p.parts
    }


def _titles(page: str) -> list[str]:
    found = re.findall(r'<p class="story-entry-title"><a href="[^"]+">([^<]*)</a>', page)
    return [htmllib.unescape(t) for t in found]


def _parse(data: bytes) -> Any:
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def diary(store: Store) -> Stories:
    s = fill(store)
    hidden = add(store, ATM_STORY, "en", hours=40, visibility="private", title="Hidden ATM")
    assert story_of(store, hidden) == s.number
    return s


def test_each_story_has_a_page_a_feed_and_a_line_under_its_entries(
    store: Store, diary: Stories, tmp_path: Path
) -> None:
    s, out = diary, tmp_path / "site"
    build_site(store, out)
    assert broken_links(out) == []
    key = f"s{s.number}"
    page = (out / "story" / key / "index.html").read_text()
    assert htmllib.escape(s.japanese.title) in page.split("<main>")[1]
    assert _titles(page) == [s.english.title, s.japanese.title]  # the private one left out
    assert "Hidden ATM" not in page and "2 clips" in page
    assert f'href="/{address(s.english)}/"' in page  # folder addresses, as every link
    title = htmllib.escape(s.japanese.title)
    assert f'title="{title} - Test diary" href="/story/{key}/feed">' in page
    assert f'<link rel="canonical" href="/story/{key}/">' in page
    assert "story-forms" not in page and "csrf" not in page
    feed = _parse((out / "story" / key / "feed").read_bytes())
    assert [e.title for e in feed.entries] == [s.japanese.title, s.english.title]
    assert b"Hidden ATM" not in (out / "story" / key / "feed").read_bytes()
    listed = (out / "stories" / "index.html").read_text()
    assert f'href="/story/{key}/"' in listed and "2 clips" in listed
    line = (
        f'<p class="story-line">Story: <a href="/story/{key}/">'
        f"{htmllib.escape(s.japanese.title)}</a> — 2 clips since "
    )
    for path in (
        f"{address(s.english)}/index.html",
        f"{day_key(s.english.day)}/index.html",
        "201911/index.html",
        "index.html",
        "category/Crime/index.html",
    ):
        assert line in (out / path).read_text(), path
    unrelated = (out / address(s.unrelated) / "index.html").read_text()
    assert 'class="story-line"' not in unrelated
    assert 'href="/stories/">話題 Stories</a>' in unrelated


def test_the_static_stories_are_the_live_ones(store: Store, diary: Stories) -> None:
    """The build makes stories from its outline; they must be what ``stories.query`` reads."""
    rally = add(store, RALLY, "en", hours=60)
    add(store, RALLY, "ja", hours=62)
    content = gather(store)
    entries = store.entries(include_private=False)
    assert content.stories.by_entry == story_refs(
        store, [e.id for e in entries], include_private=False
    )
    live = list_stories(store, include_private=False)
    extras = story_langs_and_last(store, [r.number for r in live], include_private=False)
    assert [(i.ref, i.langs, i.last_day) for i in content.stories.items] == [
        (r, *extras[r.number]) for r in live
    ]
    content.load_all(store)
    other = story_of(store, rally)
    assert other is not None
    for number in (diary.number, other):
        made = content.stories.story(f"s{number}", content.entry)
        assert made == get_story(store, number, include_private=False)


def test_the_sqlite_reader_builds_the_same_stories(
    store: Store, diary: Stories, db_url: str, tmp_path: Path
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the standard library's reader reads SQLite diaries")
    folder = Path(db_url.removeprefix("sqlite:///")).parent
    reader = SqliteReader(folder)
    try:
        assert reader.story_members() == gather(store).story_members
        build_site(reader, tmp_path / "lite")
    finally:
        reader.close()
    build_site(store, tmp_path / "store")
    assert files_of(tmp_path / "lite") == files_of(tmp_path / "store")


def test_a_story_of_private_entries_has_no_page(store: Store, tmp_path: Path) -> None:
    s = fill(store, visibility="private")
    out = tmp_path / "site"
    build_site(store, out)
    key = f"s{s.number}"
    # One public entry is no story for the public: no page, no line, not in the list.
    assert not (out / "story" / key).exists()
    assert 'class="story-line"' not in (out / address(s.english) / "index.html").read_text()
    assert "/story/" not in (out / "stories" / "index.html").read_text()
    assert s.japanese.title not in "".join(p.decode() for p in files_of(out).values())
    assert broken_links(out) == []


def test_a_rename_rewrites_the_pages_that_show_the_story(
    store: Store, diary: Stories, tmp_path: Path
) -> None:
    s, out = diary, tmp_path / "site"
    build_site(store, out)
    owner.rename(store, s.number, "ATM <theft>")
    report = build_site(store, out)
    assert not report.full
    written = {p for p in report.written if not p.startswith("search/")}
    key = f"s{s.number}"
    for path in (
        f"story/{key}/index.html",
        f"story/{key}/feed",
        "stories/index.html",
        f"{address(s.english)}/index.html",
        f"{address(s.japanese)}/index.html",
        "20191101/index.html",
        "20191102/index.html",
        "201911/index.html",
        "index.html",
        "category/Crime/index.html",
    ):
        assert path in written, path
    assert f"{address(s.unrelated)}/index.html" not in written
    assert "feed" not in written  # the diary's feed shows no story
    page = (out / "story" / key / "index.html").read_text()
    assert "ATM &lt;theft&gt;" in page and "<theft>" not in page
    assert "ATM &lt;theft&gt;</a> — 2 clips" in (out / "20191101" / "index.html").read_text()
    _equal_to_a_full_build(store, out, tmp_path / "full")


def test_a_new_member_and_a_story_that_goes_rebuild_what_they_touch(
    store: Store, diary: Stories, tmp_path: Path
) -> None:
    s, out = diary, tmp_path / "site"
    key = f"s{s.number}"
    build_site(store, out)
    follow = add(store, ATM_STORY, "en", hours=50, title="ATM theft: follow-up")
    assert story_of(store, follow) == s.number
    report = build_site(store, out)
    assert f"{address(s.english)}/index.html" in report.written
    assert f"story/{key}/index.html" in report.written
    page = (out / "story" / key / "index.html").read_text()
    assert _titles(page) == [s.english.title, s.japanese.title, follow.title]
    assert "— 3 clips since" in (out / address(s.english) / "index.html").read_text()
    _equal_to_a_full_build(store, out, tmp_path / "full")
    # Hidden, two of the three leave the public story: its pages go.
    for entry in (s.japanese, follow):
        store.update_entry(entry.day, entry.name, EntryChanges(visibility="private"))
    report = build_site(store, out)
    assert f"story/{key}/index.html" in report.removed
    assert f"story/{key}/feed" in report.removed
    assert 'class="story-line"' not in (out / address(s.english) / "index.html").read_text()
    assert broken_links(out) == []
    _equal_to_a_full_build(store, out, tmp_path / "full2")


def test_the_list_of_stories_goes_on_over_pages(
    store: Store, diary: Stories, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rally = add(store, RALLY, "en", hours=60)
    add(store, RALLY, "ja", hours=62)
    monkeypatch.setattr(story_pages, "STORIES_PER_PAGE", 1)
    out = tmp_path / "site"
    build_site(store, out)
    first = (out / "stories" / "index.html").read_text()
    second = (out / "stories" / "page" / "2" / "index.html").read_text()
    assert f'href="/story/s{story_of(store, rally)}/"' in first
    assert 'href="/stories/page/2/" rel="next"' in first
    assert f'href="/story/s{diary.number}/"' in second
    assert 'href="/stories/" rel="prev"' in second
    assert broken_links(out) == []


def _equal_to_a_full_build(store: Store, out: Path, full: Path) -> None:
    build_site(store, full)
    assert files_of(full) == files_of(out)
