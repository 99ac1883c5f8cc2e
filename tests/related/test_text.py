"""What is embedded: titles without site names, a lead cut by width, numbers."""

from __future__ import annotations

from clipdiary.related.text import clean_title, lead, number_weight, numbers


def test_site_names_appended_to_titles_are_dropped() -> None:
    shizuoka = "名古屋・宮原選手がコロナ陽性 サッカーＪ１、リーグ再開後で初｜静岡新聞アットエス"
    assert clean_title(shizuoka) == "名古屋・宮原選手がコロナ陽性 サッカーJ1、リーグ再開後で初"
    yahoo = "仙台市で新たに2人の感染確認 - Yahoo!ニュース"
    assert clean_title(yahoo) == "仙台市で新たに2人の感染確認"
    assert clean_title("Trump rallies in West Virginia", "RT") == "Trump rallies in West Virginia"
    assert clean_title("Welsh AMs worried - BBC News", "BBC News") == "Welsh AMs worried"


def test_a_short_title_keeps_its_dash() -> None:
    assert clean_title("A - B") == "A - B"


def test_the_lead_holds_about_as_much_japanese_as_english() -> None:
    english = "word " * 200
    japanese = "会談" * 400
    assert len(lead(english)) == 300
    assert 120 <= len(lead(japanese)) <= 140
    assert lead("short") == "short"


def test_numbers_are_read_alike_in_both_languages() -> None:
    assert numbers("Thieves take $26,750 during ATM refill") == {"26750"}
    assert numbers("泥棒がATMの補充中に＄２６，７５０を強奪、5人") == {"26750"}
    assert numbers("Dundee Stars 5-3 Belfast Giants in 2019") == {"2019"}
    assert number_weight("2019") < number_weight("26750")
