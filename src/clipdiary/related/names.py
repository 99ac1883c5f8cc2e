"""Names of people, places and companies, as keys that meet across scripts.

A Japanese report writes ゼレンスキー, 習近平 or 岸田 where an English one writes Zelensky,
Xi Jinping or Kishida: no character in common, but the same sounds. Each name is romanized
(katakana and Japanese readings of kanji by pykakasi, Chinese readings of kanji by pypinyin)
and reduced to a *sound key*: its consonants, with the pairs Japanese does not tell apart
(l/r, v/b) folded together. ゼレンスキー → zerensukii → ``srnsk``; Zelensky → ``srnsk``.

Which words are names: in English, capitalized words that do not start a sentence; in
Japanese, runs of katakana, and runs of kanji just before a title (氏, 首相, 大統領, 主席…).
A key is a weak clue alone; ``score`` weights shared keys by how rare they are.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from clipdiary.related.japanese import family_names
from clipdiary.related.places import (
    JAPAN,
    PREFIX,
    country_forms,
    only_japan,
    place_keys,
    places_at,
)

_LATIN_NAME = re.compile(r"(?<![\w'])([A-Z][a-z]+(?:[-'][A-Za-z]+)?|[A-Z]{2,6})(?![\w])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘’(]\s*|\n\s*)$")
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc\u30fd\u30fe]{2,}")
_TITLED_KANJI = re.compile(
    r"([\u4e00-\u9fff]{2,4})(?=氏|首相|大統領|主席|国家主席|総統|外相|首席|委員長|総書記|"
    r"知事|市長|議員|代表|長官|被告|容疑者|監督|選手|社長|会長|総裁|前大統領|元大統領|さん)"
)
# Capitalized words that are not names, or are names of nothing in particular.
_LATIN_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "in",
        "on",
        "at",
        "of",
        "for",
        "to",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "mr",
        "mrs",
        "ms",
        "dr",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "new",
        "former",
        "president",
        "prime",
        "minister",
        "government",
        "police",
        "court",
        "minister",
        "officials",
        "city",
        "state",
        "north",
        "south",
        "east",
        "west",
        "reuters",
        "ap",
        "afp",
    ]
)
# Katakana words that are ordinary loanwords, not names.
_KATAKANA_STOP = frozenset(
    [
        "ニュース",
        "テロ",
        "ミサイル",
        "データ",
        "システム",
        "サービス",
        "ネット",
        "メディア",
        "チーム",
        "リーダー",
        "センター",
        "ポイント",
        "ドル",
        "ユーロ",
        "ウォン",
        "トン",
        "キロ",
        "メートル",
        "パーセント",
        "ビル",
        "ホテル",
        "バス",
        "トラック",
        "テレビ",
        "スポーツ",
        "サッカー",
        "ゲーム",
        "レース",
        "ツアー",
        "グループ",
        "ビジネス",
        "マーケット",
        "プラン",
        "ルール",
        "イベント",
        "リスク",
        "コメント",
        "インタビュー",
        "ホームページ",
        "アプリ",
        "カード",
        "サイト",
        "ケース",
        "ペース",
        "レベル",
    ]
)
_MIN_KEY = 3
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
_CENTRAL = "^"
_HEADLINE_PERSON = "~"
_EARLY_NAME = "+"
# Characters of the text read for where the report happens: its first paragraph or two.
_EARLY = 400
_TEXT_PEOPLE_FROM = 1500
_MAX_KEY = 6

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi

    with _lock:
        return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def _hepburn(text: str) -> str:
    return "".join(part["hepburn"] for part in _kakasi().convert(text))


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text))


_FOLDS = (("sh", "s"), ("ch", "k"), ("ts", "s"), ("ph", "f"), ("th", "t"), ("kh", "h"), ("ck", "k"))
_LETTER_FOLD = str.maketrans(
    {"l": "r", "v": "b", "c": "k", "q": "k", "x": "s", "z": "s", "g": "k", "d": "t", "j": "s"}
)


def sound_key(romanized: str, *, shortest: int = _MIN_KEY) -> str | None:
    """The consonant skeleton of a romanized name, or None when too short to mean much."""
    text = unicodedata.normalize("NFKD", romanized.lower())
    text = "".join(c for c in text if "a" <= c <= "z")
    for pair, single in _FOLDS:
        text = text.replace(pair, single)
    text = text.translate(_LETTER_FOLD)
    skeleton: list[str] = []
    for char in text:
        if char in "aeiouyhw":
            continue
        if skeleton and skeleton[-1] == char:
            continue
        skeleton.append(char)
    key = "".join(skeleton)[:_MAX_KEY]
    return key if len(key) >= shortest else None


def latin_names(text: str, *, headline: bool = False) -> set[str]:
    """Capitalized words as sound keys; in running text, not those starting a sentence
    (``headline``: every capitalized word, as a headline in title case has them)."""
    found: set[str] = set()
    for match in _LATIN_NAME.finditer(text):
        word = match.group(1)
        if word.lower() in _LATIN_STOP:
            continue
        if (
            not headline
            and not word.isupper()
            and _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()])
        ):
            continue
        key = sound_key(word)
        if key:
            found.add(key)
    return found


def japanese_names(text: str) -> set[str]:
    found: set[str] = set()
    for run in _KATAKANA_RUN.findall(text):
        for part in re.split(r"[・ー]{0}(?:・|=|＝)", run):
            if len(part) < 2 or part in _KATAKANA_STOP:
                continue
            key = sound_key(_hepburn(part))
            if key:
                found.add(key)
    for run in _TITLED_KANJI.findall(text):
        # The same characters as a Japanese name (岸田 → kishida) and as a Chinese one
        # (習近平 → xijinping); only the right one meets the English report.
        for romanized in (_hepburn(run), _pinyin(run)):
            key = sound_key(romanized)
            if key:
                found.add(key)
    return found


# Second words that make a capitalized pair a body or a thing, not a person's name.
_INSTITUTIONS = frozenset(
    [
        "court",
        "house",
        "council",
        "department",
        "ministry",
        "agency",
        "party",
        "league",
        "cup",
        "airlines",
        "airways",
        "university",
        "college",
        "school",
        "bank",
        "group",
        "company",
        "corp",
        "inc",
        "ltd",
        "association",
        "committee",
        "commission",
        "office",
        "service",
        "services",
        "union",
        "club",
        "games",
        "championship",
        "open",
        "festival",
        "award",
        "awards",
        "prize",
        "times",
        "post",
        "news",
        "minutes",
        # Titles: Vice President and Prime Minister are no one's name.
        "president",
        "minister",
        "governor",
        "secretary",
        "chancellor",
        "mayor",
        "senator",
        "king",
        "queen",
        "prince",
        "princess",
        "emperor",
        "pope",
        "general",
        "national",
        "amateur",
        "prize",
        "olympic",
        "olympics",
    ]
)
_FULL_LATIN = re.compile(r"\b([A-Z][a-z]+(?:[-'][A-Za-z]+)?)\s+([A-Z][a-z]+(?:[-'][A-Za-z]+)?)\b")
_FULL_KATAKANA = re.compile(
    r"[\u30a1-\u30fa\u30fc]{2,}[・= ]([\u30a1-\u30fa\u30fc]{2,})"
    r"|([\u30a1-\u30fa\u30fc]{2,})(?=氏|大統領|首相|議員|上院議員|知事|選手|監督)"
)


def _latin_pairs(text: str) -> list[tuple[str, str]]:
    """First and last names in Latin letters: capitalized pairs that are not a place or a
    body (South Korea, Japan Airlines, Supreme Court)."""
    pairs = []
    for match in _FULL_LATIN.finditer(text):
        # A pair that begins with a place is one (South Korea, Japan Airlines); one that
        # ends with a place's name is often a person (Hideki Matsuyama, Naomi Osaka).
        if match.group(1).lower() in _LATIN_STOP or any(
            at == 0 for at, _ in places_at(match.group(0))
        ):
            continue
        if match.group(2).lower() in _INSTITUTIONS or match.group(2) in country_forms():
            continue  # Supreme Court, White House: a body, not a person
        pairs.append((match.group(1), re.sub(r"'s$", "", match.group(2))))
    return pairs


def _latin_headline_people(title: str) -> set[str]:
    return {key for _, last in _latin_pairs(title) if (key := sound_key(last, shortest=2))}


def _japanese_headline_people(title: str) -> set[str]:
    found: set[str] = set()
    for match in _FULL_KATAKANA.finditer(title):
        if key := sound_key(_hepburn(match.group(1) or match.group(2)), shortest=2):
            found.add(key)
    for run in _TITLED_KANJI.findall(title):
        if place_keys(run):
            continue  # 北海道知事, 日本代表: a place's office, not a name
        for romanized in (_hepburn(run), _pinyin(run)):
            if key := sound_key(romanized, shortest=2):
                found.add(key)
    return found


def headline_people(title: str) -> set[str]:
    """Sound keys of the people a headline names in full: a first and last name in Latin
    letters (Sarah Palin), a katakana name with its dot (サラ・ペイリン), a kanji name before a
    title (石破茂氏). Fewer than the names of ``names``, but seldom a word that is not a
    person: a headline's lone capitalized word is as often a team, a party or a place.
    Short keys are kept (Warren, ウォーレン: ``rn``): a headline's names are compared
    with each other first."""
    return _latin_headline_people(title) | _japanese_headline_people(title)


def same_name(a: str, b: str) -> bool:
    """Whether two sound keys may be one name. Japanese drops consonants English writes
    (Harington → ハリントン: rnktn, rntn; Vardy → ヴァーディ: brt, bt) and writes m as n
    before b (Abercrombie, アバクロンビー): the shorter key, m read as n, is then a
    subsequence of the longer one, from the same first sound."""
    short, long = sorted((a.replace("m", "n"), b.replace("m", "n")), key=len)
    if short[:1] != long[:1]:
        return False  # a name's first sound survives every script (rn is not prn)
    rest = iter(long)
    return all(char in rest for char in short)


@dataclass(frozen=True)
class Named:
    """Who and where an entry names: ``people`` (sound keys of any name), ``places``
    (``@`` keys, clipdiary.related.places) and ``central``, those of either kind its
    headline names and its text names again: what the report is about."""

    people: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    central: frozenset[str] = frozenset()
    headline_people: frozenset[str] = frozenset()
    # The names and places of the headline and the first lines (``_EARLY`` characters).
    early_names: frozenset[str] = frozenset()


def names(title: str, text: str) -> Named:
    """The names of an entry's title and text (either language)."""
    title = unicodedata.normalize("NFKC", title)
    text = unicodedata.normalize("NFKC", text)
    whole = f"{title}\n{text}"
    people = latin_names(whole) | japanese_names(whole)
    found = places_at(whole)
    text_from, early_to = len(title) + 1, len(title) + 1 + _EARLY
    places = {k for _, keys in found for k in keys}
    # A headline word is a name of the story when the text names it too (a headline in
    # title case capitalizes every word; the text capitalizes only names).
    in_text = latin_names(text) | japanese_names(text)
    in_text |= {k for at, keys in found if at >= text_from for k in keys}
    headline = latin_names(title, headline=True) | japanese_names(title)
    headline |= {k for at, keys in found if at < len(title) for k in keys}
    central = headline & in_text
    places_named = {k for k in headline if k.startswith(PREFIX)}
    central |= places_named
    early_named = {k for at, keys in found if at < early_to for k in keys}
    if _KANA.search(title) and only_japan(places_named) and only_japan(early_named):
        # A Japanese newspaper names the country of a foreign story in its headline
        # (エクアドルで地震) and no country for a story at home (au通信障害); a follow-up
        # abroad may name none in its headline (人質3人が帰還) but does in its first lines.
        central.add(JAPAN)
        places.add(JAPAN)
    # Japanese people in kanji, without a title (松山英樹が優勝): the dictionary's family
    # names, as the sound key of their reading (マツヤマ, as Matsuyama).
    part = text[:_TEXT_PEOPLE_FROM]
    title_family = _family_keys(title)
    text_family = _family_keys(part)
    people |= {k for k, _, _ in title_family + text_family if len(k) >= _MIN_KEY}
    in_text |= {k for k, _, _ in text_family}
    # The people the text names in full, whom a headline may name by family name alone
    # (Matsuyama wins Masters; 大谷、ドジャースへ).
    surnames = _latin_people_of_text(part)
    in_full = _people_in_full(part, surnames) | {k for k, full, _ in text_family if full}
    # As with central names, a headline in title case pairs words that are no name
    # (Eldest Son, Women's Amateur): a person counts when the text names them as one.
    latin = _latin_headline_people(title) | {
        key
        for match in _LATIN_NAME.finditer(title)
        if match.group(1) in surnames and (key := sound_key(match.group(1), shortest=2))
    }
    japanese = _japanese_headline_people(title) | {k for k, _, _ in title_family}
    named_in_text = in_text | in_full
    in_headline = {k for k in latin if any(same_name(k, n) for n in in_full)}
    in_headline |= {k for k in japanese if any(same_name(k, n) for n in named_in_text)}
    # Where the report happens is named in its first lines; a place named later is as
    # often another story recalled in passing ("days after the Haneda collision").
    early = early_named | (central & {JAPAN})
    # Whom the headline and first lines name: a report recalls other people in passing
    # later on, as it does other places.
    lead_part = text[:_EARLY]
    early |= headline | in_headline | latin_names(lead_part) | japanese_names(lead_part)
    early |= {k for k, _, at in text_family if at < _EARLY} | headline_people_of_text(lead_part)
    return Named(
        frozenset(people),
        frozenset(places),
        frozenset(central),
        frozenset(in_headline),
        frozenset(early),
    )


