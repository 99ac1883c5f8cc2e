"""Inline notation: one line of text → a list of inline nodes.

The scanner jumps from one trigger (``((``, ``[``, ``<``, ``&``, a URL scheme, ``id:``) to the
next. Every search for a closing mark goes through ``_Finder``, which remembers its last
answer, so a line full of unclosed marks is still scanned in time linear in its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import links
from .options import RenderOptions
from .tree import FootnoteRef, Image, Inline, Line, Link, RawTag, Tex, Text

#: Raw HTML tags left open at once; deeper ones are shown as text (the browser's parser,
#: and the sanitizer's, slow down on thousands of open elements).
MAX_RAW_DEPTH = 64

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)

# Inside these raw tags, URLs and IDs are not turned into links.
_NO_LINKS_INSIDE = frozenset({"a", "code", "pre", "kbd", "samp"})

_TRIGGER = re.compile(
    r"\)\(\(|\(\(|\[|<|&|(?:https?|ftp)://|mailto:"
    r"|(?<![A-Za-z0-9_:])(?:d:|f:)?id:(?=[A-Za-z])"
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^<>]*>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_URL = re.compile(r"(?:https?|ftp)://[A-Za-z0-9~/._?&=\-%#+:;,@'!$*()]+")
_MAILTO = re.compile(r"mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[A-Za-z0-9]")
_BRACKET_OR_END = re.compile(r"[\[\]]")
_TEX_BRACKET = re.compile(r"(?<!\\)[\[\]]")

_ID_TAIL = r"(?![A-Za-z0-9_])"
_DIARY = re.compile(
    rf"d:id:({links.HATENA_ID}){_ID_TAIL}"
    rf"(?::(\d{{8}})(?:([:/#])({links.SECTION_NAME}))?(?![0-9])"
    r"|:(\d{6})(?![0-9])|:(about|archive)(?::(\d{6}))?)?"
)
_ID = re.compile(rf"id:({links.HATENA_ID}){_ID_TAIL}(?::(about|archive))?")
_FOTOLIFE = re.compile(
    rf"f:id:({links.HATENA_ID}):(\d{{14}})([jpgf]?):(image|plain)((?::[A-Za-z0-9,]+)*)"
)
_FOTOLIFE_USER = re.compile(rf"f:id:({links.HATENA_ID}){_ID_TAIL}")
_URL_OPTIONS = re.compile(
    r":(?:title|bookmark|image|barcode|embed|detail|movie|sound|plain|favicon|star)(?=[:=]|\Z)"
)
_SIZE = re.compile(r"([wh])(\d{1,5})\Z")


class _Finder:
    """``str.find`` for one line that remembers its last answer per needle.

    A needle first found at ``r`` from ``p`` is also the first one from any ``q`` in
    ``p..r``, and a needle missing after ``p`` is missing after any later ``q``. So a
    run of attempts moving left to right costs one pass per needle.
    """

    __slots__ = ("_cache", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._cache: dict[str, tuple[int, int]] = {}

    def find(self, needle: str, pos: int) -> int:
        hit = self._cache.get(needle)
        if hit is not None and hit[0] <= pos and (hit[1] == -1 or hit[1] >= pos):
            return hit[1]
        found = self._text.find(needle, pos)
        self._cache[needle] = (pos, found)
        return found

    def search(self, key: str, pattern: re.Pattern[str], pos: int) -> int:
        hit = self._cache.get(key)
        if hit is not None and hit[0] <= pos and (hit[1] == -1 or hit[1] >= pos):
            return hit[1]
        m = pattern.search(self._text, pos)
        found = m.start() if m else -1
        self._cache[key] = (pos, found)
        return found


@dataclass
class InlineContext:
    """State shared by every line of one body: the footnotes and the open raw tags."""

    options: RenderOptions
    footnotes: list[Line] = field(default_factory=list)
    raw_depth: int = 0
    raw_anchor_depth: int = 0


def parse_inline(
    text: str, ctx: InlineContext, *, notes: bool = True, links_on: bool = True
) -> Line:
    """Parse one line. ``notes=False`` inside a footnote, ``links_on=False`` inside ``[]…[]``."""
    return _LineParser(text, ctx, notes=notes, links_on=links_on).run()


class _LineParser:
    def __init__(self, text: str, ctx: InlineContext, *, notes: bool, links_on: bool) -> None:
        self.text = text
        self.ctx = ctx
        self.notes = notes
        self.links_on = links_on
        self.finder = _Finder(text)

    def run(self) -> Line:
        text = self.text
        out: Line = []
        pos = 0
        flushed = 0
        while True:
            m = _TRIGGER.search(text, pos)
            if m is None:
                break
            start = m.start()
            handled = self._handle(start, m.group())
            if handled is None:
                pos = start + 1
                continue
            nodes, end = handled
            if start > flushed:
                _append_text(out, text[flushed:start])
            out.extend(nodes)
            pos = flushed = end
        if flushed < len(text):
            _append_text(out, text[flushed:])
        return out

    # ------------------------------------------------------------------ dispatch

    def _handle(self, start: int, trigger: str) -> tuple[list[Inline], int] | None:
        first = trigger[0]
        if first == ")":
            return self._escaped_note(start)
        if first == "(":
            return self._footnote(start) if self.notes else None
        if first == "<":
            return self._angle(start)
        if first == "&":
            m = _ENTITY.match(self.text, start)
            return ([RawTag(m.group())], m.end()) if m else None
        if not self.links_on or self.ctx.raw_anchor_depth > 0:
            return None
        if first == "[":
            return self._bracket(start)
        if trigger.endswith("://"):
            return self._bare_url(start)
        if trigger == "mailto:":
            m = _MAILTO.match(self.text, start)
            return ([Link(m.group(), [Text(m.group())])], m.end()) if m else None
        return self._hatena_link(start, bracketed=False)

    # ------------------------------------------------------------------ footnotes

    def _escaped_note(self, start: int) -> tuple[list[Inline], int] | None:
        close = self.finder.find("))(", start + 3)
        if close == -1:
            return None
        return [Text("((" + self.text[start + 3 : close] + "))")], close + 3

    def _footnote(self, start: int) -> tuple[list[Inline], int] | None:
        text = self.text
        if start + 2 < len(text) and text[start + 2] == "(":
            end = start
            while end < len(text) and text[end] == "(":
                end += 1
            return [Text(text[start:end])], end
        close = self.finder.find("))", start + 2)
        if close <= start + 2:
            return None
        note = parse_inline(text[start + 2 : close], self.ctx, notes=False)
        self.ctx.footnotes.append(note)
        return [FootnoteRef(len(self.ctx.footnotes), note)], close + 2

    # ------------------------------------------------------------------ raw HTML

    def _angle(self, start: int) -> tuple[list[Inline], int] | None:
        text = self.text
        if text.startswith("<!--", start):
            close = self.finder.find("-->", start + 4)
            return [], (len(text) if close == -1 else close + 3)
        m = _TAG.match(text, start)
        if m is None:
            return None
        closing, name = m.group(1) == "/", m.group(2).lower()
        ctx = self.ctx
        if closing:
            ctx.raw_depth = max(0, ctx.raw_depth - 1)
            if name in _NO_LINKS_INSIDE:
                ctx.raw_anchor_depth = max(0, ctx.raw_anchor_depth - 1)
        elif name not in _VOID and not m.group().endswith("/>"):
            if ctx.raw_depth >= MAX_RAW_DEPTH:
                return None
            ctx.raw_depth += 1
            if name in _NO_LINKS_INSIDE:
                ctx.raw_anchor_depth += 1
        return [RawTag(m.group())], m.end()

    # ------------------------------------------------------------------ links

    def _bare_url(self, start: int) -> tuple[list[Inline], int] | None:
        m = _URL.match(self.text, start)
        if m is None:
            return None
        url = _trim_parens(m.group())
        if url.endswith("://"):
            return None
        return [Link(url, [Text(url)], external=True)], start + len(url)

    def _hatena_link(self, start: int, *, bracketed: bool) -> tuple[list[Inline], int] | None:
        text, opts = self.text, self.ctx.options
        if text.startswith("d:", start):
            m = _DIARY.match(text, start)
            if m is None:
                return None
            user, day, sep, name, month, page, page_month = m.groups()
            if day:
                rest = day + ({":": "/", "/": "/", "#": "#"}[sep] + name if sep else "")
            elif month:
                rest = month
            elif page:
                rest = page + ("/" + page_month if page_month else "")
            else:
                rest = ""
            href = links.user_href(user, rest, opts)
            return [Link(href, [Text(m.group())], "hatena-id", href.startswith("http"))], m.end()
        if text.startswith("f:", start):
            return self._fotolife(start)
        m = _ID.match(text, start)
        if m is None:
            return None
        user, page = m.groups()
        href = links.user_href(user, page or "", opts)
        return [Link(href, [Text(m.group())], "hatena-id", href.startswith("http"))], m.end()

    def _fotolife(self, start: int) -> tuple[list[Inline], int] | None:
        text = self.text
        m = _FOTOLIFE.match(text, start)
        if m is None:
            m = _FOTOLIFE_USER.match(text, start)
            if m is None:
                return None
            href = f"https://f.hatena.ne.jp/{m.group(1)}/"
            return [Link(href, [Text(m.group())], external=True)], m.end()
        user, stamp, kind, mode, rest = m.groups()
        size, width, height, align = _image_options(rest.split(":")[1:])
        page, src = links.fotolife_hrefs(user, stamp, kind, size)
        css = "hatena-fotolife" + (f" hatena-image-{align}" if align else "")
        image = Image(src, m.group(), None if mode == "plain" else page, css, width, height)
        return [image], m.end()

    def _bracket(self, start: int) -> tuple[list[Inline], int] | None:
        text, finder = self.text, self.finder
        if text.startswith("[]", start):
            close = finder.find("[]", start + 2)
            if close == -1:
                return [Text("[]")], start + 2
            inner = text[start + 2 : close]
            return parse_inline(inner, self.ctx, notes=self.notes, links_on=False), close + 2
        if text.startswith("[[", start):
            close = finder.find("]]", start + 2)
            nxt = finder.find("[", start + 2)
            if close <= start + 2 or (nxt != -1 and nxt < close):
                return None
            word = text[start + 2 : close]
            href = links.keyword_href(word, self.ctx.options)
            return [Link(href, [Text(word)], "keyword")], close + 2
        if text.startswith("[tex:", start):
            close = finder.search("tex", _TEX_BRACKET, start + 5)
            if close == -1 or text[close] != "]":
                return None
            source = text[start + 5 : close].replace("\\[", "[").replace("\\]", "]")
            return [Tex(source)], close + 1
        close = finder.search("bracket", _BRACKET_OR_END, start + 1)
        if close == -1 or text[close] != "]":
            return None
        nodes = self._bracket_inner(text[start + 1 : close])
        return (nodes, close + 1) if nodes is not None else None

    def _bracket_inner(self, inner: str) -> list[Inline] | None:
        if inner.startswith(("http://", "https://", "ftp://")):
            return self._bracket_url(inner)
        if inner.startswith(("id:", "d:id:", "f:id:")):
            sub = _LineParser(inner, self.ctx, notes=False, links_on=True)
            handled = sub._hatena_link(0, bracketed=True)
            if handled is not None and handled[1] == len(inner):
                return handled[0]
            return None
        if inner.startswith("mailto:"):
            m = _MAILTO.match(inner)
            return [Link(inner, [Text(inner)])] if m and m.end() == len(inner) else None
        head, _, rest = inner.partition(":")
        if not rest:
            return None
        opts = self.ctx.options
        if head == "google":
            kind, _, query = rest.partition(":")
            if kind not in ("images", "news") or not query:
                kind, query = "", rest
            return [Link(links.google_href(kind, query), [Text(inner)], external=True)]
        if head == "wikipedia":
            lang, _, title = rest.partition(":")
            if not (title and re.fullmatch(r"[a-z]{2,3}", lang)):
                lang, title = "ja", rest
            return [Link(links.wikipedia_href(lang, title), [Text(inner)], external=True)]
        if head == "keyword" or (head == "d" and rest.startswith("keyword:")):
            word = rest if head == "keyword" else rest[len("keyword:") :]
            if not word:
                return None
            return [Link(links.keyword_href(word, opts), [Text(word)], "keyword")]
        return None

    def _bracket_url(self, inner: str) -> list[Inline] | None:
        m = _URL_OPTIONS.search(inner, inner.index("//") + 2)
        url = inner[: m.start()] if m else inner
        if not links.is_web_url(url):
            return None
        options = inner[m.start() + 1 :] if m else ""
        return _url_with_options(url, options, self.ctx.options)


# ---------------------------------------------------------------------- helpers


def _append_text(out: Line, value: str) -> None:
    if out and isinstance(out[-1], Text):
        out[-1].value += value
    else:
        out.append(Text(value))


def _trim_parens(url: str) -> str:
    """Drop closing parentheses at the end of a bare URL that have no opening partner."""
    if not url.endswith(")"):
        return url
    excess = url.count(")") - url.count("(")
    trailing = len(url) - len(url.rstrip(")"))
    cut = min(max(excess, 0), trailing)
    return url[: len(url) - cut] if cut else url


def _image_options(tokens: list[str]) -> tuple[str | None, int | None, int | None, str | None]:
    """(size word, width, height, left/right) from ``:w300:left`` or ``:right,w50,h10``."""
    size: str | None = None
    width: int | None = None
    height: int | None = None
    align: str | None = None
    for token in tokens:
        for part in token.split(","):
            m = _SIZE.match(part)
            if m:
                if m.group(1) == "w":
                    width = int(m.group(2))
                else:
                    height = int(m.group(2))
            elif part in ("left", "right"):
                align = part
            elif part in ("small", "medium", "large"):
                size = part
    return size, width, height, align


def _url_with_options(url: str, options: str, opts: RenderOptions) -> list[Inline]:
    """``[URL]``, ``[URL:title]``, ``[URL:title=X]``, ``[URL:bookmark]``, ``[URL:image…]``."""
    if not options:
        return [Link(url, [Text(url)], external=True)]
    out: list[Inline] = []
    tokens = options.split(":")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        word = token.partition("=")[0]
        if token.startswith("title="):
            title = ":".join([token[len("title=") :], *tokens[i:]])
            bookmark = title.endswith(":bookmark")
            if bookmark:
                title = title[: -len(":bookmark")]
            out.append(Link(url, [Text(title or _known_title(url, opts))], external=True))
            if bookmark:
                out.extend(_bookmark(url))
            break
        if word == "title":
            out.append(Link(url, [Text(_known_title(url, opts))], external=True))
        elif word == "bookmark":
            out.extend(_bookmark(url))
        elif word == "image":
            src = token[len("image=") :] if token.startswith("image=") else url
            rest = tokens[i:]
            if src != url and src in ("http", "https") and rest:
                src = src + ":" + rest[0]  # the image's own address was split at its colon
                rest = rest[1:]
            if not links.is_web_url(src):
                src = url
            _, width, height, align = _image_options(rest)
            css = "http-image" + (f" hatena-image-{align}" if align else "")
            out.append(Image(src, url, url, css, width, height))
            break
        elif not out:
            out.append(Link(url, [Text(url)], external=True))
    if not out:
        out.append(Link(url, [Text(url)], external=True))
    return out


def _bookmark(url: str) -> list[Inline]:
    page, image = links.bookmark_hrefs(url)
    badge = Image(image, "", None, "http-bookmark")
    return [Link(page, [badge], "http-bookmark", external=True)]


def _known_title(url: str, opts: RenderOptions) -> str:
    if opts.known_title is None:
        return url
    try:
        title = opts.known_title(url)
    except Exception:  # a broken lookup must not break rendering
        return url
    return title if title else url
