"""A clip from URL to stored entry, on both backends, with the page served on loopback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from clipdiary.clip.pipeline import clip_html, clip_url
from clipdiary.clip.reextract import reextract
from clipdiary.errors import Conflict, ExtractError, FetchError, UsageError
from clipdiary.model import EntryChanges
from clipdiary.store import Store
from tests.clip.clip_server import DEMO, MANIFEST, Server, running_server

JA_SJIS = next(
    e for e in MANIFEST if e["encoding"] == "Shift_JIS" and e["charset_in"] == "http-header"
)
EN = next(e for e in MANIFEST if e["lang"] == "en")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server() as running:
        yield running


@pytest.fixture
def clipping_store(store: Store) -> Store:
    # The test pages are served on loopback, which a diary refuses unless allowed.
    store.update_settings(allow_private_addresses=True)
    return store


def test_a_clip_stores_the_article_its_source_and_the_page(
    clipping_store: Store, server: Server
) -> None:
    url = server.url(f"/demo/{JA_SJIS['file']}")
    result = clip_url(clipping_store, url, note="気になる記事", categories=("政治",))
    entry = result.entry
    assert entry.title == JA_SJIS["title"]
    assert entry.categories == ("政治",)
    assert entry.body.startswith("気になる記事\n\n>")
    first_paragraph = JA_SJIS["text"].splitlines()[0]
    assert first_paragraph in entry.body
    assert entry.body.rstrip().endswith("<<")
    assert entry.source is not None
    assert entry.source.url == url
    assert entry.source.lang == "ja"
    assert entry.source.published == dt.datetime.fromisoformat(JA_SJIS["published"])
    snapshot = clipping_store.snapshot_of(entry.day, entry.name)
    assert snapshot is not None
    assert snapshot.body == (DEMO / JA_SJIS["file"]).read_bytes()
    assert ("content-type", "text/html; charset=Shift_JIS") in snapshot.headers
    # The day and name follow the diary's clock: the name is the second of the clip.
    assert abs(int(entry.name) - int(dt.datetime.now(dt.UTC).timestamp())) < 120


def test_the_same_page_again_is_refused_unless_asked(clipping_store: Store, server: Server) -> None:
    url = server.url(f"/demo/{EN['file']}")
    first = clip_url(clipping_store, url).entry
    variant = url.replace("http://", "HTTP://")
    for same in (url + "?utm_source=twitter&fbclid=abc", url + "#comments", variant):
        with pytest.raises(Conflict, match=f"/{first.day:%Y%m%d}/{first.name}"):
            clip_url(clipping_store, same)
    again = clip_url(clipping_store, url, again=True).entry
    assert again.name != first.name
    assert clipping_store.count_entries(include_private=True) == 2


def test_a_refused_address_stores_nothing(store: Store, server: Server) -> None:
    with pytest.raises(FetchError, match=r"127\.0\.0\.1"):
        clip_url(store, server.url(f"/demo/{EN['file']}"))
    assert store.count_entries(include_private=True) == 0


@pytest.mark.parametrize(
    ("path", "message"),
    [("/status/404", "404"), ("/status/500", "500"), ("/type?ct=application/pdf", "not an HTML")],
)
def test_bad_pages_give_a_clear_error_and_store_nothing(
    clipping_store: Store, server: Server, path: str, message: str
) -> None:
    with pytest.raises(FetchError, match=message):
        clip_url(clipping_store, server.url(path))
    assert clipping_store.count_entries(include_private=True) == 0


def test_a_page_with_nothing_to_clip_stores_nothing(clipping_store: Store) -> None:
    with pytest.raises(ExtractError):
        clip_html(clipping_store, b"<html><body></body></html>", "https://example.com/empty")
    with pytest.raises(UsageError, match="http"):
        clip_html(clipping_store, b"<html></html>", "file:///etc/passwd")
    assert clipping_store.count_entries(include_private=True) == 0


def test_reextract_keeps_the_note_and_a_title_the_owner_changed(clipping_store: Store) -> None:
    page = (DEMO / EN["file"]).read_bytes()
    entry = clip_html(clipping_store, page, EN["url"], note="my note").entry
    assert reextract(clipping_store, entry).changed is False

    # A damaged quote (as an older extractor might have left) is rebuilt from the snapshot.
    damaged = entry.body.replace(EN["text"].splitlines()[1], "")
    clipping_store.update_entry(
        entry.day, entry.name, EntryChanges(body=damaged, title="My own title")
    )
    current = clipping_store.get_entry(entry.day, entry.name)
    done = reextract(clipping_store, current)
    assert done.changed
    assert done.entry.body == entry.body
    assert done.entry.title == "My own title"
    assert done.entry.body.startswith("my note\n")


def test_reextract_refuses_an_entry_without_a_page(clipping_store: Store) -> None:
    from clipdiary.model import NewEntry

    typed = clipping_store.add_entry(NewEntry("typed by hand", body="x"))
    with pytest.raises(UsageError, match="not a clip"):
        reextract(clipping_store, typed)
