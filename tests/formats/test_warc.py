"""WARC 1.1 out and back: every clip's fetch and images, byte for byte, on both backends;
a WARC written by another tool; a damaged file refused before anything is written."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from clipdiary.clip.pipeline import clip_url
from clipdiary.errors import FormatError
from clipdiary.formats import warc
from clipdiary.model import Diary, NewEntry
from clipdiary.store import Store, create_diary
from clipdiary.store.media import images_of
from tests.clip.image_server import PARAGRAPHS, ImageServer, article, image_server
from tests.test_cli import run


@pytest.fixture(scope="module")
def server() -> Iterator[ImageServer]:
    with image_server() as running:
        yield running


def _fill(store: Store, server: ImageServer) -> None:
    store.update_settings(allow_private_addresses=True)
    clip_url(store, server.url("/article"), note="港の話", categories=("港",))
    clip_url(store, server.url("/article"), again=True, visibility="private")
    store.add_entry(NewEntry(title="typed by hand", body="no page here"))


def _other(store: Store) -> Store:
    return store.database.create_diary(
        Diary(name="copy", title="Copy", timezone="Asia/Tokyo", day_starts_at=6)
    )


def test_a_round_trip_keeps_the_pages_byte_for_byte(store: Store, server: ImageServer) -> None:
    _fill(store, server)
    out = io.BytesIO()
    report = warc.write(store, out)
    assert (report.clips, report.images) == (2, 6)
    out.seek(0)
    kinds = [(r.rec_headers.protocol, r.rec_type) for r in ArchiveIterator(out)]
    assert kinds[0] == ("WARC/1.1", "warcinfo")
    assert {kind for _, kind in kinds} == {"warcinfo", "request", "response", "metadata"}
    assert all(protocol == "WARC/1.1" for protocol, _ in kinds)
    requests_before = len(server.requests)

    copy = _other(store)
    back = warc.read(copy, out, source="clips.warc.gz")
    assert (back.added, back.already, back.skipped) == (2, 0, [])
    assert len(server.requests) == requests_before  # images came from the file
    originals = [e for e in store.entries(include_private=True) if e.source]
    copies = copy.entries(include_private=True)
    assert [(e.day, e.name, e.title, e.body, e.visibility, e.categories) for e in copies] == [
        (e.day, e.name, e.title, e.body, e.visibility, e.categories) for e in originals
    ]
    for original, restored in zip(originals, copies, strict=True):
        before = store.snapshot_of(original.day, original.name)
        after = copy.snapshot_of(restored.day, restored.name)
        assert before is not None and after is not None
        assert after.body == before.body == article()
        assert (after.url, after.status, after.sha256) == (before.url, 200, before.sha256)
        kept_before = images_of(store, [original.id])[original.id]
        kept_after = images_of(copy, [restored.id])[restored.id]
        assert kept_after == kept_before  # kept ones from the file, failed ones as they failed
    out.seek(0)
    again = warc.read(copy, out, source="clips.warc.gz")
    assert (again.added, again.already) == (0, 2)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_warc_from_another_tool_becomes_new_clips(store: Store) -> None:
    page = article("https://harbour.example")
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    headers = StatusAndHeaders(
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
        protocol="HTTP/1.1",
    )
    body = gzip.compress(page)
    record = writer.create_warc_record(
        "https://harbour.example/ferry",
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": "2026-11-02T08:30:00Z"},
    )
    writer.write_record(record)
    out.seek(0)
    report = warc.read(store, out, source="other.warc.gz")
    assert report.added == 1
    entry = store.entries(include_private=True)[0]
    assert entry.source is not None and entry.source.url == "https://harbour.example/ferry"
    assert PARAGRAPHS[0][:40] in entry.body
    snapshot = store.snapshot_of(entry.day, entry.name)
    assert snapshot is not None and snapshot.body == page  # content-coding undone
    assert not any(k == "content-encoding" for k, _ in snapshot.headers)
    assert entry.created.isoformat().startswith("2026-11-02T17:30")  # fetched, Tokyo time
    # Its images were not in the file: listed as not kept, never fetched from the web.
    images = images_of(store, [entry.id])[entry.id]
    assert images and all(
        i.path is None and "not in other.warc.gz" in (i.error or "") for i in images
    )


@pytest.mark.parametrize(
    "data", [b"", b"not a warc at all\r\n\r\n", gzip.compress(b"WARC/1.1\r\nbroken")]
)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_damaged_file_is_refused_and_nothing_is_written(store: Store, data: bytes) -> None:
    with pytest.raises(FormatError, match=r"^bad\.warc: "):
        warc.read(store, io.BytesIO(data), source="bad.warc")
    assert store.entries(include_private=True) == []


def test_the_command_line_exports_and_imports_warc(tmp_path: Path, server: ImageServer) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        store = create_diary(folder, None, Diary(name=folder.name, title="t", timezone="UTC"))
        try:
            if folder == first:
                _fill(store, server)
        finally:
            store.database.close()
    target = tmp_path / "clips.warc.gz"
    exported = run("export", "--diary", str(first), "--format", "warc", "-o", str(target))
    assert "2 clip(s) and 6 image(s) written as WARC" in exported.stderr
    assert target.read_bytes()[:2] == b"\x1f\x8b"
    imported = run("import", str(target), "--diary", str(second), "--format", "warc")
    assert "2 page(s)" in imported.stdout and "2 added" in imported.stdout
    # The imported clips' archived pages may be opened by visitors once the diary says so.
    shown = run("settings", "--diary", str(second), "--archived-pages", "public", "--json")
    assert '"archived_pages": "public"' in shown.stdout
