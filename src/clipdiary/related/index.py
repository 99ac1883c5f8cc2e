"""The vectors of one diary in memory: a numpy matrix, loaded lazily from the store.

Exact search (one matrix-vector product) needs no build step and never misses a neighbour;
at 200,000 entries it takes tens of milliseconds (research/feasibility.md §2). The index only
proposes candidates: the links themselves are scored from what the store holds, so a row
left behind by a rolled-back write does no harm.

A web server keeps its index for its whole life and catches up before each search with
one small query (rows written since, by ``seq``; a full reload when counts disagree, as
after a delete or a write by another process). A PostgreSQL database holding several
diaries gets one index per diary, each as large as that diary.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from clipdiary.related.embed import Vectors, from_blob
from clipdiary.related.score import index_vector
from clipdiary.store import schema

V = schema.related_vectors
_LOAD_BATCH = 5000
_QUERY_BLOCK = 64


class VectorIndex:
    """Entry ids, their creation times and their index vectors, row by row."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._lock = threading.RLock()
        self._matrix: Vectors = np.zeros((0, dim), dtype=np.float32)
        self._ids: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._created: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._row: dict[int, int] = {}
        self._size = 0
        self._seq = -1
        self.loaded = False

    def __len__(self) -> int:
        return self._size

    @property
    def nbytes(self) -> int:
        return int(self._matrix.nbytes + self._ids.nbytes + self._created.nbytes)

    # -- changes ------------------------------------------------------------------------

    def _reserve(self, rows: int) -> None:
        if rows <= self._matrix.shape[0]:
            return
        capacity = max(rows, int(self._matrix.shape[0] * 1.25) + 1024)
        matrix = np.zeros((capacity, self.dim), dtype=np.float32)
        matrix[: self._size] = self._matrix[: self._size]
        ids = np.zeros(capacity, dtype=np.int64)
        ids[: self._size] = self._ids[: self._size]
        created = np.zeros(capacity, dtype=np.int64)
        created[: self._size] = self._created[: self._size]
        self._matrix, self._ids, self._created = matrix, ids, created

    def add(self, entry_id: int, created: int, vector: Vectors) -> None:
        with self._lock:
            row = self._row.get(entry_id)
            if row is None:
                self._reserve(self._size + 1)
                row = self._size
                self._size += 1
                self._row[entry_id] = row
            self._matrix[row] = vector
            self._ids[row] = entry_id
            self._created[row] = created

    def remove(self, entry_id: int) -> None:
        with self._lock:
            row = self._row.pop(entry_id, None)
            if row is None:
                return
            last = self._size - 1
            if row != last:
                moved = int(self._ids[last])
                self._matrix[row] = self._matrix[last]
                self._ids[row] = moved
                self._created[row] = self._created[last]
                self._row[moved] = row
            self._size = last

    # -- search -------------------------------------------------------------------------

    def similarities(
        self, vector: Vectors
    ) -> tuple[Vectors, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Cosine of every row with ``vector``, with the rows' ids and creation times."""
        with self._lock:
            size = self._size
            sims = self._matrix[:size] @ vector
            return sims, self._ids[:size].copy(), self._created[:size].copy()

    def nearest(
        self,
        vector: Vectors,
        *,
        limit: int,
        earlier_than: tuple[int, int] | None = None,
        later_than: tuple[int, int] | None = None,
        floor: float = -1.0,
    ) -> list[tuple[int, float]]:
        """Up to ``limit`` (id, cosine) pairs, best first, among rows before/after a point.

        A point is (created, id): entries written in the same second are ordered by id.
        """
        sims, ids, created = self.similarities(vector)
        mask = sims >= floor
        if earlier_than is not None:
            at, entry_id = earlier_than
            mask &= (created < at) | ((created == at) & (ids < entry_id))
        if later_than is not None:
            at, entry_id = later_than
            mask &= (created > at) | ((created == at) & (ids > entry_id))
        chosen = np.flatnonzero(mask)
        if chosen.size > limit:
            part = np.argpartition(-sims[chosen], limit - 1)[:limit]
            chosen = chosen[part]
        order = chosen[np.argsort(-sims[chosen], kind="stable")]
        return [(int(ids[i]), float(sims[i])) for i in order]

    def nearest_earlier(
        self, queries: Sequence[tuple[int, int, Vectors]], *, limit: int
    ) -> list[list[tuple[int, float]]]:
        """``nearest(..., earlier_than=...)`` for many (id, created, vector) at once.

        One matrix product per block of queries instead of one matrix-vector product each,
        which is what makes ``relink`` of a large diary fast.
        """
        found: list[list[tuple[int, float]]] = []
        with self._lock:
            size = self._size
            ids, created = self._ids[:size], self._created[:size]
            for start in range(0, len(queries), _QUERY_BLOCK):
                block = queries[start : start + _QUERY_BLOCK]
                sims = self._matrix[:size] @ np.stack([q[2] for q in block]).T
                for column, (entry_id, at, _) in enumerate(block):
                    mask = (created < at) | ((created == at) & (ids < entry_id))
                    chosen = np.flatnonzero(mask)
                    column_sims = sims[chosen, column]
                    if chosen.size > limit:
                        part = np.argpartition(-column_sims, limit - 1)[:limit]
                        chosen, column_sims = chosen[part], column_sims[part]
                    order = np.argsort(-column_sims, kind="stable")
                    found.append([(int(ids[chosen[i]]), float(column_sims[i])) for i in order])
        return found

    # -- keeping up with the store ------------------------------------------------------

    def sync(self, conn: sa.Connection, diary_id: int, model: str, version: str) -> None:
        """Catch up with the store: new rows since the last look, or a full reload."""
        current = sa.and_(
            V.c.diary_id == diary_id, V.c.model == model, V.c.model_version == version
        )
        with self._lock:
            count, top = conn.execute(
                sa.select(sa.func.count(), sa.func.max(V.c.seq)).where(current)
            ).one()
            count, top = int(count), int(top if top is not None else -1)
            if self.loaded and top > self._seq:
                self._load(conn, sa.and_(current, V.c.seq > self._seq), expect=0)
            if not self.loaded or count != self._size:
                self._reset()
                self._load(conn, current, expect=count)
                self.loaded = True
            self._seq = max(self._seq, top)

    def _reset(self) -> None:
        self._matrix = np.zeros((0, self.dim), dtype=np.float32)
        self._ids = np.zeros(0, dtype=np.int64)
        self._created = np.zeros(0, dtype=np.int64)
        self._row = {}
        self._size = 0
        self._seq = -1

    def _load(self, conn: sa.Connection, where: sa.ColumnElement[bool], *, expect: int) -> None:
        self._reserve(self._size + expect)
        query = sa.select(
            V.c.entry_id, V.c.created_at, V.c.title_vector, V.c.lead_vector, V.c.seq
        ).where(where)
        result = conn.execute(query.execution_options(yield_per=_LOAD_BATCH))
        for row in result:
            vector = index_vector(from_blob(row.title_vector), from_blob(row.lead_vector))
            self.add(int(row.entry_id), int(row.created_at), vector)
            self._seq = max(self._seq, int(row.seq))
