"""Recomputing every link: embed what has no current vector, then link, in batches.

Each batch commits on its own, and the run is recorded in the store until it ends, so an
interrupted ``clipdiary relink`` resumes where it stopped instead of starting again.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from clipdiary.related.features import embed_and_store, texts_of
from clipdiary.related.link import related_indexer
from clipdiary.store import Store, schema

E = schema.entries
V = schema.related_vectors
R = schema.related_runs
M = schema.story_members
S = schema.stories

EMBED_BATCH = 128
LINK_BATCH = 256

Progress = Callable[[str, int, int], None]
"""Called with (phase, done, total); phase is "embed" or "link"."""


@dataclass(frozen=True)
class RelinkReport:
    embedded: int
    linked: int
    resumed: bool
    since: dt.date | None


def relink(
    store: Store,
    *,
    since: dt.date | None = None,
    progress: Progress | None = None,
    fresh_stories: bool = False,
) -> RelinkReport:
    """Embed entries lacking a current vector, then relink every entry (from ``since`` on).

    ``fresh_stories``: a new run over the whole diary first lets go of every story
    membership the owner did not decide, so the entries join their stories again in the
    order they were written, as they did on arrival. Linked against the stories as they
    stood at the end, an entry would see members written after it, and a recomputation
    would not agree with arrival. (The caller puts the stories' numbers back afterwards:
    ``clipdiary relink`` does.)
    """
    indexer = related_indexer(store)
    embedder = indexer.embedder
    run, since_epoch, resumed = _start(store, since, fresh_stories=fresh_stories)
    report_since = since
    if resumed and since_epoch is not None:
        report_since = store.diary.day_of(dt.datetime.fromtimestamp(since_epoch, tz=dt.UTC))

    current = sa.and_(
        V.c.entry_id == E.c.id, V.c.model == embedder.name, V.c.model_version == embedder.version
    )
    with store._read() as conn:
        missing = [
            int(r.id)
            for r in conn.execute(
                sa.select(E.c.id)
                .where(E.c.diary_id == store.diary_id, ~sa.exists().where(current))
                .order_by(E.c.created_at, E.c.id)
            )
        ]
    for start in range(0, len(missing), EMBED_BATCH):
        batch = missing[start : start + EMBED_BATCH]
        with store.transaction() as conn:
            embed_and_store(conn, store, embedder, texts_of(conn, store, batch))
        if progress:
            progress("embed", min(start + EMBED_BATCH, len(missing)), len(missing))

    query = sa.select(V.c.entry_id).where(
        V.c.diary_id == store.diary_id,
        V.c.model == embedder.name,
        V.c.model_version == embedder.version,
        V.c.linked_run != run,
    )
    if since_epoch is not None:
        query = query.where(V.c.created_at >= since_epoch)
    with store._read() as conn:
        todo = [int(r.entry_id) for r in conn.execute(query.order_by(V.c.created_at, V.c.entry_id))]
    for start in range(0, len(todo), LINK_BATCH):
        batch = todo[start : start + LINK_BATCH]
        with store.transaction() as conn:
            indexer.link(conn, store, batch, index=indexer.index(conn, store))
            conn.execute(sa.update(V).where(V.c.entry_id.in_(batch)).values(linked_run=run))
        if progress:
            progress("link", min(start + LINK_BATCH, len(todo)), len(todo))
    with store.transaction() as conn:
        conn.execute(sa.delete(R).where(R.c.diary_id == store.diary_id))
    return RelinkReport(len(missing), len(todo), resumed, report_since)


def _start(
    store: Store, since: dt.date | None, *, fresh_stories: bool = False
) -> tuple[int, int | None, bool]:
    """The run to do: an unfinished one (resumed), or a new one."""
    with store.transaction() as conn:
        row = conn.execute(sa.select(R).where(R.c.diary_id == store.diary_id)).first()
        if row is not None:
            return int(row.run), (int(row.since) if row.since is not None else None), True
        if fresh_stories and since is None:
            _let_go_of_stories(conn, store)
        since_epoch = None
        if since is not None:
            start = dt.datetime.combine(since, dt.time(store.diary.day_starts_at))
            since_epoch = int(start.replace(tzinfo=store.diary.zone).timestamp())
        run = time.time_ns() // 1000
        conn.execute(sa.insert(R).values(diary_id=store.diary_id, run=run, since=since_epoch))
        return run, since_epoch, False


def stale_count(store: Store) -> int:
    """Entries whose vector is missing or was made by another model or text recipe."""
    embedder = related_indexer(store).embedder
    current = sa.and_(
        V.c.entry_id == E.c.id, V.c.model == embedder.name, V.c.model_version == embedder.version
    )
    with store._read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(E)
                .where(E.c.diary_id == store.diary_id, ~sa.exists().where(current))
            ).scalar_one()
        )


def _let_go_of_stories(conn: sa.Connection, store: Store) -> None:
    """Every membership the owner did not decide goes, and the stories left empty."""
    conn.execute(sa.delete(M).where(M.c.diary_id == store.diary_id, M.c.pinned == sa.false()))
    held = sa.select(M.c.story_id).where(M.c.diary_id == store.diary_id)
    conn.execute(sa.delete(S).where(S.c.diary_id == store.diary_id, S.c.id.not_in(held)))
