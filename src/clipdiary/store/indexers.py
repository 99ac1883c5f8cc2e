"""Things kept in step with the entries, inside the same transaction as each write.

An indexer (full-text search, related links, …) learns of every entry written or about to
be deleted, with the connection of the write, so that what it keeps lands or rolls back
together with the entry itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa

if TYPE_CHECKING:
    from clipdiary.store.store import Store


class EntryIndexer(Protocol):
    def entry_written(self, conn: sa.Connection, store: Store, entry_id: int) -> None:
        """The entry was added or changed (its row and categories are written)."""

    def entry_deleted(self, conn: sa.Connection, store: Store, entry_id: int) -> None:
        """The entry is about to be deleted (its row still exists)."""


def default_indexers() -> list[EntryIndexer]:
    """The indexers every store runs; each capability adds its own here."""
    from clipdiary.related.link import RelatedIndexer
    from clipdiary.search.indexer import SearchIndexer

    return [SearchIndexer(), RelatedIndexer()]


@contextmanager
def bulk_writes(store: Store) -> Iterator[None]:
    """Write many entries; indexers that work better in bulk catch up once at the end.

    An indexer with ``defer_in_bulk = True`` (related links embed each entry) is left out
    while the block writes, then its ``catch_up(store, since=None)`` runs. If the block
    fails, nothing catches up: what was written stays, and ``clipdiary relink`` mends it.
    """
    everything = store.indexers
    deferred = [i for i in everything if getattr(i, "defer_in_bulk", False)]
    store.indexers = [i for i in everything if i not in deferred]
    try:
        yield
    finally:
        store.indexers = everything
    for indexer in deferred:
        indexer.catch_up(store, since=None)  # type: ignore[attr-defined]
