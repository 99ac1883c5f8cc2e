"""Reading related links: for every entry on a page in one query, or for one entry."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa

from clipdiary.clip.lang import guess_lang
from clipdiary.model import RelatedLink
from clipdiary.store import Store, schema

L = schema.related_links
E = schema.entries
_CHUNK = 500


def related_for(
    store: Store, entry_ids: Iterable[int], *, include_private: bool
) -> dict[int, list[RelatedLink]]:
    """The related links of each entry, newest first; private targets only for the owner."""
    wanted = list(dict.fromkeys(entry_ids))
    found: dict[int, list[RelatedLink]] = defaultdict(list)
    if not wanted:
        return found
    with store._read() as conn:
        for start in range(0, len(wanted), _CHUNK):
            query = (
                sa.select(L.c.entry_id, L.c.score, E.c.day, E.c.name, E.c.title, E.c.source_lang)
                .select_from(L.join(E, E.c.id == L.c.target_id))
                .where(L.c.entry_id.in_(wanted[start : start + _CHUNK]))
                .order_by(L.c.entry_id, E.c.day.desc(), E.c.created_at.desc(), E.c.id.desc())
            )
            if not include_private:
                query = query.where(E.c.visibility == "public")
            for row in conn.execute(query):
                found[int(row.entry_id)].append(
                    RelatedLink(
                        row.day,
                        row.name,
                        row.title,
                        row.source_lang or guess_lang(row.title),
                        float(row.score),
                    )
                )
    return found


def related_of(
    store: Store, day: dt.date, name: str, *, include_private: bool
) -> list[RelatedLink]:
    """The related links of one entry (NotFound when there is no such entry)."""
    entry = store.get_entry(day, name, include_private=include_private)
    return related_for(store, [entry.id], include_private=include_private).get(entry.id, [])
