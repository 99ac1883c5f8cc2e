"""What the index keeps of an entry, and reading entries straight from the tables.

The searchable text of an entry is its title, its plain text (body with the user's note),
its categories and its source (site name, author, host). Filters become ``META`` tokens.
The document key sorts by day, then by entry id, so "newest first" is the index's own order
and from:/to: are key ranges.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from clipdiary.model import Diary, Entry, Source
from clipdiary.render import entry_text
from clipdiary.search.text import PRIVATE_TOKEN, diary_token, index_tokens, meta_token
from clipdiary.store import schema

ID_BITS = 40


def day_key_floor(day: dt.date) -> int:
    """The smallest document key of a day."""
    return day.toordinal() << ID_BITS


def day_key_after(day: dt.date) -> int:
    """The smallest document key of the day after ``day``, even after 9999-12-31 (which
    ``dt.date`` cannot hold, but the key can)."""
    return (day.toordinal() + 1) << ID_BITS


def doc_key(day: dt.date, entry_id: int) -> int:
    return day_key_floor(day) | (entry_id & ((1 << ID_BITS) - 1))


def source_host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def site_values(source: Source | None) -> list[str]:
    """What ``site:`` matches: the host and each parent domain, and the site's name."""
    if source is None:
        return []
    values: list[str] = []
    host = source_host(source.url)
    if host:
        labels = host.split(".")
        values.extend(".".join(labels[i:]) for i in range(len(labels) - 1))
        if len(labels) == 1:
            values.append(host)
    if source.site:
        values.append(source.site)
    return values


def lang_code(lang: str | None) -> str | None:
    if not lang:
        return None
    return lang.strip().lower().replace("_", "-").split("-")[0] or None


@dataclass(frozen=True)
class SearchDoc:
    entry_id: int
    diary_id: int
    key: int
    private: bool
    title: list[str]
    body: list[str]
    meta: list[str]


def build_doc(entry: Entry, diary: Diary, diary_id: int) -> SearchDoc:
    source = entry.source
    extra = [*entry.categories]
    if source is not None:
        extra.extend(v for v in (source.site, source.author, source_host(source.url)) if v)
    body = index_tokens(entry_text(entry, diary) + "\n" + "\n".join(extra))
    meta = [diary_token(diary_id)]
    meta.extend(meta_token("c", c) for c in entry.categories)
    meta.extend(meta_token("s", s) for s in dict.fromkeys(site_values(source)))
    lang = lang_code(source.lang if source else None)
    if lang:
        meta.append(meta_token("l", lang))
    private = not entry.is_public
    if private:
        meta.append(PRIVATE_TOKEN)
    return SearchDoc(
        entry_id=entry.id,
        diary_id=diary_id,
        key=doc_key(entry.day, entry.id),
        private=private,
        title=index_tokens(entry.title),
        body=body,
        meta=meta,
    )


def diary_of(conn: sa.Connection, diary_id: int) -> Diary:
    row = conn.execute(sa.select(schema.diaries).where(schema.diaries.c.id == diary_id)).one()
    return Diary(
        name=row.name,
        title=row.title,
        timezone=row.timezone,
        day_starts_at=row.day_starts_at,
        notation_mode=row.notation_mode,
    )


def load_entries(conn: sa.Connection, diary: Diary, ids: Sequence[int]) -> dict[int, Entry]:
    """Entries by id with their categories (not aliases or comments), for index and results."""
    E = schema.entries
    C = schema.entry_categories
    found: dict[int, Entry] = {}
    zone = diary.zone
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        categories: dict[int, list[str]] = defaultdict(list)
        for r in conn.execute(
            sa.select(C.c.entry_id, C.c.category)
            .where(C.c.entry_id.in_(chunk))
            .order_by(C.c.entry_id, C.c.position)
        ):
            categories[r.entry_id].append(r.category)
        for row in conn.execute(sa.select(E).where(E.c.id.in_(chunk))):
            found[row.id] = _entry(row, tuple(categories[row.id]), zone)
    return found


def _entry(row: Any, categories: tuple[str, ...], zone: dt.tzinfo) -> Entry:
    source = None
    if row.source_url:
        published = None
        if row.source_published:
            try:
                published = dt.datetime.fromisoformat(row.source_published)
            except ValueError:
                published = None
        source = Source(
            url=row.source_url,
            site=row.source_site,
            lang=row.source_lang,
            published=published,
            author=row.source_author,
        )
    return Entry(
        id=row.id,
        day=row.day,
        name=row.name,
        title=row.title,
        categories=categories,
        format=row.format,
        body=row.body,
        visibility=row.visibility,
        created=dt.datetime.fromtimestamp(row.created_at, tz=zone),
        updated=dt.datetime.fromtimestamp(row.updated_at, tz=zone),
        source=source,
    )
