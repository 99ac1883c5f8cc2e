"""Keeping the search index in step with the entries, and building it again from them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from clipdiary.search.backend import backend_for
from clipdiary.search.document import build_doc, diary_of, load_entries
from clipdiary.store import schema

if TYPE_CHECKING:
    from clipdiary.store.store import Store

BATCH = 500


class SearchIndexer:
    """An ``EntryIndexer``: every write and delete updates the index in its transaction."""

    def entry_written(self, conn: sa.Connection, store: Store, entry_id: int) -> None:
        backend = backend_for(conn.dialect.name)
        entries = load_entries(conn, store.diary, [entry_id])
        if entry_id in entries:
            backend.write(conn, build_doc(entries[entry_id], store.diary, store.diary_id))

    def entry_deleted(self, conn: sa.Connection, store: Store, entry_id: int) -> None:
        backend_for(conn.dialect.name).delete(conn, entry_id)


def index_diary(conn: sa.Connection, diary_id: int) -> int:
    """Index every entry of a diary (after ``clear``); returns how many."""
    backend = backend_for(conn.dialect.name)
    diary = diary_of(conn, diary_id)
    E = schema.entries
    ids = [
        int(row.id)
        for row in conn.execute(sa.select(E.c.id).where(E.c.diary_id == diary_id).order_by(E.c.id))
    ]
    for start in range(0, len(ids), BATCH):
        entries = load_entries(conn, diary, ids[start : start + BATCH])
        for entry in entries.values():
            backend.write(conn, build_doc(entry, diary, diary_id))
    return len(ids)


def backfill(conn: sa.Connection) -> None:
    """Index every entry of every diary: the search migration runs this on an old database."""
    for row in conn.execute(sa.select(schema.diaries.c.id)).all():
        index_diary(conn, int(row.id))


def rebuild_index(store: Store) -> int:
    """Forget and rebuild a diary's index in one transaction; returns the entries indexed."""
    backend = backend_for(store.dialect)
    with store.transaction() as conn:
        backend.clear(conn, store.diary_id)
        count = index_diary(conn, store.diary_id)
    with store.engine.connect() as conn:
        with conn.begin():
            backend.optimize(conn)
    return count


def create_search_tables(conn: sa.Connection) -> None:
    """Migration 2: the search tables of the connection's dialect, filled from the entries."""
    backend_for(conn.dialect.name).create(conn)
    backfill(conn)
