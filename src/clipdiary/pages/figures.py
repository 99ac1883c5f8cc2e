"""A clip's kept images, put back in place in its quote.

The entry's body stays the text the owner can edit; the images are drawn where the page had
them when the body is shown: the lead image before the quote's first paragraph (unless it
is also one of the figures), each figure after the paragraphs that preceded it on the page.
A body edited since (fewer paragraphs) keeps its figures at the end of the quote. A body
with no quote (an entry made by hand, a clip whose quote was deleted) shows none.

Every value written here is escaped; ``src`` is the diary's own ``/media/`` address, never
the page's, so showing an entry makes no request to another site.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from clipdiary.model import EntryImage

_QUOTE = re.compile(r"<blockquote\b[^>]*>", re.I)
_PARAGRAPH_END = re.compile(r"</p>", re.I)
_QUOTE_END = re.compile(r"<cite>|</blockquote>", re.I)


def figure_html(image: EntryImage, base_path: str = "") -> str:
    """One kept image as a ``<figure>`` that keeps its room while it loads."""
    path = image.path
    if path is None:
        return ""
    kind = "clip-image lead" if image.lead else "clip-image"
    caption = f"<figcaption>{escape(image.caption)}</figcaption>" if image.caption else ""
    return (
        f'<figure class="{kind}"><img src="{escape(base_path + path)}" '
        f'alt="{escape(image.alt or image.caption)}" width="{image.width}" '
        f'height="{image.height}" loading="lazy" decoding="async">{caption}</figure>'
    )


def with_figures(html: str, images: Sequence[EntryImage], base_path: str = "") -> str:
    """``html`` (a rendered body) with the kept images inside its first quote."""
    kept = [image for image in images if image.path is not None]
    quote = _QUOTE.search(html)
    if not kept or quote is None:
        return html
    end = _QUOTE_END.search(html, quote.end())
    limit = end.start() if end else len(html)
    # Offsets just after each of the quote's paragraphs: slot n follows n paragraphs.
    slots = [quote.end()]
    slots += [m.end() for m in _PARAGRAPH_END.finditer(html, quote.end(), limit)]
    inserts: dict[int, list[str]] = {}
    for image in kept:
        where = slots[min(max(image.after_paragraph, 0), len(slots) - 1)]
        inserts.setdefault(where, []).append(figure_html(image, base_path))
    pieces: list[str] = []
    last = 0
    for offset in sorted(inserts):
        pieces.append(html[last:offset])
        pieces.append("\n" + "\n".join(inserts[offset]))
        last = offset
    pieces.append(html[last:])
    return "".join(pieces)
