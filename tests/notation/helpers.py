"""Small helpers shared by the notation tests."""

from __future__ import annotations

import re
from typing import Any

from clipdiary.notation import RenderOptions, render


def squash(html: str) -> str:
    """The HTML with the whitespace between tags removed, so tests read as one line."""
    return re.sub(r"<br>\s+", "<br>", re.sub(r">\s+<", "><", html)).strip()


def html(source: str, **options: Any) -> str:
    """The rendered body, squashed."""
    return squash(render(source, RenderOptions(**options)).html)
