"""Movable Type export format, as Hatena Blog writes it (``BLOG.export.txt``).

Entries end at ``--------``; inside one, sections end at ``-----``. The first section is
``KEY: VALUE`` metadata (``CATEGORY`` repeats); then ``BODY:``, ``EXTENDED BODY:``,
``EXCERPT:``, ``COMMENT:`` … sections. Bodies are HTML and are kept as format ``html``;
the read-more split is kept as Hatena Blog marks it, ``<!-- more -->``. ``STATUS: Draft``
becomes a private entry. ``DATE`` is read in the 12-hour (``07:49:39 PM``) and the 24-hour
form, in the diary's time zone. ``BASENAME`` is kept as the alias ``/entry/BASENAME``; a
basename of the form ``YYYYMMDD/NAME`` (a diary moved from Hatena Diary) also gives the
entry its old day and name. ``IMAGE`` (Hatena's eyecatch) is kept at the top of the body as
``<figure class="eyecatch">``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

from clipdiary.errors import FormatError, WrongEncoding
from clipdiary.model import NAME_PATTERN, Comment, Diary, Entry, NewEntry, day_key
from clipdiary.render import render_entry

from .encoding import NOT_UTF8
from .items import (
    EntryItem,
    ExportDay,
    Item,
    PeekedStream,
    SkipItem,
    check_not_binary,
    clean_text,
)

WHAT = "a Movable Type export"
ENTRY_END = "--------"
SECTION_END = "-----"
MORE = "<!-- more -->"
_KEY_LINE = re.compile(r"^([A-Z][A-Z0-9 _]*):(?: (.*)|)$")
_DIARY_BASENAME = re.compile(r"^(\d{8})/([A-Za-z0-9_\-]+)$")
_EYECATCH = re.compile(r'^<figure class="eyecatch"><img src="([^"]*)" alt=""></figure>\n?')
_MULTILINE = {"BODY", "EXTENDED BODY", "EXCERPT", "KEYWORDS", "COMMENT", "PING"}


@dataclass
class _Raw:
    """One entry as written in the file, before its values are checked."""

    line: int
    meta: dict[str, str] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    comments: list[tuple[int, dict[str, str], str]] = field(default_factory=list)


def parse_date(text: str, source: str, line: int) -> dt.datetime:
    """``MM/DD/YYYY hh:mm:ss AM|PM`` or ``MM/DD/YYYY HH:MM:SS``, as a naive time."""
    cleaned = " ".join(text.split())
    for pattern in ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p"):
        try:
            return dt.datetime.strptime(cleaned, pattern)
        except ValueError:
            continue
    raise FormatError(
        f"bad DATE {text!r}: expected MM/DD/YYYY hh:mm:ss AM|PM or MM/DD/YYYY HH:MM:SS",
        path=source,
        line=line,
    )


def _lines(stream: BinaryIO, source: str) -> Iterator[tuple[int, str]]:
    """The file's lines (numbered from 1), decoded as UTF-8 a chunk at a time."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    number = 0
    while True:
        chunk = stream.read(1 << 16)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            line = number + 1 + pending.count("\n") + chunk[: exc.start].count(b"\n")
            raise WrongEncoding(
                NOT_UTF8,
                path=source,
                line=line,
            ) from exc
        pending += text
        *complete, pending = pending.split("\n")
        for line_text in complete:
            number += 1
            yield number, line_text.rstrip("\r")
        if not chunk:
            if pending:
                number += 1
                yield number, pending.rstrip("\r")
            return


def _raw_entries(stream: BinaryIO, source: str) -> Iterator[_Raw]:
    raw: _Raw | None = None
    state = "meta"  # meta → (between → section)* ; a section is a key and its lines
    key = ""
    lines: list[str] = []
    number = 0
    for number, line in _lines(stream, source):
        if raw is None:
            if not line.strip():
                continue
            raw = _Raw(number)
            state = "meta"
        if line == ENTRY_END:
            if state == "section":
                _close_section(raw, key, lines, number)
            yield raw
            raw, state = None, "meta"
            continue
        if state == "meta":
            if line == SECTION_END:
                state = "between"
                continue
            if not line.strip():
                continue
            match = _KEY_LINE.match(line)
            if match is None:
                raise FormatError(
                    f"expected 'KEY: VALUE' in the metadata of {WHAT}, found {line[:60]!r}",
                    path=source,
                    line=number,
                )
            name, value = match.group(1), (match.group(2) or "").strip()
            if name == "CATEGORY":
                if value:
                    raw.categories.append(value)
            else:
                raw.meta[name] = value
                raw.meta[f"{name}@line"] = str(number)
            continue
        if state == "between":
            if not line.strip():
                continue
            key = line.strip().rstrip(":").strip()
            if not line.strip().endswith(":") or (key not in _MULTILINE and not key.isupper()):
                raise FormatError(
                    f"expected a section such as 'BODY:', found {line[:60]!r}",
                    path=source,
                    line=number,
                )
            state, lines = "section", [str(number)]
            continue
        if line == SECTION_END:
            _close_section(raw, key, lines, number)
            state = "between"
            continue
        lines.append(line)
    if raw is not None and state == "between":
        yield raw  # the last entry's sections are closed; only its '--------' is missing
    elif raw is not None:
        raise FormatError(
            f"the last entry (from line {raw.line}) does not end with '{ENTRY_END}' (truncated?)",
            path=source,
            line=number,
        )


