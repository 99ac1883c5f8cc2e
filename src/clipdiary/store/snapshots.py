"""Clip snapshots: the fetched page kept compressed, once per content hash, in the store.

Keeping them in the database (not loose files) means a backup of ``diary.db`` or of the
PostgreSQL database holds everything, and a clip's entry and its page land in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import json

import brotli
import sqlalchemy as sa

from clipdiary.errors import StoreError
from clipdiary.model import Snapshot
from clipdiary.store import schema

S = schema.snapshots
# Brotli at quality 6 shrinks news HTML about 6–8× and stays fast enough to run per clip.
BROTLI_QUALITY = 6


def save_snapshot(conn: sa.Connection, diary_id: int, snapshot: Snapshot) -> int:
    existing = conn.execute(
        sa.select(S.c.id).where(S.c.diary_id == diary_id, S.c.sha256 == snapshot.sha256)
    ).scalar()
    if existing is not None:
        return int(existing)
    snapshot_id = conn.execute(
        sa.insert(S)
        .values(
            diary_id=diary_id,
            sha256=snapshot.sha256,
            url=snapshot.url,
            requested_url=snapshot.requested_url,
            status=snapshot.status,
            headers=json.dumps([list(pair) for pair in snapshot.headers], ensure_ascii=False),
            encoding="br",
            content=brotli.compress(snapshot.body, quality=BROTLI_QUALITY),
            size=len(snapshot.body),
            fetched_at=int(snapshot.fetched_at.timestamp()),
        )
        .returning(S.c.id)
    ).scalar_one()
    return int(snapshot_id)


def load_snapshot(conn: sa.Connection, snapshot_id: int) -> Snapshot:
    row = conn.execute(sa.select(S).where(S.c.id == snapshot_id)).one()
    if row.encoding != "br":
        raise StoreError(f"snapshot {snapshot_id} is stored as {row.encoding!r}, unknown here")
    try:
        body = brotli.decompress(bytes(row.content))
    except brotli.error as exc:
        raise StoreError(f"snapshot {snapshot_id} is damaged and cannot be decompressed") from exc
    return Snapshot(
        url=row.url,
        requested_url=row.requested_url,
        status=row.status,
        headers=tuple((str(k), str(v)) for k, v in json.loads(row.headers)),
        body=body,
        fetched_at=dt.datetime.fromtimestamp(row.fetched_at, tz=dt.UTC),
        sha256=row.sha256,
    )
