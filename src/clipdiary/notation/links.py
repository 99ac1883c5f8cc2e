"""Addresses built from notation: Hatena IDs, diary days, keywords, search engines, Fotolife.

Every function returns an address string (or None when the notation does not make one);
``inline`` wraps them in tree nodes. Nothing here fetches anything.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .options import RenderOptions

#: A Hatena ID: a letter, then 2–14 letters, digits, ``_`` or ``-``.
HATENA_ID = r"[A-Za-z][A-Za-z0-9_-]{2,14}"
#: A section name: an epoch (9–10 digits) or a word starting with a letter.
SECTION_NAME = r"[A-Za-z0-9_]+"

_SAFE_URL = re.compile(r"(?:https?|ftp)://[^\s\"'<>\\`\x00-\x1f]+\Z")


def is_web_url(url: str) -> bool:
    """True for an http(s)/ftp address with nothing in it that could break out of an attribute."""
    return bool(_SAFE_URL.match(url))


def _own(user: str, options: RenderOptions) -> bool:
    return options.diary_name is not None and user.lower() == options.diary_name.lower()


def user_href(user: str, rest: str, options: RenderOptions) -> str:
    """``id:user`` / ``d:id:user`` + ``rest`` (``""``, ``"20061214"``, ``"20061214/name"``, …).

    Inside this diary when ``user`` is the diary's name, else the user's Hatena Diary address.
    """
    if _own(user, options):
        return f"{options.base_path}/{rest}"
    base = options.hatena_base if options.hatena_base.endswith("/") else options.hatena_base + "/"
    return f"{base}{user}/{rest}"


def keyword_href(word: str, options: RenderOptions) -> str:
    """``[[word]]``: Hatena's keyword pages listed the diaries using a word; here, the search."""
    return f"{options.base_path}/search?q={quote(word, safe='')}"


def category_href(category: str, options: RenderOptions) -> str:
    return f"{options.base_path}/category/{quote(category, safe='')}"


def google_href(kind: str, query: str) -> str:
    q = quote(query, safe="")
    if kind == "images":
        return f"https://www.google.com/search?tbm=isch&q={q}&ie=utf-8&oe=utf-8"
    if kind == "news":
        return f"https://news.google.com/search?q={q}"
    return f"https://www.google.com/search?q={q}&ie=utf-8&oe=utf-8"


def wikipedia_href(lang: str, title: str) -> str:
    return f"https://{lang}.wikipedia.org/wiki/{quote(title, safe='')}"


def bookmark_hrefs(url: str) -> tuple[str, str]:
    """(entry page, count image) of Hatena Bookmark for ``url``; ``#`` escaped as ``%23``."""
    target = url.replace("#", "%23")
    return (
        f"https://b.hatena.ne.jp/entry/{target}",
        f"https://b.hatena.ne.jp/entry/image/{target}",
    )


_FOTO_EXT = {"j": "jpg", "p": "png", "g": "gif", "f": "jpg", "": "jpg"}


def fotolife_hrefs(user: str, stamp: str, kind: str, size: str | None) -> tuple[str, str]:
    """(photo page, image address) of a Hatena Fotolife photo ``f:id:user:STAMPk:image``."""
    page = f"https://f.hatena.ne.jp/{user}/{stamp}"
    folder = f"https://cdn-ak.f.st-hatena.com/images/fotolife/{user[0]}/{user}/{stamp[:8]}"
    if size == "small":
        return page, f"{folder}/{stamp}_m.gif"
    if size == "medium":
        return page, f"{folder}/{stamp}_120.jpg"
    return page, f"{folder}/{stamp}.{_FOTO_EXT.get(kind, 'jpg')}"
