"""An entry's body as the HTML a reader sees and as plain text.

Hatena notation is rendered as escaped text, one paragraph per line, until the notation
module lands; HTML bodies (from Movable Type and Hatena Blog) pass the sanitizer.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

import nh3

from clipdiary.model import Diary, Entry

READ_MORE_MARKS = ("=====", "====")


@dataclass(frozen=True)
class RenderedBody:
    html: str
    summary_html: str | None
    text: str


def render_entry(entry: Entry, diary: Diary, *, permalink: str) -> RenderedBody:
    return _render(entry.body, entry.format, diary.notation_mode, permalink)


def entry_text(entry: Entry, diary: Diary) -> str:
    return _render(entry.body, entry.format, diary.notation_mode, "").text


# Day and top pages render the same bodies again and again; bodies are immutable per
# (text, options), so a bounded cache removes most of the work from a busy page.
@lru_cache(maxsize=4096)
def _render(body: str, body_format: str, mode: str, permalink: str) -> RenderedBody:
    if body_format == "html":
        cleaned = nh3.clean(body)
        return RenderedBody(cleaned, None, _html_text(cleaned))
    return _plain(body)


def _plain(body: str) -> RenderedBody:
    lines = [line for line in body.splitlines() if line.strip()]
    markup = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return RenderedBody(markup, None, "\n".join(lines))


def _html_text(markup: str) -> str:
    text = nh3.clean(markup, tags=set())
    return html.unescape(text).strip()
