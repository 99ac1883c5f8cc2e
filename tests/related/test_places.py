"""Places in both languages, and reports of other places kept out of a story."""

from __future__ import annotations

import datetime as dt

from clipdiary.model import NewEntry, Source
from clipdiary.related.names import names, pack_names, unpack_names
from clipdiary.related.places import place_keys
from clipdiary.related.query import related_for
from clipdiary.store import Store
from clipdiary.stories.query import story_refs


def test_a_place_has_one_key_in_either_language() -> None:
    assert place_keys("日本、ドイツに逆転勝ち") == {"@japan", "@germany"}
    assert place_keys("Japan stun Germany 2-1 at the World Cup") == {"@japan", "@germany"}
    # A prefecture names its country too; a capital stands for its country.
    assert place_keys("熊本で震度7") == {"@kumamoto", "@japan"}
    assert place_keys("Pyongyang fired a missile") == {"@north-korea"}


def test_place_names_match_whole_words_only() -> None:
    assert place_keys("タイトルとネクタイ") == set()  # not タイ (Thailand)
    assert place_keys("タイで洪水") == {"@thailand"}
    assert place_keys("North Korea and its neighbours") == {"@north-korea"}
    assert place_keys("USスチールの買収") == {"@us"}
    assert place_keys("a japanese garden") == set()  # names are capitalized in English


def test_the_headline_places_are_what_the_report_is_about() -> None:
    named = names("Magnitude 7.8 quake hits Ecuador's coast", "Ecuador's government said…")
    assert {k for k in named.central if k.startswith("@")} == {"@ecuador"}
    # A Japanese headline that names no foreign place is a story at home.
    home = names("au通信障害、全国で丸一日", "KDDIの通信障害は…")
    assert "@japan" in home.central
    assert unpack_names(pack_names(named)) == named


KUMAMOTO_JA = (
    "熊本で震度7 M7.3の地震、死者19人",
    "16日午前1時25分ごろ、熊本県を震源とする地震があり、益城町などで震度7を観測した。"
    "気象庁によると地震の規模はマグニチュード7.3。14日夜の地震は前震だったとみられる。"
    "県内では家屋の倒壊が相次ぎ、これまでに19人の死亡が確認された。",
)
KUMAMOTO_EN = (
    "Second powerful quake strikes Kumamoto, killing at least 19",
    "A magnitude 7.3 earthquake struck Kumamoto prefecture in southern Japan early on "
    "Saturday, a day after a smaller quake, the Japan Meteorological Agency said. Houses "
    "collapsed in Mashiki and at least 19 people were killed, officials said.",
)
ECUADOR_EN = (
    "Magnitude 7.8 earthquake hits Ecuador's coast, killing at least 77",
    "A magnitude 7.8 earthquake struck Ecuador's Pacific coast on Saturday evening, "
    "killing at least 77 people and collapsing buildings in Manta and Pedernales, the "
    "government of Ecuador said. President Rafael Correa declared a state of emergency.",
)


def _write(store: Store, texts: tuple[str, str], lang: str, hours: int, slug: str) -> int:
    moment = dt.datetime(2016, 4, 16, 1, 0, tzinfo=dt.UTC) + dt.timedelta(hours=hours)
    entry = store.add_entry(
        NewEntry(
            title=texts[0],
            body=texts[1],
            created=moment,
            source=Source(url=f"https://news.example/{slug}", site="Example", lang=lang),
        )
    )
    return entry.id


def test_a_quake_elsewhere_the_next_day_is_not_the_same_story(store: Store) -> None:
    japanese = _write(store, KUMAMOTO_JA, "ja", 0, "kumamoto-ja")
    english = _write(store, KUMAMOTO_EN, "en", 3, "kumamoto-en")
    ecuador = _write(store, ECUADOR_EN, "en", 20, "ecuador")

    links = related_for(store, [english, ecuador], include_private=True)
    assert [link.title for link in links[english]] == [KUMAMOTO_JA[0]]
    assert links[ecuador] == []
    refs = story_refs(store, [japanese, english, ecuador], include_private=True)
    assert refs[japanese].number == refs[english].number
    assert ecuador not in refs


def test_a_headline_names_people_in_full_and_short() -> None:
    from clipdiary.related.names import headline_people

    assert headline_people("Sarah Palin's eldest son arrested") == {"prn"}
    assert headline_people("サラ ペイリン氏の長男を逮捕") == {"prn"}
    assert "rn" in headline_people("エリザベス・ウォーレン氏、出馬を検討")
    # A body is no one.
    assert headline_people("Nancy Pelosi says the Supreme Court pick is unfit") == {"prs"}
    # Title case pairs words that are no one; names() keeps those the text names too.
    named = names("Sarah Palin's Eldest Son Arrested", "Track Palin, son of Sarah Palin, was…")
    assert named.headline_people == {"prn"}


def test_one_name_in_two_scripts_is_one_name() -> None:
    from clipdiary.related.names import same_name, sound_key

    def key(text: str) -> str:
        found = sound_key(text, shortest=2)
        assert found
        return found

    assert same_name(key("Harington"), key("harinton"))  # ハリントン
    assert same_name(key("Abercrombie"), key("abakuronbii"))  # アバクロンビー
    assert not same_name(key("Palin"), key("Pelosi"))
    assert place_keys("メキシコシティで火山が灰") == {"@mexico"}


def test_countries_written_as_one_character_and_states_of_the_us() -> None:
    assert place_keys("飛行中の米旅客機、側壁が吹き飛ぶ") == {"@us"}
    assert place_keys("日米首脳会談") == {"@japan", "@us"}
    # The same characters beginning ordinary words name no country.
    assert place_keys("独自の調査と独占禁止法、英語の授業") == set()
    assert place_keys("Auto workers walk out at three Detroit plants") == {"@michigan", "@us"}
    assert place_keys("カンザスシティの市長") == {"@missouri", "@us"}


def test_a_place_named_late_in_passing_is_not_where_the_report_happens() -> None:
    text = (
        "Regulators ordered checks of 171 jets on Saturday after a cabin panel blew out "
        "over Oregon shortly after take-off from Portland. "
        * 4
        + "The incident came days after a collision at Tokyo's Haneda airport."
    )
    named = names("FAA grounds jets after panel blows out over Oregon", text)
    assert "@japan" in named.places  # the text names Tokyo…
    assert "@japan" not in named.early_names  # …but not where the story is
    assert {"@oregon", "@us"} <= named.early_names
