"""The static search index, read back the way search.js reads it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from clipdiary.model import NewEntry
from clipdiary.site import search_index
from clipdiary.site.build import build_site
from clipdiary.store import Store

JST = dt.timezone(dt.timedelta(hours=9))
AT = dt.datetime(2016, 9, 5, 10, 0, tzinfo=JST)


def query(root: Path, text: str) -> list[str]:
    """Titles of the entries holding every token of ``text``, as the script finds them."""
    meta = json.loads((root / "search/meta.json").read_text())
    hits: set[int] | None = None
    for token in search_index.tokens(text):
        table = json.loads(
            (
                root / search_index.bucket_path(search_index.bucket_of(token, meta["buckets"]))
            ).read_text()
        )
        ids: set[int] = set()
        total = 0
        for delta in table.get(token, []):
            total += delta
            ids.add(total)
        hits = ids if hits is None else hits & ids
    titles = []
    for doc_id in sorted(hits or set()):
        rows = json.loads((root / search_index.chunk_path(doc_id // meta["chunk"])).read_text())
        titles.append(rows[str(doc_id)][1])
    return sorted(titles)


def test_tokens_are_bigrams_for_japanese_and_words_otherwise() -> None:
    assert search_index.tokens("首脳会談") == {"首脳", "脳会", "会談"}
    assert search_index.tokens("ＰＵＴＩＮ met Kerry, G20サミット") == {
        "putin",
        "met",
        "kerry",
        "g20",
        "サミ",
        "ミッ",
        "ット",
    }
    assert search_index.tokens("猫") == {"猫"}


def test_two_character_japanese_queries_find_their_entries(store: Store, tmp_path: Path) -> None:
    store.add_entry(NewEntry("首脳会談の続報", body="外相が協議した。", created=AT))
    store.add_entry(NewEntry("Summit talks", body="The ministers met.", created=AT))
    store.add_entry(NewEntry("秘密の会談", body="非公開", visibility="private", created=AT))
    out = tmp_path / "site"
    build_site(store, out)
    assert query(out, "会談") == ["首脳会談の続報"]
    assert query(out, "協議") == ["首脳会談の続報"]
    assert query(out, "SUMMIT ministers") == ["Summit talks"]
    assert query(out, "会議") == []
    # Added later, found after an incremental build.
    store.add_entry(NewEntry("日米会談", body="短い", created=AT + dt.timedelta(days=1)))
    build_site(store, out)
    assert query(out, "会談") == ["日米会談", "首脳会談の続報"]
