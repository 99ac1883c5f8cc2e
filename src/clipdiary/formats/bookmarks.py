"""Netscape bookmark files: what every browser exports, and Pocket, linkding, Shaarli.

    <DT><A HREF="https://…" ADD_DATE="1473071774" TAGS="russia,syria" PRIVATE="0">Title</A>
    <DD>The note

Each bookmark becomes a link entry on the day it was added: its title, its tags as
categories, its note above the link, the page as the entry's source. ``PRIVATE="1"``
(linkding, Shaarli) makes a private entry.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import BinaryIO, TextIO

from clipdiary.errors import FormatError, WrongEncoding
from clipdiary.model import Diary, Entry, NewEntry, Source
from clipdiary.safeurl import is_web_url

from .encoding import NOT_UTF8
from .items import EntryItem, ExportDay, Item, PeekedStream, SkipItem, check_not_binary, clean_text

WHAT = "a Netscape bookmark file"
_LINK_LINE = re.compile(r"^\[(https?://[^\s\]]+):title=([^\]]*)\]$")


class _Parser(HTMLParser):
    """Collects bookmarks as the HTML streams in; ``found`` is drained by the reader."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, dict[str, str], str, str]] = []
        self._link: tuple[int, dict[str, str]] | None = None
        self._title: list[str] = []
        self._note: list[str] | None = None
        self._pending: tuple[int, dict[str, str], str] | None = None
        self.saw_netscape = False

    def handle_decl(self, decl: str) -> None:
        if "netscape-bookmark-file" in decl.lower():
            self.saw_netscape = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._flush()
            self._link = (self.getpos()[0], {k.lower(): v or "" for k, v in attrs})
            self._title = []
        elif tag == "dd" and self._pending is not None:
            self._note = []
        elif tag in ("dt", "dl", "h3"):
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            line, attrs = self._link
            self._pending = (line, attrs, "".join(self._title).strip())
            self._link = None
        elif tag == "dl":
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._title.append(data)
        elif self._note is not None:
            self._note.append(data)

    def _flush(self) -> None:
        if self._pending is not None:
            line, attrs, title = self._pending
            note = "".join(self._note or []).strip()
            self.found.append((line, attrs, title, note))
        self._pending, self._note = None, None

    def close(self) -> None:
        super().close()
        self._flush()


def read(stream: BinaryIO, diary: Diary, *, source: str) -> Iterator[Item]:
    peeked = PeekedStream(stream)
    check_not_binary(peeked.head, source, WHAT)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    parser = _Parser()
    taken: set[tuple[dt.date, str]] = set()
    lines = 0
    count = 0
    while True:
        chunk = peeked.read(1 << 16)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise WrongEncoding(
                NOT_UTF8,
                path=source,
                line=lines + 1 + chunk[: exc.start].count(b"\n"),
            ) from exc
        lines += text.count("\n")
        if chunk:
            parser.feed(text)
        else:
            parser.close()
        for found in parser.found:
            count += 1
            yield _bookmark(*found, diary=diary, taken=taken)
        parser.found.clear()
        if not chunk:
            break
    if not count and not parser.saw_netscape:
        raise FormatError(f"no bookmarks: this is not {WHAT}", path=source, line=1)


def _bookmark(
    line: int,
    attrs: dict[str, str],
    title: str,
    note: str,
    *,
    diary: Diary,
    taken: set[tuple[dt.date, str]],
) -> Item:
    where = f"line {line}"
    url = attrs.get("href", "").strip()
    if not is_web_url(url):
        return SkipItem(where, f"not a web address: {url[:80]!r}")
    added = attrs.get("add_date", "").strip()
    if not added.isdigit():
        return SkipItem(where, f"{url}: no ADD_DATE, so no day to put it on")
    seconds = int(added)
    while seconds > 100_000_000_000:  # milliseconds or microseconds
        seconds //= 1000
    created = dt.datetime.fromtimestamp(seconds, tz=diary.zone)
    day, name = diary.day_of(created), str(seconds)
    while (day, name) in taken:
        name = str(int(name) + 1)
    taken.add((day, name))
    tags = [t.strip() for t in re.split(r"[,\s]+", attrs.get("tags", "")) if t.strip()]
    title = clean_text(title) or url
    body = link_body(clean_text(note), url, title)
    return EntryItem(
        NewEntry(
            title=title,
            body=body,
            categories=tuple(clean_text(t) for t in tags),
            format="hatena",
            visibility="private" if attrs.get("private", "0").strip() == "1" else "public",
            created=created,
            day=day,
            name=name,
            source=Source(url=url),
        ),
        where,
    )


def link_body(note: str, url: str, title: str) -> str:
    """The note, then the link in Hatena notation (``[URL:title=TITLE]``)."""
    safe_title = title.replace("[", "［").replace("]", "］").replace("\n", " ")
    link = f"[{url}:title={safe_title}]"
    return f"{note}\n\n{link}" if note else link


def write(days: Iterable[ExportDay], out: TextIO, diary: Diary) -> list[str]:
    """Every entry that has a source, as a bookmark added when the entry was written."""
    out.write(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n'
        f"<TITLE>{html.escape(diary.title)}</TITLE>\n<H1>{html.escape(diary.title)}</H1>\n"
        "<DL><p>\n"
    )
    left_out = 0
    for export_day in days:
        for entry in export_day.entries:
            if entry.source is None:
                left_out += 1
                continue
            out.write(_bookmark_html(entry))
    out.write("</DL><p>\n")
    return [f"left out {left_out} entries that link to no page"] if left_out else []


def _bookmark_html(entry: Entry) -> str:
    assert entry.source is not None
    attrs = (
        f'HREF="{html.escape(entry.source.url)}" ADD_DATE="{int(entry.created.timestamp())}" '
        f'TAGS="{html.escape(",".join(entry.categories))}" '
        f'PRIVATE="{0 if entry.is_public else 1}"'
    )
    text = f"    <DT><A {attrs}>{html.escape(entry.title)}</A>\n"
    note = _note_of(entry)
    if note:
        text += f"    <DD>{html.escape(note)}\n"
    return text


def _note_of(entry: Entry) -> str:
    lines = entry.body.strip("\n").split("\n")
    if lines and _LINK_LINE.match(lines[-1]):
        lines = lines[:-1]
    return "\n".join(lines).strip("\n")
