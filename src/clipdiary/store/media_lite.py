"""The kept images read through the standard library's ``sqlite3``, without SQLAlchemy.

The static build reads a SQLite diary this way (``store/lite.py``); the live site and the
PostgreSQL diaries go through ``store/media.py``. Both give the same ``EntryImage`` values.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from clipdiary.model import EntryImage

if TYPE_CHECKING:
    from clipdiary.store.store import Store


def images_for(reader: object, entry_ids: Iterable[int]) -> dict[int, list[EntryImage]]:
    """``images_of`` for whichever reader a page builder has: a ``Store`` or the static
    build's ``SqliteReader`` (which has no SQLAlchemy engine)."""
    conn = getattr(reader, "conn", None) if not hasattr(reader, "engine") else None
    if isinstance(conn, sqlite3.Connection):
        return images_of_sqlite(conn, entry_ids)
    from clipdiary.store.media import images_of  # SQLAlchemy: the live site's store

    return images_of(cast("Store", reader), entry_ids)


def images_of_sqlite(
    conn: sqlite3.Connection, entry_ids: Iterable[int]
) -> dict[int, list[EntryImage]]:
    """The same, through the standard library's sqlite3 (the static build's reader)."""
    ids = sorted(set(entry_ids))
    found: list[Any] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.extend(
            conn.execute(
                "SELECT ei.entry_id, ei.url, ei.alt, ei.caption, ei.lead, ei.after_paragraph,"
                " ei.error, m.sha256, m.media_type, m.width, m.height"
                " FROM entry_images ei LEFT JOIN media m ON m.id = ei.media_id"
                f" WHERE ei.entry_id IN ({marks}) ORDER BY ei.entry_id, ei.position",
                chunk,
            ).fetchall()
        )
    return grouped_images(found)


def grouped_images(rows: Iterable[Any]) -> dict[int, list[EntryImage]]:
    grouped: dict[int, list[EntryImage]] = {}
    for row in rows:
        grouped.setdefault(int(row[0]), []).append(
            EntryImage(
                url=row[1],
                alt=row[2],
                caption=row[3],
                lead=bool(row[4]),
                after_paragraph=int(row[5]),
                error=row[6],
                sha256=row[7],
                media_type=row[8],
                width=int(row[9] or 0),
                height=int(row[10] or 0),
            )
        )
    return grouped


def media_bytes_sqlite(
    conn: sqlite3.Connection, diary_id: int, sha256s: Iterable[str]
) -> dict[str, tuple[str, bytes]]:
    wanted = sorted(set(sha256s))
    found: dict[str, tuple[str, bytes]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for sha, media_type, content in conn.execute(
            "SELECT sha256, media_type, content FROM media"
            f" WHERE diary_id = ? AND sha256 IN ({marks})",
            [diary_id, *chunk],
        ):
            found[sha] = (media_type, bytes(content))
    return found


def media_files(reader: object, diary_id: int, entry_ids: Iterable[int]) -> dict[str, bytes]:
    """The kept images these entries show, as ``media/SHA256.EXT`` → bytes (a static build
    copies them beside its pages)."""
    images = images_for(reader, entry_ids)
    wanted = {i.sha256 for found in images.values() for i in found if i.path is not None}
    if not wanted:
        return {}
    conn = getattr(reader, "conn", None) if not hasattr(reader, "engine") else None
    if isinstance(conn, sqlite3.Connection):
        stored = media_bytes_sqlite(conn, diary_id, (s for s in wanted if s))
    else:
        from clipdiary.store.media import media_bytes

        stored = media_bytes(cast("Store", reader), (s for s in wanted if s))
    files: dict[str, bytes] = {}
    for found in images.values():
        for image in found:
            path = image.path
            if path is not None and image.sha256 in stored:
                files[path.lstrip("/")] = stored[image.sha256][1]
    return files