def _family_keys(text: str) -> list[tuple[str, bool, int]]:
    """Sound keys of the Japanese family names a Japanese text writes, each with whether
    the full name is written and where (clipdiary.related.japanese)."""
    if not _KANA.search(text):
        return []
    found = []
    for surface, reading, full, at in family_names(text):
        # A family name has more than one reading (大谷: オオタニ, オオヤ); both are kept.
        for romanized in {_hepburn(reading), _hepburn(surface)}:
            if key := sound_key(romanized, shortest=2):
                found.append((key, full, at))
    return found


def headline_people_of_text(text: str) -> set[str]:
    """The people the text names in full. In Latin letters, a pair counts when the text
    also writes its last name alone, as reports do after the first mention (Kajitani, 17,
    became…); Augusta National and Women's Amateur are never shortened so."""
    part = text[:_TEXT_PEOPLE_FROM]
    return _people_in_full(part, _latin_people_of_text(part))


def _people_in_full(part: str, surnames: set[str]) -> set[str]:
    found = _japanese_headline_people(part)
    found |= {key for last in surnames if (key := sound_key(last, shortest=2))}
    return found


def _latin_people_of_text(part: str) -> set[str]:
    """The last names of the people a text names in full and then by last name alone."""
    return {
        last
        for first, last in _latin_pairs(part)
        if part.count(last) > part.count(f"{first} {last}")
    }


def pack_names(named: Named) -> str:
    """One line for the store: central keys are written again behind ``^``."""
    return " ".join(
        sorted(named.people | named.places)
        + sorted(_CENTRAL + k for k in named.central)
        + sorted(_HEADLINE_PERSON + k for k in named.headline_people)
        + sorted(_EARLY_NAME + k for k in named.early_names)
    )


def unpack_names(text: str) -> Named:
    people: set[str] = set()
    places: set[str] = set()
    central: set[str] = set()
    headline: set[str] = set()
    early: set[str] = set()
    for token in text.split():
        if token.startswith(_CENTRAL):
            central.add(token[1:])
        elif token.startswith(_HEADLINE_PERSON):
            headline.add(token[1:])
        elif token.startswith(_EARLY_NAME):
            early.add(token[1:])
        elif token.startswith(PREFIX):
            places.add(token)
        else:
            people.add(token)
    return Named(
        frozenset(people),
        frozenset(places),
        frozenset(central),
        frozenset(headline),
        frozenset(early),
    )
