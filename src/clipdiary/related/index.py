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

from clipdiary.related.embed import Vectors, normalise
from clipdiary.store import schema

V = schema.related_vectors
_LOAD_BATCH = 5000
_QUERY_BLOCK = 64
# Candidates looked at beyond those asked for, in case a few are masked out.
_SLACK = 16


class VectorIndex:
    """Entry ids, their creation times and their index vectors, row by row.

    Rows are kept in (created, id) order as long as writes come in that order (a full load
    sorts them; a new entry is usually the newest), so "earlier than" is a prefix of the
    matrix and relinking a diary in order multiplies only what it must. A removed row is
    zeroed and skipped rather than moved, which keeps that order.
    """

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._lock = threading.RLock()
        self._matrix: Vectors = np.zeros((0, dim), dtype=np.float32)
        self._ids: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._created: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._row: dict[int, int] = {}
        self._size = 0
        self._dead = 0
        self._ordered = True
        self._seq = -1
        self.loaded = False

    def created_of(self, entry_id: int) -> int | None:
        row = self._row.get(entry_id)
        return None if row is None else int(self._created[row])

    def vector_of(self, entry_id: int) -> Vectors | None:
        row = self._row.get(entry_id)
        return None if row is None else self._matrix[row]

    def __len__(self) -> int:
        return len(self._row)

    @property
    def nbytes(self) -> int:
        return int(self._matrix.nbytes + self._ids.nbytes + self._created.nbytes)

    # -- changes ------------------------------------------------------------------------

    def _reserve(self, rows: int) -> None:
        if rows <= self._matrix.shape[0]:
            return
        # Room for the writes of a while, without a large diary's matrix growing by a lot.
        capacity = max(rows + max(1024, rows // 50), int(self._matrix.shape[0] * 1.1))
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
            if row is not None and self._created[row] == created:
                self._matrix[row] = vector
                return
            if row is not None:
                self._kill(row)
            self._reserve(self._size + 1)
            row = self._size
            if row and (created, entry_id) < (self._created[row - 1], self._ids[row - 1]):
                self._ordered = False
            self._matrix[row] = vector
            self._ids[row] = entry_id
            self._created[row] = created
            self._row[entry_id] = row
            self._size += 1

    def remove(self, entry_id: int) -> None:
        with self._lock:
            row = self._row.pop(entry_id, None)
            if row is not None:
                self._kill(row)

    def _kill(self, row: int) -> None:
        self._row.pop(int(self._ids[row]), None)
        self._matrix[row] = 0.0
        self._ids[row] = -1
        self._dead += 1

    # -- search -------------------------------------------------------------------------

    def _span(self, at: int, entry_id: int, *, earlier: bool) -> tuple[int, int]:
        """Rows [lo, hi) that can be before (or after) the point; ties are masked later."""
        if not self._ordered:
            return 0, self._size
        created = self._created[: self._size]
        if earlier:
            return 0, int(np.searchsorted(created, at, side="right"))
        return int(np.searchsorted(created, at, side="left")), self._size

    def _ranked(
        self,
        sims: Vectors,
        lo: int,
        at: int,
        entry_id: int,
        *,
        earlier: bool,
        limit: int,
        floor: float,
    ) -> list[tuple[int, float]]:
        ids = self._ids[lo : lo + sims.shape[0]]
        created = self._created[lo : lo + sims.shape[0]]
        if sims.shape[0] > 4 * (limit + _SLACK):
            # The best few first: masking every row of a large diary costs more than the
            # product itself. The rows a mask would drop (later, removed, below the floor)
            # are few among the best; when too many were, the whole span is masked.
            top = np.argpartition(-sims, limit + _SLACK)[: limit + _SLACK]
            found = self._kept(sims[top], ids[top], created[top], at, entry_id, earlier, floor)
            if int(found.sum()) >= limit or sims[top].min() < floor:
                order = np.argsort(-sims[top][found], kind="stable")[:limit]
                chosen = top[found][order]
                return [(int(ids[i]), float(sims[i])) for i in chosen]
        keep = self._kept(sims, ids, created, at, entry_id, earlier, floor)
        chosen = np.flatnonzero(keep)
        picked = sims[chosen]
        if chosen.size > limit:
            part = np.argpartition(-picked, limit - 1)[:limit]
            chosen, picked = chosen[part], picked[part]
        order = np.argsort(-picked, kind="stable")
        return [(int(ids[chosen[i]]), float(picked[i])) for i in order]

    @staticmethod
    def _kept(
        sims: Vectors,
        ids: npt.NDArray[np.int64],
        created: npt.NDArray[np.int64],
        at: int,
        entry_id: int,
        earlier: bool,
        floor: float,
    ) -> npt.NDArray[np.bool_]:
        keep: npt.NDArray[np.bool_]
        if earlier:
            keep = (created < at) | ((created == at) & (ids < entry_id))
        else:
            keep = (created > at) | ((created == at) & (ids > entry_id))
        keep &= (ids >= 0) & (sims >= floor)
        return keep

    def nearest(
        self,
        vector: Vectors,
        *,
        limit: int,
        earlier_than: tuple[int, int] | None = None,
        later_than: tuple[int, int] | None = None,
        floor: float = -1.0,
    ) -> list[tuple[int, float]]:
        """Up to ``limit`` (id, cosine) pairs, best first, before or after a point.

        A point is (created, id): entries written in the same second are ordered by id.
        """
        point = earlier_than or later_than
        if point is None:
            raise ValueError("nearest() needs earlier_than or later_than")
        with self._lock:
            lo, hi = self._span(*point, earlier=earlier_than is not None)
            sims = self._matrix[lo:hi] @ vector
            return self._ranked(
                sims, lo, *point, earlier=earlier_than is not None, limit=limit, floor=floor
            )

    def nearest_earlier(
        self, queries: Sequence[tuple[int, int, Vectors]], *, limit: int
    ) -> list[list[tuple[int, float]]]:
        """``nearest(earlier_than=...)`` for many (id, created, vector) at once.

        One matrix product per block of queries instead of one matrix-vector product each,
        which is what makes ``relink`` of a large diary fast.
        """
        found: list[list[tuple[int, float]]] = []
        with self._lock:
            for start in range(0, len(queries), _QUERY_BLOCK):
                block = queries[start : start + _QUERY_BLOCK]
                spans = [self._span(at, entry_id, earlier=True) for entry_id, at, _ in block]
                hi = max(span[1] for span in spans)
                sims = np.stack([q[2] for q in block]) @ self._matrix[:hi].T
                for row, (entry_id, at, _) in enumerate(block):
                    own = sims[row, : spans[row][1]]
                    found.append(
                        self._ranked(own, 0, at, entry_id, earlier=True, limit=limit, floor=-1.0)
                    )
        return found

    # -- keeping up with the store ------------------------------------------------------

    def sync(self, conn: sa.Connection, diary_id: int, model: str, version: str) -> None:
        """Catch up with the store: load the rows written since the last look.

        One indexed ``max(seq)`` query when nothing changed. Rows another process deleted
        stay until ``discard`` is told of them (linking does when it meets one); they only
        ever cost a candidate's place, since links are scored from the store.
        """
        current = sa.and_(
            V.c.diary_id == diary_id, V.c.model == model, V.c.model_version == version
        )
        with self._lock:
            top = conn.execute(
                sa.select(sa.func.max(V.c.seq)).where(V.c.diary_id == diary_id)
            ).scalar()
            top = int(top if top is not None else -1)
            if not self.loaded:
                expect = conn.execute(sa.select(sa.func.count()).where(current)).scalar_one()
                self._load(conn, current, expect=int(expect))
                self.loaded = True
            elif top > self._seq:
                self._load(conn, sa.and_(current, V.c.seq > self._seq), expect=0)
            self._seq = max(self._seq, top)

    def _load(self, conn: sa.Connection, where: sa.ColumnElement[bool], *, expect: int) -> None:
        self._reserve(self._size + expect)
        query = (
            sa.select(V.c.entry_id, V.c.created_at, V.c.title_vector, V.c.lead_vector, V.c.seq)
            .where(where)
            .order_by(V.c.created_at, V.c.entry_id)
        )
        result = conn.execute(query.execution_options(yield_per=_LOAD_BATCH))
        for rows in result.partitions(_LOAD_BATCH):
            titles = np.frombuffer(b"".join(r.title_vector for r in rows), dtype="<f2")
            leads = np.frombuffer(b"".join(r.lead_vector for r in rows), dtype="<f2")
            summed = titles.reshape(-1, self.dim).astype(np.float32)
            summed += leads.reshape(-1, self.dim)
            vectors = normalise(summed)
            for row, vector in zip(rows, vectors, strict=True):
                self.add(int(row.entry_id), int(row.created_at), vector)
                self._seq = max(self._seq, int(row.seq))
