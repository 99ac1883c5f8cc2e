"""``clipdiary build``: the static site's files, links, feeds, privacy and incremental rebuilds.

Every test runs on SQLite and PostgreSQL (the ``store`` fixture).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import feedparser
import pytest

from clipdiary.model import EntryChanges, NewEntry, Source
from clipdiary.related.link import RelatedIndexer
from clipdiary.site.build import CACHE_NAME, BuildOptions, build_site
from clipdiary.site.manifest import (
    LEGACY_NAME,
    MANIFEST_NAME,
    Manifest,
    load_manifest,
    save_manifest,
)
from clipdiary.site.verify import broken_links
from clipdiary.site.writer import OutputFolder, SiteError
from clipdiary.store import Store

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)
PRIVATE_TITLE = "Secret plans 極秘"


def fill(store: Store) -> None:
    with store.transaction():
        store.add_entry(
            NewEntry(
                "プーチン大統領、シリア停戦で合意の可能性",
                body="首脳会談の続報。\n\n>https://news.example.jp/a:title=記事>\n外相が会談した。\n<<",
                categories=("Russia", "Syria"),
                created=SUMMIT,
                source=Source(url="https://news.example.jp/a", site="Example 新聞", lang="ja"),
            )
        )
        store.add_entry(
            NewEntry(
                "Putin: Russia & US may reach agreement on Syria",
                body="Talks went on late.",
                categories=("Russia", "a/b"),
                created=SUMMIT + dt.timedelta(minutes=30),
                source=Source(url="https://world.example.com/putin", site="RT", lang="en"),
            )
        )
        store.add_entry(
            NewEntry(
                PRIVATE_TITLE,
                body="never published 非公開",
                categories=("Russia", "Hidden"),
                visibility="private",
                created=SUMMIT + dt.timedelta(hours=1),
            )
        )
        store.add_entry(NewEntry("A year earlier", created=SUMMIT.replace(year=2015)))
        store.add_entry(NewEntry("Next month", created=SUMMIT + dt.timedelta(days=30)))
        store.set_day_title(SUMMIT.date(), "シリア")


def files_of(root: Path) -> set[str]:
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and p.name != MANIFEST_NAME and CACHE_NAME not in p.parts
    }


def parse(path: Path) -> Any:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("base_path", ["", "/diary"])
def test_the_site_has_every_page_at_the_live_address_and_no_broken_link(
    store: Store, tmp_path: Path, base_path: str
) -> None:
    fill(store)
    out = tmp_path / "site"
    report = build_site(store, out, BuildOptions(base_path=base_path))
    assert report.full
    found = files_of(out)
    for path in (
        "index.html",
        "20160905/index.html",
        "20160905/1473071774/index.html",
        "20160905/1473073574/index.html",
        "201609/index.html",
        "0905/index.html",
        "archive/index.html",
        "category/Russia/index.html",
        "category/a/b/index.html",
        "category/Russia/feed",
        "feed",
        "search/index.html",
        "static/style.css",
        "static/search.js",
        "404.html",
        "search/meta.json",
    ):
        assert path in found, path
    day = (out / "20160905/index.html").read_text()
    assert f'href="{base_path}/20160905/1473071774/"' in day
    assert 'id="1473071774"' in day and "シリア" in day
    assert f'href="{base_path}/static/style.css"' in day
    assert f'href="{base_path}/feed"' in day
    assert "Log in" not in day and "/login" not in day
    assert broken_links(out, base_path) == []


def test_private_entries_appear_nowhere(store: Store, tmp_path: Path) -> None:
    fill(store)
    out = tmp_path / "site"
    build_site(store, out)
    for path in out.rglob("*"):
        if path.is_file():  # the pages, and the fragments kept for the next build too
            data = path.read_bytes()
            for secret in ("Secret plans", "never published", "非公開", "Hidden"):
                assert secret.encode() not in data, (path, secret)
    assert not (out / "category/Hidden").exists()


def test_the_static_feeds_are_valid_atom_with_live_permalinks_as_ids(
    store: Store, tmp_path: Path
) -> None:
    fill(store)
    out = tmp_path / "site"
    build_site(store, out, BuildOptions(site_url="https://example.com/diary"))
    feed = parse(out / "feed")
    assert [e.title for e in feed.entries][:2] == [
        "Next month",
        "Putin: Russia & US may reach agreement on Syria",
    ]
    summit = next(e for e in feed.entries if e.title.startswith("プーチン"))
    assert summit.id == "https://example.com/diary/20160905/1473071774"
    assert summit.link == "https://example.com/diary/20160905/1473071774/"
    assert [t.term for t in summit.tags] == ["Russia", "Syria"]
    assert "首脳会談の続報" in summit.content[0].value
    russia = parse(out / "category/Russia/feed")
    assert len(russia.entries) == 2
    assert "<link" in (out / "category/Russia/index.html").read_text()
    assert 'href="/diary/category/Russia/feed"' in (out / "category/Russia/index.html").read_text()


def test_an_unchanged_diary_rebuilds_nothing(store: Store, tmp_path: Path) -> None:
    fill(store)
    out = tmp_path / "site"
    first = build_site(store, out)
    again = build_site(store, out)
    assert not again.full
    assert again.written == [] and again.removed == []
    assert again.pages == first.pages


def test_one_new_clip_rewrites_only_the_pages_it_shows_on(store: Store, tmp_path: Path) -> None:
    fill(store)
    out = tmp_path / "site"
    build_site(store, out)
    before = {p: (out / p).read_bytes() for p in files_of(out)}
    # A clip of no story: one that joins a story shows on its story's pages and under the
    # story's other entries too (tests/site/test_story_build.py).
    store.add_entry(
        NewEntry(
            "ラブロフ外相、台風で来日を延期",
            body="台風10号が関東に接近し、羽田空港の発着便が欠航した。",
            categories=("Syria",),
            created=SUMMIT + dt.timedelta(hours=2),
            source=Source(url="https://news.example.jp/b", site="Example 新聞", lang="ja"),
        )
    )
    report = build_site(store, out)
    assert not report.full
    written = set(report.written)
    pages = {p for p in written if not p.startswith("search/")}
    assert pages == {
        "20160905/1473078974/index.html",
        "20160905/index.html",
        "201609/index.html",
        "0905/index.html",
        "index.html",
        "archive/index.html",
        "feed",
        "category/Syria/index.html",
        "category/Syria/feed",
    }
    # Everything written really changed, and nothing else did.
    after = files_of(out)
    for path in after & before.keys():
        changed = (out / path).read_bytes() != before[path]
        assert changed == (path in written), path
    assert "ラブロフ外相" in (out / "category/Syria/index.html").read_text()
    # The incremental result is exactly what a full build makes.
    full = tmp_path / "full"
    build_site(store, full)
    assert files_of(full) == after
    for path in after:
        assert (full / path).read_bytes() == (out / path).read_bytes(), path


def test_removed_and_hidden_entries_lose_their_pages(store: Store, tmp_path: Path) -> None:
    fill(store)
    out = tmp_path / "site"
    build_site(store, out)
    assert (out / "201610/index.html").is_file()
    store.delete_entry(dt.date(2016, 10, 5), "1475663774")
    store.update_entry(dt.date(2016, 9, 5), "1473073574", EntryChanges(visibility="private"))
    report = build_site(store, out)
    assert not report.full
    assert "201610/index.html" in report.removed
    assert "20161005/1475663774/index.html" in report.removed
    assert "20160905/1473073574/index.html" in report.removed
    assert "category/a/b/index.html" in report.removed
    assert not (out / "20161005").exists() and not (out / "category/a").exists()
    assert "Putin" not in (out / "20160905/index.html").read_text()
    assert broken_links(out) == []
    full = tmp_path / "full"
    build_site(store, full)
    assert files_of(full) == files_of(out)


def test_a_new_base_path_rebuilds_everything(store: Store, tmp_path: Path) -> None:
    fill(store)
    out = tmp_path / "site"
    first = build_site(store, out)
    moved = build_site(store, out, BuildOptions(base_path="/d"))
    assert moved.full
    pages = {p for p in files_of(out) if p.endswith(".html") or p.endswith("feed")}
    assert set(moved.written) == pages  # the index and assets hold no link: they stay
    assert first.pages == moved.pages
    assert broken_links(out, "/d") == []


def test_a_folder_not_made_by_build_is_refused(store: Store, tmp_path: Path) -> None:
    fill(store)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(SiteError, match="not empty"):
        build_site(store, out)
    assert (out / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("path", ["../x.html", "/etc/x", "a//b", "a/./b", "a\\b", ""])
def test_the_writer_refuses_paths_outside_the_folder(tmp_path: Path, path: str) -> None:
    with pytest.raises(SiteError):
        OutputFolder(tmp_path, {}).put(path, b"x")


def test_the_writer_refuses_two_pages_at_one_address(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path, {})
    folder.put("a/index.html", b"1")
    with pytest.raises(SiteError, match="same address"):
        folder.put("a/index.html", b"2")


def test_a_category_pages_from_its_oldest_so_a_new_clip_changes_only_its_front(
    store: Store, tmp_path: Path
) -> None:
    start = dt.datetime(2020, 1, 1, 9, tzinfo=JST)
    # Forty-five clips titled alike would be one story, whose line under every clip changes
    # with each new one; this test is about category pages, so no related links or stories.
    store.indexers = [i for i in store.indexers if not isinstance(i, RelatedIndexer)]
    with store.transaction():
        for i in range(45):
            store.add_entry(
                NewEntry(f"Clip {i:02d}", categories=("News",), created=start + dt.timedelta(i))
            )
    out = tmp_path / "site"
    build_site(store, out)
    front = (out / "category/News/index.html").read_text()
    # 45 entries: one full earlier page (the oldest 20), the front shows the newest 25.
    assert (out / "category/News/page/1/index.html").is_file()
    assert not (out / "category/News/page/2").exists()
    assert front.count('class="entry"') == 25
    assert "Clip 44</h3>" in front and "Clip 19</h3>" not in front
    assert '<span class="count">45</span>' in front
    first = (out / "category/News/page/1/index.html").read_text()
    assert "Clip 00</h3>" in first and "Clip 19</h3>" in first and "Clip 20</h3>" not in first
    assert 'class="count"' not in first
    assert broken_links(out) == []
    for i in range(45, 61):  # up to 61 entries: a second earlier page appears
        store.add_entry(
            NewEntry(f"Clip {i:02d}", categories=("News",), created=start + dt.timedelta(i))
        )
        report = build_site(store, out)
        written = {p for p in report.written if p.startswith("category/")}
        if i + 1 == 60:  # a full front: its oldest 20 become page 2, which page 1 links
            assert written == {
                "category/News/index.html",
                "category/News/feed",
                "category/News/page/1/index.html",
                "category/News/page/2/index.html",
            }
        else:
            assert written == {"category/News/index.html", "category/News/feed"}
    assert (out / "category/News/page/2/index.html").is_file()
    assert broken_links(out) == []
    full = tmp_path / "full"
    build_site(store, full)
    assert files_of(full) == files_of(out)
    for path in files_of(out):
        assert (full / path).read_bytes() == (out / path).read_bytes(), path


def test_a_new_month_updates_its_neighbours_links(store: Store, tmp_path: Path) -> None:
    fill(store)
    out = tmp_path / "site"
    build_site(store, out)
    assert 'href="/201610/" rel="next"' in (out / "201609/index.html").read_text()
    store.add_entry(NewEntry("Between", created=SUMMIT + dt.timedelta(days=10)))
    store.add_entry(NewEntry("Later", created=SUMMIT + dt.timedelta(days=70)))
    build_site(store, out)
    assert 'href="/201611/" rel="next"' in (out / "201610/index.html").read_text()
    full = tmp_path / "full"
    build_site(store, full)
    for path in files_of(out):
        assert (full / path).read_bytes() == (out / path).read_bytes(), path


def test_an_entry_edited_again_within_the_second_of_a_build_is_still_seen(
    store: Store, tmp_path: Path
) -> None:
    fill(store)
    out = tmp_path / "site"
    now = dt.datetime.now(JST)
    entry = store.add_entry(NewEntry("Fresh", body="first words", created=now))
    build_site(store, out)
    store.update_entry(entry.day, entry.name, EntryChanges(body="second words"), when=now)
    build_site(store, out)
    page = (out / f"{entry.day:%Y%m%d}/{entry.name}/index.html").read_text()
    assert "second words" in page


def test_the_manifest_keeps_odd_paths_as_they_were(tmp_path: Path) -> None:
    odd = ["category/a\tb/index.html", 'category/"q"/index.html', "category/x\ny/feed", "日記"]
    manifest = Manifest(
        config="c" * 32,
        read_at=1_700_000_000,
        files=dict.fromkeys(odd, "h" * 32),
        pages=dict.fromkeys(odd, "p" * 32),
        entries={'20160905/"n"': ("f" * 16, 7), "20160905/1473078974": ("e" * 16, 8)},
        search_buckets=64,
    )
    tmp_path.mkdir(exist_ok=True)
    save_manifest(tmp_path, manifest)
    assert load_manifest(tmp_path) == manifest
    (tmp_path / MANIFEST_NAME).write_bytes(b"something else")
    with pytest.raises(SiteError, match="damaged"):
        load_manifest(tmp_path)


def test_a_folder_built_by_an_earlier_clipdiary_is_rebuilt_in_full_once(
    store: Store, tmp_path: Path
) -> None:
    fill(store)
    out = tmp_path / "site"
    build_site(store, out)
    stale = out / "stale.html"
    stale.write_text("from an earlier build")
    (out / MANIFEST_NAME).unlink()
    (out / LEGACY_NAME).write_text(json.dumps({"format": 2, "files": {"stale.html": "x"}}))
    report = build_site(store, out)
    assert report.full and report.removed == ["stale.html"]
    assert not (out / LEGACY_NAME).exists()
    assert not build_site(store, out).full


def test_list_pages_stitch_kept_sections_and_a_full_build_renders_afresh(
    store: Store, tmp_path: Path
) -> None:
    fill(store)
    out = tmp_path / "site"
    build_site(store, out)
    # Mark the kept section of the 2015 entry: a list page that shows it unchanged must
    # take it from the bundle rather than render it again.
    bundle_path = out / CACHE_NAME / "sections" / "201509.json"
    bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
    ((entry_id, (entry_print, html)),) = bundle.items()
    assert "A year earlier" in html
    bundle[entry_id] = [entry_print, html.replace("A year earlier", "KEPT-MARK")]
    bundle_path.write_text(json.dumps(bundle), encoding="utf-8")
    store.add_entry(NewEntry("Another on the summit day", created=SUMMIT + dt.timedelta(hours=3)))
    report = build_site(store, out)
    assert "0905/index.html" in report.written  # the date page: 2016 and 2015 on it
    assert "KEPT-MARK" in (out / "0905/index.html").read_text(encoding="utf-8")
    again = build_site(store, out, BuildOptions(full=True))
    assert "0905/index.html" in again.written
    assert "KEPT-MARK" not in (out / "0905/index.html").read_text(encoding="utf-8")


def test_day_pages_link_their_neighbours_and_a_new_day_updates_them(
    store: Store, tmp_path: Path
) -> None:
    fill(store)
    out = tmp_path / "site"
    build_site(store, out, BuildOptions(base_path="/diary", site_url="https://example.org"))
    summit = (out / "20160905/index.html").read_text()
    assert 'href="/diary/20150905/" rel="prev"' in summit
    assert 'href="/diary/20161005/" rel="next"' in summit
    assert '<link rel="canonical" href="https://example.org/diary/20160905/">' in summit
    entry = (out / "20160905/1473071774/index.html").read_text()
    assert 'href="/diary/20161005/" rel="next"' in entry
    first = (out / "20150905/index.html").read_text()
    assert 'rel="prev"' not in first and 'href="/diary/20160905/" rel="next"' in first

    # A day between two others: both of them now link to it, and nothing else moved.
    store.add_entry(NewEntry("In between", created=SUMMIT + dt.timedelta(days=10)))
    report = build_site(
        store, out, BuildOptions(base_path="/diary", site_url="https://example.org")
    )
    written = set(report.written)
    assert {"20160905/index.html", "20161005/index.html", "20160915/index.html"} <= written
    assert 'href="/diary/20160915/" rel="next"' in (out / "20160905/index.html").read_text()
    assert 'href="/diary/20160915/" rel="prev"' in (out / "20161005/index.html").read_text()
    assert "20150905/index.html" not in written
    full = tmp_path / "full"
    build_site(store, full, BuildOptions(base_path="/diary", site_url="https://example.org"))
    for path in files_of(full):
        assert (full / path).read_bytes() == (out / path).read_bytes(), path


def test_the_plans_fingerprints_are_each_pages_own(store: Store) -> None:
    """``plan`` makes the days' and entries' fingerprints in one pass: they must be the
    ones ``print_of`` gives page by page."""
    from clipdiary.site.content import gather
    from clipdiary.site.pages import StaticPages

    fill(store)
    store.add_entry(NewEntry("Same day, later", created=SUMMIT + dt.timedelta(hours=3)))
    content = gather(store)
    content.fingerprints(set(), salt="")
    pages = StaticPages(store, content, base_path="", site_url="")
    planned, others = pages.plan()
    assert len(planned) > 10
    for path, page_print in planned.items():
        job = others.get(path) or pages.entry_job(path)
        assert pages.print_of(job) == page_print, path


class _Counting:
    """A reader that counts the outline reads a build makes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.outline_reads = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def stamps(self, *, include_private: bool) -> Any:
        self.outline_reads += 1
        return self.store.stamps(include_private=include_private)


