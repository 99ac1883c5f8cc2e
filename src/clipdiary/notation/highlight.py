"""``>|lang|`` super-pre: colour the code with Pygments, or leave it plain when unsure.

Pygments is imported on the first code block, not with this module: its formatters load
its plugin machinery, which would add a sixth to the start of every short command.
"""

from __future__ import annotations

from functools import cache
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pygments.lexer import Lexer

#: Longer blocks are shown plain: a lexer's time is not bounded by a small constant.
MAX_HIGHLIGHT_CHARS = 100_000
_GUESS_CHARS = 4_000

# Vim filetype names (what Hatena used) that Pygments knows by another name.
_VIM_NAMES = {"cs": "csharp", "sh": "bash", "zsh": "zsh", "vb": "vbnet", "eruby": "erb"}


@cache
def _formatter() -> Any:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


def _lexer(lang: str, code: str) -> Lexer | None:
    from pygments.lexers import get_lexer_by_name, guess_lexer
    from pygments.util import ClassNotFound

    options = {"stripnl": False, "ensurenl": False}
    try:
        if lang in ("?", "??"):
            guessed = guess_lexer(code[:_GUESS_CHARS])
            return get_lexer_by_name(guessed.aliases[0], **options) if guessed.aliases else None
        return get_lexer_by_name(_VIM_NAMES.get(lang.lower(), lang.lower()), **options)
    except ClassNotFound:
        return None


def highlight(code: str, lang: str) -> str:
    """The HTML inside ``<pre>`` for ``code``: Pygments token spans, or escaped text."""
    if len(code) <= MAX_HIGHLIGHT_CHARS:
        lexer = _lexer(lang, code)
        if lexer is not None:
            from pygments import highlight as pygments_highlight

            try:
                return str(pygments_highlight(code, lexer, _formatter()))
            except Exception:  # a lexer bug must not break rendering: show the code plain
                return escape(code, quote=False)
    return escape(code, quote=False)


def highlight_css(selector: str = "pre.hatena-super-pre") -> str:
    """The stylesheet for highlighted code, for the page templates."""
    from pygments.formatters import HtmlFormatter

    return str(HtmlFormatter().get_style_defs(selector))  # type: ignore[no-untyped-call]
