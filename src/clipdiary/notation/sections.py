"""Section headings: ``*name*[cat]title`` lines, and a whole day body split at them.

In clipdiary one entry is one Hatena section. Importers cut a day body into entries with
``split_sections`` and turn ``*t*`` / ``*t+N*`` into names with ``resolve_name``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The Diary's own heading pattern (Text::Hatena 0.16): an optional name between stars, then
# optional categories (no ``:[]`` inside), then the title.
_H3 = re.compile(
    r"\*(?:(t(?:\+\d{1,9})?|\d{9,10}|[A-Za-z][A-Za-z0-9_]*)\*)?((?:\[[^:\[\]]+\])+)?(.*)\Z",
    re.S,
)
_H4 = re.compile(r"\*\*(?!\*)(.+)\Z", re.S)
_H5 = re.compile(r"\*\*\*(?!\*)(.+)\Z", re.S)
_CATEGORY = re.compile(r"\[([^:\[\]]+)\]")


@dataclass(frozen=True)
class HeadingLine:
    """A parsed ``*`` line: its level (3, 4, 5), name, time offset, categories and title."""

    level: int
    title: str
    name: str | None = None
    time_offset: int | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """One section of a day body: the heading's parts and the notation under it."""

    name: str | None
    time_offset: int | None
    categories: tuple[str, ...]
    title: str
    body: str


def parse_heading(line: str) -> HeadingLine | None:
    """Read a heading line (``*…``, ``**…``, ``***…``); None when the line is not one."""
    if not line.startswith("*"):
        return None
    m = _H5.match(line)
    if m:
        return HeadingLine(5, m.group(1).strip())
    m = _H4.match(line)
    if m:
        return HeadingLine(4, m.group(1).strip())
    m = _H3.match(line)
    if m is None:  # pragma: no cover - the pattern accepts every line starting with "*"
        return None
    raw_name, raw_categories, title = m.groups()
    name: str | None = raw_name
    offset: int | None = None
    if raw_name is not None and (raw_name == "t" or raw_name.startswith("t+")):
        name = None
        offset = int(raw_name[2:]) if raw_name.startswith("t+") else 0
    categories = tuple(c.strip() for c in _CATEGORY.findall(raw_categories or ""))
    return HeadingLine(3, title.strip(), name, offset, tuple(c for c in categories if c))


def split_sections(day_source: str) -> list[Section]:
    """Split a whole day body at its ``*`` lines (not ``**``/``***``, not inside ``>||``).

    Text before the first heading becomes a Section with title ``""`` and name None; it is
    left out when it is blank.
    """
    sections: list[Section] = []
    head: HeadingLine | None = None
    body: list[str] = []
    in_super_pre = False

    def close() -> None:
        text = "\n".join(body).strip("\n")
        if head is None:
            if text.strip():
                sections.append(Section(None, None, (), "", text))
        else:
            sections.append(Section(head.name, head.time_offset, head.categories, head.title, text))

    for line in day_source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if in_super_pre:
            in_super_pre = line.rstrip() != "||<"
            body.append(line)
            continue
        if _opens_super_pre(line):
            in_super_pre = True
            body.append(line)
            continue
        heading = parse_heading(line) if line.startswith("*") else None
        if heading is not None and heading.level == 3:
            close()
            head, body = heading, []
        else:
            body.append(line)
    close()
    return sections


def resolve_name(section: Section, saved_at_epoch: int) -> str | None:
    """The name the section is saved under: ``*t*`` / ``*t+N*`` become the save time (+N s)."""
    if section.time_offset is not None:
        return str(saved_at_epoch + section.time_offset)
    return section.name


_SUPER_PRE_OPEN = re.compile(r">\|(?:[A-Za-z0-9_+#.\-]*|\?{1,2})\|\s*\Z")


def _opens_super_pre(line: str) -> bool:
    return line.startswith(">|") and bool(_SUPER_PRE_OPEN.match(line))
