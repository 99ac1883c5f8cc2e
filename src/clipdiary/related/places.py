"""Countries, capitals and Japan's prefectures, as one key whichever language names them.

Sound keys (clipdiary.related.names) meet ゼレンスキー and Zelensky, but not ドイツ and
Germany, 熊本 and Kumamoto, or 北朝鮮 and Pyongyang: a place's Japanese name often shares
no sound with its English one, and kanji place names have no title after them to show
they are names. ``places.tsv`` lists each place's ordinary names in both languages; a text
that writes any of them has the place's key, ``@`` and the key (``@germany``).

English forms match as whole words, case and all (``Japan``, not ``japan``); Japanese
forms in katakana match a whole katakana word (タイ is Thailand, not the タイ of タイトル).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

PREFIX = "@"
JAPAN = PREFIX + "japan"
_KATAKANA = "\u30a1-\u30fa\u30fc\u30fd\u30fe"


@lru_cache(maxsize=1)
def _table() -> list[tuple[str, list[str], list[str], str]]:
    """places.tsv's rows: key, English forms, Japanese forms, the country it is in."""
    rows = []
    text = resources.files("clipdiary.related").joinpath("places.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, en, ja, country = [*line.split("\t"), "", "", ""][:4]
        rows.append(
            (key, [f for f in en.split("|") if f], [f for f in ja.split("|") if f], country)
        )
    return rows


@lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern[str], dict[str, list[str]], dict[str, tuple[str, ...]]]:
    """One pattern for the English forms, the Japanese forms by their first character
    (longest first), and each form's keys (the place's, and the country's it is in)."""
    key_of: dict[str, tuple[str, ...]] = {}
    english: list[str] = []
    japanese: list[str] = []
    for key, en, ja, country in _table():
        keys = tuple(PREFIX + k for k in (key, country) if k)
        for form in en:
            key_of.setdefault(form, keys)
            english.append(form)
        for form in ja:
            key_of.setdefault(form, keys)
            japanese.append(form)
    for form, keys in _abbreviated(key_of).items():
        key_of.setdefault(form, keys)
        japanese.append(form)
    # Longest first, so North Korea wins over Korea and 南アフリカ over nothing shorter.
    english.sort(key=len, reverse=True)
    japanese.sort(key=len, reverse=True)
    en_pattern = re.compile(
        # Bounded by letters, not by any word character: USスチール names the US.
        r"(?<![A-Za-z0-9.])("
        + "|".join(re.escape(f) for f in english)
        + r")(?:'s|’s)?(?![A-Za-z0-9])"
    )
    by_first: dict[str, list[str]] = {}
    for form in japanese:  # longest first, as sorted above
        by_first.setdefault(form[0], []).append(form)
    return en_pattern, by_first, key_of


# Japanese newspapers write a country as one character before the word it qualifies
# (米旅客機, 露軍, 独誌) and pairs of countries as two (日米, 米中). Only these pairings
# are read: 独 alone begins 独自 and 独占, 英 begins 英語, 中 is everywhere.
_ONE_CHARACTER = {
    "日": "japan", "米": "us", "中": "china", "韓": "south-korea", "朝": "north-korea",
    "露": "russia", "英": "uk", "仏": "france", "独": "germany", "伊": "italy",
    "豪": "australia", "加": "canada", "印": "india", "比": "philippines", "台": "taiwan",
    "欧": "eu",
}  # fmt: skip
_QUALIFIED = (
    "政府", "軍", "紙", "誌", "首相", "大統領", "外相", "国防相", "当局", "企業", "旅客機",
    "航空", "議会", "大使館", "大使", "国務省", "国防総省", "司法省", "連邦", "株", "製",
    "産", "メディア", "国営", "海軍", "空軍", "首脳",
)  # fmt: skip
_NOT_PAIRS = frozenset(["朝日", "中米", "加中", "台中", "中日", "日中", "中台", "比中", "印中"])


def _abbreviated(key_of: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    forms: dict[str, tuple[str, ...]] = {}
    for char, key in _ONE_CHARACTER.items():
        if key in ("japan", "china"):
            continue  # 日 and 中 begin too many words (日本 is listed whole)
        for word in _QUALIFIED:
            forms[char + word] = (PREFIX + key,)
    for first, one in _ONE_CHARACTER.items():
        for second, other in _ONE_CHARACTER.items():
            pair = first + second
            if one != other and pair not in _NOT_PAIRS and pair not in key_of:
                forms[pair] = (PREFIX + one, PREFIX + other)
    return forms


_IS_KATAKANA = re.compile(f"[{_KATAKANA}]+")


def _fits(text: str, at: int, form: str) -> bool:
    """A katakana name matches at the start of a katakana word: a longer one may go on
    (メキシコシティ is in Mexico), a short one must end there (タイ, not タイトル)."""
    if not _IS_KATAKANA.fullmatch(form):
        return True
    if at and _IS_KATAKANA.fullmatch(text[at - 1]):
        return False
    end = at + len(form)
    return len(form) >= 3 or end >= len(text) or not _IS_KATAKANA.fullmatch(text[end])


def _japanese_places(text: str, by_first: dict[str, list[str]]) -> list[tuple[int, str]]:
    """Where the text writes a Japanese form, leftmost and longest first, none overlapping.
    A scan by first character: one regular expression of hundreds of names tried at
    every character cost milliseconds a text."""
    found: list[tuple[int, str]] = []
    at, size = 0, len(text)
    while at < size:
        for form in by_first.get(text[at], ()):
            if text.startswith(form, at) and _fits(text, at, form):
                found.append((at, form))
                at += len(form)
                break
        else:
            at += 1
    return found


def place_keys(text: str) -> set[str]:
    """The ``@`` keys of the places the text names (either language)."""
    return {key for _, keys in places_at(text) for key in keys}


def places_at(text: str) -> list[tuple[int, tuple[str, ...]]]:
    """Where the text names a place, and its keys. One scan serves every part of a text
    (its headline, its first lines, the rest): the patterns hold hundreds of names."""
    en_pattern, by_first, key_of = _matchers()
    found = [(m.start(), key_of[m.group(1)]) for m in en_pattern.finditer(text)]
    found += [(at, key_of[form]) for at, form in _japanese_places(text, by_first)]
    return found


@lru_cache(maxsize=1)
def _in_japan() -> frozenset[str]:
    """Japan, and the places the table puts in it (a pair such as 日米 is no place)."""
    inside = {PREFIX + key for key, _, _, country in _table() if PREFIX + country == JAPAN}
    return frozenset(inside | {JAPAN})


@lru_cache(maxsize=1)
def country_forms() -> frozenset[str]:
    """The English names of countries themselves (Japan, Japanese), not of their cities:
    a city's name is often someone's family name too (Naomi Osaka), a country's seldom."""
    return frozenset(form for _, en, _, country in _table() if not country for form in en)


def only_japan(keys: set[str] | frozenset[str]) -> bool:
    """Whether these place keys name no place outside Japan (none at all counts)."""
    return all(k in _in_japan() for k in keys if k.startswith(PREFIX))