def _close_section(raw: _Raw, key: str, lines: list[str], number: int) -> None:
    start, text = int(lines[0]), lines[1:]
    if key == "COMMENT":
        head: dict[str, str] = {}
        while text:
            match = _KEY_LINE.match(text[0])
            if match is None or match.group(1) not in {"AUTHOR", "EMAIL", "IP", "URL", "DATE"}:
                break
            head[match.group(1)] = (match.group(2) or "").strip()
            text = text[1:]
        raw.comments.append((start, head, "\n".join(text).strip("\n")))
    else:
        raw.sections[key] = "\n".join(text).strip("\n")


def read(stream: BinaryIO, diary: Diary, *, source: str) -> Iterator[Item]:
    """Every entry of the file as items, one entry in memory at a time."""
    peeked = PeekedStream(stream)
    check_not_binary(peeked.head, source, WHAT)
    taken: set[tuple[dt.date, str]] = set()
    found = False
    for raw in _raw_entries(peeked, source):  # type: ignore[arg-type]
        found = True
        yield from _entry_items(raw, diary, source, taken)
    if not found:
        raise FormatError(f"no entries: this is not {WHAT}", path=source, line=1)


def _entry_items(
    raw: _Raw, diary: Diary, source: str, taken: set[tuple[dt.date, str]]
) -> Iterator[Item]:
    where = f"line {raw.line}"
    meta = raw.meta
    if "DATE" not in meta or not meta["DATE"]:
        raise FormatError(
            f"the entry {meta.get('TITLE', '')!r} has no DATE", path=source, line=raw.line
        )
    date_line = int(meta.get("DATE@line", raw.line))
    created = parse_date(meta["DATE"], source, date_line).replace(tzinfo=diary.zone)
    basename = meta.get("BASENAME", "").strip().strip("/")
    day, name = diary.day_of(created), str(int(created.timestamp()))
    aliases = (f"/entry/{basename}",) if basename else ()
    old = _DIARY_BASENAME.match(basename)
    if old and NAME_PATTERN.match(old.group(2)):
        try:
            day, name = dt.date(*_ymd(old.group(1))), old.group(2)
        except ValueError:
            pass
        else:
            aliases = ()  # /entry/YYYYMMDD/NAME is redirected by rule (clipdiary.legacy)
    while (day, name) in taken and name.isdigit():
        name = str(int(name) + 1)
    if (day, name) in taken:
        yield SkipItem(where, f"a second entry {day_key(day)}/{name} in the file")
        return
    taken.add((day, name))
    categories = [html.unescape(c) for c in raw.categories]
    primary = html.unescape(meta.get("PRIMARY CATEGORY", ""))
    if primary and primary not in categories:
        categories.insert(0, primary)
    categories.extend(t for t in _tags(meta.get("TAGS", "")) if t not in categories)
    body = _body(raw, meta)
    markdown = _is_markdown(meta)
    status = meta.get("STATUS", "Publish").strip().lower()
    comments: list[Comment] = []
    for line, head, text in raw.comments:
        when = created
        if head.get("DATE"):
            when = parse_date(head["DATE"], source, line).replace(tzinfo=diary.zone)
        comments.append(Comment(clean_text(head.get("AUTHOR") or "(anonymous)"), text, when))
    yield EntryItem(
        NewEntry(
            title=clean_text(html.unescape(meta.get("TITLE", ""))).strip(),
            body=body,
            categories=tuple(clean_text(c) for c in categories),
            format="markdown" if markdown else "html",
            visibility="public" if status == "publish" else "private",
            created=created,
            day=day,
            name=name,
            aliases=aliases,
            comments=tuple(comments),
        ),
        where,
    )


