"""Figures that mean something: amounts and counts, the same whatever script or unit word.

Two reports of one story share their figures (the $26,750 stolen, the 832 dead) where they
share no word, but most numbers in a news text are days of the month, hours and small
counts, which every story has. So a figure is kept only when it can tell stories apart:

* its value is read with its multiplier, so 3万人, 30,000 people and 30 thousand are one
  figure, and 1,200億円 and 120 billion yen are one;
* days of the month (5日, Sept. 5, 9月5日), clock times, and values under 100 are left out;
* the key is the value to three significant figures, so 1.23 billion and 12.3億 meet.

Currencies are not converted: an amount in yen and the same amount in dollars differ by an
exchange rate that changes, and a guessed rate would match unrelated figures.
"""

from __future__ import annotations

import re
import unicodedata

_JA_MULTIPLIER = {"兆": 10**12, "億": 10**8, "万": 10**4, "千": 10**3}
_EN_MULTIPLIER = {
    "trillion": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "thousand": 10**3,
}
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"

_FIGURE = re.compile(
    r"(?P<num>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s*(?P<ja>兆|億|万|千)(?P<rest>\d[\d,]*(?:\.\d+)?)?(?P<ja2>億|万|千)?)?"
    r"(?:\s*(?P<en>trillion|billion|million|thousand|bn|mn)\b)?",
    re.IGNORECASE,
)
_DAY_AFTER = re.compile(
    r"^\s*(?:日|時|分|秒|月|:\d|st\b|nd\b|rd\b|th\b|a\.m|p\.m|am\b|pm\b|GMT|JST)"
)
_DAY_BEFORE = re.compile(rf"(?:{_MONTH}\s*|月|:)$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_SMALLEST = 100


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def figures(text: str) -> frozenset[str]:
    """The figures of the text as keys (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", text)
    found: set[str] = set()
    for match in _FIGURE.finditer(text):
        raw = match.group("num")
        if match.start() and (
            text[match.start() - 1].isalnum() or text[match.start() - 1] in ".-/"
        ):
            continue  # inside an identifier, a version, a score like 5-3 or a date 9/5
        after = text[match.end() : match.end() + 4]
        before = text[max(0, match.start() - 6) : match.start()]
        multiplier_ja = match.group("ja")
        multiplier_en = match.group("en")
        if not (multiplier_ja or multiplier_en) and (
            _DAY_AFTER.match(after) or _DAY_BEFORE.search(before)
        ):
            continue
        try:
            value = _value(raw)
        except ValueError:
            continue
        if multiplier_ja:
            value *= _JA_MULTIPLIER[multiplier_ja]
            if match.group("rest"):
                lower = _JA_MULTIPLIER.get(match.group("ja2") or "", 1)
                value += _value(match.group("rest")) * lower
        elif multiplier_en:
            value *= _EN_MULTIPLIER[multiplier_en.lower()]
        elif _YEAR.match(raw):
            found.add(raw)
            continue
        if value < _SMALLEST:
            continue
        found.add(_key(value))
    return frozenset(found)


def _key(value: float) -> str:
    rounded = float(f"{value:.3g}")
    return str(int(rounded)) if rounded >= 1 else str(rounded)


def figure_weight(key: str) -> float:
    """How much sharing this figure says: a year little, a round number less than a precise one."""
    if _YEAR.match(key):
        return 0.1
    digits = key.rstrip("0")
    if len(digits) <= 1:
        return 0.4  # 100, 3000, 1 billion: many stories have them
    return 1.0
