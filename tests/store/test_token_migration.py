"""Migration 10: tokens made before scopes keep working; the bookmarklet's only clip."""

from __future__ import annotations

import sqlalchemy as sa

from clipdiary.model import Diary
from clipdiary.store.engine import make_engine
from clipdiary.store.store import Database


def test_old_tokens_get_scopes_and_the_bookmarklet_s_can_only_clip(db_url: str) -> None:
    database = Database.open(db_url)
    store = database.create_diary(Diary("d", "Diary"))
    _, bookmarklet = store.create_token("bookmarklet", scope="write")
    _, script = store.create_token("script")
    database.close()
    engine = make_engine(db_url)  # back to the table as version 8 had it
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE api_tokens DROP COLUMN scope"))
        conn.execute(sa.text("ALTER TABLE api_tokens DROP COLUMN expires_at"))
        conn.execute(sa.text("UPDATE clipdiary_schema SET version = 8"))
    engine.dispose()

    database = Database.open(db_url)
    try:
        store = database.diary("d")
        found = store.verify_token(bookmarklet)
        assert found is not None and found.scope == "clip"
        kept = store.verify_token(script)
        assert kept is not None and kept.scope == "write" and kept.expires is None
    finally:
        database.close()
