"""Long phrases on both backends: exactly the entries holding them, ranked and paged as ever.

A Japanese word of n characters is the phrase of its n-1 bigrams. PostgreSQL finds the
entries that hold all of them and confirms the phrase on those; these cases make sure an
entry holding every bigram, but not in a row, is never taken for a match, in the results,
the title ranking, the exclusions, or the pages beyond the window.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from clipdiary.model import Entry, NewEntry
from clipdiary.render import entry_text
from clipdiary.search import search
from clipdiary.search.text import normalize
from clipdiary.store import Store

T0 = dt.datetime(2016, 9, 5, 10, 0, tzinfo=dt.UTC)
PHRASE = "南海トラフ地震"
# Every bigram of PHRASE, never in a row: 南海 海ト トラ ラフ | フ地 地震.
DECOY = "南海トラフの話と、トラフ地震の話"


def _add(store: Store, title: str, body: str, days: int, *, private: bool = False) -> Entry:
    return store.add_entry(
        NewEntry(
            title,
            body=body,
            created=T0 + dt.timedelta(days=days),
            visibility="private" if private else "public",
        )
    )


def _titles(store: Store, query: str, *, sort: str = "relevance") -> list[str]:
    page = search(store, query, include_private=True, per_page=100, sort=sort)
    assert page.total == len(page.hits)
    return [hit.entry.title for hit in page.hits]


@pytest.fixture
def quake(store: Store) -> Store:
    # Interleaved by date: matches, decoys that hold every bigram, a private match.
    for day in range(12):
        if day % 3 == 0:
            _add(store, f"本文に {day:02d}", f"今日は{PHRASE}の備え。", day)
        elif day % 3 == 1:
            _add(store, f"紛らわしい {day:02d}", DECOY, day)
        else:
            _add(store, f"{DECOY} {day:02d}", "本文は別の話。", day)
    _add(store, f"{PHRASE}の想定", f"{PHRASE}が起きたら。", 20)
    _add(store, f"題だけ{PHRASE}", "本文は別の話。", 30)
    _add(store, f"題は{DECOY}", f"本文に{PHRASE}", 35)
    _add(store, "非公開", f"{PHRASE}のメモ", 40, private=True)
    return store


def test_a_long_phrase_finds_only_the_entries_holding_it_in_a_row(quake: Store) -> None:
    holders = {f"本文に {day:02d}" for day in range(0, 12, 3)}
    holders |= {f"{PHRASE}の想定", f"題だけ{PHRASE}", f"題は{DECOY}", "非公開"}
    assert set(_titles(quake, PHRASE)) == holders
    assert set(_titles(quake, f'"{PHRASE}"')) == holders
    assert set(_titles(quake, "南海トラフの話")) == {
        f"紛らわしい {day:02d}" for day in range(1, 12, 3)
    } | {f"{DECOY} {day:02d}" for day in range(2, 12, 3)} | {f"題は{DECOY}"}
    public = search(quake, PHRASE, include_private=False, per_page=100)
    assert "非公開" not in {hit.entry.title for hit in public.hits}
    assert public.total == len(holders) - 1


def test_a_long_phrase_is_newest_first_and_ranks_a_title_holding_it_in_a_row(
    quake: Store,
) -> None:
    by_date = _titles(quake, PHRASE, sort="date")
    assert by_date == [
        "非公開",
        f"題は{DECOY}",
        f"題だけ{PHRASE}",
        f"{PHRASE}の想定",
        *(f"本文に {day:02d}" for day in (9, 6, 3, 0)),
    ]
    ranked = _titles(quake, PHRASE)
    # Titles with the phrase first; a decoy title (every bigram, not in a row) is no match.
    assert ranked[:2] == [f"題だけ{PHRASE}", f"{PHRASE}の想定"]
    assert ranked[2:] == [
        "非公開",
        f"題は{DECOY}",
        *(f"本文に {day:02d}" for day in (9, 6, 3, 0)),
    ]
    both = _titles(quake, f"{PHRASE} OR 南海トラフの話 備え")
    assert both[0] == "本文に 09"


def test_excluding_a_long_phrase_keeps_entries_holding_its_bigrams_apart(quake: Store) -> None:
    found = set(_titles(quake, f"トラフ -{PHRASE}"))
    assert found == {f"紛らわしい {day:02d}" for day in range(1, 12, 3)} | {
        f"{DECOY} {day:02d}" for day in range(2, 12, 3)
    }
    assert _titles(quake, f'本文 -"{PHRASE}"', sort="date") == [
        f"{DECOY} {day:02d}" for day in (11, 8, 5, 2)
    ]


def test_pages_beyond_the_window_skip_the_decoys(
    quake: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clipdiary.search import service

    expected = _titles(quake, PHRASE, sort="date")
    monkeypatch.setattr(service, "WINDOW", 3)
    for sort in ("relevance", "date"):
        seen: list[str] = []
        for number in range(1, 5):
            page = search(quake, PHRASE, include_private=True, page=number, per_page=2, sort=sort)
            seen.extend(hit.entry.title for hit in page.hits)
            assert page.has_more == (number < 4)
        assert sorted(seen) == sorted(expected)
        if sort == "date":
            assert seen == expected


def test_every_long_japanese_substring_finds_exactly_the_entries_holding_it(
    store: Store,
) -> None:
    rng = random.Random(20250101)
    words = ["南海トラフ地震", "経済産業省", "首脳会談", "停戦合意", "北大西洋条約機構"]
    pieces = ["の", "と", "が", "、", "。", "会談", "地震", "トラフ", "南海", "経済", "産業"]
    entries: list[Entry] = []
    for day in range(30):
        parts = [rng.choice(words + pieces + pieces) for _ in range(rng.randint(6, 18))]
        entries.append(_add(store, "".join(parts[:3]) + f" {day:02d}", "".join(parts[3:]), day))
    texts = {e.title: normalize(e.title + "\n" + entry_text(e, store.diary)) for e in entries}
    queries = set(words)
    for folded in texts.values():
        for _ in range(4):
            length = rng.randint(7, 14)
            start = rng.randrange(max(1, len(folded) - length))
            piece = folded[start : start + length]
            if all(ch.isalnum() and not ch.isascii() for ch in piece):
                queries.add(piece)
    # Pieces glued across entries: their bigrams are likely indexed, the phrase often not.
    fragments = sorted(queries)
    for _ in range(20):
        a, b = rng.sample(fragments, 2)
        queries.add(a[: len(a) // 2] + b[len(b) // 2 :])
    assert len(queries) > 40
    for query in sorted(queries):
        truth = [
            title
            for title, folded in sorted(texts.items(), key=lambda kv: kv[0][-2:], reverse=True)
            if query in folded
        ]
        assert _titles(store, query, sort="date") == truth, query
