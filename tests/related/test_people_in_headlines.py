"""People and places in headlines, as the words that keep look-alike reports apart."""

from __future__ import annotations

import numpy as np

from clipdiary.related import score
from clipdiary.related.names import names

_NONE = np.zeros(1, dtype=np.float32)


def _features(title: str, text: str) -> score.Features:
    named = names(title, text)
    return score.Features(
        title=_NONE,
        lead=_NONE,
        names=named.people,
        places=named.places,
        central=named.central,
        headline_people=named.headline_people,
        early_names=named.early_names,
    )


def test_a_japanese_name_without_a_title_is_a_person_in_either_script() -> None:
    japanese = names("松山英樹がマスターズ制覇 日本男子初のメジャー優勝", "松山英樹選手が優勝。")
    english = names(
        "Matsuyama wins Masters, first Japanese man to win a major",
        "Hideki Matsuyama won the Masters on Sunday. Matsuyama, 29, closed with a 73.",
    )
    assert japanese.headline_people and japanese.headline_people == english.headline_people
    # A family name has more than one reading; the one English writes is among them.
    assert "tn" in names("大谷翔平、ドジャース移籍を表明", "大谷翔平選手は9日、").headline_people


def test_only_people_a_text_shortens_to_a_last_name_count_in_english() -> None:
    named = names(
        "Japan's Tsubasa Kajitani wins Augusta National Women's Amateur",
        "Tsubasa Kajitani of Japan won the Augusta National Women's Amateur on Saturday. "
        "Kajitani, 17, is the first Japanese winner of the tournament at Augusta National.",
    )
    assert named.headline_people == {"kstn"}  # not National, not Amateur


def test_winners_of_two_events_are_apart_though_each_recalls_the_other_late() -> None:
    later = "The win came a week after Tsubasa Kajitani took the women's amateur title there."
    masters = _features(
        "Matsuyama wins Masters, first Japanese man to win a major",
        "Hideki Matsuyama won the Masters on Sunday at Augusta. "
        + "Matsuyama held on over the closing holes with a steady round of golf. " * 6
        + later,
    )
    amateur = _features(
        "Japan's Tsubasa Kajitani wins women's amateur in playoff",
        "Tsubasa Kajitani of Japan won on Saturday in a playoff. "
        + "Kajitani, 17, drew level late and won at the first extra hole. " * 6
        + "Hideki Matsuyama plays the Masters on the same course next week.",
    )
    assert score.people_apart(masters, amateur)
    # The same man in two reports is not apart, whatever else they say.
    other = _features("Matsuyama's caddie bows to the course", "Hideki Matsuyama's caddie…")
    assert not score.people_apart(masters, other)


def test_a_follow_up_abroad_whose_headline_names_no_place_is_not_taken_for_japan() -> None:
    home = names("au通信障害、全国で", "KDDIの通信障害は全国に広がった。")
    assert "@japan" in home.central
    abroad = names(
        "女性3人が1年3カ月ぶり帰還 赤十字が仲介",
        "ガザ地区で拘束されていた人質の女性3人が19日、イスラエルに戻った。",
    )
    assert "@japan" not in abroad.central


def test_another_country_costs_more_when_the_story_never_names_it() -> None:
    weights = score.WEIGHTS
    hike = _features(
        "日銀、マイナス金利を解除 17年ぶり利上げ",
        "日本銀行は19日の金融政策決定会合で、マイナス金利政策の解除を決めた。",
    )
    swiss = _features(
        "スイス中銀が利下げ 主要国で先陣",
        "スイス国立銀行は21日、利下げを決めた。日本銀行が利上げした2日後だった。",
    )
    # The Swiss report recalls Japan in its first lines; the Japanese one never names
    # Switzerland: one way unnamed.
    cost = score.places_apart(hike, swiss, weights)
    assert cost == weights.other_place + weights.other_place_unnamed_one
    unrelated = _features("スイス中銀が利下げ", "スイス国立銀行は21日、利下げを決めた。")
    assert score.places_apart(hike, unrelated, weights) == (
        weights.other_place + weights.other_place_unnamed
    )
