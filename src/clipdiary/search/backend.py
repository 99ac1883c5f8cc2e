"""What a search backend does, whichever database it runs on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa

from clipdiary.search.document import SearchDoc
from clipdiary.search.query import Query, Term


@dataclass(frozen=True)
class Scope:
    """Where a query looks: one diary, public entries only or all, a key range."""

    diary_id: int
    include_private: bool
    key_from: int | None = None
    key_below: int | None = None


@dataclass(frozen=True)
class Match:
    entry_id: int
    key: int
    relevance: float


class SearchBackend(Protocol):
    def create(self, conn: sa.Connection) -> None:
        """Create the search tables (run once, by the migration)."""

    def write(self, conn: sa.Connection, doc: SearchDoc) -> None:
        """Index a document, replacing what was indexed for its entry."""

    def delete(self, conn: sa.Connection, entry_id: int) -> None:
        """Forget an entry."""

    def clear(self, conn: sa.Connection, diary_id: int) -> None:
        """Forget every entry of a diary."""

    def optimize(self, conn: sa.Connection) -> None:
        """Compact the index after a bulk build."""

    def count(self, conn: sa.Connection, query: Query, scope: Scope) -> int:
        """How many entries match."""

    def newest(
        self,
        conn: sa.Connection,
        query: Query,
        scope: Scope,
        *,
        limit: int,
        offset: int = 0,
    ) -> list[Match]:
        """Matches newest first (relevance 0: the service ranks them)."""

    def title_hits(
        self, conn: sa.Connection, group: tuple[Term, ...], diary_id: int, key_from: int
    ) -> set[int]:
        """Keys from ``key_from`` on whose title holds one of ``group``'s terms."""


def backend_for(dialect: str) -> SearchBackend:
    if dialect == "sqlite":
        from clipdiary.search.sqlite import SqliteSearch

        return SqliteSearch()
    if dialect == "postgresql":
        from clipdiary.search.postgres import PostgresSearch

        return PostgresSearch()
    raise NotImplementedError(f"no search backend for the {dialect} dialect")
