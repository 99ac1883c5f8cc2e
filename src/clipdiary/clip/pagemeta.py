"""Metadata that trafilatura does not give precisely: language, canonical URL, publish time.

trafilatura (through htmldate) reports the publication *day* only; news pages nearly always
state the exact moment in a meta tag or JSON-LD, and a diary sorts clips by it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

# An lxml.html.HtmlElement; lxml ships no type stubs and none are installed.
HtmlElement = Any

# Tried in order; each is an XPath yielding strings.
_PUBLISHED_PATHS = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@property="og:article:published_time"]/@content',
    '//meta[@itemprop="datePublished"]/@content',
    '//meta[@name="pubdate"]/@content',
    '//meta[@name="publishdate"]/@content',
    '//meta[@name="parsely-pub-date"]/@content',
    '//meta[@name="dcterms.issued"]/@content',
    '//meta[@name="DC.date.issued"]/@content',
    '//time[@itemprop="datePublished"]/@datetime',
    "//time[@pubdate]/@datetime",
    "//article//time/@datetime",
)
_JSON_LD_PATH = '//script[@type="application/ld+json"]/text()'
_TOKYO = ZoneInfo("Asia/Tokyo")


def page_lang(tree: HtmlElement) -> str | None:
    """The primary subtag of ``<html lang>`` (or its ``xml:lang``), lower-cased."""
    root = tree.getroottree().getroot()
    for name in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        value = root.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip().split("-")[0].split("_")[0].lower()
    return None


def canonical_url(tree: HtmlElement, page_url: str) -> str | None:
    """``<link rel=canonical>`` or ``og:url``, made absolute; only http(s) addresses."""
    candidates = (
        *_strings(tree.xpath('//link[contains(concat(" ", @rel, " "), " canonical ")]/@href')),
        *_strings(tree.xpath('//meta[@property="og:url"]/@content')),
    )
    for href in candidates:
        absolute = urljoin(page_url, href.strip())
        if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).netloc:
            return absolute
    return None


def published_time(tree: HtmlElement, lang: str | None) -> dt.datetime | None:
    """The first parseable publication time stated in the page's metadata.

    A time without an offset is read in Tokyo time on a Japanese page and as UTC otherwise;
    a bare date becomes noon UTC, which is the same calendar day from UTC-11 to UTC+11.
    """
    for text in (*_meta_values(tree), *_json_ld_dates(tree)):
        moment = parse_time(text, lang)
        if moment is not None:
            return moment
    return None


def parse_time(text: str, lang: str | None) -> dt.datetime | None:
    cleaned = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        day = dt.date.fromisoformat(cleaned)
        return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    # "+0900" offsets and a trailing "Z" are common; fromisoformat takes both forms in 3.11.
    try:
        moment = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_TOKYO if lang == "ja" else dt.UTC)
    return moment


def _meta_values(tree: HtmlElement) -> Iterator[str]:
    for path in _PUBLISHED_PATHS:
        yield from _strings(tree.xpath(path))


def _json_ld_dates(tree: HtmlElement) -> Iterator[str]:
    for block in _strings(tree.xpath(_JSON_LD_PATH)):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        yield from _find_key(data, "datePublished")


def _find_key(data: object, key: str) -> Iterator[str]:
    if isinstance(data, dict):
        value = data.get(key)
        if isinstance(value, str):
            yield value
        for child in data.values():
            yield from _find_key(child, key)
    elif isinstance(data, list):
        for item in data:
            yield from _find_key(item, key)


def _strings(result: object) -> list[str]:
    if not isinstance(result, list):
        return []
    return [str(item) for item in result if isinstance(item, str) and item.strip()]
