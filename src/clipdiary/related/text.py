"""What is embedded for an entry, and the cheap signals read from its text.

A clip's title and lead carry its story: the first few hundred characters of a news
article say who did what, where. The title and the lead are embedded as two texts, which on
the shared cross-lingual set finds the other-language report as often as the whole article
does (bench/related_quality.py), at a fifth of the cost, since the encoder's cost is linear
in the length of its input.
"""

from __future__ import annotations

import re
import unicodedata

# The lead is cut at a budget of "units": a CJK character counts 2.2, anything else 1, so a
# Japanese lead holds about as many tokens (and as much of the story) as an English one.
LEAD_BUDGET = 300
_WIDE_UNITS = 2.2

# A site's name that pages append to their titles ("…｜静岡新聞アットエス", "… - Yahoo!ニュース")
# says nothing of the story and makes every clip from one site look alike.
_SUFFIX_SEPARATORS = ("|", " - ", " – ", " — ")
_SUFFIX_MAX = 30

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def clean_title(title: str, site: str | None = None) -> str:
    """The title without the site's name appended to it."""
    text = unicodedata.normalize("NFKC", title).strip()
    if site:
        folded = unicodedata.normalize("NFKC", site).strip()
        if folded and text.endswith(folded) and len(text) > len(folded) + 8:
            text = text[: -len(folded)].rstrip(" -|｜:：–—()（）")
    for separator in _SUFFIX_SEPARATORS:
        head, found, tail = text.rpartition(separator)
        if found and len(tail) <= _SUFFIX_MAX and len(head) >= 8:
            text = head.strip()
    return text


def lead(text: str, budget: float = LEAD_BUDGET) -> str:
    """The start of the text, cut at ``budget`` units (see ``LEAD_BUDGET``)."""
    used = 0.0
    for position, char in enumerate(text):
        used += _WIDE_UNITS if ord(char) >= 0x2E80 else 1.0
        if used > budget:
            return text[:position]
    return text


def numbers(text: str) -> frozenset[str]:
    """Numbers of two or more digits the text names, as written without separators.

    A figure ("$26,750", "5-3", "832人") is written the same way in Japanese and English
    reports of one story, where no word is.
    """
    found = set()
    for match in _NUMBER.findall(unicodedata.normalize("NFKC", text)):
        value = match.replace(",", "").rstrip(".")
        if len(value.replace(".", "")) >= 2:
            found.add(value)
    return frozenset(found)


def number_weight(value: str) -> float:
    """How much sharing this number says: a year little, a long figure much."""
    if _YEAR.match(value):
        return 0.25
    if len(value.replace(".", "")) == 2:
        return 0.5
    return 1.0


def pack_numbers(values: frozenset[str]) -> str:
    return " ".join(sorted(values))


def unpack_numbers(text: str) -> frozenset[str]:
    return frozenset(text.split())
