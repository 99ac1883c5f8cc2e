"""Running a search: parse, ask the backend, rank, fetch the page of entries, highlight.

Relevance ranking scores the newest ``RANK_WINDOW`` matches (bm25 on SQLite, ts_rank on
PostgreSQL) with a mild preference for recent entries; matches beyond that window follow,
newest first. Scoring every one of 80,000 matches of a common word would cost hundreds of
milliseconds, and nobody reads past the first few pages of a search.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from clipdiary.errors import UsageError
from clipdiary.model import Entry
from clipdiary.render import entry_text
from clipdiary.search.backend import Match, Scope, SearchBackend, backend_for
from clipdiary.search.document import day_key_floor, diary_of, load_entries
from clipdiary.search.query import Query, parse_query
from clipdiary.search.snippets import Highlighted, highlight, pattern_for, snippet
from clipdiary.store import Store

Sort = Literal["relevance", "date"]
SORTS: tuple[Sort, ...] = ("relevance", "date")
RANK_WINDOW = 1000
RECENCY_WEIGHT = 0.3
RECENCY_HALF_LIFE_DAYS = 730.0
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchHit:
    entry: Entry
    title: Highlighted
    snippet: Highlighted
    score: float


@dataclass(frozen=True)
class SearchPage:
    query: Query
    hits: tuple[SearchHit, ...]
    total: int
    page: int
    per_page: int
    sort: Sort

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _score(match: Match, today: int) -> float:
    age_days = max(0, today - (match.key >> 40))
    recency = math.pow(0.5, age_days / RECENCY_HALF_LIFE_DAYS)
    return match.relevance * (1.0 + RECENCY_WEIGHT * recency)


def _scope(query: Query, diary_id: int, include_private: bool) -> Scope:
    f = query.filters
    return Scope(
        diary_id=diary_id,
        include_private=include_private,
        key_from=day_key_floor(f.start) if f.start else None,
        key_below=day_key_floor(f.end + dt.timedelta(days=1)) if f.end else None,
    )


def search(
    store: Store,
    text: str,
    *,
    include_private: bool,
    page: int = 1,
    per_page: int = 20,
    sort: str = "relevance",
) -> SearchPage:
    """One page of results for what a person typed; ``QueryError`` if it cannot be run."""
    if sort not in SORTS:
        raise UsageError(f"sort must be relevance or date, not {sort!r}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise UsageError(f"results per page must be between 1 and {MAX_PER_PAGE}")
    page = max(1, page)
    query = parse_query(text)
    backend = backend_for(store.dialect)
    scope = _scope(query, store.diary_id, include_private)
    start = (page - 1) * per_page
    with store.engine.connect() as conn:
        total = backend.count(conn, query, scope)
        matches: Sequence[Match] = []
        if start < total:
            if sort == "date":
                matches = backend.newest(conn, query, scope, limit=per_page, offset=start)
            else:
                matches = _by_relevance(conn, backend, query, scope, start, per_page, total)
        diary = diary_of(conn, store.diary_id)
        entries = load_entries(conn, diary, [m.entry_id for m in matches])
    pattern = pattern_for(query.positive_terms)
    hits = []
    for m in matches:
        entry = entries.get(m.entry_id)
        if entry is None:
            continue
        hits.append(
            SearchHit(
                entry=entry,
                title=highlight(entry.title, pattern),
                snippet=snippet(entry_text(entry, store.diary), pattern),
                score=m.relevance,
            )
        )
    chosen: Sort = "date" if sort == "date" else "relevance"
    return SearchPage(query, tuple(hits), total, page, per_page, chosen)


def _by_relevance(
    conn: sa.Connection,
    b: SearchBackend,
    query: Query,
    scope: Scope,
    start: int,
    per_page: int,
    total: int,
) -> list[Match]:
    window_size = min(total, RANK_WINDOW)
    matches: list[Match] = []
    if start < window_size:
        window = b.newest(conn, query, scope, limit=RANK_WINDOW, ranked=True)
        today = dt.date.today().toordinal()
        window.sort(key=lambda m: (_score(m, today), m.key), reverse=True)
        matches = [
            Match(m.entry_id, m.key, _score(m, today)) for m in window[start : start + per_page]
        ]
    if len(matches) < per_page and total > window_size:
        offset = max(RANK_WINDOW, start)
        matches.extend(b.newest(conn, query, scope, limit=per_page - len(matches), offset=offset))
    return matches
