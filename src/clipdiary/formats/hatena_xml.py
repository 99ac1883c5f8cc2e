"""Hatena Diary XML (「はてなの日記データ形式」): read it as a stream, write it.

    <diary><day date="2016-09-05" title="…"><body>*1473071774*[cat]title …</body>
    <comments><comment><username/><body/><timestamp/></comment></comments></day></diary>

Each day's body is cut into entries at its ``*`` sections (names, categories and titles
kept); text before the first section becomes an untitled entry named ``p0``, and a section
without a name gets Hatena's positional name ``pN``. Comments belong to the day.

Damage is handled as the converters people used did: invalid character references such as
``&#65535;`` are removed before parsing (nitoyon's converter), other damage is repaired by
libxml2's recovery mode (ymotongpoo/hatena2rst) and reported with its line. A truncated
file, a file in another encoding than it declares, or one that is not XML at all stops the
import with the line where it broke.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, TextIO
from xml.sax.saxutils import escape, quoteattr

from lxml import etree  # type: ignore[import-untyped]

from clipdiary.errors import FormatError
from clipdiary.model import NAME_PATTERN, Comment, Diary, Entry, NewEntry
from clipdiary.notation import resolve_name, split_sections
from clipdiary.notation.sections import Section, parse_heading

from .items import (
    DayItem,
    EntryItem,
    ExportDay,
    Item,
    NoticeItem,
    PeekedStream,
    SkipItem,
    check_not_binary,
    clean_text,
    local_time,
)

WHAT = "Hatena Diary XML"
LEADING_NAME = "p0"

# Damage libxml2's recovery repairs inside text, losing at most the broken reference: a bare
# ``&``, an unknown entity such as ``&nbsp;``, a character reference XML does not allow.
# Any other error (a broken tag, a truncated file, bytes outside the declared encoding)
# could drop or invent text, so it stops the import at its line.
_REPAIRABLE = {
    "ERR_ENTITYREF_SEMICOL_MISSING",
    "ERR_UNDECLARED_ENTITY",
    "ERR_INVALID_CHAR",
    "ERR_INVALID_HEX_CHARREF",
    "ERR_INVALID_DEC_CHARREF",
    "ERR_INVALID_CHARREF",
}
_HINTS = {
    "ERR_DOCUMENT_EMPTY": "the file is not XML",
    "ERR_DOCUMENT_START": "the file is not XML",
    "ERR_TAG_NOT_FINISHED": "the file ends in the middle of an element (truncated?)",
    "ERR_LTSLASH_REQUIRED": "the file ends before its closing tags (truncated?)",
    "ERR_GT_REQUIRED": "a tag is not closed (truncated?)",
    "ERR_INVALID_ENCODING": "bytes that are not in the file's declared encoding",
    "ERR_UNSUPPORTED_ENCODING": "an encoding this parser does not know",
}


def _repairable(type_name: str, message: str) -> bool:
    if type_name == "ERR_NAME_REQUIRED":
        return message.startswith("xmlParseEntityRef")  # a bare "&", not a broken tag
    return type_name in _REPAIRABLE


class _XmlCleaner:
    """Drops characters XML forbids, as bytes and as references, before lxml sees them."""

    _REF = re.compile(rb"&#(?:x([0-9A-Fa-f]{1,8})|([0-9]{1,10}));")
    _BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._carry = b""
        self._out = b""
        self._done = False
        self.removed = 0
        self.example: str | None = None

    def read(self, size: int = -1) -> bytes:
        want = size if size > 0 else 1 << 16
        while len(self._out) < want and not self._done:
            chunk = self._stream.read(1 << 16)
            data = self._carry + chunk
            if not chunk:
                self._done, self._carry = True, b""
            else:
                cut = _safe_cut(data)
                data, self._carry = data[:cut], data[cut:]
            self._out += self._clean(data)
        result, self._out = self._out[:want], self._out[want:]
        return result

    def _clean(self, data: bytes) -> bytes:
        data = self._REF.sub(self._ref, data)
        data, count = self._BYTES.subn(b"", data)
        if count and self.example is None:
            self.example = "a control character"
        self.removed += count
        return data

    def _ref(self, match: re.Match[bytes]) -> bytes:
        hexa, decimal = match.groups()
        value = int(hexa, 16) if hexa else int(decimal)
        if _xml_char(value):
            return match.group(0)
        self.removed += 1
        if self.example is None:
            self.example = match.group(0).decode("ascii")
        return b""


def _safe_cut(data: bytes) -> int:
    """Where a chunk may be cut without splitting a character reference or a UTF-8 char."""
    newline = data.rfind(b"\n")
    if newline >= 0:
        return newline + 1
    cut = max(0, len(data) - 16)
    while cut > 0 and 0x80 <= data[cut] <= 0xBF:
        cut -= 1
    amp = data.rfind(b"&", max(0, cut - 14), cut)
    return amp if amp >= 0 else cut


def _xml_char(value: int) -> bool:
    return (
        value in (0x9, 0xA, 0xD)
        or 0x20 <= value <= 0xD7FF
        or 0xE000 <= value <= 0xFFFD
        or 0x10000 <= value <= 0x10FFFF
    )


def read(stream: BinaryIO, diary: Diary, *, source: str) -> Iterator[Item]:
    """Every day of the file as items, one ``<day>`` in memory at a time."""
    peeked = PeekedStream(stream)
    check_not_binary(peeked.head, source, WHAT)
    cleaner = _XmlCleaner(peeked)
    events = etree.iterparse(
        cleaner,
        events=("start", "end"),
        tag=("diary", "day"),
        recover=True,
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )
    seen_errors = 0
    root_seen = False
    try:
        for event, element in events:
            if event == "start":
                if element.tag == "diary" and element.getparent() is None:
                    root_seen = True
                continue
            if element.tag == "day" and root_seen:
                yield from _day_items(element, diary)
                element.clear(keep_tail=False)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
            seen_errors, notices = _check_errors(events.error_log, seen_errors, source)
            yield from notices
    except etree.XMLSyntaxError as exc:  # pragma: no cover - recover mode rarely raises
        raise FormatError(f"not {WHAT}: {exc.msg}", path=source, line=exc.lineno) from exc
    _, notices = _check_errors(events.error_log, seen_errors, source)
    yield from notices
    if not root_seen:
        raise FormatError(f"no <diary> element: this is not {WHAT}", path=source, line=1)
    if cleaner.removed:
        yield NoticeItem(
            source,
            f"removed {cleaner.removed} character(s) XML does not allow "
            f"(such as {cleaner.example})",
        )


def _check_errors(log: Any, seen: int, source: str) -> tuple[int, list[Item]]:
    entries = list(log)
    notices: list[Item] = []
    for error in entries[seen:]:
        if not _repairable(error.type_name, error.message):
            reason = _HINTS.get(error.type_name, "the XML is damaged")
            raise FormatError(f"{reason}: {error.message}", path=source, line=error.line)
        notices.append(NoticeItem(f"line {error.line}", f"repaired: {error.message}"))
    return len(entries), notices


def _day_items(element: Any, diary: Diary) -> Iterator[Item]:
    where = f"line {element.sourceline}"
    raw_date = element.get("date") or ""
    try:
        day = dt.date.fromisoformat(raw_date.strip())
    except ValueError:
        yield SkipItem(where, f"a <day> without a valid date ({raw_date!r}) and its entries")
        return
    title = clean_text(element.get("title") or "").strip() or None
    comments: list[Comment] = []
    for number, node in enumerate(element.iterfind("comments/comment"), 1):
        stamp = (node.findtext("timestamp") or "").strip()
        if not stamp.isdigit():
            yield SkipItem(f"line {node.sourceline}", f"comment {number} of {day} has no timestamp")
            continue
        comments.append(
            Comment(
                author=clean_text(node.findtext("username") or "").strip() or "(anonymous)",
                body=clean_text(node.findtext("body") or ""),
                created=dt.datetime.fromtimestamp(int(stamp), tz=diary.zone),
            )
        )
    if title or comments:
        yield DayItem(day, title, tuple(comments), where)
    body = clean_text(element.findtext("body") or "")
    yield from _entries_of_day(day, split_sections(body), diary, where)


def _entries_of_day(
    day: dt.date, sections: list[Section], diary: Diary, where: str
) -> Iterator[Item]:
    start = local_time(diary, day, diary.day_starts_at)
    taken: set[str] = set()
    previous: dt.datetime | None = None
    position = 0
    for index, section in enumerate(sections):
        leading = index == 0 and _is_leading_text(section)
        if not leading:
            position += 1
        name = resolve_name(section, int(start.timestamp()))
        if name is None:
            name = LEADING_NAME if leading else f"p{position}"
            while name in taken:
                position += 1
                name = f"p{position}"
        place = f"{where}, {day.isoformat()} section {index + 1}"
        if not NAME_PATTERN.match(name):
            yield SkipItem(place, f"the section name {name!r} cannot be an address")
            continue
        if name in taken:
            yield SkipItem(place, f"a second section named {name!r} on {day.isoformat()}")
            continue
        taken.add(name)
        if name.isdigit():
            created = dt.datetime.fromtimestamp(int(name), tz=diary.zone)
        elif previous is not None:
            created = previous + dt.timedelta(seconds=1)
        else:
            created = start
        previous = created
        yield EntryItem(
            NewEntry(
                title=section.title,
                body=section.body,
                categories=section.categories,
                format="hatena",
                created=created,
                day=day,
                name=name,
            ),
            place,
        )


def _is_leading_text(section: Section) -> bool:
    return (
        section.name is None
        and section.time_offset is None
        and not section.title
        and not section.categories
    )


# -- writing --------------------------------------------------------------------------------


def write(days: Iterable[ExportDay], out: TextIO, diary: Diary) -> list[str]:
    """Write the days as Hatena Diary XML; returns notes on what the format could not hold."""
    notes: list[str] = []
    private = 0
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<diary>\n')
    for export_day in days:
        entries = [e for e in export_day.entries if e.is_public]
        private += len(export_day.entries) - len(entries)
        comments = list(export_day.comments)
        for entry in entries:
            comments.extend(entry.comments)
        if not entries and not comments and not export_day.title:
            continue
        comments.sort(key=lambda c: c.created)
        out.write(f"<day date={quoteattr(export_day.day.isoformat())} ")
        out.write(f"title={quoteattr(_xml_text(export_day.title or ''))}>\n<body>\n")
        out.write(_xml_text(_day_body(entries, notes)))
        out.write("</body>\n")
        if comments:
            out.write("<comments>\n")
            for comment in comments:
                out.write(
                    "<comment>\n"
                    f"<username>{_xml_text(comment.author)}</username>\n"
                    f"<body>{_xml_text(comment.body)}</body>\n"
                    f"<timestamp>{int(comment.created.timestamp())}</timestamp>\n"
                    "</comment>\n"
                )
            out.write("</comments>\n")
        out.write("</day>\n")
    out.write("</diary>\n")
    if private:
        notes.insert(
            0,
            f"left out {private} private entr{'y' if private == 1 else 'ies'}: Hatena Diary "
            "XML cannot mark an entry private (use --format jsonl or mt to keep them)",
        )
    return notes


def _day_body(entries: list[Entry], notes: list[str]) -> str:
    parts: list[str] = []
    for index, entry in enumerate(entries):
        body = entry.body.strip("\n")
        if index == 0 and entry.name == LEADING_NAME and not entry.title and not entry.categories:
            parts.append(body)
            continue
        categories = [c for c in entry.categories if re.fullmatch(r"[^:\[\]\n]+", c)]
        if len(categories) != len(entry.categories):
            notes.append(f"{entry.path}: a category holding ':', '[' or ']' was left out")
        heading = f"*{entry.name}*{''.join(f'[{c}]' for c in categories)}{entry.title}"
        parsed = parse_heading(heading.replace("\n", " "))
        if parsed is None or parsed.name != entry.name:
            notes.append(f"{entry.path}: its name cannot be written in Hatena notation")
        parts.append(heading.replace("\n", " ") + ("\n" + body if body else ""))
    return "".join(part + "\n\n" for part in parts)


def _xml_text(text: str) -> str:
    return escape(clean_text(text))
