"""An entry's body as the HTML a reader sees and as plain text.

Hatena notation goes through ``clipdiary.notation`` (sanitized on the way out); HTML
bodies (from Movable Type and Hatena Blog) pass the same allow-list sanitizer, and so does
Markdown once markdown-it-py has made it HTML (CommonMark, with tables and strikethrough).
Images on other sites are then named, not loaded (``notation.remote_images``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from clipdiary import notation
from clipdiary.model import Diary, Entry
from clipdiary.notation.remote_images import name_remote_images


@dataclass(frozen=True)
class RenderedBody:
    html: str
    summary_html: str | None
    text: str


def render_entry(
    entry: Entry, diary: Diary, *, permalink: str, base_path: str = ""
) -> RenderedBody:
    return _render(
        entry.body, entry.format, diary.notation_mode, diary.name, entry.name, permalink, base_path
    )


def entry_text(entry: Entry, diary: Diary) -> str:
    return _render(
        entry.body, entry.format, diary.notation_mode, diary.name, entry.name, "", ""
    ).text


def render_source(source: str, mode: str = "diary") -> str:
    """Notation to HTML, as ``clipdiary render`` prints it."""
    return _render(source, "hatena", mode, "", "", "", "").html


# Day and top pages render the same bodies again and again; a rendering depends only on
# these arguments, so a bounded cache removes most of the work from a busy page.
@lru_cache(maxsize=4096)
def _render(
    body: str,
    body_format: str,
    mode: str,
    diary_name: str,
    anchor: str,
    permalink: str,
    base_path: str,
) -> RenderedBody:
    return _without_remote_images(
        _rendered(body, body_format, mode, diary_name, anchor, permalink, base_path)
    )


def _without_remote_images(rendered: RenderedBody) -> RenderedBody:
    summary = rendered.summary_html
    return RenderedBody(
        name_remote_images(rendered.html),
        name_remote_images(summary) if summary is not None else None,
        rendered.text,
    )


def _rendered(
    body: str,
    body_format: str,
    mode: str,
    diary_name: str,
    anchor: str,
    permalink: str,
    base_path: str,
) -> RenderedBody:
    if body_format == "hatena":
        options = notation.RenderOptions(
            mode="blog" if mode == "blog" else "diary",
            diary_name=diary_name or None,
            base_path=base_path,
            anchor=anchor,
            permalink=permalink or None,
        )
        rendered = notation.render(body, options)
        return RenderedBody(rendered.html, rendered.summary_html, rendered.text)
    if body_format == "html":
        cleaned = notation.sanitize(body)
        return RenderedBody(cleaned, None, _html_text(cleaned))
    if body_format == "markdown":
        cleaned = notation.sanitize(_markdown_html(body))
        return RenderedBody(cleaned, None, _html_text(cleaned))
    return _plain(body)


# The entry's own title is an <h3>, as a Hatena "*" heading makes it: Markdown's headings
# sit below it, "#" as <h4>, "##" as <h5>, deeper ones as <h6>.
_HEADING_SHIFT = 3


@lru_cache(maxsize=1)
def _markdown_parser() -> Any:
    from markdown_it import MarkdownIt  # loaded for the first Markdown body only

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _markdown_html(body: str) -> str:
    parser = _markdown_parser()
    env: dict[str, Any] = {}
    tokens = parser.parse(body, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + _HEADING_SHIFT, 6)}"
    return str(parser.renderer.render(tokens, parser.options, env))


def _plain(body: str) -> RenderedBody:
    lines = [line for line in body.splitlines() if line.strip()]
    markup = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return RenderedBody(markup, None, "\n".join(lines))


def _html_text(markup: str) -> str:
    import nh3

    text = nh3.clean(markup, tags=set())
    return html.unescape(text).strip()
