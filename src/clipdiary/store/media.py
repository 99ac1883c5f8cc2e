"""Images kept with clips: written with the clip's entry, read for pages, the JSON and ``/media/``.

The bytes are kept once per diary and content (``media``, keyed by SHA-256), in the database
on both backends: a backup of ``diary.db`` (or of the PostgreSQL database) then holds the
images too, a clip's entry, page and images land in one transaction, and a hosted diary
needs no shared folder between its app servers. ``entry_images`` lists, per entry, every
image its page showed, kept or not, in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from clipdiary.model import MEDIA_EXTENSIONS, EntryImage
from clipdiary.store import schema
from clipdiary.store.media_lite import grouped_images

if TYPE_CHECKING:
    from clipdiary.store.store import Store

M = schema.media
EI = schema.entry_images


@dataclass(frozen=True)
class StoredMedia:
    data: bytes
    media_type: str
    public: bool  # shown by at least one public entry


def save_entry_images(
    conn: sa.Connection,
    diary_id: int,
    entry_id: int,
    images: Sequence[tuple[EntryImage, bytes | None]],
) -> None:
    """Keep an entry's images: each kept one's bytes once per diary, every one listed."""
    for position, (image, data) in enumerate(images):
        media_id = None
        if data is not None and image.sha256 is not None and image.media_type is not None:
            media_id = _media_id(conn, diary_id, image, data)
        conn.execute(
            sa.insert(EI).values(
                entry_id=entry_id,
                position=position,
                url=image.url,
                media_id=media_id,
                alt=image.alt,
                caption=image.caption,
                lead=image.lead,
                after_paragraph=image.after_paragraph,
                error=None if media_id is not None else (image.error or "not kept"),
            )
        )


def _media_id(conn: sa.Connection, diary_id: int, image: EntryImage, data: bytes) -> int:
    existing = conn.execute(
        sa.select(M.c.id).where(M.c.diary_id == diary_id, M.c.sha256 == image.sha256)
    ).scalar()
    if existing is not None:
        return int(existing)
    new_id = conn.execute(
        sa.insert(M)
        .values(
            diary_id=diary_id,
            sha256=image.sha256,
            media_type=image.media_type,
            width=image.width,
            height=image.height,
            size=len(data),
            content=data,
        )
        .returning(M.c.id)
    ).scalar_one()
    return int(new_id)


def delete_entry_images(conn: sa.Connection, diary_id: int, entry_id: int) -> None:
    """Forget an entry's images, and the bytes no other entry shows."""
    media_ids = {
        int(row[0])
        for row in conn.execute(
            sa.select(EI.c.media_id).where(EI.c.entry_id == entry_id, EI.c.media_id.is_not(None))
        )
    }
    conn.execute(sa.delete(EI).where(EI.c.entry_id == entry_id))
    for media_id in media_ids:
        still = conn.execute(sa.select(EI.c.entry_id).where(EI.c.media_id == media_id)).first()
        if still is None:
            conn.execute(sa.delete(M).where(M.c.id == media_id, M.c.diary_id == diary_id))


_COLUMNS = (
    EI.c.entry_id,
    EI.c.url,
    EI.c.alt,
    EI.c.caption,
    EI.c.lead,
    EI.c.after_paragraph,
    EI.c.error,
    M.c.sha256,
    M.c.media_type,
    M.c.width,
    M.c.height,
)


def images_of(store: Store, entry_ids: Iterable[int]) -> dict[int, list[EntryImage]]:
    """Every listed entry's images, in page order (entries without any are left out)."""
    ids = sorted(set(entry_ids))
    if not ids:
        return {}
    query = (
        sa.select(*_COLUMNS)
        .select_from(EI.outerjoin(M, M.c.id == EI.c.media_id))
        .where(EI.c.entry_id.in_(ids))
        .order_by(EI.c.entry_id, EI.c.position)
    )
    with store._read() as conn:
        rows = conn.execute(query).all()
    return grouped_images(rows)


def media_named(store: Store, file_name: str) -> StoredMedia | None:
    """The image ``SHA256.EXT`` of this diary, or None when it keeps no such file."""
    stem, _, extension = file_name.partition(".")
    if len(stem) != 64 or not all(c in "0123456789abcdef" for c in stem):
        return None
    E = schema.entries
    with store._read() as conn:
        row = conn.execute(
            sa.select(M.c.id, M.c.media_type, M.c.content).where(
                M.c.diary_id == store.diary_id, M.c.sha256 == stem
            )
        ).first()
        if row is None or MEDIA_EXTENSIONS.get(row.media_type) != extension:
            return None
        public = conn.execute(
            sa.select(EI.c.entry_id)
            .select_from(EI.join(E, E.c.id == EI.c.entry_id))
            .where(EI.c.media_id == row.id, E.c.visibility == "public")
            .limit(1)
        ).first()
    return StoredMedia(bytes(row.content), row.media_type, public is not None)


def media_bytes(store: Store, sha256s: Iterable[str]) -> dict[str, tuple[str, bytes]]:
    """The bytes and media type of these images (WARC export, static build)."""
    wanted = sorted(set(sha256s))
    found: dict[str, tuple[str, bytes]] = {}
    with store._read() as conn:
        for start in range(0, len(wanted), 200):
            chunk = wanted[start : start + 200]
            for row in conn.execute(
                sa.select(M.c.sha256, M.c.media_type, M.c.content).where(
                    M.c.diary_id == store.diary_id, M.c.sha256.in_(chunk)
                )
            ):
                found[row.sha256] = (row.media_type, bytes(row.content))
    return found
