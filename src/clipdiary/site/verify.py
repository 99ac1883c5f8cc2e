"""Verify: every internal link of a built site leads to a file, and every ``#NAME`` to an id.

Used by the tests and by ``clipdiary build --check``; it reads the whole folder, so the
build itself does not run it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINK = re.compile(r"""\s(?:href|src|action)="([^"]*)\"""")
_ID = re.compile(r"""\sid="([^"]*)\"""")


def _target(root: Path, base_path: str, path: str) -> Path | None:
    if not (path + "/").startswith(base_path + "/"):
        return None
    relative = unquote(path[len(base_path) :]).lstrip("/")
    target = root / relative
    if target.is_dir():
        target = target / "index.html"
    return target


def broken_links(root: Path, base_path: str = "") -> list[str]:
    """``page -> link`` for each internal link that leads nowhere."""
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    for page in sorted(root.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for raw in _LINK.findall(text):
            link = html.unescape(raw)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link or link.startswith("#"):
                continue
            target = _target(root, base_path, parts.path)
            where = f"{page.relative_to(root)} -> {link}"
            if target is None or not target.is_file():
                broken.append(where)
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(_ID.findall(target.read_text(encoding="utf-8")))
                if unquote(parts.fragment) not in ids[target]:
                    broken.append(where)
    return broken
