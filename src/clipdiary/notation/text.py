"""Plain text of a parsed body (search, embeddings, the JSON ``text`` field)."""

from __future__ import annotations

import re
from html import unescape

from .tree import (
    Block,
    Break,
    DefList,
    Document,
    FootnoteRef,
    Heading,
    Image,
    Line,
    Link,
    ListBlock,
    Paragraph,
    Pre,
    Quote,
    RawBlock,
    RawLine,
    RawTag,
    SeeMore,
    SuperPre,
    Table,
    Tex,
    Text,
)

_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_HIDDEN_TAG = re.compile(r"</?(?:script|style)\b", re.I)


def plain_inline(line: Line) -> str:
    """The text a reader sees in one line: tags dropped, entities decoded, notes left out."""
    parts: list[str] = []
    hidden = False  # inside <script> or <style>, which the sanitizer drops with their text
    for node in line:
        if isinstance(node, Text):
            if not hidden:
                parts.append(node.value)
        elif isinstance(node, RawTag):
            if node.html.startswith("&"):
                parts.append(unescape(node.html))
            elif _HIDDEN_TAG.match(node.html):
                hidden = not node.html.startswith("</")
        elif isinstance(node, Link):
            parts.append(plain_inline(node.children))
        elif isinstance(node, Image):
            parts.append(node.alt if node.css_class != "http-bookmark" else "")
        elif isinstance(node, Tex):
            parts.append(node.source)
        elif isinstance(node, FootnoteRef):
            pass
    return "".join(parts)


def document_text(doc: Document) -> str:
    """The whole body as text: one line per paragraph line, then the footnotes."""
    out: list[str] = []
    for block in doc.blocks:
        _block_text(block, out)
    out.extend(f"*{n}: {plain_inline(note)}" for n, note in enumerate(doc.footnotes, start=1))
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in out)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _block_text(block: Block, out: list[str]) -> None:
    if isinstance(block, Paragraph):
        out.extend(plain_inline(line) for line in block.lines)
    elif isinstance(block, Heading):
        out.append(plain_inline(block.children))
    elif isinstance(block, ListBlock):
        for item in block.items:
            out.append(plain_inline(item.children))
            for sub in item.sublists:
                _block_text(sub, out)
    elif isinstance(block, DefList):
        out.extend(plain_inline(item.children) for item in block.items)
    elif isinstance(block, Table):
        out.extend(" ".join(plain_inline(c.children) for c in row) for row in block.rows)
    elif isinstance(block, Quote):
        for child in block.children:
            _block_text(child, out)
        if block.cite_title:
            out.append(block.cite_title)
    elif isinstance(block, Pre):
        out.extend(plain_inline(line) for line in block.lines)
    elif isinstance(block, SuperPre):
        out.append(block.text)
    elif isinstance(block, RawLine):
        out.append(plain_inline(block.children))
    elif isinstance(block, RawBlock):
        for child in block.children:
            _block_text(child, out)
    elif isinstance(block, Break | SeeMore):
        out.append("")
