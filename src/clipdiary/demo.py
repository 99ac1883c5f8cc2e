"""The demo diary: the bundled sample news, clipped into a fresh diary.

A demo diary is a diary like any other once made: the user may write in it. So making the
demo again in the same folder reuses it as it is, and a folder that holds another diary
is refused; nothing here ever deletes a diary.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from clipdiary.clip.pipeline import clip_html
from clipdiary.errors import UsageError
from clipdiary.model import Diary
from clipdiary.passwords import hash_password
from clipdiary.store import Store, create_diary
from clipdiary.store.engine import DB_FILENAME, sqlite_url
from clipdiary.store.indexers import bulk_writes
from clipdiary.store.store import Database

DEMO_NAME = "demo"


@dataclass(frozen=True)
class DemoDiary:
    folder: Path
    entries: int
    password: str | None  # None: the diary was there already, with its own password


def demo_manifest() -> list[dict[str, Any]]:
    text = files("clipdiary.demo_data").joinpath("manifest.json").read_text("utf-8")
    data: list[dict[str, Any]] = json.loads(text)
    return data


def make_demo(folder: Path) -> DemoDiary:
    """Make the demo diary in ``folder``, or reuse the demo diary made there before."""
    earlier = _earlier_demo(folder)
    if earlier is not None:
        return DemoDiary(folder, earlier, None)
    store = create_diary(
        folder,
        None,
        Diary(
            name=DEMO_NAME,
            title="clipdiary demo: world news in two languages",
            timezone="Asia/Tokyo",
            day_starts_at=6,
        ),
    )
    password = secrets.token_urlsafe(9)
    try:
        store.set_password_hash(hash_password(password))
        count = 0
        with bulk_writes(store), store.transaction():
            for item in demo_manifest():
                _clip_sample(store, item)
                count += 1
    finally:
        store.database.close()
    return DemoDiary(folder, count, password)


def is_demo_folder(folder: Path) -> bool:
    """Whether ``folder`` holds the demo diary (and only it)."""
    if not (folder / DB_FILENAME).is_file():
        return False
    database = Database.open(sqlite_url(folder))
    try:
        return database.diary_names() == [DEMO_NAME]
    finally:
        database.close()


def _earlier_demo(folder: Path) -> int | None:
    """How many entries the demo diary made in ``folder`` before holds; None when there is
    no diary there. Another diary there is refused, never replaced."""
    if not (folder / DB_FILENAME).exists():
        return None
    database = Database.open(sqlite_url(folder))
    try:
        names = database.diary_names()
        if names == [DEMO_NAME]:
            return database.diary(DEMO_NAME).count_entries(include_private=True)
    finally:
        database.close()
    held = ", ".join(repr(n) for n in names) or "no diary clipdiary knows"
    raise UsageError(
        f"{folder} holds the diary {held}, not a demo, and the demo never replaces a diary: "
        "give another folder (clipdiary demo --folder NEW-FOLDER)"
    )


def _clip_sample(store: Store, item: dict[str, Any]) -> None:
    """Clip one bundled page through the same pipeline as a real clip, without network."""
    page = files("clipdiary.demo_data").joinpath(item["file"]).read_bytes()
    content_type = "text/html"
    if item["charset_in"] == "http-header":
        # These pages name their charset nowhere in the file, as a server would send them.
        content_type = f"text/html; charset={item['encoding']}"
    published = dt.datetime.fromisoformat(item["published"])
    # Clipped a little after publication, so the English and Japanese reports of a story
    # land close together, as they would for a reader following both.
    clipped = published + dt.timedelta(hours=2, minutes=17)
    clip_html(
        store,
        page,
        item["url"],
        content_type=content_type,
        categories=("English" if item["lang"] == "en" else "日本語",),
        created=clipped,
        again=True,
    )
