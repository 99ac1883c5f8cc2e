"""Schema versions, and the upgrade of an older database in place.

A database records its version in ``clipdiary_schema``. Opening one runs, in one
transaction each, every migration above that version, so an old ``diary.db`` is upgraded
where it lies and keeps all it holds; a failed step rolls back and leaves the file as it was.
Both SQLite and PostgreSQL run DDL inside transactions, which is what makes that true.

Rules for adding a migration: append a ``Migration`` with the next number; never edit one
that has shipped. A migration that changes an existing table must spell out its DDL
(``ALTER TABLE …``) rather than rely on ``schema.py``, and migration 1 must then be frozen
with its own table definitions. ``tests/store/test_migrations.py`` checks that a database
built by the migrations has exactly the tables and columns of ``schema.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from clipdiary.errors import StoreError
from clipdiary.store import schema


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    upgrade: Callable[[sa.Connection], None]


def _create_core_tables(conn: sa.Connection) -> None:
    core = [
        schema.diaries,
        schema.days,
        schema.entries,
        schema.entry_categories,
        schema.aliases,
        schema.comments,
        schema.api_tokens,
    ]
    schema.metadata.create_all(conn, tables=core)


def _create_clip_tables(conn: sa.Connection) -> None:
    schema.metadata.create_all(
        conn, tables=[schema.snapshots, schema.entry_snapshots, schema.entry_urls]
    )
    # Clips written before this version get their address key now.
    from clipdiary.urlnorm import url_key

    rows = conn.execute(
        sa.select(
            schema.entries.c.id, schema.entries.c.diary_id, schema.entries.c.source_url
        ).where(schema.entries.c.source_url.is_not(None))
    ).all()
    if rows:
        conn.execute(
            sa.insert(schema.entry_urls),
            [
                {"entry_id": r.id, "diary_id": r.diary_id, "url_key": url_key(r.source_url)}
                for r in rows
            ],
        )


def _create_related_tables(conn: sa.Connection) -> None:
    # Empty at first: ``clipdiary relink`` (or the next write) embeds the entries.
    schema.metadata.create_all(
        conn, tables=[schema.related_vectors, schema.related_links, schema.related_runs]
    )


def _create_search_tables(conn: sa.Connection) -> None:
    # Dialect-specific (FTS5 on SQLite, tsvector + GIN on PostgreSQL), so not in schema.py.
    from clipdiary.search.indexer import create_search_tables

    create_search_tables(conn)


def _create_settings_table(conn: sa.Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.diary_settings])


def _add_reading_indexes(conn: sa.Connection) -> None:
    # A day page reads one day's entries in order; without this index SQLite walks every
    # entry of the diary through entries_diary_created. Comments are read per entry.
    conn.execute(
        sa.text(
            "CREATE INDEX IF NOT EXISTS entries_diary_day "
            "ON entries (diary_id, day, created_at, id)"
        )
    )
    conn.execute(sa.text("CREATE INDEX IF NOT EXISTS comments_entry ON comments (entry_id)"))


def _create_revisions(conn: sa.Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.diary_revisions])
    conn.execute(
        sa.insert(schema.diary_revisions).from_select(
            ["diary_id", "revision"], sa.select(schema.diaries.c.id, sa.literal(1))
        )
    )


def _create_story_tables(conn: sa.Connection) -> None:
    # Migration 3 makes related_vectors from schema.py, so a new database has the columns.
    have = {c["name"] for c in sa.inspect(conn).get_columns("related_vectors")}
    if "lang" not in have:
        conn.execute(
            sa.text("ALTER TABLE related_vectors ADD COLUMN lang VARCHAR(16) NOT NULL DEFAULT ''")
        )
    if "names" not in have:
        conn.execute(
            sa.text("ALTER TABLE related_vectors ADD COLUMN names TEXT NOT NULL DEFAULT ''")
        )
    schema.metadata.create_all(
        conn, tables=[schema.stories, schema.story_members, schema.story_apart]
    )


def _create_media_tables(conn: sa.Connection) -> None:
    schema.metadata.create_all(
        conn, tables=[schema.media, schema.entry_images, schema.source_checks]
    )


def _add_token_scopes(conn: sa.Connection) -> None:
    # Migration 1 makes api_tokens from schema.py, so a new database has the columns.
    have = {c["name"] for c in sa.inspect(conn).get_columns("api_tokens")}
    if "scope" not in have:
        conn.execute(
            sa.text("ALTER TABLE api_tokens ADD COLUMN scope VARCHAR(8) NOT NULL DEFAULT 'write'")
        )
    if "expires_at" not in have:
        conn.execute(sa.text("ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT"))
    # The settings page made bookmarklet tokens under this label: they only ever clipped.
    conn.execute(sa.text("UPDATE api_tokens SET scope = 'clip' WHERE label = 'bookmarklet'"))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1, "diaries, days, entries, categories, aliases, comments, API tokens", _create_core_tables
    ),
    Migration(2, "full-text search index, filled from the entries", _create_search_tables),
    Migration(3, "related links: entry vectors, links, relink runs", _create_related_tables),
    Migration(4, "clip snapshots and source address keys", _create_clip_tables),
    Migration(6, "indexes for day pages and comments", _add_reading_indexes),
    Migration(7, "a revision number per diary, for caching pages", _create_revisions),
    Migration(5, "per-diary settings (the old Hatena user name)", _create_settings_table),
    Migration(8, "stories; languages and names of the related vectors", _create_story_tables),
    Migration(9, "images kept with clips; source link checks", _create_media_tables),
    Migration(10, "API tokens get a scope and an optional expiry", _add_token_scopes),
)

LATEST_VERSION = max(m.version for m in MIGRATIONS)


def current_version(conn: sa.Connection) -> int:
    """The version a database is at: 0 for an empty one."""
    inspector = sa.inspect(conn)
    if not inspector.has_table(schema.schema_version.name):
        if inspector.get_table_names():
            raise StoreError(
                "this database holds tables but is not a clipdiary database "
                "(no clipdiary_schema table)"
            )
        return 0
    version = conn.execute(sa.select(schema.schema_version.c.version)).scalar()
    return int(version or 0)


def upgrade(engine: sa.Engine, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database up to the newest version; return the version it is at."""
    ordered = sorted(migrations, key=lambda m: m.version)
    latest = ordered[-1].version
    with engine.begin() as conn:
        version = current_version(conn)
        if version == 0:
            schema.schema_version.create(conn, checkfirst=True)
            conn.execute(sa.insert(schema.schema_version).values(version=0))
    if version > latest:
        raise StoreError(
            f"this database is at schema version {version}, newer than this clipdiary "
            f"knows ({latest}); upgrade clipdiary to open it"
        )
    for migration in ordered:
        if migration.version <= version:
            continue
        try:
            with engine.begin() as conn:
                migration.upgrade(conn)
                conn.execute(sa.update(schema.schema_version).values(version=migration.version))
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(
                f"upgrading the database to version {migration.version} "
                f"({migration.description}) failed and was rolled back: {exc.__class__.__name__}"
            ) from exc
        version = migration.version
    return version
