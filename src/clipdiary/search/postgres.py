"""Search on PostgreSQL: the same tokens as a ``tsvector`` with a GIN index.

No extension and no text-search configuration is involved: the ``tsvector`` and ``tsquery``
are written in PostgreSQL's literal input syntax, which takes each lexeme as it is, so the
server's locale and parser never split or fold Japanese. Title tokens carry weight A (for
anyone who wants ``ts_rank``; the service ranks without it, the same way on both backends).

Limits of the type, stated honestly: positions stop at 16,383 and a lexeme keeps at most
256 of them, so a phrase far into a very long entry (beyond about 16,000 characters) may be
missed; a word anywhere is still found.

Phrases (a Japanese word of three characters or more is one: its bigrams in a row) need
care. The GIN index keeps no positions, so for a phrase it finds the rows holding all its
tokens and PostgreSQL rechecks each of them, reading and decompressing its whole
``tsvector`` from TOAST. It also estimates a phrase as rare as its tokens would be together
if they were unrelated, so it takes that path even for a common phrase and rechecks every
candidate before sorting by date: 南海トラフ地震 in 200,000 entries meant some 41,000
rechecks for a window of 1,001 newest matches, and as many again for the title ranking.
A query with a phrase therefore asks the index for the rows holding all of its tokens
(``&``, which the index answers without a recheck), sorts their keys, and confirms the
exact query on the newest candidates only, until it has as many as it needs. The rows
found are the same.
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


def _term(term: Term, weight: str = "", *, loose: bool = False) -> str:
    """A term as a tsquery: its tokens in a row, or (``loose``) merely all of them."""
    lexemes = [_lexeme(t) + (":" + weight if weight else "") for t in term.phrase.tokens]
    if term.phrase.prefix:
        lexemes[-1] = _lexeme(term.phrase.tokens[-1]) + ":*" + weight
    operator = " & " if loose else " <-> "
    return lexemes[0] if len(lexemes) == 1 else "(" + operator.join(lexemes) + ")"


def _any(tokens: list[str]) -> str:
    return "(" + " | ".join(_lexeme(t) for t in tokens) + ")"


def tsquery_literal(query: Query, *, loose: bool = False) -> str | None:
    """The query as a tsquery; None when only filters kept in columns apply.

    ``loose``: a query the GIN index answers exactly, without a recheck, that every row
    matching the query also matches: each phrase becomes all of its tokens (``&``), and an
    excluded phrase is left out (a row may hold its tokens apart).
    """
    f = query.filters
    required = [
        "(" + " | ".join(_term(t, loose=loose) for t in group) + ")" for group in query.groups
    ]
    required.extend(_lexeme(meta_token("c", c)) for c in f.categories)
    if f.sites:
        required.append(_any([meta_token("s", s) for s in f.sites]))
    if f.langs:
        required.append(_any([meta_token("l", lang) for lang in f.langs]))
    excluded = [_term(t) for t in query.excluded if not loose or len(t.phrase.tokens) == 1]
    excluded.extend(_lexeme(meta_token("c", c)) for c in f.not_categories)
    excluded.extend(_lexeme(meta_token("s", s)) for s in f.not_sites)
    excluded.extend(_lexeme(meta_token("l", lang)) for lang in f.not_langs)
    parts = required + [f"!{e}" for e in excluded]
    return " & ".join(parts) if parts else None


def _where(query: Query, scope: Scope, *, loose: bool = False) -> tuple[str, dict[str, object]]:
    sql = "diary_id = :diary_id"
    params: dict[str, object] = {"diary_id": scope.diary_id}
    literal = tsquery_literal(query, loose=loose)
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


# A query with a phrase: the candidates come from the index by a loose tsquery (see
# ``tsquery_literal``), and the exact one is confirmed outside the subquery, which OFFSET 0
# keeps from being merged into it; the candidates' order carries through to LIMIT. The
# confirmation reads the row's tsvector again by primary key, so a sort of many candidates
# holds keys only; ts_match_vq, the function of @@, hides it from the estimate, so the
# planner still reads the newest rows first where it expects many candidates.
_CANDIDATES = "SELECT entry_id, doc_key FROM search_docs"
_CONFIRM = (
    "ts_match_vq((SELECT tsv FROM search_docs AS d WHERE d.entry_id = candidate.entry_id),"
    " CAST(:exact AS tsquery))"
)


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
        exact, loose = tsquery_literal(query), tsquery_literal(query, loose=True)
        if exact is None or loose is None or exact == loose:
            where, params = _where(query, scope)
            sql = (
                f"SELECT entry_id, doc_key FROM search_docs WHERE {where}"
                " ORDER BY doc_key DESC LIMIT :limit OFFSET :offset"
            )
        else:
            where, params = _where(query, scope, loose=True)
            sql = (
                f"SELECT entry_id, doc_key FROM ({_CANDIDATES} WHERE {where}"
                " ORDER BY doc_key DESC OFFSET 0) AS candidate"
                f" WHERE {_CONFIRM} LIMIT :limit OFFSET :offset"
            )
            params["exact"] = exact
        rows = conn.execute(sa.text(sql), {**params, "limit": limit, "offset": offset})
        return [Match(int(r.entry_id), int(r.doc_key), 0.0) for r in rows]

    def title_hits(
        self, conn: sa.Connection, group: tuple[Term, ...], diary_id: int, key_from: int
    ) -> set[int]:
        # Weight A marks the title's positions: 'tok':A matches there only. The index keeps
        # no weights, so each row it finds is rechecked; with a phrase in the group, only
        # the rows in the key range that hold all of its tokens are.
        literal = " | ".join(_term(t, "A") for t in group)
        where = "diary_id = :d AND doc_key >= :k"
        params: dict[str, object] = {"d": diary_id, "k": key_from}
        if all(len(t.phrase.tokens) == 1 for t in group):
            sql = f"SELECT doc_key FROM search_docs WHERE {where} AND tsv @@ CAST(:q AS tsquery)"
            params["q"] = literal
        else:
            sql = (
                f"SELECT doc_key FROM ({_CANDIDATES} WHERE {where}"
                " AND tsv @@ CAST(:q AS tsquery) OFFSET 0) AS candidate"
                f" WHERE {_CONFIRM}"
            )
            params["q"] = " | ".join(_term(t, loose=True) for t in group)
            params["exact"] = literal
        return set(conn.execute(sa.text(sql), params).scalars())