def test_a_build_with_nothing_to_do_reads_only_the_revision(store: Store, tmp_path: Path) -> None:
    fill(store)
    out = tmp_path / "site"
    first = build_site(store, out)
    reader = _Counting(store)
    again = build_site(reader, out)
    assert (again.written, again.removed, again.full) == ([], [], False)
    assert (again.pages, again.entries) == (first.pages, first.entries)
    assert reader.outline_reads == 0
    # Any write moves the revision: the next build looks, and finds what changed.
    store.set_day_title(SUMMIT.date(), "題を変えた")
    changed = build_site(reader, out)
    assert reader.outline_reads == 1 and "20160905/index.html" in changed.written
    # Other options are another configuration: that build looks too.
    build_site(reader, out, BuildOptions(base_path="/elsewhere"))
    assert reader.outline_reads == 2


def test_a_manifest_of_the_last_format_is_read_and_rewritten(store: Store, tmp_path: Path) -> None:
    fill(store)
    out = tmp_path / "site"
    build_site(store, out)
    manifest = out / MANIFEST_NAME
    header, _, rest = manifest.read_text(encoding="utf-8").partition("\n")
    fields = header.split("\t")
    manifest.write_text("\t".join([fields[0], "3", *fields[2:5]]) + "\n" + rest, "utf-8")
    again = build_site(store, out)  # a format-3 manifest: no revision, so it looks
    assert not again.full and again.written == []
    assert manifest.read_text(encoding="utf-8").split("\t")[1] == "4"


def test_a_diary_made_again_under_the_same_name_is_built_afresh(tmp_path: Path) -> None:
    from clipdiary.model import Diary
    from clipdiary.store import create_diary

    out = tmp_path / "site"
    first = create_diary(tmp_path / "one", None, Diary(name="same", title="Same"))
    first.indexers = []
    first.add_entry(NewEntry("Only in the first", created=SUMMIT))
    build_site(first, out)
    again = create_diary(tmp_path / "two", None, Diary(name="same", title="Same"))
    again.indexers = []
    again.add_entry(NewEntry("Only in the second", created=SUMMIT))
    assert again.revision() == first.revision()  # the same revision, another diary
    report = build_site(again, out)
    assert report.full
    assert "Only in the second" in (out / "20160905/index.html").read_text()
    first.database.close()
    again.database.close()


def test_a_deleted_stylesheet_is_written_again_when_nothing_else_changed(
    store: Store, tmp_path: Path
) -> None:
    fill(store)
    out = tmp_path / "site"
    build_site(store, out)
    (out / "static/style.css").unlink()
    report = build_site(store, out)
    assert report.written == ["static/style.css"]
