"""The HTML writer: syntax tree → an HTML string (not yet sanitized; see ``sanitize``)."""

from __future__ import annotations

import re
from html import escape

from . import links
from .highlight import highlight
from .options import RenderOptions
from .text import plain_inline
from .tree import (
    Block,
    Break,
    DefList,
    FootnoteRef,
    Heading,
    Image,
    Inline,
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

EXTERNAL_REL = "nofollow noopener"
READ_MORE = "続きを読む"

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")

#: Character references allowed in one run of text before an empty ``<span></span>`` splits
#: it: the HTML parser under the sanitizer slows down quadratically on one text node holding
#: very many of them, and an empty span changes nothing a reader sees.
AMP_RUN = 256
_SPLIT = "<span></span>"


def id_prefix(anchor: str) -> str:
    """The prefix of this entry's element ids: ``""`` or ``"<anchor>-"`` (letters, digits, _-)."""
    cleaned = _ID_UNSAFE.sub("-", anchor).strip("-")[:64]
    return f"{cleaned}-" if cleaned else ""


def _attr(value: str) -> str:
    return escape(value, quote=True)


class HtmlWriter:
    """Writes blocks and inline nodes for one entry (its footnote ids share one prefix)."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.prefix = id_prefix(options.anchor)
        self._amps = 0  # character references since the last element

    def text(self, escaped: str) -> str:
        """Escaped text, split by empty spans so no text node holds over AMP_RUN references."""
        count = escaped.count("&")
        if self._amps + count <= AMP_RUN:
            self._amps += count
            return escaped
        parts = escaped.split("&")
        out = [parts[0]]
        for part in parts[1:]:
            if self._amps >= AMP_RUN:
                out.append(_SPLIT)
                self._amps = 0
            out.append("&" + part)
            self._amps += 1
        return "".join(out)

    # ------------------------------------------------------------------ body

    def body(self, blocks: list[Block]) -> str:
        """All blocks; each read-more fold becomes a ``div.seemore`` around what it hides."""
        out: list[str] = []
        i, n = 0, len(blocks)
        while i < n:
            block = blocks[i]
            if not isinstance(block, SeeMore):
                out.append(self.block(block))
                i += 1
                continue
            end = n
            if not block.whole:
                end = next(
                    (j for j in range(i + 1, n) if _is_section(blocks[j])),
                    n,
                )
            out.append(f'<div class="seemore" id="{self.prefix}seemore">')
            out.extend(self.block(b) for b in blocks[i + 1 : end] if not isinstance(b, SeeMore))
            out.append("</div>")
            i = end
        return "\n".join(out)

    def read_more_link(self) -> str:
        href = self.options.permalink or f"#{self.prefix}seemore"
        return f'<p class="seemore"><a href="{_attr(href)}">{READ_MORE}</a></p>'

    def footnotes(self, notes: list[Line]) -> str:
        if not notes:
            return ""
        p = self.prefix
        rows = [
            f'<p class="footnote"><a href="#{p}fn{n}" id="{p}f{n}">*{n}</a>: '
            f"{self.inline(note)}</p>"
            for n, note in enumerate(notes, start=1)
        ]
        return '<div class="footnote">\n' + "\n".join(rows) + "\n</div>"

    # ------------------------------------------------------------------ blocks

    def block(self, block: Block) -> str:
        self._amps = 0
        if isinstance(block, Paragraph):
            return "<p>" + "<br>\n".join(self.inline(line) for line in block.lines) + "</p>"
        if isinstance(block, Heading):
            return self.heading(block)
        if isinstance(block, Break):
            return "<br>"
        if isinstance(block, ListBlock):
            return self.list_block(block)
        if isinstance(block, DefList):
            items = (
                f"<{'dt' if item.term else 'dd'}>{self.inline(item.children)}"
                f"</{'dt' if item.term else 'dd'}>"
                for item in block.items
            )
            return "<dl>\n" + "\n".join(items) + "\n</dl>"
        if isinstance(block, Table):
            rows = []
            for row in block.rows:
                cells = "".join(
                    f"<{'th' if c.header else 'td'}>{self.inline(c.children)}"
                    f"</{'th' if c.header else 'td'}>"
                    for c in row
                )
                rows.append(f"<tr>{cells}</tr>")
            return "<table>\n" + "\n".join(rows) + "\n</table>"
        if isinstance(block, Quote):
            return self.quote(block)
        if isinstance(block, Pre):
            lines = "\n".join(self.inline(line) for line in block.lines)
            return f"<pre>\n{lines}\n</pre>"
        if isinstance(block, SuperPre):
            return self.super_pre(block)
        if isinstance(block, RawLine):
            return self.inline(block.children)
        if isinstance(block, RawBlock):
            return "\n".join(self.block(b) for b in block.children)
        return ""  # SeeMore inside a container: the fold only counts at the top

    def heading(self, block: Heading) -> str:
        level = block.level
        attrs = f' id="{_attr(block.name)}"' if block.name else ""
        cats = "".join(
            f'[<a class="sectioncategory" href="{_attr(links.category_href(c, self.options))}">'
            f"{escape(c)}</a>]"
            for c in block.categories
        )
        return f"<h{level}{attrs}>{cats}{self.inline(block.children)}</h{level}>"

    def list_block(self, block: ListBlock) -> str:
        tag = "ol" if block.ordered else "ul"
        items = []
        for item in block.items:
            subs = "".join(self.list_block(sub) for sub in item.sublists)
            items.append(f"<li>{self.inline(item.children)}{subs}</li>")
        return f"<{tag}>\n" + "\n".join(items) + f"\n</{tag}>"

    def quote(self, block: Quote) -> str:
        attrs = ""
        if block.cite_url:
            attrs += f' cite="{_attr(block.cite_url)}"'
        if block.cite_title and block.cite_url:
            attrs += f' title="{_attr(block.cite_title)}"'
        inner = "\n".join(self.block(b) for b in block.children)
        cite = ""
        if block.cite_url:
            title = escape(block.cite_title or block.cite_url)
            cite = (
                f'\n<cite><a href="{_attr(block.cite_url)}" rel="{EXTERNAL_REL}">{title}</a></cite>'
            )
        elif block.cite_title:
            cite = f"\n<cite>{escape(block.cite_title)}</cite>"
        return f"<blockquote{attrs}>\n{inner}{cite}\n</blockquote>"

    def super_pre(self, block: SuperPre) -> str:
        text = block.text + "\n" if block.text else ""
        if block.lang == "aa":
            return f'<pre class="ascii-art">\n{self.text(escape(text, quote=False))}</pre>'
        if block.lang is None:
            return f'<pre class="hatena-super-pre">\n{self.text(escape(text, quote=False))}</pre>'
        return (
            f'<pre class="hatena-super-pre" data-lang="{_attr(block.lang)}">\n'
            f"{highlight(text, block.lang)}</pre>"
        )

    # ------------------------------------------------------------------ inline

    def inline(self, line: Line) -> str:
        return "".join(self.node(node) for node in line)

    def node(self, node: Inline) -> str:
        if isinstance(node, Text):
            return self.text(escape(node.value, quote=False))
        if isinstance(node, RawTag):
            if node.html.startswith("&"):
                return self.text(node.html)
            self._amps = 0
            return node.html
        self._amps = 0
        if isinstance(node, Link):
            attrs = f'href="{_attr(node.href)}"'
            if node.css_class:
                attrs += f' class="{node.css_class}"'
            if node.external:
                attrs += f' rel="{EXTERNAL_REL}"'
            if node.title:
                attrs += f' title="{_attr(node.title)}"'
            return f"<a {attrs}>{self.inline(node.children)}</a>"
        if isinstance(node, Image):
            return self.image(node)
        if isinstance(node, FootnoteRef):
            p, n = self.prefix, node.number
            title = _attr(plain_inline(node.children))
            return (
                f'<span class="footnote"><a href="#{p}f{n}" title="{title}" id="{p}fn{n}">'
                f"*{n}</a></span>"
            )
        if isinstance(node, Tex):
            return f'<span class="tex">\\({escape(node.source, quote=False)}\\)</span>'
        return ""  # pragma: no cover - every inline node kind is handled above

    def image(self, node: Image) -> str:
        attrs = f'src="{_attr(node.src)}" alt="{_attr(node.alt)}"'
        if node.css_class:
            attrs += f' class="{node.css_class}"'
        if node.width:
            attrs += f' width="{node.width}"'
        if node.height:
            attrs += f' height="{node.height}"'
        img = f"<img {attrs}>"
        if node.href is None:
            return img
        link_class = (node.css_class or "").split(" ")[0]
        cls = f' class="{link_class}"' if link_class else ""
        rel = f' rel="{EXTERNAL_REL}"' if node.external else ""
        return f'<a href="{_attr(node.href)}"{cls}{rel}>{img}</a>'


def _is_section(block: Block) -> bool:
    return isinstance(block, Heading) and block.level == 3
