"""The query language, and the messages a malformed query gets."""

from __future__ import annotations

import datetime as dt

import pytest

from clipdiary.search.query import QueryError, parse_query


def test_words_phrases_exclusions_and_or() -> None:
    query = parse_query('Aleppo "prime minister" -Trump 停戦 OR 休戦')
    groups = [[t.text for t in g] for g in query.groups]
    assert groups == [["Aleppo"], ["prime minister"], ["停戦", "休戦"]]
    assert [t.text for t in query.excluded] == ["Trump"]


def test_the_ideographic_space_separates_terms() -> None:
    query = parse_query("会談\u3000停戦")
    assert [[t.text for t in g] for g in query.groups] == [["会談"], ["停戦"]]


def test_filters() -> None:
    query = parse_query(
        "category:Russia site:www.NHK.or.jp lang:ja|en from:2016-01 to:2016 -category:Sports"
    )
    f = query.filters
    assert f.categories == ("Russia",)
    assert f.sites == ("nhk.or.jp",)
    assert f.langs == ("ja", "en")
    assert f.not_categories == ("Sports",)
    assert (f.start, f.end) == (dt.date(2016, 1, 1), dt.date(2016, 12, 31))
    quoted = parse_query('category:"Foreign policy" 会談')
    assert quoted.filters.categories == ("Foreign policy",)


def test_an_unknown_key_is_just_text() -> None:
    query = parse_query("http://example.com")
    assert [t.text for t in query.positive_terms] == ["http://example.com"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"停戦合意', "quotation mark is not closed"),
        ('"', "quotation mark is not closed"),
        ("*", "nothing to search for"),
        ("", "nothing to search for"),
        ("-", "must be followed by the word"),
        ("会談 -", "must be followed by the word"),
        ("-Trump", "cannot only leave things out"),
        ("OR", "OR needs a word on each side"),
        ("OR OR", "OR needs a word on each side"),
        ("会談 OR", "OR needs a word on each side"),
        ("a OR OR b", "OR needs a word on each side"),
        ("from:2016-13-01", "is not a date"),
        ("from:yesterday 会談", "is not a date"),
        ("to:2015 from:2016", "is after"),
        ("lang:japanese", "not a language code"),
        ("category: 会談", "needs a value"),
        ("x" * 10_000, "at most 500"),
        ("\x00", "nothing to search for"),
    ],
)
def test_malformed_queries_get_a_helpful_message(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(text)


@pytest.mark.parametrize(
    "text", ["NEAR(会談", "'; DROP TABLE entries; --", "a AND b", "col:val", "^x", "a:*"]
)
def test_search_syntax_of_the_engines_is_only_text(text: str) -> None:
    assert parse_query(text).positive_terms
