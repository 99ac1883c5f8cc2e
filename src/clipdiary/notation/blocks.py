"""Block notation: the body's lines → a ``Document`` of block nodes.

One pass over the lines, no look-ahead: an opening mark (``>>``, ``>|``, ``>||``, ``><``)
starts a container or a verbatim run that ends at its closing mark or at the end of the
body. Containers nest at most ``MAX_NESTING`` deep and lists ``MAX_LIST_DEPTH`` deep;
deeper marks are still matched with their closers but add no level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import links
from .inline import InlineContext, parse_inline
from .options import RenderOptions
from .sections import parse_heading
from .tree import (
    Block,
    Break,
    Cell,
    DefItem,
    DefList,
    Document,
    Heading,
    Line,
    ListBlock,
    ListItem,
    Paragraph,
    Pre,
    Quote,
    RawBlock,
    RawLine,
    SeeMore,
    SuperPre,
    Table,
)

MAX_NESTING = 32
MAX_LIST_DEPTH = 32

_SUPER_PRE = re.compile(r">\|([A-Za-z0-9_+#.\-]*|\?{1,2})\|\Z")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LIST = re.compile(r"([-+]+)([^>\-+].*)\Z", re.S)


@dataclass
class _Frame:
    """An open container: the document itself, a quote, or a multi-line p-stop."""

    children: list[Block]
    raw: bool = False
    quote: bool = False
    phantom: int = 0  # quotes opened here beyond MAX_NESTING, still waiting for their ``<<``


@dataclass
class _State:
    lists: list[ListBlock] = field(default_factory=list)
    paragraph: Paragraph | None = None
    deflist: DefList | None = None
    table: Table | None = None
    blank_run: int = 0


def parse_blocks(source: str, options: RenderOptions, ctx: InlineContext | None = None) -> Document:
    """Parse a cleaned body (see ``source.clean_source``) into a ``Document``."""
    parser = _BlockParser(options, ctx or InlineContext(options))
    for line in source.split("\n"):
        parser.feed(line)
    return parser.finish()


class _BlockParser:
    def __init__(self, options: RenderOptions, ctx: InlineContext) -> None:
        self.options = options
        self.ctx = ctx
        self.root: list[Block] = []
        self.frames: list[_Frame] = [_Frame(self.root)]
        self.state = _State()
        # An open ``>|`` or ``>||`` run: its opening line and the raw lines seen so far.
        self.verbatim: tuple[str, list[str]] | None = None
        self.verbatim_kind = ""  # "pre" or "super"
        # Once a run is found unclosed at the end, no later opener can close either:
        # its lines are read again as ordinary lines, with that opener switched off.
        self.pre_off = False
        self.super_off = False
        self.comment: str | None = None  # text before an unclosed ``<!--``

    # ------------------------------------------------------------------ helpers

    def inline(self, text: str) -> Line:
        return parse_inline(text, self.ctx)

    @property
    def top(self) -> _Frame:
        return self.frames[-1]

    def flush(self) -> None:
        """End whatever block is still open for more lines (paragraph, list, dl, table)."""
        st = self.state
        st.lists.clear()
        st.paragraph = None
        st.deflist = None
        st.table = None

    def start_block(self, block: Block) -> None:
        """Append a new block, preceded by N−1 ``<br>`` for N blank lines since the last one."""
        self.flush()
        children = self.top.children
        if self.state.blank_run >= 2 and children:
            children.extend(Break() for _ in range(self.state.blank_run - 1))
        self.state.blank_run = 0
        children.append(block)

    # ------------------------------------------------------------------ the line loop

    def feed(self, line: str) -> None:
        if self.verbatim is not None:
            self.verbatim_line(line)
            return
        if self.comment is not None:
            end = line.find("-->")
            if end == -1:
                return
            line = self.comment + line[end + 3 :]
            self.comment = None
            if not line.strip():
                return
        if "<!--" in line:
            opening = line.rfind("<!--")
            if line.find("-->", opening + 4) == -1:
                self.comment = line[:opening]
                return
            if line.strip() and not _COMMENT.sub("", line).strip():
                return  # a line holding nothing but hidden text is no line at all
        self.classify(line)

    def verbatim_line(self, line: str) -> None:
        assert self.verbatim is not None
        lines = self.verbatim[1]
        if self.verbatim_kind == "super":
            if line.rstrip() == "||<":
                self.close_verbatim(lines)
            else:
                lines.append(line)
            return
        stripped = line.rstrip()
        if stripped.endswith("|<"):
            if stripped[:-2]:
                lines.append(stripped[:-2])
            self.close_verbatim(lines)
        else:
            lines.append(line)

    def open_verbatim(self, kind: str, opening: str, block: Pre | SuperPre) -> None:
        self.start_block(block)
        self.verbatim = (opening, [])
        self.verbatim_kind = kind

    def close_verbatim(self, lines: list[str]) -> None:
        node = self.top.children[-1]
        if isinstance(node, SuperPre):
            node.text = "\n".join(lines)
        elif isinstance(node, Pre):
            node.lines = [self.inline(line) for line in lines]
        self.verbatim = None

    def reread_unclosed(self) -> None:
        """An unclosed ``>|``/``>||`` is no block: its lines are read again as ordinary ones."""
        assert self.verbatim is not None
        opening, lines = self.verbatim
        if self.verbatim_kind == "super":
            self.super_off = True
        else:
            self.pre_off = True
        self.verbatim = None
        self.top.children.pop()
        self.feed(opening)
        for line in lines:
            self.feed(line)

    def classify(self, line: str) -> None:
        st = self.state
        if not line.strip():
            st.blank_run += 1
            self.flush()
            return
        if line[0] == " ":
            self.text(line[1:])
            return
        s = line.rstrip()
        if s == ">>":
            self.open_quote(Quote())
            return
        if s == "<<" and self.close_quote():
            return
        if s.startswith(">|"):
            m = _SUPER_PRE.match(s)
            if m and not self.super_off:
                self.open_verbatim("super", line, SuperPre(m.group(1) or None, ""))
                return
            if s == ">|" and not self.pre_off:
                self.open_verbatim("pre", line, Pre())
                return
        if s.startswith("><"):
            if len(s) >= 4 and s.endswith("><"):
                self.start_block(RawLine(self.inline(s[1:-1])))
            else:
                self.open_raw(s[1:])
            return
        if self.top.raw and s.endswith("><"):
            self.start_block(RawLine(self.inline(s[:-1])))
            self.pop()
            return
        if s.startswith(">") and s.endswith(">") and len(s) >= 3:
            quote = self.cited_quote(s[1:-1])
            if quote is not None:
                self.open_quote(quote)
                return
        if s.startswith("*"):
            self.heading(s)
            return
        if s in ("====", "=====") and len(self.frames) == 1:
            self.start_block(SeeMore(s == "=====", len(self.ctx.footnotes)))
            return
        if s[0] in "-+" and self.list_item(s):
            return
        if s[0] == ":" and self.definition(s):
            return
        if s[0] == "|" and s.endswith("|") and self.table_row(s):
            return
        self.text(line)

    def finish(self) -> Document:
        while self.verbatim is not None:
            self.reread_unclosed()
        self.comment = None
        self.flush()
        del self.frames[1:]
        return Document(self.root, self.ctx.footnotes)

    # ------------------------------------------------------------------ block kinds

    def text(self, text: str) -> None:
        if self.top.raw:
            self.start_block(RawLine(self.inline(text)))
            return
        if self.options.mode == "blog":
            st = self.state
            if st.paragraph is not None:
                st.paragraph.lines.append(self.inline(text))
                return
            paragraph = Paragraph([self.inline(text)])
            self.start_block(paragraph)
            st.paragraph = paragraph
            return
        self.start_block(Paragraph([self.inline(text)]))

    def heading(self, line: str) -> None:
        head = parse_heading(line)
        if head is None:  # pragma: no cover - every "*" line is a heading
            self.text(line)
            return
        node = Heading(head.level, self.inline(head.title), head.name, list(head.categories))
        self.start_block(node)

    def open_quote(self, quote: Quote) -> None:
        if len(self.frames) > MAX_NESTING:
            self.flush()
            self.top.phantom += 1
            return
        self.start_block(quote)
        self.frames.append(_Frame(quote.children, raw=self.top.raw, quote=True))

    def close_quote(self) -> bool:
        frame = self.top
        if frame.phantom:
            self.flush()
            frame.phantom -= 1
            return True
        if frame.quote:
            self.pop()
            return True
        return False

    def open_raw(self, first_line: str) -> None:
        if len(self.frames) > MAX_NESTING:
            self.start_block(RawLine(self.inline(first_line)))
            return
        block = RawBlock([RawLine(self.inline(first_line))])
        self.start_block(block)
        self.frames.append(_Frame(block.children, raw=True))

    def pop(self) -> None:
        self.flush()
        self.frames.pop()
        self.state.blank_run = 0

    def cited_quote(self, inner: str) -> Quote | None:
        """``>URL>``, ``>URL:title>``, ``>URL:title=T>``, or ``>any cite text>``."""
        if inner.startswith(("http://", "https://", "ftp://")):
            mark = inner.find(":title", inner.index("//"))
            url, title = inner, None
            if mark != -1 and (len(inner) == mark + 6 or inner[mark + 6] == "="):
                url, title = inner[:mark], inner[mark + 7 :]
                if not title:
                    title = _known_title(url, self.options)
            if links.is_web_url(url):
                return Quote(cite_url=url, cite_title=title or url)
            return None
        if inner[0] in "<>|" or inner.startswith(" "):
            return None
        return Quote(cite_title=inner)

    def list_item(self, line: str) -> bool:
        m = _LIST.match(line)
        if m is None:
            return False
        marks, content = m.groups()
        depth = min(len(marks), MAX_LIST_DEPTH)
        ordered = marks[depth - 1] == "+"
        stack = self.state.lists
        if not stack:
            first = ListBlock(marks[0] == "+" if depth > 1 else ordered)
            self.start_block(first)
            stack.append(first)
        while len(stack) > depth:
            stack.pop()
        if len(stack) == depth and stack[-1].ordered != ordered:
            stack.pop()
        while len(stack) < depth:
            level = len(stack)
            new = ListBlock(ordered if level == depth - 1 else marks[level] == "+")
            if stack:
                parent = stack[-1]
                if not parent.items:
                    parent.items.append(ListItem([]))
                parent.items[-1].sublists.append(new)
            else:
                self.top.children.append(new)
            stack.append(new)
        stack[-1].items.append(ListItem(self.inline(content.strip())))
        return True

    def definition(self, line: str) -> bool:
        blog = self.options.mode == "blog"
        if blog and line.startswith("::"):
            if self.state.deflist is None:
                return False
            self.state.deflist.items.append(DefItem(False, self.inline(line[2:].strip())))
            return True
        end = _term_end(line)
        if end == -1:
            return False
        term, desc = line[1:end], line[end + 1 :]
        if not term.strip() or (not desc.strip() and not blog):
            return False
        dl = self.state.deflist
        if dl is None:
            dl = DefList()
            self.start_block(dl)
            self.state.deflist = dl
        dl.items.append(DefItem(True, self.inline(term.strip())))
        if desc.strip():
            dl.items.append(DefItem(False, self.inline(desc.strip())))
        return True

    def table_row(self, line: str) -> bool:
        cells = line[1:-1].split("|")
        if len(cells) < 2:
            return False
        table = self.state.table
        if table is None:
            table = Table()
            self.start_block(table)
            self.state.table = table
        row = [
            Cell(True, self.inline(c[1:])) if c.startswith("*") else Cell(False, self.inline(c))
            for c in cells
        ]
        table.rows.append(row)
        return True


def _term_end(line: str) -> int:
    """Index of the ``:`` ending the term of ``:term:desc``; tags and ``[…]`` may hold colons."""
    i, n = 1, len(line)
    while i < n:
        c = line[i]
        if c == ":":
            return i
        if c == "<":
            j = line.find(">", i)
            if j == -1:
                return -1
            i = j + 1
        elif line.startswith("[]", i):
            j = line.find("[]", i + 2)
            i = n if j == -1 else j + 2
        elif c == "[":
            j = line.find("]", i)
            if j == -1:
                return -1
            i = j + 1
        else:
            i += 1
    return -1


def _known_title(url: str, options: RenderOptions) -> str | None:
    if options.known_title is None:
        return None
    try:
        return options.known_title(url) or None
    except Exception:  # a broken lookup must not break rendering
        return None
