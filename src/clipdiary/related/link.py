"""Deciding and writing the related links, inside the transaction of each write.

An entry's links are its ``K`` best-scoring *earlier* entries (by creation time) that reach
``THRESHOLD``: a published list only changes when an entry is written into the past (an
import, a backdated post), which then also joins the lists of the later entries it beats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

import clipdiary.related.score as scoring
import clipdiary.stories.rule as story_rule
from clipdiary.related.embed import Embedder, default_embedder
from clipdiary.related.features import embed_and_store, features_of, texts_of
from clipdiary.related.index import VectorIndex
from clipdiary.related.score import Features, K, apart_costs, index_vector, scores
from clipdiary.store import Store, schema
from clipdiary.stories.book import StoryBook
from clipdiary.stories.rule import decide

L = schema.related_links
V = schema.related_vectors

# Entries the in-memory index proposes for exact scoring.
CANDIDATES = 30
# The index vector's cosine is a rougher measure than the score: look this far below.
LATER_FLOOR = scoring.THRESHOLD - 0.3
# How many of its story's earlier members an entry is scored against, newest first.
STORY_MEMBERS_SCORED = 20
# A candidate outside the entry's story needs this much more to be shown.
OUTSIDE_MARGIN = 0.0
# An entry this like one of a pair the owner kept apart, and a candidate this like the
# other, score APART_PENALTY less.
APART_LIKENESS = 0.85
APART_PENALTY = 0.15


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
        from clipdiary.stories.restory import restory

        relink(store, since=since, progress=progress)
        # Linked in bulk, the new entries joined stories in batch order, not one by one
        # as they would have arrived: one pass over every link settles them.
        restory(store, progress=progress)

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
        return f"{self.embedder.name} {self.embedder.version} +figures +names +time +story"

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
            self._forget(conn, store, entry_id)
            return
        embed_and_store(conn, store, self.embedder, texts)
        index = self.index(conn, store)
        self.link(conn, store, [entry_id], index=index)
        self._refresh_later(conn, store, entry_id, index)

    def entry_deleted(self, conn: sa.Connection, store: Store, entry_id: int) -> None:
        linking = self._forget(conn, store, entry_id)
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
        stories: bool = True,
    ) -> None:
        """Compute and write the links of these entries (their vectors are stored).

        Entries are taken oldest first, each joining its story (``stories``) before its
        links are chosen, so a later entry of the batch sees the stories of the earlier.
        """
        own = features_of(conn, self.embedder, entry_ids)
        ordered = sorted(
            (i for i in entry_ids if (f := own.get(i)) is not None and f.created is not None),
            key=lambda i: (own[i].created or 0, i),
        )
        queries = [
            (i, own[i].created or 0, index_vector(own[i].title, own[i].lead)) for i in ordered
        ]
        near = index.nearest_earlier(queries, limit=CANDIDATES)
        proposals = {q[0]: [i for i, _ in found] for q, found in zip(queries, near, strict=True)}
        others = features_of(conn, self.embedder, (i for ids in proposals.values() for i in ids))
        for gone in {i for ids in proposals.values() for i in ids} - others.keys():
            index.remove(gone)  # deleted by another process since the index saw it
        conn.execute(sa.delete(L).where(L.c.entry_id.in_(list(entry_ids))))
        book = StoryBook(conn, store.diary_id)
        rows = []
        for entry_id in ordered:
            chosen = self._choose(
                conn,
                book,
                index,
                entry_id,
                own[entry_id],
                proposals[entry_id],
                others,
                stories=stories,
            )
            for rank, (target, score) in enumerate(chosen):
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

    def _choose(
        self,
        conn: sa.Connection,
        book: StoryBook,
        index: VectorIndex,
        entry_id: int,
        mine: Features,
        proposed: Sequence[int],
        others: dict[int, Features],
        *,
        stories: bool,
    ) -> list[tuple[int, float]]:
        """The entry's story decided, then its links: (target, direct score), best first."""
        present = [i for i in proposed if i in others]
        alike, costs = self._scored(book, index, mine, present, others)
        # Crowding reads how alike the neighbours are before other places and people
        # count: those lower unrelated scores, and must not make a crowd look thin.
        crowd = scoring.crowding(self._unrelated_level(book, alike))
        scored = {i: s - costs[i] - crowd for i, s in alike.items()}
        story = book.stories_of([entry_id]).get(entry_id)
        if stories:
            found = book.stories_of(present)
            decision = decide(
                [(i, s) for i, s in scored.items() if s > -np.inf],
                found,
                book.sizes(found.values()),
                forbidden=book.forbidden_for(entry_id),
            )
            if (
                decision.join is None
                and story is not None
                and not book.is_pinned(entry_id)
                and self._joined_late(book, index, entry_id, story, mine.created or 0)
            ):
                # Edited (or relinked) away from the story it had joined: it leaves. The
                # first entry of a story stays, held there by those that joined it.
                book.take_out(entry_id)
            story = book.apply(entry_id, decision)
        if story is not None:
            # The story's earlier members, though the index did not propose them: a
            # follow-up reaches the first report through the story.
            created = mine.created or 0
            missing = [
                m
                for m in book.members(story)
                if m != entry_id and m not in scored and (index.created_of(m) or created) < created
            ]
            missing.sort(key=lambda m: index.created_of(m) or 0, reverse=True)
            missing = missing[:STORY_MEMBERS_SCORED]
            if missing:
                more = features_of(conn, self.embedder, missing)
                others.update(more)
                extra, extra_costs = self._scored(book, index, mine, list(more), others)
                scored.update({i: s - extra_costs[i] - crowd for i, s in extra.items()})
        apart = book.apart_from(entry_id)
        members = book.members(story) if story is not None else set()
        ranked = []
        for target, score in scored.items():
            if target in apart or score == -np.inf:
                continue
            shown = score + story_rule.RULE.bonus if target in members else score - OUTSIDE_MARGIN
            if shown >= scoring.WEIGHTS.threshold:
                ranked.append((shown, target, score))
        ranked.sort(key=lambda t: (-t[0], t[1]))
        return [(target, score) for _, target, score in ranked[:K]]

    @staticmethod
    def _unrelated_level(book: StoryBook, scored: dict[int, float]) -> list[float]:
        """The scores crowding reads: those of candidates outside the best one's story, so a
        story clipped many times in a week does not crowd itself out."""
        found = book.stories_of(scored)
        best = sorted(scored, key=lambda i: -scored[i])[:1]
        own = {found[i] for i in best if i in found}
        return [s for i, s in scored.items() if i not in found or found[i] not in own]

    @staticmethod
    def _joined_late(
        book: StoryBook, index: VectorIndex, entry_id: int, story: int, created: int
    ) -> bool:
        """Whether the story holds an entry written before this one."""
        return any(
            (when := index.created_of(m)) is not None and (when, m) < (created, entry_id)
            for m in book.members(story)
            if m != entry_id
        )

    def _scored(
        self,
        book: StoryBook,
        index: VectorIndex,
        mine: Features,
        present: Sequence[int],
        others: dict[int, Features],
    ) -> tuple[dict[int, float], dict[int, float]]:
        """Scores against these candidates, each gap measured to its story's newest member
        before the entry (a story that keeps going stretches the window), without what
        other places and people take off; and what they take off (score.apart_costs)."""
        if not present:
            return {}, {}
        found = book.stories_of(present)
        book.load_members(found.values())
        created = mine.created or 0
        anchors: list[int | None] = []
        for candidate in present:
            story = found.get(candidate)
            if story is None:
                anchors.append(None)
                continue
            times = [
                t
                for m in book.members(story)
                if (t := index.created_of(m)) is not None and t <= created
            ]
            anchors.append(max(times) if times else None)
        candidates = [others[i] for i in present]
        exact = scores(mine, candidates, anchors=anchors, apart=False)
        exact = exact - self._apart_penalty(book, index, mine, present)
        costs = apart_costs(mine, candidates)
        return (
            {i: float(s) for i, s in zip(present, exact, strict=True)},
            {i: float(c) for i, c in zip(present, costs, strict=True)},
        )

    def _apart_penalty(
        self, book: StoryBook, index: VectorIndex, mine: Features, present: Sequence[int]
    ) -> npt.NDArray[np.float32]:
        """Pairs the owner kept apart lower the score of pairs that resemble them."""
        penalty = np.zeros(len(present), dtype=np.float32)
        pairs = book.apart_pairs()
        if not pairs:
            return penalty
        query = index_vector(mine.title, mine.lead)
        vectors = [index.vector_of(i) for i in present]
        for a, b in pairs:
            va, vb = index.vector_of(a), index.vector_of(b)
            if va is None or vb is None:
                continue
            for first, second in ((va, vb), (vb, va)):
                if float(query @ first) < APART_LIKENESS:
                    continue
                for i, vector in enumerate(vectors):
                    if vector is not None and float(vector @ second) >= APART_LIKENESS:
                        penalty[i] = APART_PENALTY
        return penalty

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
                if score >= scoring.WEIGHTS.threshold and (count < K or score > lowest):
                    redo.add(i)
        redo.discard(entry_id)
        if redo:
            self.link(conn, store, sorted(redo), index=index)

    def _forget(self, conn: sa.Connection, store: Store, entry_id: int) -> list[int]:
        """Remove the entry's vector and links; return the entries that linked to it."""
        linking = [
            int(r.entry_id)
            for r in conn.execute(sa.select(L.c.entry_id).where(L.c.target_id == entry_id))
        ]
        conn.execute(
            sa.delete(L).where(sa.or_(L.c.entry_id == entry_id, L.c.target_id == entry_id))
        )
        conn.execute(sa.delete(V).where(V.c.entry_id == entry_id))
        StoryBook(conn, store.diary_id).take_out(entry_id)
        if self._index is not None:
            self._index.remove(entry_id)
        return [i for i in linking if i != entry_id]


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
