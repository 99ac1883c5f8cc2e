"""WARC 1.1: every clip's fetch as the web-archiving tools keep it, and back (warcio).

``write`` puts, per clip, a ``request`` record, a ``response`` record (the status, the
headers and the page's bytes exactly as the diary keeps them), a ``response`` for each image
the clip kept, and a ``metadata`` record (``application/json``) that refers to the page's
response and holds the entry as JSON Lines holds it, plus the images' alt text, captions
and places. A ``warcinfo`` record opens the file. Records are gzipped one by one, as
``.warc.gz`` files are.

The diary keeps a page with its content-coding undone, so the response carries the body
plain and drops ``Content-Encoding`` and ``Transfer-Encoding``; ``Content-Length`` is the
body's own. Reading the file back gives the same bytes.

``read`` goes through the file twice: first it checks every record and notes where the
pages and images are (a damaged file is refused before anything is written), then it clips
each HTML response again (extracting it anew), with the images taken from the file, never
fetched. A page with the diary's metadata comes back as the entry it was (title, body,
categories, visibility, day and name); any other page (a WARC from another tool) becomes a
new clip dated when it was fetched. Each clip lands whole, in its own transaction; one
already in the diary is left as it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from clipdiary import __version__
from clipdiary.clip.charset import charset_from_content_type
from clipdiary.clip.fetch import USER_AGENT, FetchedPage
from clipdiary.clip.figures import FoundImage
from clipdiary.clip.images import FetchedImage, ImageRefused, verify_image
from clipdiary.entry_json import entry_to_json
from clipdiary.errors import ClipdiaryError, FormatError
from clipdiary.model import Entry, EntryImage, Snapshot
from clipdiary.store import Store
from clipdiary.store.media import images_of, media_bytes

from .exporter import export_days

METADATA_TYPE = "application/json"
METADATA_KIND = "clipdiary-entry"
_HOP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


@dataclass
class WarcReport:
    clips: int = 0
    images: int = 0
    added: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "clips": self.clips,
            "images": self.images,
            "added": self.added,
            "already": self.already,
            "skipped": self.skipped,
        }


# -- writing -------------------------------------------------------------------------------


def write(store: Store, out: BinaryIO, *, filename: str = "") -> WarcReport:
    """Every clip of the diary (private ones too) as WARC 1.1 records in ``out``."""
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    info = {
        "software": f"clipdiary/{__version__}",
        "format": "WARC File Format 1.1",
        "description": f"clips of the diary {store.diary.name!r} ({store.diary.title})",
    }
    writer.write_record(writer.create_warcinfo_record(filename, info))
    report = WarcReport()
    for day in export_days(store):
        clips = [e for e in day.entries if e.source is not None]
        images = images_of(store, [e.id for e in clips])
        for entry in clips:
            snapshot = store.snapshot_of(entry.day, entry.name)
            if snapshot is None:
                continue
            report.clips += 1
            report.images += _write_clip(store, writer, entry, snapshot, images.get(entry.id, []))
    return report


def _write_clip(
    store: Store,
    writer: WARCWriter,
    entry: Entry,
    snapshot: Snapshot,
    images: Sequence[EntryImage],
) -> int:
    date = _warc_date(snapshot.fetched_at)
    request = writer.create_warc_record(
        snapshot.url,
        "request",
        payload=io.BytesIO(b""),
        length=0,
        http_headers=_request_headers(snapshot.url),
        warc_headers_dict={"WARC-Date": date},
    )
    response = writer.create_warc_record(
        snapshot.url,
        "response",
        payload=io.BytesIO(snapshot.body),
        length=len(snapshot.body),
        http_headers=_response_headers(snapshot.status, snapshot.headers, len(snapshot.body)),
        warc_headers_dict={
            "WARC-Date": date,
            "WARC-Concurrent-To": request.rec_headers.get_header("WARC-Record-ID"),
        },
    )
    writer.write_record(request)
    writer.write_record(response)
    kept = media_bytes(store, (i.sha256 for i in images if i.sha256))
    written = 0
    for image in images:
        if image.sha256 is None or image.sha256 not in kept:
            continue
        media_type, data = kept[image.sha256]
        record = writer.create_warc_record(
            image.url,
            "response",
            payload=io.BytesIO(data),
            length=len(data),
            http_headers=_response_headers(200, (("content-type", media_type),), len(data)),
            warc_headers_dict={"WARC-Date": date},
        )
        writer.write_record(record)
        written += 1
    metadata = {
        "kind": METADATA_KIND,
        "requested_url": snapshot.requested_url,
        "entry": entry_to_json(entry, store.diary, derived=False),
        "images": [
            {
                "url": i.url,
                "alt": i.alt,
                "caption": i.caption,
                "lead": i.lead,
                "after_paragraph": i.after_paragraph,
                "kept": i.sha256 is not None,
                "error": i.error,
            }
            for i in images
        ],
    }
    body = json.dumps(metadata, ensure_ascii=False).encode("utf-8")
    writer.write_record(
        writer.create_warc_record(
            snapshot.url,
            "metadata",
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type=METADATA_TYPE,
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Refers-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
    )
    return written


def _request_headers(url: str) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), ("User-Agent", USER_AGENT), ("Accept", "text/html")]
    return StatusAndHeaders(f"GET {target} HTTP/1.1", headers, is_http_request=True)


def _response_headers(
    status: int, headers: Sequence[tuple[str, str]], length: int
) -> StatusAndHeaders:
    kept = [(k, v) for k, v in headers if k.lower() not in _HOP_HEADERS]
    kept.append(("Content-Length", str(length)))
    return StatusAndHeaders(f"{status} {_REASONS.get(status, 'OK')}", kept, protocol="HTTP/1.1")


_REASONS = {200: "OK", 203: "Non-Authoritative Information", 206: "Partial Content"}


def _warc_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    offset: int
    url: str
    record_id: str
    date: dt.datetime


def read(store: Store, stream: BinaryIO, *, source: str, dry_run: bool = False) -> WarcReport:
    """Bring the clips of a WARC file into the diary (see the module's note)."""
    from clipdiary.clip.extract import extract_page

    pages, image_offsets, metadata = _index(stream, source)
    report = WarcReport(clips=len(pages), images=len(image_offsets))
    for page in pages:
        meta = metadata.get(page.record_id)
        fetched = _load_page(stream, page, source)
        entry_data = meta.get("entry") if meta else None
        try:
            if _already(store, fetched.url, entry_data):
                report.already += 1
                continue
            if dry_run:
                report.added += 1
                continue
            article = extract_page(fetched)
            _restore(store, fetched, article, entry_data, meta, stream, image_offsets, source)
        except ClipdiaryError as exc:
            report.skipped.append(f"{fetched.url}: {exc}")
            continue
        report.added += 1
    return report


def _index(
    stream: BinaryIO, source: str
) -> tuple[list[_Page], dict[str, int], dict[str, dict[str, Any]]]:
    pages: list[_Page] = []
    images: dict[str, int] = {}
    metadata: dict[str, dict[str, Any]] = {}
    stream.seek(0)
    records = ArchiveIterator(stream)
    try:
        for record in records:
            kind = record.rec_type
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            content = record.content_stream().read()
            # warcio knows where a record began only once it has been read through.
            offset = records.get_record_offset()
            if kind == "response" and record.http_headers is not None:
                media = _media_type(record.http_headers.get_header("Content-Type"))
                status = record.http_headers.get_statuscode() or ""
                if not status.startswith("2"):
                    continue
                if media in _HTML_TYPES or media is None:
                    record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
                    date = _parse_date(record.rec_headers.get_header("WARC-Date"), source)
                    pages.append(_Page(offset, uri, record_id, date))
                elif media.startswith("image/"):
                    images.setdefault(uri, offset)
            elif kind == "metadata" and (
                _media_type(record.rec_headers.get_header("Content-Type")) == METADATA_TYPE
            ):
                refers = record.rec_headers.get_header("WARC-Refers-To") or ""
                data = _json(content, source, offset)
                if data.get("kind") == METADATA_KIND:
                    metadata[refers] = data
    except (ArchiveLoadFailed, ValueError, OSError, EOFError) as exc:
        raise FormatError(f"not a readable WARC file ({exc})", path=source) from exc
    if not pages and not images:
        raise FormatError("the file holds no page (no HTML response record)", path=source)
    return pages, images, metadata


def _record_at(stream: BinaryIO, offset: int, source: str) -> Any:
    stream.seek(offset)
    try:
        return next(iter(ArchiveIterator(stream)))
    except (StopIteration, ArchiveLoadFailed, ValueError, OSError, EOFError) as exc:
        raise FormatError(f"the record at byte {offset} cannot be read", path=source) from exc


def _load_page(stream: BinaryIO, page: _Page, source: str) -> FetchedPage:
    record = _record_at(stream, page.offset, source)
    body = record.content_stream().read()
    http = record.http_headers
    raw_type = http.get_header("Content-Type") or "text/html"
    headers = tuple(
        (k.lower(), v) for k, v in http.headers if k.lower() not in ("transfer-encoding",)
    )
    # The body is read with its content-coding undone; its headers must say so.
    headers = tuple((k, v) for k, v in headers if k not in ("content-encoding", "content-length"))
    return FetchedPage(
        url=page.url,
        requested_url=page.url,
        status=int(http.get_statuscode() or 200),
        headers=headers,
        body=body,
        content_type=_media_type(raw_type) or "text/html",
        header_charset=charset_from_content_type(raw_type),
        fetched_at=page.date,
        sha256=hashlib.sha256(body).hexdigest(),
    )


def _already(store: Store, url: str, entry: object) -> bool:
    if isinstance(entry, dict):
        from clipdiary.model import parse_day

        try:
            return store.has_entry(parse_day(str(entry.get("day", ""))), str(entry.get("name")))
        except ClipdiaryError:
            return False
    return bool(store.clips_of(url))


def _restore(
    store: Store,
    page: FetchedPage,
    article: Any,
    entry: object,
    meta: dict[str, Any] | None,
    stream: BinaryIO,
    image_offsets: dict[str, int],
    source: str,
) -> None:
    from clipdiary.clip.pipeline import clip_page, kept_image, snapshot_of

    wanted = _images_wanted(meta)

    def from_file(found: Sequence[FoundImage]) -> list[FetchedImage]:
        return [_image_from_file(f, stream, image_offsets, source) for f in found]

    if not isinstance(entry, dict):
        clip_page(store, page, created=page.fetched_at, images=from_file)
        return
    from clipdiary.formats.jsonl import entry_from_json
    from clipdiary.store.media import save_entry_images

    where = f"the metadata of {page.url}"
    new = entry_from_json(entry, store.diary, source=source, where=where)
    fetched = [
        FetchedImage(image, None, error)
        if error is not None
        else _image_from_file(image, stream, image_offsets, source)
        for image, error in wanted
    ]
    with store.transaction() as conn:
        stored = store.add_entry(new, snapshot=snapshot_of(page))
        save_entry_images(conn, store.diary_id, stored.id, [kept_image(f) for f in fetched])


def _images_wanted(meta: dict[str, Any] | None) -> list[tuple[FoundImage, str | None]]:
    """The images the metadata lists, each with the error it had when it was not kept."""
    found: list[tuple[FoundImage, str | None]] = []
    for item in (meta or {}).get("images", []):
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            image = FoundImage(
                url=item["url"],
                alt=str(item.get("alt") or ""),
                caption=str(item.get("caption") or ""),
                lead=bool(item.get("lead")),
                after_paragraph=int(item.get("after_paragraph") or 0),
            )
            error = None if item.get("kept") else str(item.get("error") or "not kept")
            found.append((image, error))
    return found


def _image_from_file(
    found: FoundImage, stream: BinaryIO, offsets: dict[str, int], source: str
) -> FetchedImage:
    offset = offsets.get(found.url)
    if offset is None:
        return FetchedImage(found, None, f"not in {source}: {found.url}")
    data = _record_at(stream, offset, source).content_stream().read()
    try:
        return FetchedImage(found, verify_image(data), None)
    except ImageRefused as exc:
        return FetchedImage(found, None, f"refused {found.url}: {exc}")


def _media_type(value: str | None) -> str | None:
    media = (value or "").split(";", 1)[0].strip().lower()
    return media or None


def _parse_date(value: str | None, source: str) -> dt.datetime:
    if not value:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FormatError(f"a record's WARC-Date {value!r} is not a date", path=source) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _json(data: bytes, source: str, offset: int) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(f"the metadata record at byte {offset} is not JSON", path=source) from exc
    return value if isinstance(value, dict) else {}


def iter_clips(store: Store) -> Iterator[Entry]:
    """The diary's clips that keep a page, oldest first (what ``write`` exports)."""
    for day in export_days(store):
        for entry in day.entries:
            if entry.source is not None and store.snapshot_id_of(entry.id) is not None:
                yield entry
