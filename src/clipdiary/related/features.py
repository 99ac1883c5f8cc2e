"""Reading and writing what linking needs of each entry: texts, vectors, numbers."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from clipdiary.clip.lang import guess_lang
from clipdiary.model import Entry
from clipdiary.related.embed import Embedder, from_blob, to_blob
from clipdiary.related.figures import figures
from clipdiary.related.names import Named, names, pack_names, unpack_names
from clipdiary.related.score import Features
from clipdiary.related.text import clean_title, lead, pack_numbers, unpack_numbers
from clipdiary.render import entry_text
from clipdiary.store import Store, schema

E = schema.entries
V = schema.related_vectors
U = schema.entry_urls
_CHUNK = 500
# Names are read from the start of the text: who the story is about is named early.
_NAMES_FROM = 2000


@dataclass(frozen=True)
class EntryTexts:
    """What is embedded for one entry (see clipdiary.related.text)."""

    entry_id: int
    title: str
    lead: str
    numbers: frozenset[str]
    created: int
    lang: str | None = None
    names: Named = field(default_factory=Named)


def texts_of(conn: sa.Connection, store: Store, ids: Sequence[int]) -> list[EntryTexts]:
    """The embedding texts of these entries; an entry with no text at all is left out."""
    found: list[EntryTexts] = []
    zone = store.diary.zone
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        rows = conn.execute(sa.select(E).where(E.c.id.in_(chunk))).all()
        for row in rows:
            moment = dt.datetime.fromtimestamp(row.created_at, tz=zone)
            entry = Entry(
                id=row.id,
                day=row.day,
                name=row.name,
                title=row.title,
                categories=(),
                format=row.format,
                body=row.body,
                visibility=row.visibility,
                created=moment,
                updated=moment,
            )
            body = entry_text(entry, store.diary)
            title = clean_title(row.title, row.source_site)
            first = lead(body)
            if not title and not first.strip():
                continue
            found.append(
                EntryTexts(
                    entry_id=row.id,
                    title=title or first,
                    lead=first if first.strip() else title,
                    numbers=figures(f"{row.title}\n{body}"),
                    created=int(row.created_at),
                    lang=row.source_lang or guess_lang(f"{row.title}\n{first}"),
                    names=names(title or row.title, body[:_NAMES_FROM]),
                )
            )
    return found


def embed_and_store(
    conn: sa.Connection, store: Store, embedder: Embedder, items: Sequence[EntryTexts]
) -> None:
    """Embed the texts (titles and leads in one call) and write the vectors."""
    if not items:
        return
    vectors = embedder.embed([t.title for t in items] + [t.lead for t in items])
    titles, leads = vectors[: len(items)], vectors[len(items) :]
    top = conn.execute(
        sa.select(sa.func.max(V.c.seq)).where(V.c.diary_id == store.diary_id)
    ).scalar()
    seq = max(time.time_ns() // 1000, int(top or 0) + 1)
    ids = [t.entry_id for t in items]
    conn.execute(sa.delete(V).where(V.c.entry_id.in_(ids)))
    conn.execute(
        sa.insert(V),
        [
            {
                "entry_id": t.entry_id,
                "diary_id": store.diary_id,
                "model": embedder.name,
                "model_version": embedder.version,
                "title_vector": to_blob(titles[i]),
                "lead_vector": to_blob(leads[i]),
                "numbers": pack_numbers(t.numbers),
                "lang": t.lang or "",
                "names": pack_names(t.names),
                "created_at": t.created,
                "seq": seq + i,
                "linked_run": 0,
            }
            for i, t in enumerate(items)
        ],
    )


def features_of(conn: sa.Connection, embedder: Embedder, ids: Iterable[int]) -> dict[int, Features]:
    """Scoring features of these entries, from vectors made by the current model only."""
    wanted = list(dict.fromkeys(ids))
    found: dict[int, Features] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        query = (
            sa.select(
                V.c.entry_id,
                V.c.title_vector,
                V.c.lead_vector,
                V.c.numbers,
                V.c.created_at,
                V.c.lang,
                V.c.names,
                U.c.url_key,
            )
            .select_from(V.outerjoin(U, U.c.entry_id == V.c.entry_id))
            .where(
                V.c.entry_id.in_(chunk),
                V.c.model == embedder.name,
                V.c.model_version == embedder.version,
            )
        )
        for row in conn.execute(query):
            found[int(row.entry_id)] = Features(
                title=from_blob(row.title_vector),
                lead=from_blob(row.lead_vector),
                numbers=unpack_numbers(row.numbers),
                created=int(row.created_at),
                url_key=row.url_key,
                lang=row.lang or None,
                **_named(unpack_names(row.names)),
            )
    return found


def _named(named: Named) -> dict[str, frozenset[str]]:
    return {
        "names": named.people,
        "places": named.places,
        "central": named.central,
        "headline_people": named.headline_people,
        "early_names": named.early_names,
    }
