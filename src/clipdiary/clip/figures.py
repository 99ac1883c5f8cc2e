"""Which images a clipped page shows: its lead image and the article's inline figures.

The lead image is the page's own choice for a preview (``og:image``, then
``twitter:image``, then ``<link rel=image_src>``), else the article's first figure. The
inline figures are the ``<figure>`` elements inside the article (the ``<article>`` holding
most text, else ``itemprop=articleBody``, ``<main>``, ``<body>``) with their ``<figcaption>``,
and the large images standing alone in it (an icon, a logo, a tracking pixel is no figure).

Each figure remembers how many of the article's paragraphs come before it, so the entry
shows it where the page did. Only http(s) addresses are kept; ``data:`` images and
addresses longer than the diary keeps are dropped. Nothing here fetches anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from clipdiary.clip.charset import decode_html
from clipdiary.safeurl import is_web_url

#: At most this many images per clip (the lead included): a gallery page is not a clip.
MAX_IMAGES = 12
# An <img> this small by its own width or height attribute is an icon or a pixel.
MIN_SIDE = 100
_LEAD_META = (
    '//meta[@property="og:image:secure_url"]/@content',
    '//meta[@property="og:image:url"]/@content',
    '//meta[@property="og:image"]/@content',
    '//meta[@name="og:image"]/@content',
    '//meta[@name="twitter:image"]/@content',
    '//meta[@property="twitter:image"]/@content',
    '//meta[@name="twitter:image:src"]/@content',
    '//link[@rel="image_src"]/@href',
)
_NOT_A_FIGURE = re.compile(r"logo|icon|avatar|sprite|pixel|spacer|badge|emoji|button", re.I)
_TEXT_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "dd"})
_SPACES = re.compile(r"\s+")
_KEY_LENGTH = 40


@dataclass(frozen=True)
class FoundImage:
    """An image the page shows: its absolute address, alt text, caption, where it stands."""

    url: str
    alt: str
    caption: str
    lead: bool
    after_paragraph: int


def find_images(
    html: bytes | str,
    page_url: str,
    paragraphs: Sequence[str],
    header_charset: str | None = None,
) -> list[FoundImage]:
    """The lead image first (when there is one), then the figures in page order."""
    text = decode_html(html, header_charset)[0] if isinstance(html, bytes) else html
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1).replace("\x00", "")
    if not text.strip():
        return []
    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, etree.ParserError):
        return []
    base = _base_url(tree, page_url)
    figures = _figures(tree, base, _paragraph_keys(paragraphs), len(paragraphs))
    lead_url = _lead_url(tree, base)
    found: list[FoundImage] = []
    if lead_url is not None and not any(f.url == lead_url for f in figures):
        found.append(FoundImage(lead_url, "", "", lead=True, after_paragraph=0))
    elif figures:
        first = next((f for f in figures if f.url == lead_url), figures[0])
        figures[figures.index(first)] = FoundImage(
            first.url, first.alt, first.caption, lead=True, after_paragraph=first.after_paragraph
        )
    seen = {f.url for f in found}
    for figure in figures:
        if figure.url not in seen:
            seen.add(figure.url)
            found.append(figure)
    return found[:MAX_IMAGES]


def _base_url(tree: Any, page_url: str) -> str:
    for href in tree.xpath("//base/@href"):
        absolute = urljoin(page_url, str(href).strip())
        if is_web_url(absolute):
            return absolute
    return page_url


def _lead_url(tree: Any, base: str) -> str | None:
    for path in _LEAD_META:
        for value in tree.xpath(path):
            url = _absolute(base, str(value))
            if url is not None:
                return url
    return None


def _container(tree: Any) -> Any:
    articles = tree.xpath("//article")
    if articles:
        return max(articles, key=lambda a: len(a.text_content()))
    for path in ('//*[@itemprop="articleBody"]', "//main", "//body"):
        found = tree.xpath(path)
        if found:
            return found[0]
    return tree


def _figures(tree: Any, base: str, keys: dict[str, list[int]], total: int) -> list[FoundImage]:
    container = _container(tree)
    found: list[tuple[FoundImage, bool]] = []  # each with whether it stood alone
    before = 0  # paragraphs of the article seen so far, in page order
    skip: set[Any] = set()
    for element in container.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if element in skip:
            continue
        if tag in _TEXT_TAGS:
            # Paragraphs may begin alike: take the first of them not yet passed.
            later = [i for i in keys.get(_key(element.text_content()), ()) if i >= before]
            if later:
                before = later[0] + 1
        elif tag == "figure":
            images = element.xpath(".//img")
            skip.update(images)
            image = next((i for i in images if _image_url(i, base)), None)
            if image is not None:
                url = _image_url(image, base)
                assert url is not None
                caption = " ".join(_clean(c.text_content()) for c in element.xpath(".//figcaption"))
                found.append((FoundImage(url, _alt(image), caption.strip(), False, before), False))
        elif tag == "img" and container.tag != "body" and _standalone_figure(element):
            url = _image_url(element, base)
            if url is not None:
                found.append((FoundImage(url, _alt(element), "", False, before), True))
    # What comes after the article's last paragraph is the page's, not the article's
    # (related stories, promotions); an image standing alone must sit inside the text.
    end = before
    ended = end == total > 0  # the article's last paragraph was seen on the page

    def in_article(image: FoundImage, alone: bool) -> bool:
        if end == 0:  # no paragraph was placed: only real figures, wherever they are
            return not alone
        if ended and image.after_paragraph >= end:
            return False
        return image.after_paragraph > 0 or not alone

    return [image for image, alone in found if in_article(image, alone)]


def _standalone_figure(image: Any) -> bool:
    words = " ".join(str(image.get(name) or "") for name in ("class", "id", "src", "alt"))
    if _NOT_A_FIGURE.search(words):
        return False
    sides = [_number(image.get("width")), _number(image.get("height"))]
    if any(side is not None and side < MIN_SIDE for side in sides):
        return False
    # With no stated size, only an image the page marks as a picture of the article.
    if all(side is None for side in sides):
        return any(
            re.search(r"image|photo|picture|media|figure", str(a.get("class") or ""), re.I)
            for a in _ancestors(image, 3)
        )
    return True


def _ancestors(element: Any, depth: int) -> Iterable[Any]:
    parent = element.getparent()
    while parent is not None and depth > 0:
        yield parent
        parent = parent.getparent()
        depth -= 1


def _image_url(image: Any, base: str) -> str | None:
    for name in ("src", "data-src", "data-original", "data-lazy-src", "data-url"):
        url = _absolute(base, str(image.get(name) or ""))
        if url is not None:
            return url
    srcset = str(image.get("srcset") or image.get("data-srcset") or "")
    for candidate in srcset.split(","):
        url = _absolute(base, candidate.strip().split(" ")[0])
        if url is not None:
            return url
    return None


def _absolute(base: str, value: str) -> str | None:
    value = value.strip()
    if not value or value.startswith("data:"):
        return None
    try:
        url = urljoin(base, value)
    except ValueError:
        return None
    return url if is_web_url(url) else None


def _alt(image: Any) -> str:
    return _clean(str(image.get("alt") or ""))


def _number(value: object) -> int | None:
    text = str(value or "").strip().removesuffix("px")
    return int(text) if text.isdigit() else None


def _paragraph_keys(paragraphs: Sequence[str]) -> dict[str, list[int]]:
    keys: dict[str, list[int]] = {}
    for index, paragraph in enumerate(paragraphs):
        keys.setdefault(_key(paragraph), []).append(index)
    return keys


def _key(text: str) -> str:
    return _clean(text)[:_KEY_LENGTH]


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
