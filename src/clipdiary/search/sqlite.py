"""Search on SQLite: a contentless FTS5 table of our own tokens.

``search_fts`` holds three columns (title, body, meta) of space-separated tokens from
``clipdiary.search.text``, read by FTS5's ``ascii`` tokenizer, which keeps every non-ASCII
character as part of a token and so takes our tokens exactly as written. Its rowid is the
document key (day, then entry id), so newest-first is the index's own order and from:/to:
are rowid ranges.

The table is contentless to keep it small; FTS5 before 3.43 can only delete a row from such
a table when given the tokens it was indexed with, so ``search_docs`` keeps them, compressed.
"""

from __future__ import annotations

import zlib

import sqlalchemy as sa

from clipdiary.search.backend import Match, Scope
from clipdiary.search.document import ID_BITS, SearchDoc
from clipdiary.search.query import Query, Term
from clipdiary.search.text import PRIVATE_TOKEN, diary_token, meta_token

_SEP = "\x1f"


def _quote(tokens: tuple[str, ...] | list[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def _term(term: Term) -> str:
    return _quote(term.phrase.tokens) + (" *" if term.phrase.prefix else "")


def _any(tokens: list[str]) -> str:
    return "(" + " OR ".join(_quote([t]) for t in tokens) + ")"


def match_expression(query: Query, scope: Scope, *, several_diaries: bool) -> str:
    """The FTS5 MATCH expression for a query (every token quoted: no syntax can leak)."""
    f = query.filters
    required = ["(" + " OR ".join(_term(t) for t in group) + ")" for group in query.groups]
    required.extend(_quote([meta_token("c", c)]) for c in f.categories)
    if f.sites:
        required.append(_any([meta_token("s", s) for s in f.sites]))
    if f.langs:
        required.append(_any([meta_token("l", lang) for lang in f.langs]))
    if several_diaries or not required:
        required.append(_quote([diary_token(scope.diary_id)]))
    excluded = [_term(t) for t in query.excluded]
    excluded.extend(_quote([meta_token("c", c)]) for c in f.not_categories)
    excluded.extend(_quote([meta_token("s", s)]) for s in f.not_sites)
    excluded.extend(_quote([meta_token("l", lang)]) for lang in f.not_langs)
    if not scope.include_private:
        excluded.append(_quote([PRIVATE_TOKEN]))
    expression = " AND ".join(required)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def _range(scope: Scope) -> tuple[str, dict[str, int]]:
    sql = ""
    params: dict[str, int] = {}
    if scope.key_from is not None:
        sql += " AND rowid >= :key_from"
        params["key_from"] = scope.key_from
    if scope.key_below is not None:
        sql += " AND rowid < :key_below"
        params["key_below"] = scope.key_below
    return sql, params


class SqliteSearch:
    def create(self, conn: sa.Connection) -> None:
        conn.exec_driver_sql(
            "CREATE TABLE search_docs ("
            " doc_key INTEGER PRIMARY KEY,"
            " entry_id INTEGER NOT NULL UNIQUE,"
            " diary_id INTEGER NOT NULL,"
            " tokens BLOB NOT NULL)"
        )
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, body, meta, content='', tokenize='ascii')"
        )

    def write(self, conn: sa.Connection, doc: SearchDoc) -> None:
        self.delete(conn, doc.entry_id)
        title, body, meta = " ".join(doc.title), " ".join(doc.body), " ".join(doc.meta)
        conn.execute(
            sa.text("INSERT INTO search_fts(rowid, title, body, meta) VALUES (:k, :t, :b, :m)"),
            {"k": doc.key, "t": title, "b": body, "m": meta},
        )
        packed = zlib.compress(_SEP.join((title, body, meta)).encode("utf-8"), 1)
        conn.execute(
            sa.text(
                "INSERT INTO search_docs(doc_key, entry_id, diary_id, tokens)"
                " VALUES (:k, :e, :d, :p)"
            ),
            {"k": doc.key, "e": doc.entry_id, "d": doc.diary_id, "p": packed},
        )

    def delete(self, conn: sa.Connection, entry_id: int) -> None:
        row = conn.execute(
            sa.text("SELECT doc_key, tokens FROM search_docs WHERE entry_id = :e"),
            {"e": entry_id},
        ).first()
        if row is None:
            return
        self._forget(conn, int(row.doc_key), bytes(row.tokens))

    def _forget(self, conn: sa.Connection, key: int, packed: bytes) -> None:
        title, body, meta = zlib.decompress(packed).decode("utf-8").split(_SEP)
        conn.execute(
            sa.text(
                "INSERT INTO search_fts(search_fts, rowid, title, body, meta)"
                " VALUES ('delete', :k, :t, :b, :m)"
            ),
            {"k": key, "t": title, "b": body, "m": meta},
        )
        conn.execute(sa.text("DELETE FROM search_docs WHERE doc_key = :k"), {"k": key})

    def clear(self, conn: sa.Connection, diary_id: int) -> None:
        others = conn.execute(
            sa.text("SELECT count(*) FROM search_docs WHERE diary_id != :d"), {"d": diary_id}
        ).scalar_one()
        if not others:
            conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
            conn.exec_driver_sql("DELETE FROM search_docs")
            return
        rows = conn.execute(
            sa.text("SELECT doc_key, tokens FROM search_docs WHERE diary_id = :d"),
            {"d": diary_id},
        ).all()
        for row in rows:
            self._forget(conn, int(row.doc_key), bytes(row.tokens))

    def optimize(self, conn: sa.Connection) -> None:
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('optimize')")

    def _expression(self, conn: sa.Connection, query: Query, scope: Scope) -> str:
        several = conn.execute(sa.text("SELECT count(*) > 1 FROM diaries")).scalar_one()
        return match_expression(query, scope, several_diaries=bool(several))

    def count(self, conn: sa.Connection, query: Query, scope: Scope) -> int:
        where, params = _range(scope)
        sql = f"SELECT count(*) FROM search_fts WHERE search_fts MATCH :q{where}"
        params_q: dict[str, object] = {"q": self._expression(conn, query, scope), **params}
        return int(conn.execute(sa.text(sql), params_q).scalar_one())

    def newest(
        self,
        conn: sa.Connection,
        query: Query,
        scope: Scope,
        *,
        limit: int,
        offset: int = 0,
    ) -> list[Match]:
        where, params = _range(scope)
        sql = (
            f"SELECT rowid FROM search_fts WHERE search_fts MATCH :q{where}"
            " ORDER BY rowid DESC LIMIT :limit OFFSET :offset"
        )
        values: dict[str, object] = {
            "q": self._expression(conn, query, scope),
            "limit": limit,
            "offset": offset,
            **params,
        }
        mask = (1 << ID_BITS) - 1
        keys = conn.execute(sa.text(sql), values).scalars().all()
        return [Match(int(k) & mask, int(k), 0.0) for k in keys]

    def title_hits(
        self, conn: sa.Connection, group: tuple[Term, ...], diary_id: int, key_from: int
    ) -> set[int]:
        expression = "{title} : (" + " OR ".join(_term(t) for t in group) + ")"
        if conn.execute(sa.text("SELECT count(*) > 1 FROM diaries")).scalar_one():
            expression += " AND " + _quote([diary_token(diary_id)])
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH :q AND rowid >= :k"
        return set(conn.execute(sa.text(sql), {"q": expression, "k": key_from}).scalars())
