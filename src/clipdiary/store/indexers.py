"""Things kept in step with the entries, inside the same transaction as each write.

An indexer (full-text search, related links, …) learns of every entry written or about to
be deleted, with the connection of the write, so that what it keeps lands or rolls back
together with the entry itself.
"""

from __future__ import annotations

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
