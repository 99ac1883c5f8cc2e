"""Full-text search for Japanese and English, the same on SQLite and PostgreSQL.

``search(store, "停戦 site:nhk.or.jp", include_private=False)`` returns a ``SearchPage``.
See ``clipdiary.search.text`` for how text becomes tokens and ``query`` for the syntax.
"""

from clipdiary.search.indexer import SearchIndexer, rebuild_index
from clipdiary.search.query import Query, QueryError, parse_query
from clipdiary.search.service import SearchHit, SearchPage, search
from clipdiary.search.snippets import Highlighted

__all__ = [
    "Highlighted",
    "Query",
    "QueryError",
    "SearchHit",
    "SearchIndexer",
    "SearchPage",
    "parse_query",
    "rebuild_index",
    "search",
]
