"""Deciding and writing the related links, inside the transaction of each write.

An entry's links are its ``K`` best-scoring *earlier* entries (by creation time) that reach
``THRESHOLD``: a published list only changes when an entry is written into the past (an
import, a backdated post), which then also joins the lists of the later entries it beats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

import sqlalchemy as sa

from clipdiary.related.embed import Embedder, default_embedder
from clipdiary.related.features import embed_and_store, features_of, texts_of
from clipdiary.related.index import VectorIndex
from clipdiary.related.score import THRESHOLD, Features, K, choose, index_vector, scores
from clipdiary.store import Store, schema

L = schema.related_links
V = schema.related_vectors

# Entries the in-memory index proposes for exact scoring.
CANDIDATES = 30
# The index vector's cosine is a rougher measure than the score: look this far below.
LATER_FLOOR = THRESHOLD - 0.3


class RelatedIndexer:
    """Keeps vectors and links in step with the entries (a store ``EntryIndexer``)."""

    # An import embeds its entries in batches afterwards (catch_up), many times faster
    # than one at a time as each is written.
    defer_in_bulk = True

    def catch_up(
        self,
        store: Store,
        *,
        since: dt.date | None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        from clipdiary.related.relink import relink

        relink(store, since=since, progress=progress)

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder
        self._index: VectorIndex | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder

    @property
    def method(self) -> str:
        return f"{self.embedder.name} {self.embedder.version} +numbers +dates"

    def index(self, conn: sa.Connection, store: Store) -> VectorIndex:
        """The diary's in-memory index, loaded on first use and kept up to date."""
        if self._index is None:
            self._index = VectorIndex(self.embedder.dim)
        self._index.sync(conn, store.diary_id, self.embedder.name, self.embedder.version)
        return self._index

    # -- the EntryIndexer protocol --------------------------------------------------------

    def entry_written(self, conn: sa.Connection, store: Store, entry_id: int) -> None:
        texts = texts_of(conn, store, [entry_id])
        if not texts:
            self._forget(conn, entry_id)
            return
        embed_and_store(conn, store, self.embedder, texts)
        index = self.index(conn, store)
        self.link(conn, store, [entry_id], index=index)
        self._refresh_later(conn, store, entry_id, index)

    def entry_deleted(self, conn: sa.Connection, store: Store, entry_id: int) -> None:
        linking = self._forget(conn, entry_id)
        if linking:
            self.link(conn, store, linking, index=self.index(conn, store))

    # -- linking --------------------------------------------------------------------------

    def link(
        self,
        conn: sa.Connection,
        store: Store,
        entry_ids: Sequence[int],
        *,
        index: VectorIndex,
    ) -> None:
        """Compute and write the links of these entries (their vectors are stored)."""
        own = features_of(conn, self.embedder, entry_ids)
        queries = [
            (entry_id, mine.created, index_vector(mine.title, mine.lead))
            for entry_id in entry_ids
            if (mine := own.get(entry_id)) is not None and mine.created is not None
        ]
        near = index.nearest_earlier(queries, limit=CANDIDATES)
        proposals = {q[0]: [i for i, _ in found] for q, found in zip(queries, near, strict=True)}
        others = features_of(conn, self.embedder, (i for ids in proposals.values() for i in ids))
        for gone in {i for ids in proposals.values() for i in ids} - others.keys():
            index.remove(gone)  # deleted by another process since the index saw it
        conn.execute(sa.delete(L).where(L.c.entry_id.in_(list(entry_ids))))
        rows = []
        for entry_id, proposed in proposals.items():
            for rank, (target, score) in enumerate(_best(own[entry_id], proposed, others)):
                rows.append(
                    {
                        "entry_id": entry_id,
                        "target_id": target,
                        "diary_id": store.diary_id,
                        "rank": rank,
                        "score": score,
                        "method": self.method,
                    }
                )
        if rows:
            conn.execute(sa.insert(L), rows)

    def _refresh_later(
        self, conn: sa.Connection, store: Store, entry_id: int, index: VectorIndex
    ) -> None:
        """Later entries whose lists this entry now joins or leaves get theirs again."""
        mine = features_of(conn, self.embedder, [entry_id]).get(entry_id)
        if mine is None or mine.created is None:
            return
        later = index.nearest(
            index_vector(mine.title, mine.lead),
            limit=CANDIDATES,
            later_than=(mine.created, entry_id),
            floor=LATER_FLOOR,
        )
        redo = {
            int(r.entry_id)
            for r in conn.execute(sa.select(L.c.entry_id).where(L.c.target_id == entry_id))
        }
        if later:
            ids = [i for i, _ in later]
            theirs = features_of(conn, self.embedder, ids)
            present = [i for i in ids if i in theirs]
            exact = scores(mine, [theirs[i] for i in present])
            weakest = _weakest_links(conn, present)
            for i, score in zip(present, exact, strict=True):
                count, lowest = weakest.get(i, (0, 0.0))
                if score >= THRESHOLD and (count < K or score > lowest):
                    redo.add(i)
        redo.discard(entry_id)
        if redo:
            self.link(conn, store, sorted(redo), index=index)

    def _forget(self, conn: sa.Connection, entry_id: int) -> list[int]:
        """Remove the entry's vector and links; return the entries that linked to it."""
        linking = [
            int(r.entry_id)
            for r in conn.execute(sa.select(L.c.entry_id).where(L.c.target_id == entry_id))
        ]
        conn.execute(
            sa.delete(L).where(sa.or_(L.c.entry_id == entry_id, L.c.target_id == entry_id))
        )
        conn.execute(sa.delete(V).where(V.c.entry_id == entry_id))
        if self._index is not None:
            self._index.remove(entry_id)
        return [i for i in linking if i != entry_id]


def _best(
    mine: Features, proposed: Sequence[int], others: dict[int, Features]
) -> list[tuple[int, float]]:
    present = [i for i in proposed if i in others]
    exact = scores(mine, [others[i] for i in present])
    return choose([(i, float(s)) for i, s in zip(present, exact, strict=True)])


def _weakest_links(conn: sa.Connection, ids: Iterable[int]) -> dict[int, tuple[int, float]]:
    """For each entry, how many links it has and the lowest score among them."""
    query = (
        sa.select(L.c.entry_id, sa.func.count(), sa.func.min(L.c.score))
        .where(L.c.entry_id.in_(list(ids)))
        .group_by(L.c.entry_id)
    )
    return {int(r[0]): (int(r[1]), float(r[2])) for r in conn.execute(query)}


def related_indexer(store: Store) -> RelatedIndexer:
    """The store's related-links indexer (one per store, holding its in-memory index)."""
    for indexer in store.indexers:
        if isinstance(indexer, RelatedIndexer):
            return indexer
    indexer = RelatedIndexer()
    store.indexers.append(indexer)
    return indexer
