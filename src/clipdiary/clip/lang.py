"""Japanese or English? A check of the article's script, with the page's own claim as help.

Page templates often claim the wrong language (a Japanese WordPress blog left at
``lang="en-US"``), so kana in the text decide for Japanese whatever the page says.
"""

from __future__ import annotations

import re

_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def guess_lang(text: str, declared: str | None = None) -> str | None:
    """A language code (``ja``, ``en``, or the page's own) for the article text."""
    claimed = declared.split("-")[0].lower() if declared else None
    kana = len(_KANA.findall(text))
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if kana >= 3 or (kana and kana * 10 >= latin):
        return "ja"
    if han > latin and claimed in (None, "ja"):
        return "ja"
    if latin and claimed == "ja":
        # A page of a Japanese site whose article is written in a Latin script.
        return "en"
    if claimed:
        return claimed
    return "en" if latin else None
