"""The static site's addresses: the live site's, written as folders with ``index.html``.

``/20160905`` becomes the file ``20160905/index.html`` and links say ``/20160905/`` so a
plain file server answers them without a redirect. Every link carries the base path given
at build time (``--base-path /diary``), as on the live site. Three things differ, because a
file server ignores query strings: a category's earlier pages are ``/category/NAME/page/N/``
(live: ``?page=2``), numbered from the oldest so that a new entry changes only the front
page; the list of stories goes on at ``/stories/page/N/``; and the top page shows the
latest days only (older days are reached by the month pages and the archive, whose pages
never shift when a day is added).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, unquote, urlencode

from clipdiary.model import day_key
from clipdiary.urls import Urls


def category_folder(name: str) -> str:
    """The folder (under ``category/``) a category's pages are written in: its name, each
    ``/`` a folder as on the live site, but no part of it a path of its own. A part that is
    empty or starts with a dot (``..``, ``.clipdiary-cache``) has it written ``%2F`` or
    ``%2E``; the link quotes the name once more, which a file server undoes."""
    parts = name.replace("\\", "%5C").split("/")
    return "/".join(
        "%2F" if not part else "%2E" + part[1:] if part.startswith(".") else part for part in parts
    )


class StaticUrls(Urls):
    """``Urls`` for the static export: folder addresses with a trailing slash."""

    def top(self, page: int = 1) -> str:
        return self._path("/")

    def day(self, day: dt.date) -> str:
        return self._path(f"/{day_key(day)}/")

    def entry(self, day: dt.date, name: str) -> str:
        return self._path(f"/{day_key(day)}/{quote(name, safe='')}/")

    def entry_anchor(self, day: dt.date, name: str) -> str:
        return self._path(f"/{day_key(day)}/#{quote(name, safe='')}")

    def month(self, year: int, month: int) -> str:
        return self._path(f"/{year:04d}{month:02d}/")

    def same_date(self, month: int, day: int) -> str:
        return self._path(f"/{month:02d}{day:02d}/")

    def archive(self) -> str:
        return self._path("/archive/")

    def category(self, name: str, page: int = 1) -> str:
        path = self._path(f"/category/{quote(category_folder(name), safe='/')}/")
        return path if page <= 1 else f"{path}page/{page}/"

    def category_feed(self, name: str) -> str:
        return self._path(f"/category/{quote(category_folder(name), safe='/')}/feed")

    def category_page(self, name: str, number: int) -> str:
        """An earlier page of a category, numbered from its oldest entries (``pages.py``)."""
        return f"{self.category(name)}page/{number}/"

    def story(self, number: int) -> str:
        return self._path(f"/story/s{number}/")

    def story_feed(self, number: int) -> str:
        return self._path(f"/story/s{number}/feed")

    def stories(self, page: int = 1) -> str:
        path = self._path("/stories/")
        return path if page <= 1 else f"{path}page/{page}/"

    def search(self, query: str | None = None) -> str:
        path = self._path("/search/")
        return f"{path}?{urlencode({'q': query})}" if query else path

    def file_of(self, address: str) -> str:
        """The file (relative to the output folder) that answers ``address``."""
        if not address.startswith(self.base_path + "/"):
            raise ValueError(f"{address!r} is outside the base path {self.base_path!r}")
        path = unquote(address[len(self.base_path) + 1 :])
        return path + "index.html" if path.endswith("/") or not path else path
