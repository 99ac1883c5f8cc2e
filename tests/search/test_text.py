"""Normalization and tokens: the rules both backends share."""

from __future__ import annotations

from clipdiary.search.text import END, index_tokens, normalize, phrase_of


def test_width_case_and_the_ideographic_space_fold() -> None:
    assert normalize("ＡＢＣ") == "abc"
    assert normalize("ｶﾀｶﾅ") == "カタカナ"
    assert normalize("ｶﾞｽ") == "ガス"
    assert normalize("生成ＡＩ\u3000Ｐｕｔｉｎ") == "生成ai putin"


def test_control_and_private_use_characters_cannot_forge_tokens() -> None:
    assert normalize("a\x00b\ue000c\ue001d") == "a b c d"


def test_japanese_is_indexed_as_bigrams_with_a_terminal_token() -> None:
    assert index_tokens("停戦合意。") == ["停戦", "戦合", "合意", "意" + END]
    assert index_tokens("Putin's 会談") == ["putin", "s", "会談", "談" + END]


def test_digits_next_to_kanji_are_part_of_the_run() -> None:
    assert index_tokens("15日") == ["15", "5日", "日" + END]


def test_query_terms_become_phrases_or_prefixes() -> None:
    one = phrase_of("首")
    assert one is not None
    assert (one.tokens, one.prefix) == (("首",), True)
    two = phrase_of("会談")
    assert two is not None
    assert (two.tokens, two.prefix) == (("会談",), False)
    mixed = phrase_of("生成AI")
    assert mixed is not None
    assert mixed.tokens == ("生成", "成" + END, "ai")
    assert phrase_of("!!! ・・・") is None


def test_highlighted_html_is_escaped() -> None:
    from clipdiary.search.query import parse_query
    from clipdiary.search.snippets import highlight, pattern_for

    pattern = pattern_for(parse_query("script").positive_terms)
    assert highlight("<script>&", pattern).html == "&lt;<mark>script</mark>&gt;&amp;"
