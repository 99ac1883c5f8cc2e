"""Demo articles as entries: the same story in Japanese and English, and an unrelated one."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from clipdiary.demo import demo_manifest
from clipdiary.model import Entry, NewEntry, Source
from clipdiary.store import Store

ATM_STORY = "ntrex:cnn.304404"  # thieves take $26,750 during an ATM refill
GEIGER_STORY = "ntrex:cbsnews.248484"  # the inventor of the Geiger counter
NORTH_KOREA_STORY = "ntrex:cnbc.com.6769"


def article(story: str, lang: str) -> dict[str, Any]:
    for item in demo_manifest():
        if item["story"] == story and item["lang"] == lang:
            return item
    raise LookupError(f"{story} {lang}")


def new_entry(story: str, lang: str, *, at: dt.datetime | None = None, **changes: Any) -> NewEntry:
    item = article(story, lang)
    published = dt.datetime.fromisoformat(item["published"])
    entry = NewEntry(
        title=item["title"],
        body="\n".join(line for line in item["text"].splitlines() if line.strip()),
        created=at or published,
        source=Source(url=item["url"], site="Example", lang=lang, published=published),
    )
    return replace(entry, **changes)


def add(store: Store, story: str, lang: str, *, hours: int, **changes: Any) -> Entry:
    """Add a demo article, written ``hours`` after a fixed moment."""
    start = dt.datetime(2019, 11, 1, 9, 0, tzinfo=dt.UTC)
    return store.add_entry(new_entry(story, lang, at=start + dt.timedelta(hours=hours), **changes))
