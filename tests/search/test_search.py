"""Search through the Store on SQLite and PostgreSQL: the same cases on both."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa

from clipdiary.errors import NotFound
from clipdiary.model import Entry, EntryChanges, NewEntry, Source
from clipdiary.render import entry_text
from clipdiary.search import QueryError, rebuild_index, search
from clipdiary.search.text import normalize
from clipdiary.store import Store

T0 = dt.datetime(2016, 9, 5, 10, 0, tzinfo=dt.UTC)


def _add(
    store: Store,
    title: str,
    body: str = "",
    *,
    days: int = 0,
    categories: tuple[str, ...] = (),
    site: str | None = None,
    url: str | None = None,
    lang: str | None = None,
    private: bool = False,
) -> Entry:
    source = Source(url, site=site, lang=lang) if url else None
    return store.add_entry(
        NewEntry(
            title,
            body=body,
            categories=categories,
            created=T0 + dt.timedelta(days=days),
            source=source,
            visibility="private" if private else "public",
        )
    )


def _titles(store: Store, query: str, *, owner: bool = True, sort: str = "relevance") -> list[str]:
    page = search(store, query, include_private=owner, per_page=100, sort=sort)
    assert page.total == len(page.hits)
    return [hit.entry.title for hit in page.hits]


@pytest.fixture
def news(store: Store) -> Store:
    _add(
        store,
        "プーチン大統領、首脳会談で停戦合意",
        "ロシアのプーチン大統領は5日、首脳会談を行った。インバウンド需要にも触れた。\n"
        "><https://www3.nhk.or.jp/news/html/1.html>:title=NHK>\n停戦合意の内容\n<<",
        categories=("Russia", "Syria"),
        site="NHK",
        url="https://www3.nhk.or.jp/news/html/1.html",
        lang="ja",
    )
    _add(
        store,
        "Putin: Russia & US may reach agreement on Syria",
        "The prime minister spoke in Aleppo about sanctions. ＡＢＣ corp.",
        days=1,
        categories=("Syria",),
        site="RT",
        url="https://www.rt.com/news/358511",
        lang="en",
    )
    _add(
        store, "生成ＡＩと規制", "ｶﾀｶﾅで書いたメモ。北朝鮮の制裁。", days=400, categories=("Tech",)
    )
    _add(store, "京都の紅葉", "東京都庁ではない。", days=800)
    _add(store, "非公開メモ", "秘密の会談について", days=2, private=True)
    return store


FINDS: list[tuple[str, set[str]]] = [
    ("会談", {"プーチン大統領、首脳会談で停戦合意", "非公開メモ"}),
    ("プーチン", {"プーチン大統領、首脳会談で停戦合意"}),
    ("停戦合意", {"プーチン大統領、首脳会談で停戦合意"}),
    ("首", {"プーチン大統領、首脳会談で停戦合意"}),
    ("バウンド", {"プーチン大統領、首脳会談で停戦合意"}),
    ("朝鮮", {"生成ＡＩと規制"}),
    ("制裁", {"生成ＡＩと規制"}),
    ("京都", {"京都の紅葉"}),
    ("東京都", {"京都の紅葉"}),
    ("5日", {"プーチン大統領、首脳会談で停戦合意"}),
    ("カタカナ", {"生成ＡＩと規制"}),
    ("ｶﾀｶﾅ", {"生成ＡＩと規制"}),
    ("生成AI", {"生成ＡＩと規制"}),
    ("ＡＢＣ", {"Putin: Russia & US may reach agreement on Syria"}),
    ("abc", {"Putin: Russia & US may reach agreement on Syria"}),
    ("ALEPPO", {"Putin: Russia & US may reach agreement on Syria"}),
    ("putin", {"Putin: Russia & US may reach agreement on Syria"}),
    ("sanction", set()),
    ("sanction*", {"Putin: Russia & US may reach agreement on Syria"}),
    ('"prime minister"', {"Putin: Russia & US may reach agreement on Syria"}),
    ('"minister prime"', set()),
    ("プーチン putin", set()),
    (
        "プーチン OR putin",
        {
            "プーチン大統領、首脳会談で停戦合意",
            "Putin: Russia & US may reach agreement on Syria",
        },
    ),
    ("会談 -停戦", {"非公開メモ"}),
    ("会談\u3000停戦", {"プーチン大統領、首脳会談で停戦合意"}),
    ("nhk", {"プーチン大統領、首脳会談で停戦合意"}),
    (
        "syria",
        {
            "プーチン大統領、首脳会談で停戦合意",
            "Putin: Russia & US may reach agreement on Syria",
        },
    ),
    ("ガス", set()),
]


def test_what_a_query_finds(news: Store) -> None:
    found = {query: set(_titles(news, query)) for query, _ in FINDS}
    assert found == dict(FINDS)


FILTERS: list[tuple[str, set[str]]] = [
    ("category:russia", {"プーチン大統領、首脳会談で停戦合意"}),
    ("category:Syria -category:Russia", {"Putin: Russia & US may reach agreement on Syria"}),
    ("site:nhk.or.jp", {"プーチン大統領、首脳会談で停戦合意"}),
    ("site:www3.nhk.or.jp", {"プーチン大統領、首脳会談で停戦合意"}),
    ("site:RT", {"Putin: Russia & US may reach agreement on Syria"}),
    ("lang:en", {"Putin: Russia & US may reach agreement on Syria"}),
    (
        "lang:ja|en syria",
        {
            "プーチン大統領、首脳会談で停戦合意",
            "Putin: Russia & US may reach agreement on Syria",
        },
    ),
    ("会談 -lang:ja", {"非公開メモ"}),
    ("from:2017-01-01", {"生成ＡＩと規制", "京都の紅葉"}),
    ("to:2016-09-05", {"プーチン大統領、首脳会談で停戦合意"}),
    ("from:2016-09-06 to:2016-09-06", {"Putin: Russia & US may reach agreement on Syria"}),
]


def test_filters(news: Store) -> None:
    found = {query: set(_titles(news, query)) for query, _ in FILTERS}
    assert found == dict(FILTERS)


def test_private_entries_only_for_the_owner(news: Store) -> None:
    assert "非公開メモ" in _titles(news, "会談", owner=True)
    assert _titles(news, "会談", owner=False) == ["プーチン大統領、首脳会談で停戦合意"]
    assert _titles(news, "秘密", owner=False) == []


def test_snippets_and_titles_mark_the_matches_as_written(news: Store) -> None:
    page = search(news, "ｶﾀｶﾅ abc 会談", include_private=True)
    assert page.total == 0
    page = search(news, "ｶﾀｶﾅ", include_private=True)
    assert page.hits[0].snippet.html == "<mark>ｶﾀｶﾅ</mark>で書いたメモ。北朝鮮の制裁。"
    page = search(news, "abc OR 首脳会談", include_private=True)
    htmls = {hit.entry.title: (hit.title.html, hit.snippet.html) for hit in page.hits}
    title, snippet = htmls["プーチン大統領、首脳会談で停戦合意"]
    assert title == "プーチン大統領、<mark>首脳会談</mark>で停戦合意"
    assert "<mark>首脳会談</mark>を行った" in snippet
    assert (
        "<mark>ＡＢＣ</mark> corp." in htmls["Putin: Russia & US may reach agreement on Syria"][1]
    )


def test_a_long_entry_shows_a_window_around_the_match(store: Store) -> None:
    body = "前置き。" * 100 + "ここで停戦合意が成立した。" + "後書き。" * 100
    _add(store, "長い記事", body)
    hit = search(store, "停戦合意", include_private=True).hits[0]
    assert hit.snippet.text.startswith("…")
    assert hit.snippet.text.endswith("…")
    assert "<mark>停戦合意</mark>が成立した" in hit.snippet.html
    assert len(hit.snippet.text) < 200


def test_sorting_and_paging(store: Store) -> None:
    for day in range(25):
        _add(store, f"会談 {day:02d}", "会談" * (1 + day % 3), days=day * 10)
    by_date = _titles(store, "会談", sort="date")
    assert by_date == [f"会談 {day:02d}" for day in reversed(range(25))]
    pages = [search(store, "会談", include_private=True, page=n, per_page=10) for n in (1, 2, 3)]
    assert [p.total for p in pages] == [25, 25, 25]
    assert [len(p.hits) for p in pages] == [10, 10, 5]
    seen = [hit.entry.title for p in pages for hit in p.hits]
    assert sorted(seen) == sorted(by_date)
    assert search(store, "会談", include_private=True, page=9).hits == ()


def test_beyond_the_window_totals_read_as_a_lower_bound_and_every_match_is_reachable(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clipdiary.search import service

    monkeypatch.setattr(service, "WINDOW", 10)
    for day in range(25):
        _add(store, f"会談 {day:02d}", "会談", days=day)
    for sort in ("relevance", "date"):
        seen: list[str] = []
        for number in range(1, 5):
            page = search(store, "会談", include_private=True, page=number, per_page=7, sort=sort)
            assert (page.total, page.total_exact) == (10, False)
            assert page.has_more == (number < 4)
            seen.extend(hit.entry.title for hit in page.hits)
        assert sorted(seen) == [f"会談 {day:02d}" for day in range(25)]
    few = search(store, "会談 from:2016-09-22", include_private=True)
    assert (few.total, few.total_exact, few.has_more, few.pages) == (8, True, False, 1)


def test_relevance_prefers_title_matches_and_mildly_recent_entries(store: Store) -> None:
    _add(store, "日記", "本文の中でだけアレッポに触れる。" + "関係ない話。" * 20, days=0)
    _add(store, "アレッポ情勢", "アレッポで戦闘。", days=-3000)
    _add(store, "アレッポ停戦", "アレッポで停戦。", days=0)
    assert _titles(store, "アレッポ") == ["アレッポ停戦", "アレッポ情勢", "日記"]


def test_every_write_keeps_the_index_current(store: Store) -> None:
    entry = _add(store, "最初の題", "本文は首脳会談。", categories=("A",))
    store.update_entry(entry.day, entry.name, EntryChanges(title="新しい題", categories=("B",)))
    assert _titles(store, "最初") == []
    assert _titles(store, "新しい 首脳会談") == ["新しい題"]
    assert _titles(store, "category:A") == []
    assert _titles(store, "category:B") == ["新しい題"]
    store.update_entry(entry.day, entry.name, EntryChanges(visibility="private"))
    assert _titles(store, "新しい", owner=False) == []
    store.delete_entry(entry.day, entry.name)
    assert _titles(store, "新しい") == []


def test_a_failed_transaction_leaves_the_index_as_it_was(store: Store) -> None:
    with pytest.raises(NotFound), store.transaction():
        _add(store, "消える記事", "停戦")
        store.get_entry(dt.date(2000, 1, 1), "nothing")
    assert _titles(store, "停戦") == []


def test_rebuild_gives_the_same_results(news: Store) -> None:
    before = {q: _titles(news, q) for q in ("会談", "syria", "category:Russia", "首")}
    assert rebuild_index(news) == 5
    assert {q: _titles(news, q) for q in before} == before


def test_one_diary_does_not_see_another(news: Store) -> None:
    other = news.database.create_diary(news.diary.__class__(name="other", title="Other"))
    other.add_entry(NewEntry("別の日記の会談", body="会談"))
    assert _titles(other, "会談") == ["別の日記の会談"]
    assert "別の日記の会談" not in _titles(news, "会談")
    assert _titles(other, "from:2000-01-01") == ["別の日記の会談"]


HOSTILE = ['"', '"停戦', "OR OR", "-", "*", "x" * 10_000, "\x00", "from:2016-02-30"]
AS_TEXT = ["NEAR(会談", "'; DROP TABLE entries; --", "a:*", "^会談", "\\x00 会談", "会談\x00"]


def test_hostile_queries_get_a_message_and_engine_syntax_is_only_text(news: Store) -> None:
    for query in HOSTILE:
        with pytest.raises(QueryError):
            search(news, query, include_private=True)
    for query in AS_TEXT:
        search(news, query, include_private=True)
    assert _titles(news, "NEAR(会談") == []
    assert _titles(news, "会談\x00首脳") == ["プーチン大統領、首脳会談で停戦合意"]


_KANA = "アイウエオカキクケコサシスセソタチツテトガギグゲゴパピプペポー"
_KANJI = "会談停戦合意首脳東京都大統領制裁北朝鮮経済産業省地震円安"
_HIRA = "のはをにがでとした"


def _random_text(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(3, 12)):
        kind = rng.random()
        if kind < 0.4:
            pieces.append("".join(rng.choice(_KANJI) for _ in range(rng.randint(1, 4))))
        elif kind < 0.65:
            pieces.append("".join(rng.choice(_KANA) for _ in range(rng.randint(1, 5))))
        elif kind < 0.85:
            pieces.append(rng.choice(_HIRA))
        elif kind < 0.92:
            pieces.append(str(rng.randint(0, 2030)))
        else:
            pieces.append(rng.choice(["、", "。", " ", "ＡＩ", "ｶﾞｽ", "（", "）"]))
    return "".join(pieces)


def test_every_japanese_substring_finds_exactly_the_entries_holding_it(store: Store) -> None:
    rng = random.Random(20160905)
    entries = [
        _add(store, _random_text(rng), _random_text(rng) + "\n" + _random_text(rng), days=i)
        for i in range(40)
    ]
    texts = {e.title: normalize(e.title + "\n" + entry_text(e, store.diary)) for e in entries}
    queries: set[str] = set()
    for folded in texts.values():
        for _ in range(6):
            length = rng.randint(1, 6)
            start = rng.randrange(max(1, len(folded) - length))
            piece = folded[start : start + length]
            # Latin words match whole words, so a cut through "ai" is not a Japanese query.
            if all((ch.isalnum() and not ch.isascii()) or ch.isdigit() for ch in piece):
                queries.add(piece)
    assert len(queries) > 100
    for query in sorted(queries):
        truth = {title for title, folded in texts.items() if query in folded}
        found = set(_titles(store, query))
        assert found == truth, query


def test_the_search_migration_indexes_an_old_diary(db_url: str) -> None:
    from clipdiary.store.engine import make_engine
    from clipdiary.store.migrations import MIGRATIONS, upgrade
    from clipdiary.store.store import Database

    engine = make_engine(db_url)
    old = tuple(m for m in MIGRATIONS if m.version == 1)
    upgrade(engine, old)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO diaries (name, title, timezone, day_starts_at, base_url,"
                " notation_mode, allow_private_addresses, secret_key, created_at)"
                " VALUES ('old', 'Old', 'Asia/Tokyo', 0, '', 'diary', false, 'k', 0)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO entries (diary_id, day, month_day, name, title, format, body,"
                " visibility, created_at, updated_at)"
                " VALUES (1, '2016-09-05', 905, '1473069600', '古い記事', 'hatena',"
                " '首脳会談があった', 'public', 1473069600, 1473069600)"
            )
        )
    engine.dispose()
    database = Database.open(db_url)
    try:
        assert _titles(database.diary("old"), "首脳会談") == ["古い記事"]
    finally:
        database.close()
