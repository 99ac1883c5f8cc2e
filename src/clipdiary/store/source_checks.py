"""What ``clipdiary check-links`` found at each clip's source, kept per entry.

A check that finds the state the last one found keeps its ``since``: "gone since
2026-11-02" is the first check that saw it gone, however often it was checked again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import sqlalchemy as sa

from clipdiary.model import SourceStatus
from clipdiary.store import schema

if TYPE_CHECKING:
    from clipdiary.store.store import Store

SC = schema.source_checks
STATES = frozenset({"ok", "gone", "moved", "changed", "unreachable"})


def record_check(
    store: Store,
    entry_id: int,
    state: str,
    *,
    when: dt.datetime,
    http_status: int | None = None,
    detail: str = "",
) -> SourceStatus:
    """Keep what a check found; returns the status as it now stands."""
    if state not in STATES:
        raise ValueError(f"unknown source state {state!r}")
    moment = int(when.timestamp())
    with store.transaction() as conn:
        earlier = conn.execute(
            sa.select(SC.c.state, SC.c.since).where(SC.c.entry_id == entry_id)
        ).first()
        since = earlier.since if earlier is not None and earlier.state == state else moment
        conn.execute(sa.delete(SC).where(SC.c.entry_id == entry_id))
        conn.execute(
            sa.insert(SC).values(
                entry_id=entry_id,
                state=state,
                since=since,
                checked_at=moment,
                http_status=http_status,
                detail=detail,
            )
        )
    return SourceStatus(state, _time(since), _time(moment), http_status, detail)


def statuses_of(store: Store, entry_ids: Iterable[int]) -> dict[int, SourceStatus]:
    ids = sorted(set(entry_ids))
    if not ids:
        return {}
    found: dict[int, SourceStatus] = {}
    with store._read() as conn:
        for start in range(0, len(ids), 500):
            for row in conn.execute(
                sa.select(SC).where(SC.c.entry_id.in_(ids[start : start + 500]))
            ):
                found[int(row.entry_id)] = SourceStatus(
                    row.state, _time(row.since), _time(row.checked_at), row.http_status, row.detail
                )
    return found


def _time(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
