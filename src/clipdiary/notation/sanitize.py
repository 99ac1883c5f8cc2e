"""The allow-list every rendered body passes through (nh3, the Ammonia sanitizer).

Notation lets a writer put HTML in a body (p-stop, inline tags), so the writer's output is
never trusted as it stands. What survives: ordinary text markup, links and images with
http(s) addresses (``data:`` only for images), the classes the notation itself writes, and
a few harmless inline style properties with bounded values (``style_values``); ``cite`` as
``href`` and ``src``, http(s) only. No script, no event handlers, no forms, no frames,
no positioning, no ``target``.
"""

from __future__ import annotations

import re

import nh3
from pygments.token import STANDARD_TYPES

from clipdiary.notation.style_values import bounded_style
from clipdiary.safeurl import is_web_url

_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "center", "cite", "code",
    "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
}  # fmt: skip

_ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "ins": {"cite", "datetime"},
    "del": {"cite", "datetime"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign", "scope"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "col": {"span"},
    "colgroup": {"span"},
    "pre": {"data-lang"},
    "details": {"open"},
}

_REL_VALUES = {"a": {"rel": {"nofollow noopener", "nofollow", "noopener", "noreferrer"}}}

_NOTATION_CLASSES = {
    "a": {
        "keyword", "hatena-id", "http-image", "http-bookmark", "hatena-fotolife",
        "sectioncategory",
    },
    "img": {"http-image", "http-bookmark", "hatena-fotolife", "hatena-image-left",
            "hatena-image-right"},
    "span": {"footnote", "tex", *(c for c in STANDARD_TYPES.values() if c)},
    "p": {"footnote", "seemore"},
    "div": {"footnote", "seemore"},
    "pre": {"hatena-super-pre", "ascii-art"},
}  # fmt: skip

#: Inline style that can colour and emphasise but cannot move, cover or resize the page.
_STYLE_PROPERTIES = {
    "color", "background-color", "font-weight", "font-style", "font-variant", "font-family",
    "text-align", "text-decoration", "text-decoration-line", "text-decoration-color",
    "text-decoration-style", "vertical-align", "white-space", "letter-spacing",
    "line-height", "text-indent", "list-style-type", "border-collapse",
}  # fmt: skip

_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,99}\Z")
_DATA_IMAGE = re.compile(r"data:image/(?:png|gif|jpe?g|webp|avif|bmp);", re.I)
_SIZE = re.compile(r"\d{1,4}%?\Z")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """Per-attribute checks the allow-list cannot express."""
    if attribute == "id":
        return value if _ID.match(value) else None
    if attribute in ("width", "height"):
        return value if _SIZE.match(value.strip()) else None
    if attribute == "style":
        return bounded_style(value, _STYLE_PROPERTIES)
    if attribute == "cite":  # nh3 checks the scheme of href and src only
        return value if is_web_url(value) else None
    if value.lstrip()[:5].lower() == "data:":
        if tag == "img" and attribute == "src" and _DATA_IMAGE.match(value.lstrip()):
            return value
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    attribute_filter=_filter,
    strip_comments=True,
    link_rel=None,
    tag_attribute_values=_REL_VALUES,
    url_schemes={"http", "https", "mailto", "ftp", "data"},
    allowed_classes=_NOTATION_CLASSES,
    filter_style_properties=_STYLE_PROPERTIES,
)


# nh3 writes every attribute as name="value" with ">" and '"' escaped inside values, so a
# tag ends at the first ">" and ' alt="' can only be the attribute itself.
_IMG_TAG = re.compile(r"<img\b([^>]*)>")


def _with_alt(match: re.Match[str]) -> str:
    attributes = match.group(1)
    return match.group(0) if ' alt="' in attributes else f'<img alt=""{attributes}>'


def sanitize(html: str) -> str:
    """Return ``html`` with everything outside the allow-list removed; always well-formed.

    An image the writer gave no alt text gets an empty one, so screen readers pass it by
    rather than reading out its address.
    """
    return _IMG_TAG.sub(_with_alt, str(_CLEANER.clean(html)))
