"""Highlighting: find the query's matches in the original text, show a window around them.

The text is normalized exactly as the index normalizes it, with a map from each normalized
character back to the original one, so a match of ``abc`` lights up ``ＡＢＣ`` as written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from clipdiary.search.query import Term
from clipdiary.search.text import normalize

SNIPPET_CHARS = 160
LEAD_CHARS = 40
_WORDCHAR = r"[^\W_0-9\u2e80-\U0010ffff]"


@dataclass(frozen=True)
class Highlighted:
    """Text cut into pieces, each marked as a match or not."""

    parts: tuple[tuple[str, bool], ...]

    @property
    def text(self) -> str:
        return "".join(part for part, _ in self.parts)

    @property
    def html(self) -> str:
        return "".join(
            f"<mark>{html.escape(part)}</mark>" if hit else html.escape(part)
            for part, hit in self.parts
        )


def pattern_for(terms: Sequence[Term]) -> re.Pattern[str] | None:
    pieces: dict[str, None] = {}
    for term in terms:
        for index, run in enumerate(term.phrase.parts):
            escaped = re.escape(run.text)
            if run.kind == "word":
                last = index == len(term.phrase.parts) - 1
                tail = "" if (last and term.phrase.prefix) else f"(?!{_WORDCHAR})"
                pieces[f"(?<!{_WORDCHAR}){escaped}{tail}"] = None
            else:
                pieces[escaped] = None
    if not pieces:
        return None
    ordered = sorted(pieces, key=len, reverse=True)
    return re.compile("|".join(ordered))


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """Normalized text and, for each of its characters, the index of its source character."""
    folded = normalize(text)
    if len(folded) == len(text):
        return folded, list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and (
            unicodedata.combining(text[j]) or text[j] in "\uff9e\uff9f\u3099\u309a"
        ):
            j += 1
        piece = normalize(text[i:j])
        out.append(piece)
        where.extend([i] * len(piece))
        i = j
    return "".join(out), where


def _spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    if pattern is None or not text:
        return []
    folded, where = _normalized_with_map(text)
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(folded):
        if match.end() == match.start():
            continue
        start = where[match.start()]
        end = where[match.end() - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _cut(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Highlighted:
    parts: list[tuple[str, bool]] = []
    if start > 0:
        parts.append(("…", False))
    cursor = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > cursor:
            parts.append((text[cursor:s], False))
        parts.append((text[s:e], True))
        cursor = e
    if cursor < end:
        parts.append((text[cursor:end], False))
    if end < len(text):
        parts.append(("…", False))
    return Highlighted(tuple(parts))


def highlight(text: str, pattern: re.Pattern[str] | None) -> Highlighted:
    """The whole text with every match marked (for titles)."""
    return _cut(text, _spans(text, pattern), 0, len(text))


def snippet(text: str, pattern: re.Pattern[str] | None) -> Highlighted:
    """A window of the text around its first match, matches marked."""
    flat = " ".join(text.split())
    spans = _spans(flat, pattern)
    if not spans:
        return _cut(flat, [], 0, min(len(flat), SNIPPET_CHARS))
    first = spans[0][0]
    start = max(0, first - LEAD_CHARS)
    if start > 0:
        space = flat.rfind(" ", start - 10, first)
        start = space + 1 if space >= start - 10 else start
    end = min(len(flat), start + SNIPPET_CHARS)
    return _cut(flat, spans, start, end)
