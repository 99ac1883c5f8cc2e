"""Old Hatena addresses, mapped to the addresses clipdiary serves today.

Hatena Diary (USER is the diary's old Hatena user name): ``/USER/YYYYMMDD``,
``/USER/YYYYMMDD/NAME`` (``#NAME`` stays in the browser and survives the redirect),
``/USER/YYYYMM``, ``/USER/archive[/YYYYMM]``, ``/USER/searchdiary?word=*[CAT]``,
``/USER/rss`` (and ``rss2``, ``atom``; ``?word=[CAT]`` for a category's feed).
Hatena Blog: ``/entry/YYYYMMDD/NAME``, ``/entries/YYYY/MM/DD``, ``/archive/YYYY[/MM[/DD]]``,
``/archive/category/NAME``, ``/rss``; ``/feed`` is clipdiary's own feed address. Addresses
that follow no rule (Hatena Blog basenames ``/entry/…``) are kept as aliases per entry.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlencode

_DIARY_DAY = re.compile(
    r"^/(?P<user>[A-Za-z][A-Za-z0-9_\-]{0,31})/(?P<day>\d{8})(?:/(?P<name>[A-Za-z0-9_\-]+))?/?$"
)
_DIARY_ROOT = re.compile(r"^/(?P<user>[A-Za-z][A-Za-z0-9_\-]{0,31})/?$")
_BLOG_ENTRY = re.compile(r"^/entry/(?P<day>\d{8})/(?P<name>[A-Za-z0-9_\-]+)/?$")
_BLOG_DAY = re.compile(r"^/(?:entries|entry)/(?P<day>\d{8})/?$")
_BLOG_DATED = re.compile(
    r"^/(?:archive|entries)/(?P<year>\d{4})(?:/(?P<month>\d{2})(?:/(?P<day>\d{2}))?)?/?$"
)
_BLOG_CATEGORY = re.compile(r"^/archive/category/(?P<name>.+?)/?$")
_DIARY_PAGE = re.compile(
    r"^/(?P<user>[A-Za-z][A-Za-z0-9_\-]{0,31})/(?P<page>\d{6}|archive|searchdiary|rss2?|atom)"
    r"(?P<rest>/.*)?$"
)
_CATEGORY_WORD = re.compile(r"^\*?\[(?P<name>[^\[\]]+)\]$")


def legacy_target(path: str, hatena_user: str, query: str = "") -> str | None:
    """The current address an old Hatena path points to, or None if it is not one.

    ``hatena_user`` is the diary's old Hatena user name (``/USER/…``); ``query`` the
    request's query string, which ``/USER/searchdiary?word=*[CAT]`` and ``/USER/rss``
    need.
    """
    match = _DIARY_DAY.match(path)
    if match and match["user"] == hatena_user:
        if match["name"]:
            return f"/{match['day']}/{match['name']}"
        return f"/{match['day']}"
    match = _DIARY_ROOT.match(path)
    if match and match["user"] == hatena_user:
        return "/"
    match = _DIARY_PAGE.match(path)
    if match and match["user"] == hatena_user:
        return _diary_page(match["page"], match["rest"] or "", parse_qs(query))
    match = _BLOG_ENTRY.match(path)
    if match:
        return f"/{match['day']}/{match['name']}"
    match = _BLOG_DAY.match(path)
    if match:
        return f"/{match['day']}"
    match = _BLOG_DATED.match(path)
    if match:
        year, month, mday = match["year"], match["month"], match["day"]
        if mday:
            return f"/{year}{month}{mday}"
        return f"/{year}{month}" if month else "/archive"
    match = _BLOG_CATEGORY.match(path)
    if match:
        return "/category/" + quote(match["name"], safe="")
    if path == "/rss":
        return "/feed"
    return None


def _diary_page(page: str, rest: str, params: dict[str, list[str]]) -> str | None:
    if re.fullmatch(r"\d{6}", page) and not rest:
        return f"/{page}"
    if page == "archive":
        month = rest.strip("/")
        if re.fullmatch(r"\d{6}", month):
            return f"/{month}"
        return "/archive" if not month else None
    word = (params.get("word") or [""])[0].strip()
    category = _CATEGORY_WORD.fullmatch(word)
    if page == "searchdiary" and not rest:
        if category:
            return "/category/" + quote(category["name"], safe="")
        return "/search?" + urlencode({"q": word}) if word else "/search"
    if page in ("rss", "rss2", "atom") and not rest:
        if category:
            return "/category/" + quote(category["name"], safe="") + "/feed"
        return "/feed"
    return None
