"""An Article and the owner's note → an entry title and body in Hatena notation.

The body is the note (the owner's own notation, taken as written), a blank line, then the
article as a quote block that cites its source::

    NOTE LINE(S)

    >https://news.example.com/a:title=ARTICLE TITLE>
    first paragraph
    second paragraph
    <<

Article text is data, not notation, so it is made inert inside the quote:

- A paragraph that would start a Hatena block (``*`` heading, ``-``/``+`` list, ``:``
  definition, ``|`` table, ``>>``/``<<``/``>|``/``><``/``>URL>`` quote, pre or HTML block,
  ``====`` divider, ``<!--`` hidden comment, ``||<``) gets a leading half-width space, Hatena's
  own escape: block notation is recognised only at the start of a line.
- Markup the page showed as text stays text: ``<`` is written ``&lt;`` (a tag in the text
  would otherwise become a live link or a tracking image), ``[`` is written ``&#91;`` (no
  ``[URL:image]`` or other bracket notation), and an ``&`` that would read as an entity
  (``&lt;`` shown as text) is written ``&amp;``. A paragraph holding an address or a Hatena
  id (``https://``, ``mailto:``, ``id:``), which the notation would link, is wrapped in
  ``[]…[]``, Hatena's own "no links here"; no ``[]`` inside can end it early, since every
  ``[`` is escaped. The reader sees the characters; the plain text (search, related clips)
  decodes them back.
- A footnote ``((…))`` is written ``)((…))(``, Hatena's escape, which shows the literal
  ``((…))``. A ``((`` or ``))`` without its partner on the line is no footnote and stays.
- The title in ``>URL:title=…>`` cannot hold ``>``, which would end the line's notation
  early; ``>`` and ``<`` become the full-width ``＞`` and ``＜``, which look alike and
  survive any renderer. Newlines and runs of spaces in the title become one space.
- The cited URL is percent-encoded where it holds spaces, ``<``, ``>`` or quotes.
- With no paragraphs, the page's description is quoted instead; with neither, the quote
  block holds only its citation.

The cited URL is the canonical one when it stays on the fetched host (it drops tracking
parameters); otherwise the URL that was fetched, since a canonical link may point anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from clipdiary.model import Article

_BLOCK_START = re.compile(r"^(?:[*+\-:|]|>|<|={4})")
_FOOTNOTE = re.compile(r"\(\((.+?)\)\)")
# An "&" the notation would read as the start of an entity (its inline parser's own rule).
_LINKS_ITSELF = re.compile(r"(?:https?|ftp)://|mailto:|id:")
_ENTITY_START = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_SPACES = re.compile(r"\s+")
# Characters left as they are when a URL is percent-encoded for the citation line.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


@dataclass(frozen=True)
class ComposedClip:
    """The title and Hatena-notation body of a new clip entry."""

    title: str
    body: str


def compose(article: Article, note: str | None = None) -> ComposedClip:
    title = _one_line(article.title)
    lines: list[str] = []
    note_lines = _note_lines(note)
    if note_lines:
        lines.extend(note_lines)
        lines.append("")
    lines.append(f">{cite_url(article)}:title={quote_title(title)}>")
    text = article.paragraphs or ((article.description,) if article.description else ())
    lines.extend(escape_line(paragraph) for paragraph in text if _one_line(paragraph))
    lines.append("<<")
    return ComposedClip(title=title, body="\n".join(lines) + "\n")


def escape_line(paragraph: str) -> str:
    """One paragraph as one line of Hatena notation that shows exactly its text."""
    line = _one_line(paragraph)
    line = _ENTITY_START.sub("&amp;", line).replace("<", "&lt;").replace("[", "&#91;")
    line = _FOOTNOTE.sub(r")((\1))(", line)
    if _LINKS_ITSELF.search(line):
        return f"[]{line}[]"  # starts with "[", so it is no block notation either
    if _BLOCK_START.match(line):
        line = " " + line
    return line


def quote_title(title: str) -> str:
    return _one_line(title).replace(">", "＞").replace("<", "＜")


def cite_url(article: Article) -> str:
    url = article.url
    canonical = article.canonical_url
    if canonical and _host(canonical) == _host(url):
        url = canonical
    return quote(url, safe=_URL_SAFE)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _note_lines(note: str | None) -> list[str]:
    if note is None:
        return []
    lines = [line.rstrip() for line in note.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
