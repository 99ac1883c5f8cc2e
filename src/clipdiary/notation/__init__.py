"""Hatena notation (はてな記法): parse an entry body, write it as sanitized HTML.

    from clipdiary.notation import render, RenderOptions
    render("本文((脚注))", RenderOptions(mode="diary", anchor="1473071774")).html

The pipeline: ``source`` (clean the string) → ``blocks`` + ``inline`` (the syntax tree in
``tree``) → ``html`` (the writer) → ``sanitize`` (nh3 allow-list). ``sections`` splits a
whole Hatena day body into its sections, one per clipdiary entry.
"""

from __future__ import annotations

from .highlight import highlight_css
from .options import Rendered, RenderOptions
from .render import parse, render, to_text
from .sanitize import sanitize
from .sections import Section, resolve_name, split_sections

__all__ = [
    "RenderOptions",
    "Rendered",
    "Section",
    "highlight_css",
    "parse",
    "render",
    "resolve_name",
    "sanitize",
    "split_sections",
    "to_text",
]
