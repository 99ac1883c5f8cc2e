"""Find the article in a page: title, paragraphs and metadata, as an Article.

trafilatura does the work (its htmldate finds the publication day); this module adapts it,
adds what it lacks (the exact publication time, ``<html lang>``, the canonical link; see
``pagemeta.py``) and decides when a page holds no article:

- fewer than ``MIN_ARTICLE_CHARS`` non-blank characters of text: no article.
  The Article keeps title and description, ``found_article=False`` and a warning;
- no article and no title either: ExtractError, never an empty clip.

Settings by language. Before extracting, the page's language is guessed from ``<html lang>``,
its title and description (``lang.guess_lang``). Japanese pages are extracted with
trafilatura's ``favor_precision``: Japanese news sites wrap the article in membership prompts,
save/share widgets and link lists written as full sentences, which pass trafilatura's default
length and link-density tests; the stricter mode drops them (bench/extract_eval.py: the
Japanese pages lose no recall with it). Other pages keep the defaults, whose recall is higher
on English news (a clip that loses a paragraph is worse than one with a stray line). If the
stricter mode finds no article, the page is extracted again with the defaults.

Pass text, not bytes (``extract_page`` decodes with ``charset.decode_html``): trafilatura's
own guess misreads mostly-ASCII Shift_JIS pages (feasibility study, section 5).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import trafilatura

from clipdiary.clip.charset import decode_html
from clipdiary.clip.fetch import FetchedPage
from clipdiary.clip.lang import guess_lang
from clipdiary.clip.pagemeta import (
    HtmlElement,
    canonical_url,
    page_lang,
    parse_time,
    published_time,
)
from clipdiary.errors import ExtractError
from clipdiary.model import Article

MIN_ARTICLE_CHARS = 30
# Languages whose pages are extracted with trafilatura's favor_precision (see above).
PRECISION_LANGS = frozenset({"ja"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SPACES = re.compile(r"\s+")
NO_ARTICLE_WARNING = "no article text found on the page; the clip keeps its title and description"


def extract_page(page: FetchedPage) -> Article:
    """Decode a fetched page (header charset first, see ``charset.py``) and extract it."""
    html, _charset = decode_html(page.body, page.header_charset)
    return extract(html, page.url)


def extract(html: str, url: str) -> Article:
    """The article in ``html`` (already decoded), fetched from ``url``."""
    # lxml refuses a str that still declares an encoding; it was decoded already.
    html = _XML_DECLARATION.sub("", html, count=1).replace("\x00", "")
    if not html.strip():
        raise ExtractError(f"cannot clip {url}: the page is empty", url=url)
    try:
        tree = trafilatura.load_html(html)
    except Exception as exc:  # lxml and trafilatura raise many kinds; all mean "unreadable"
        raise ExtractError(
            f"cannot clip {url}: the page is not readable HTML ({exc})", url=url
        ) from exc
    if tree is None:
        raise ExtractError(f"cannot clip {url}: the page is not readable HTML", url=url)

    # Read our metadata before trafilatura, which prunes the tree it is given.
    declared_lang = page_lang(tree)
    canonical = canonical_url(tree, url)
    page_title = _page_title(tree)
    exact_time = published_time(tree, declared_lang)
    hint = guess_lang(f"{page_title or ''}\n{_meta_description(tree) or ''}", declared_lang)
    precise = hint in PRECISION_LANGS

    document = _bare_extraction(tree, url, favor_precision=precise)
    title = _clean(getattr(document, "title", None)) or page_title
    paragraphs = _paragraphs(getattr(document, "text", None) or "", title)
    if precise and not _enough(paragraphs):
        # The stricter mode found nothing; the defaults may (on a fresh tree: it was pruned).
        document = _bare_extraction(trafilatura.load_html(html), url, favor_precision=False)
        title = _clean(getattr(document, "title", None)) or page_title
        paragraphs = _paragraphs(getattr(document, "text", None) or "", title)

    description = _clean(getattr(document, "description", None))
    warnings: list[str] = []
    found = _enough(paragraphs)
    if not found:
        paragraphs = ()
        warnings.append(NO_ARTICLE_WARNING)
    if not title:
        if not found:
            raise ExtractError(f"cannot clip {url}: no title and no article text found", url=url)
        title = _title_from_text(paragraphs[0])
        warnings.append("the page has no title; the first line of the text stands in for it")

    text_for_lang = "\n".join(paragraphs) or title + "\n" + (description or "")
    metadata_lang = _clean(getattr(document, "language", None))
    lang = guess_lang(text_for_lang, declared_lang or metadata_lang)
    published = exact_time or _day_from(getattr(document, "date", None), lang)

    return Article(
        url=url,
        title=title,
        paragraphs=paragraphs,
        site=_clean(getattr(document, "sitename", None)),
        author=_clean(getattr(document, "author", None)),
        published=published,
        lang=lang,
        canonical_url=canonical,
        description=description,
        found_article=found,
        warnings=tuple(warnings),
    )


def _bare_extraction(tree: HtmlElement, url: str, *, favor_precision: bool) -> object:
    try:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            include_tables=True,
            favor_precision=favor_precision,
            date_extraction_params={"original_date": True, "extensive_search": True},
        )
    except Exception as exc:  # trafilatura's internals can fail in unforeseen ways
        raise ExtractError(f"cannot clip {url}: extraction failed ({exc})", url=url) from exc


def _enough(paragraphs: tuple[str, ...]) -> bool:
    return sum(len(_SPACES.sub("", p)) for p in paragraphs) >= MIN_ARTICLE_CHARS


def _paragraphs(text: str, title: str | None) -> tuple[str, ...]:
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    # trafilatura keeps the article's own <h1>; the title is shown apart from the text.
    while lines and title and _same(lines[0], title):
        lines.pop(0)
    return tuple(lines)


def _same(a: str, b: str) -> bool:
    def key(text: str) -> str:
        return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()

    return key(a) == key(b)


def _page_title(tree: HtmlElement) -> str | None:
    for path in ('//meta[@property="og:title"]/@content', "//title/text()", "//h1//text()"):
        found = tree.xpath(path)
        if isinstance(found, list):
            for item in found:
                cleaned = _clean(str(item))
                if cleaned:
                    return cleaned
    return None


def _meta_description(tree: HtmlElement) -> str | None:
    for path in (
        '//meta[@name="description"]/@content',
        '//meta[@property="og:description"]/@content',
    ):
        found = tree.xpath(path)
        if isinstance(found, list):
            for item in found:
                cleaned = _clean(str(item))
                if cleaned:
                    return cleaned
    return None


def _title_from_text(line: str, limit: int = 80) -> str:
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _day_from(value: object, lang: str | None) -> dt.datetime | None:
    return parse_time(value, lang) if isinstance(value, str) and value else None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = _SPACES.sub(" ", value).strip()
    return cleaned or None
