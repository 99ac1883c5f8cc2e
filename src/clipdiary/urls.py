"""Every address clipdiary shows, built in one place, relative to the diary's root."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from clipdiary.model import day_key


class Urls:
    """Builds the diary's addresses; ``base_path`` is where the diary is mounted ("" or "/d")."""

    def __init__(self, base_path: str = "") -> None:
        self.base_path = base_path.rstrip("/")

    def _path(self, path: str) -> str:
        return self.base_path + path

    def api_docs(self) -> str:
        return self._path("/api/docs")

    def openapi(self) -> str:
        return self._path("/openapi.json")

    def top(self, page: int = 1) -> str:
        return self._path("/") if page <= 1 else self._path(f"/?page={page}")

    def day(self, day: dt.date) -> str:
        return self._path(f"/{day_key(day)}")

    def entry(self, day: dt.date, name: str) -> str:
        return self._path(f"/{day_key(day)}/{quote(name, safe='')}")

    def entry_anchor(self, day: dt.date, name: str) -> str:
        """The entry in its day page: the form Hatena used, ``/20160905#1473071774``."""
        return self._path(f"/{day_key(day)}#{quote(name, safe='')}")

    def day_title(self, day: dt.date) -> str:
        """Where the owner's form sets a day's title."""
        return self.day(day) + "/title"

    def edit_entry(self, day: dt.date, name: str) -> str:
        return self.entry(day, name) + "/edit"

    def delete_entry(self, day: dt.date, name: str) -> str:
        return self.entry(day, name) + "/delete"

    def month(self, year: int, month: int) -> str:
        return self._path(f"/{year:04d}{month:02d}")

    def same_date(self, month: int, day: int) -> str:
        return self._path(f"/{month:02d}{day:02d}")

    def archive(self) -> str:
        return self._path("/archive")

    def category(self, name: str, page: int = 1) -> str:
        path = self._path(f"/category/{quote(name, safe='')}")
        return path if page <= 1 else f"{path}?page={page}"

    def story(self, number: int) -> str:
        return self._path(f"/story/s{number}")

    def story_feed(self, number: int) -> str:
        return self.story(number) + "/feed"

    def stories(self, page: int = 1) -> str:
        return self._path("/stories") if page <= 1 else self._path(f"/stories?page={page}")

    def feed(self) -> str:
        return self._path("/feed")

    def category_feed(self, name: str) -> str:
        return self._path(f"/category/{quote(name, safe='')}/feed")

    def search(self, query: str | None = None) -> str:
        path = self._path("/search")
        return f"{path}?{urlencode({'q': query})}" if query else path

    def new_entry(self) -> str:
        return self._path("/new")

    def clip(self) -> str:
        return self._path("/clip")

    def settings(self) -> str:
        return self._path("/settings")

    def login(self, next_path: str | None = None) -> str:
        path = self._path("/login")
        return f"{path}?{urlencode({'next': next_path})}" if next_path else path

    def logout(self) -> str:
        return self._path("/logout")

    def static(self, name: str) -> str:
        return self._path(f"/static/{name}")

    def api_entry(self, day: dt.date, name: str) -> str:
        return self._path(f"/api/entries/{day_key(day)}/{quote(name, safe='')}")
