"""Things kept in step with the entries, inside the same transaction as each write.

An indexer (full-text search, related links, …) learns of every entry written or about to
be deleted, with the connection of the write, so that what it keeps lands or rolls back
together with the entry itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol, runtime_checkable

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


@runtime_checkable
class BulkIndexer(Protocol):
    """An indexer that does its work far better in batches (related links embed each entry).

    While many entries are written it is left out, then ``catch_up`` does the work for
    every entry written since ``since`` (all of them when None).
    """

    defer_in_bulk: bool

    def entry_written(self, conn: sa.Connection, store: Store, entry_id: int) -> None: ...

    def entry_deleted(self, conn: sa.Connection, store: Store, entry_id: int) -> None: ...

    def catch_up(
        self,
        store: Store,
        *,
        since: dt.date | None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> None: ...


@contextmanager
def deferring_bulk_indexers(store: Store) -> Iterator[list[BulkIndexer]]:
    """Leave the bulk indexers out while the block writes; yields them, to catch up after."""
    everything = store.indexers
    deferred = [i for i in everything if isinstance(i, BulkIndexer) and i.defer_in_bulk]
    store.indexers = [i for i in everything if i not in deferred]
    try:
        yield deferred
    finally:
        store.indexers = everything


@contextmanager
def bulk_writes(store: Store) -> Iterator[None]:
    """Write many entries; bulk indexers catch up once at the end.

    If the block fails, nothing catches up: what was written stays, and
    ``clipdiary relink`` mends it.
    """
    with deferring_bulk_indexers(store) as deferred:
        yield
    for indexer in deferred:
        indexer.catch_up(store, since=None)
