"""Images on other sites, named instead of loaded, wherever a body is shown.

A remote image tells its host who reads the diary and when (a tracking pixel), and the
site's Content-Security-Policy would not load it anyway (``img-src 'self' data:``). So a
rendered body shows it only when the reader follows a link to it: the link the image was in
already (a Hatena image or fotolife link), else a new one that names the image and its
host. The diary's own copies (``/media/…``) and ``data:`` images stay as they are.

The input is the sanitizer's output, whose tags are well-formed and whose attributes are
all written ``name="value"``, escaped; so a small scanner can follow them.
"""

from __future__ import annotations

import re

_IMG_OR_LINK = re.compile(r"<img\b([^>]*)>|<a\b[^>]*>|</a>")
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
_REMOTE = re.compile(r"(?:https?:)?//", re.I)


def name_remote_images(html: str) -> str:
    if "<img" not in html:
        return html
    pieces: list[str] = []
    depth = last = 0
    for match in _IMG_OR_LINK.finditer(html):
        tag = match.group(0)
        if tag.startswith("</"):
            depth = max(depth - 1, 0)
        elif not tag.startswith("<img"):
            depth += 1
        else:
            replaced = _named(match.group(1), inside_link=depth > 0)
            if replaced is not None:
                pieces.append(html[last : match.start()])
                pieces.append(replaced)
                last = match.end()
    pieces.append(html[last:])
    return "".join(pieces)


def _named(attributes: str, *, inside_link: bool) -> str | None:
    found = dict(_ATTRIBUTE.findall(attributes))
    src = found.get("src", "")
    if not _REMOTE.match(src):
        return None
    host = re.sub(r"^(?:https?:)?//", "", src, flags=re.I).split("/", 1)[0]
    words = found.get("alt") or found.get("title") or ""
    label = f"[image: {words} ({host})]" if words and words != src else f"[image at {host}]"
    if inside_link:
        return f'<span class="remote-image">{label}</span>'
    return f'<a class="remote-image" href="{src}" rel="nofollow noopener noreferrer">{label}</a>'
