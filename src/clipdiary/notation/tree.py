"""The syntax tree of a Hatena notation body: plain data, built by ``blocks``, read by ``html``.

Inline nodes live inside one line of text; block nodes are the lines' containers.
Everything here is a mutable dataclass with slots: the block parser fills lists in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --------------------------------------------------------------------------- inline nodes


@dataclass(slots=True)
class Text:
    """Literal text; escaped on output."""

    value: str


@dataclass(slots=True)
class RawTag:
    """An HTML tag or entity the writer passes through (the sanitizer still judges it)."""

    html: str


@dataclass(slots=True)
class Link:
    """``<a href>``; ``external`` links get ``rel="nofollow noopener"``."""

    href: str
    children: list[Inline]
    css_class: str | None = None
    external: bool = False
    title: str | None = None


@dataclass(slots=True)
class Image:
    """``<img>``, optionally wrapped in a link to ``href``."""

    src: str
    alt: str
    href: str | None = None
    css_class: str | None = None
    width: int | None = None
    height: int | None = None
    external: bool = True


@dataclass(slots=True)
class FootnoteRef:
    """``((note))``: numbered per entry; the note itself is listed after the body."""

    number: int
    children: list[Inline]


@dataclass(slots=True)
class Tex:
    """``[tex:…]``: the TeX source, shown for a client-side renderer (KaTeX, MathJax)."""

    source: str


Inline = Text | RawTag | Link | Image | FootnoteRef | Tex
Line = list[Inline]

# --------------------------------------------------------------------------- block nodes


@dataclass(slots=True)
class Heading:
    """``*title`` (level 3), ``**`` (4), ``***`` (5)."""

    level: int
    children: Line
    name: str | None = None
    categories: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    """One ``<p>``; several lines are joined by ``<br>`` (the Blog dialect)."""

    lines: list[Line]


@dataclass(slots=True)
class Break:
    """One ``<br>`` standing between blocks (N blank lines give N−1 of them)."""


@dataclass(slots=True)
class ListItem:
    children: Line
    sublists: list[ListBlock] = field(default_factory=list)


@dataclass(slots=True)
class ListBlock:
    ordered: bool
    items: list[ListItem] = field(default_factory=list)


@dataclass(slots=True)
class DefItem:
    """A ``<dt>`` (``term=True``) or a ``<dd>``."""

    term: bool
    children: Line


@dataclass(slots=True)
class DefList:
    items: list[DefItem] = field(default_factory=list)


@dataclass(slots=True)
class Cell:
    header: bool
    children: Line


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    """``>>`` … ``<<``; ``>URL>`` sets ``cite_url``, ``:title=…`` or ``>text>`` the cite text."""

    children: list[Block] = field(default_factory=list)
    cite_url: str | None = None
    cite_title: str | None = None


@dataclass(slots=True)
class Pre:
    """``>|`` … ``|<``: preformatted, inline notation still active."""

    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class SuperPre:
    """``>||`` … ``||<`` (``lang`` None), ``>|lang|`` (highlighted), ``>|aa|`` (ASCII art)."""

    lang: str | None
    text: str


@dataclass(slots=True)
class RawLine:
    """A line under p-stop (``><…><`` or inside its multi-line form): no ``<p>`` around it."""

    children: Line


@dataclass(slots=True)
class RawBlock:
    """The multi-line p-stop form: its lines are not wrapped in ``<p>``."""

    children: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class SeeMore:
    """``====`` (``whole=False``) or ``=====`` (``whole=True``): the read-more fold."""

    whole: bool
    footnotes_before: int = 0


Block = (
    Heading
    | Paragraph
    | Break
    | ListBlock
    | DefList
    | Table
    | Quote
    | Pre
    | SuperPre
    | RawLine
    | RawBlock
    | SeeMore
)


@dataclass(slots=True)
class Document:
    """A parsed body: its blocks and its footnotes in order (number ``i + 1``)."""

    blocks: list[Block]
    footnotes: list[Line]
