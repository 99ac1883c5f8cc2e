"""A clipped page's stored HTML made inert: nothing in it runs, nothing leaves the diary.

nh3 (the project's sanitizer) keeps an allow-list of tags and attributes: every script,
``on…`` handler, form and control, frame, object, embed, ``<link>``, ``<meta>``, ``<base>``,
``<style>`` and ``style=`` goes (the page's stylesheets are not kept with the clip, so the
page is shown in the diary's plain style). Then every remaining address is settled here:

- an ``<img>`` the clip kept gets its bytes inline as a ``data:`` address; any other image
  is removed, with its ``srcset``, so the browser has nothing to fetch;
- a link is made absolute (against the page's own address) and kept only when http(s):
  following one is the reader's choice, not a request the page makes.

The result is served with a Content-Security-Policy that allows images from ``data:``
only, no scripts, no connections, in a sandbox (``web/archive.py``): what the sanitizer
might miss, the browser refuses.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape, unescape
from typing import Any
from urllib.parse import urljoin

import lxml.html  # type: ignore[import-untyped]
import nh3

from clipdiary.clip.charset import decode_html
from clipdiary.safeurl import is_web_url

_TAGS = set(nh3.ALLOWED_TAGS) | {"main", "section", "picture", "caption"}
_TAGS -= {"map", "area"}  # image maps link from shapes the diary cannot show
_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "data-src", "data-original", "data-lazy-src"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "*": {"lang", "dir", "title"},
}
_DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "title", "textarea", "select"}
_IMAGE_SOURCES = ("src", "data-src", "data-original", "data-lazy-src")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


@dataclass(frozen=True)
class InertPage:
    """The page's body made inert, and its title as text."""

    title: str
    body_html: str


def inert_page(
    body: bytes,
    page_url: str,
    kept_images: Mapping[str, tuple[str, bytes]],
    header_charset: str | None = None,
) -> InertPage:
    """``kept_images`` maps an image's original address to its media type and bytes."""
    text, _charset = decode_html(body, header_charset)
    text = _XML_DECLARATION.sub("", text, count=1).replace("\x00", "")
    title = _title(text)
    cleaned = nh3.clean(
        text,
        tags=_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    if not cleaned.strip():
        return InertPage(title, "")
    fragment = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    for image in list(fragment.iter("img")):
        _settle_image(image, page_url, kept_images)
    for link in fragment.iter("a"):
        href = link.get("href")
        if href is None:
            continue
        absolute = _absolute(page_url, href)
        if absolute is None:
            del link.attrib["href"]
        else:
            link.set("href", absolute)
    html = lxml.html.tostring(fragment, encoding="unicode", method="html")
    return InertPage(title, html)


def _settle_image(element: Any, page_url: str, kept: Mapping[str, tuple[str, bytes]]) -> None:
    """``element`` is an lxml ``<img>`` (lxml ships no type stubs)."""
    found = None
    for name in _IMAGE_SOURCES:
        address = _absolute(page_url, str(element.get(name) or ""))
        if address is not None and address in kept:
            found = kept[address]
            break
    for name in _IMAGE_SOURCES:
        element.attrib.pop(name, None)
    if found is None:
        alt = element.get("alt")
        if alt:
            _as_text(element, alt)
        else:
            element.drop_tree()
        return
    media_type, data = found
    encoded = base64.b64encode(data).decode("ascii")
    element.set("src", f"data:{media_type};base64,{encoded}")


def _as_text(element: Any, alt: str) -> None:
    """An image not kept leaves its alt text, marked as a missing picture."""
    span = lxml.html.fragment_fromstring(f"<span class='missing-image'>[{escape(alt)}]</span>")
    element.addprevious(span)
    element.drop_tree()


def _absolute(page_url: str, value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        url = urljoin(page_url, value)
    except ValueError:
        return None
    return url if is_web_url(url) else None


def _title(text: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    if match is None:
        return ""
    plain = nh3.clean(match.group(1), tags=set())
    return re.sub(r"\s+", " ", unescape(plain)).strip()
