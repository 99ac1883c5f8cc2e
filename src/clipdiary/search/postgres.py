"""Search on PostgreSQL: the same tokens as a ``tsvector`` with a GIN index.

No extension and no text-search configuration is involved: the ``tsvector`` and ``tsquery``
are written in PostgreSQL's literal input syntax, which takes each lexeme as it is, so the
server's locale and parser never split or fold Japanese. Title tokens carry weight A (for
anyone who wants ``ts_rank``; the service ranks without it, the same way on both backends).

Limits of the type, stated honestly: positions stop at 16,383 and a lexeme keeps at most
256 of them, so a phrase far into a very long entry (beyond about 16,000 characters) may be
missed; a word anywhere is still found.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from clipdiary.search.backend import Match, Scope
from clipdiary.search.document import SearchDoc
from clipdiary.search.query import Query, Term
from clipdiary.search.text import meta_token

MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 255


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(doc: SearchDoc) -> str:
    positions: dict[str, list[str]] = defaultdict(list)
    for index, token in enumerate(doc.title, start=1):
        if index <= MAX_POSITION:
            positions[token].append(f"{index}A")
    # A gap of one position keeps a phrase from running from the title into the body.
    start = len(doc.title) + 2
    for index, token in enumerate(doc.body, start=start):
        if index > MAX_POSITION:
            break
        positions[token].append(str(index))
    parts = []
    for token, where in positions.items():
        parts.append(f"{_lexeme(token)}:{','.join(where[:MAX_POSITIONS_PER_LEXEME])}")
    parts.extend(_lexeme(token) for token in dict.fromkeys(doc.meta) if token not in positions)
    return " ".join(parts)


def _term(term: Term, weight: str = "") -> str:
    lexemes = [_lexeme(t) + (":" + weight if weight else "") for t in term.phrase.tokens]
    if term.phrase.prefix:
        lexemes[-1] = _lexeme(term.phrase.tokens[-1]) + ":*" + weight
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


def _any(tokens: list[str]) -> str:
    return "(" + " | ".join(_lexeme(t) for t in tokens) + ")"


def tsquery_literal(query: Query) -> str | None:
    """The query as a tsquery; None when only filters kept in columns apply."""
    f = query.filters
    required = ["(" + " | ".join(_term(t) for t in group) + ")" for group in query.groups]
    required.extend(_lexeme(meta_token("c", c)) for c in f.categories)
    if f.sites:
        required.append(_any([meta_token("s", s) for s in f.sites]))
    if f.langs:
        required.append(_any([meta_token("l", lang) for lang in f.langs]))
    excluded = [_term(t) for t in query.excluded]
    excluded.extend(_lexeme(meta_token("c", c)) for c in f.not_categories)
    excluded.extend(_lexeme(meta_token("s", s)) for s in f.not_sites)
    excluded.extend(_lexeme(meta_token("l", lang)) for lang in f.not_langs)
    parts = required + [f"!{e}" for e in excluded]
    return " & ".join(parts) if parts else None


def _where(query: Query, scope: Scope) -> tuple[str, dict[str, object]]:
    sql = "diary_id = :diary_id"
    params: dict[str, object] = {"diary_id": scope.diary_id}
    literal = tsquery_literal(query)
    if literal is not None:
        sql += " AND tsv @@ CAST(:q AS tsquery)"
        params["q"] = literal
    if not scope.include_private:
        sql += " AND NOT private"
    if scope.key_from is not None:
        sql += " AND doc_key >= :key_from"
        params["key_from"] = scope.key_from
    if scope.key_below is not None:
        sql += " AND doc_key < :key_below"
        params["key_below"] = scope.key_below
    return sql, params


class PostgresSearch:
    def create(self, conn: sa.Connection) -> None:
        conn.exec_driver_sql(
            "CREATE TABLE search_docs ("
            " entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,"
            " diary_id INTEGER NOT NULL,"
            " doc_key BIGINT NOT NULL,"
            " private BOOLEAN NOT NULL,"
            " tsv TSVECTOR NOT NULL)"
        )
        conn.exec_driver_sql("CREATE INDEX search_docs_tsv ON search_docs USING gin (tsv)")
        conn.exec_driver_sql("CREATE INDEX search_docs_key ON search_docs (diary_id, doc_key)")

    def write(self, conn: sa.Connection, doc: SearchDoc) -> None:
        conn.execute(
            sa.text(
                "INSERT INTO search_docs (entry_id, diary_id, doc_key, private, tsv)"
                " VALUES (:e, :d, :k, :p, CAST(:v AS tsvector))"
                " ON CONFLICT (entry_id) DO UPDATE SET diary_id = EXCLUDED.diary_id,"
                " doc_key = EXCLUDED.doc_key, private = EXCLUDED.private, tsv = EXCLUDED.tsv"
            ),
            {
                "e": doc.entry_id,
                "d": doc.diary_id,
                "k": doc.key,
                "p": doc.private,
                "v": tsvector_literal(doc),
            },
        )

    def delete(self, conn: sa.Connection, entry_id: int) -> None:
        conn.execute(sa.text("DELETE FROM search_docs WHERE entry_id = :e"), {"e": entry_id})

    def clear(self, conn: sa.Connection, diary_id: int) -> None:
        conn.execute(sa.text("DELETE FROM search_docs WHERE diary_id = :d"), {"d": diary_id})

    def optimize(self, conn: sa.Connection) -> None:
        conn.exec_driver_sql("ANALYZE search_docs")

    def count(self, conn: sa.Connection, query: Query, scope: Scope) -> int:
        where, params = _where(query, scope)
        sql = f"SELECT count(*) FROM search_docs WHERE {where}"
        return int(conn.execute(sa.text(sql), params).scalar_one())

    def newest(
        self,
        conn: sa.Connection,
        query: Query,
        scope: Scope,
        *,
        limit: int,
        offset: int = 0,
    ) -> list[Match]:
        where, params = _where(query, scope)
        sql = (
            f"SELECT entry_id, doc_key FROM search_docs WHERE {where}"
            " ORDER BY doc_key DESC LIMIT :limit OFFSET :offset"
        )
        rows = conn.execute(sa.text(sql), {**params, "limit": limit, "offset": offset})
        return [Match(int(r.entry_id), int(r.doc_key), 0.0) for r in rows]

    def title_hits(
        self, conn: sa.Connection, group: tuple[Term, ...], diary_id: int, key_from: int
    ) -> set[int]:
        # Weight A marks the title's positions: 'tok':A matches there only.
        literal = " | ".join(_term(t, "A") for t in group)
        sql = (
            "SELECT doc_key FROM search_docs WHERE diary_id = :d AND doc_key >= :k"
            " AND tsv @@ CAST(:q AS tsquery)"
        )
        rows = conn.execute(sa.text(sql), {"d": diary_id, "k": key_from, "q": literal})
        return set(rows.scalars())