def _ymd(key: str) -> tuple[int, int, int]:
    return int(key[:4]), int(key[4:6]), int(key[6:])


def _tags(text: str) -> list[str]:
    """MT ``TAGS``: comma separated, a tag holding a comma or space is quoted."""
    return [t.strip().strip('"').strip() for t in re.findall(r'"[^"]*"|[^,]+', text) if t.strip()]


def _body(raw: _Raw, meta: dict[str, str]) -> str:
    body = raw.sections.get("BODY", "")
    breaks = meta.get("CONVERT BREAKS", "0").strip()
    extended = raw.sections.get("EXTENDED BODY", "")
    if breaks in ("1", "__default__"):
        body, extended = _convert_breaks(body), _convert_breaks(extended)
    if extended.strip():
        body = f"{body}\n{MORE}\n{extended}"
    image = meta.get("IMAGE", "").strip()
    if image:
        body = f'<figure class="eyecatch"><img src="{html.escape(image)}" alt=""></figure>\n{body}'
    return clean_text(body)


# Movable Type's text filters that mean the body is Markdown, not HTML.
MARKDOWN_FILTERS = ("markdown", "markdown_with_smartypants")


def _is_markdown(meta: dict[str, str]) -> bool:
    return meta.get("CONVERT BREAKS", "0").strip().lower() in MARKDOWN_FILTERS


def _convert_breaks(text: str) -> str:
    """MT's "convert line breaks": blank lines part paragraphs, a newline is a <br>."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n".join("<p>" + p.replace("\n", "<br />\n") + "</p>" for p in paragraphs)


# -- writing --------------------------------------------------------------------------------


def write(days: Iterable[ExportDay], out: TextIO, diary: Diary) -> list[str]:
    """Write every entry (private ones as drafts); returns notes on what was not kept."""
    notes: list[str] = []
    for export_day in days:
        if export_day.comments:
            notes.append(
                f"{day_key(export_day.day)}: {len(export_day.comments)} day comment(s) were "
                "attached to the day's first entry (Movable Type has no day comments)"
            )
        for index, entry in enumerate(export_day.entries):
            extra = export_day.comments if index == 0 else ()
            out.write(_entry_text(entry, diary, extra))
    return notes


def _entry_text(entry: Entry, diary: Diary, day_comments: tuple[Comment, ...]) -> str:
    lines = [
        f"AUTHOR: {_one_line(diary.name)}",
        f"TITLE: {_one_line(html.escape(entry.title, quote=False))}",
        f"BASENAME: {_basename(entry)}",
        f"STATUS: {'Publish' if entry.is_public else 'Draft'}",
        "ALLOW COMMENTS: 1",
        f"CONVERT BREAKS: {'markdown' if entry.format == 'markdown' else '0'}",
        f"DATE: {entry.created.astimezone(diary.zone).strftime('%m/%d/%Y %H:%M:%S')}",
    ]
    lines.extend(f"CATEGORY: {_one_line(html.escape(c, quote=False))}" for c in entry.categories)
    body = _html_of(entry, diary)
    image = _EYECATCH.match(body)
    if image:
        lines.append(f"IMAGE: {html.unescape(image.group(1))}")
        body = body[image.end() :]
    main, more, extended = body.partition(f"\n{MORE}\n")
    lines += [SECTION_END, "BODY:", _no_markers(main), SECTION_END]
    if more:
        lines += ["EXTENDED BODY:", _no_markers(extended), SECTION_END]
    for comment in sorted((*day_comments, *entry.comments), key=lambda c: c.created):
        lines += [
            "COMMENT:",
            f"AUTHOR: {_one_line(comment.author)}",
            f"DATE: {comment.created.astimezone(diary.zone).strftime('%m/%d/%Y %H:%M:%S')}",
            _no_markers(comment.body),
            SECTION_END,
        ]
    lines.append(ENTRY_END)
    return "\n".join(lines) + "\n"


def _basename(entry: Entry) -> str:
    for alias in entry.aliases:
        if alias.startswith("/entry/"):
            return alias[len("/entry/") :]
    return f"{day_key(entry.day)}/{entry.name}"


def _html_of(entry: Entry, diary: Diary) -> str:
    """The body as the file keeps it: HTML, or Markdown as written (``CONVERT BREAKS``
    says which)."""
    if entry.format in ("html", "markdown"):
        return entry.body
    return render_entry(entry, diary, permalink=entry.path).html


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _no_markers(text: str) -> str:
    """Keep a body line from reading as the end of a section or of the entry."""
    return "\n".join(
        line + " " if line in (ENTRY_END, SECTION_END) else line for line in text.split("\n")
    )
