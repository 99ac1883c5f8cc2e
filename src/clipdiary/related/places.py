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
def _matchers() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[str, ...]]]:
    """One pattern for the English forms, one for the Japanese, and each form's keys (the
    place's, and the country's it is in)."""
    key_of: dict[str, tuple[str, ...]] = {}
    english: list[str] = []
    japanese: list[str] = []
    text = resources.files("clipdiary.related").joinpath("places.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, en, ja, country = [*line.split("\t"), "", "", ""][:4]
        keys = tuple(PREFIX + k for k in (key, country) if k)
        for form in filter(None, en.split("|")):
            key_of.setdefault(form, keys)
            english.append(form)
        for form in filter(None, ja.split("|")):
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
    ja_pattern = re.compile("|".join(_japanese_form(f) for f in japanese))
    return en_pattern, ja_pattern, key_of


def _japanese_form(form: str) -> str:
    """A katakana name matches at the start of a katakana word: a longer one may go on
    (メキシコシティ is in Mexico), a short one must end there (タイ, not タイトル)."""
    if not re.fullmatch(f"[{_KATAKANA}]+", form):
        return re.escape(form)
    end = "" if len(form) >= 3 else f"(?![{_KATAKANA}])"
    return f"(?<![{_KATAKANA}]){re.escape(form)}{end}"


def place_keys(text: str) -> set[str]:
    """The ``@`` keys of the places the text names (either language)."""
    en_pattern, ja_pattern, key_of = _matchers()
    found: set[str] = set()
    for m in en_pattern.finditer(text):
        found.update(key_of[m.group(1)])
    for m in ja_pattern.finditer(text):
        found.update(key_of[m.group(0)])
    return found


@lru_cache(maxsize=1)
def _in_japan() -> frozenset[str]:
    _, _, key_of = _matchers()
    return frozenset(keys[0] for keys in key_of.values() if JAPAN in keys)


def only_japan(keys: set[str] | frozenset[str]) -> bool:
    """Whether these place keys name no place outside Japan (none at all counts)."""
    return all(k in _in_japan() for k in keys if k.startswith(PREFIX))
