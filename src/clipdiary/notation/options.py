"""What ``render`` is told (``RenderOptions``) and what it gives back (``Rendered``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Mode = Literal["diary", "blog"]

#: Where ``id:user`` and ``d:id:user:…`` point for users other than this diary's owner:
#: the address the Hatena Diary had (Hatena still redirects most of them).
HATENA_DIARY_BASE = "http://d.hatena.ne.jp/"


@dataclass(frozen=True)
class RenderOptions:
    """How to render one entry body.

    ``mode``: ``"diary"`` (each line its own ``<p>``) or ``"blog"`` (lines joined by ``<br>``).
    ``diary_name``: ``id:NAME`` and ``d:id:NAME:…`` for this name link inside this diary.
    ``base_path``: prefix of internal links (``""`` or ``"/d1021"``).
    ``anchor``: unique per entry on a page; prefixes the footnote ids.
    ``permalink``: the entry's own address, target of the 続きを読む link.
    ``known_title``: looks up a title for ``[URL:title]``; nothing is fetched at render time.
    ``hatena_base``: where links to other Hatena users' diaries point.
    """

    mode: Mode = "diary"
    diary_name: str | None = None
    base_path: str = ""
    anchor: str = ""
    permalink: str | None = None
    known_title: Callable[[str], str | None] | None = None
    hatena_base: str = HATENA_DIARY_BASE


@dataclass(frozen=True)
class Rendered:
    """The rendered entry body.

    ``html``: the whole body, sanitized (what the permalink shows).
    ``summary_html``: the part before ``====``/``=====`` plus a 続きを読む link;
    None when the body has no fold.
    ``text``: the body as plain text, notation removed.
    """

    html: str
    summary_html: str | None
    text: str
