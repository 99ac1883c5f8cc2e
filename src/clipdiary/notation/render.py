"""``render``: notation → sanitized HTML, the read-more summary, and plain text."""

from __future__ import annotations

from .blocks import parse_blocks
from .html import HtmlWriter
from .inline import InlineContext
from .options import Rendered, RenderOptions
from .sanitize import sanitize
from .source import clean_source
from .text import document_text
from .tree import Document, SeeMore

_DEFAULT = RenderOptions()


def parse(source: str, options: RenderOptions = _DEFAULT) -> Document:
    """The syntax tree of ``source`` (any string; it is cleaned first)."""
    return parse_blocks(clean_source(source), options, InlineContext(options))


def render(source: str, options: RenderOptions = _DEFAULT) -> Rendered:
    """Render one entry body. Never raises on any input; time is linear in its length."""
    doc = parse(source, options)
    writer = HtmlWriter(options)
    html = _join(writer.body(doc.blocks), writer.footnotes(doc.footnotes))
    summary: str | None = None
    fold = next((i for i, b in enumerate(doc.blocks) if isinstance(b, SeeMore)), None)
    if fold is not None:
        marker = doc.blocks[fold]
        assert isinstance(marker, SeeMore)
        notes = doc.footnotes[: marker.footnotes_before]
        summary = sanitize(
            _join(writer.body(doc.blocks[:fold]), writer.read_more_link(), writer.footnotes(notes))
        )
    return Rendered(html=sanitize(html), summary_html=summary, text=document_text(doc))


def to_text(source: str) -> str:
    """The plain text of a body (the same as ``render(source).text``, without writing HTML)."""
    return document_text(parse(source))


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)
