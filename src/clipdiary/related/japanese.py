"""Japanese people's names in kanji and kana, found with a morphological dictionary.

A Japanese headline names a Japanese person with no title after the name (松山英樹が
マスターズ制覇, 大谷翔平、ドジャース移籍を表明): no pattern tells 松山英樹 from 制覇, but
SudachiDict knows family names and given names. A name is given as the reading of its
family name, which is what an English report writes alone (Matsuyama) and what
clipdiary.related.names turns into a sound key.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_FAMILY = ("固有名詞", "人名", "姓")
_GIVEN = ("固有名詞", "人名", "名")
# Sudachi reads text of any length, but names are read from a text's first lines only.
_LONGEST = 2000

_local = threading.local()
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    from sudachipy import Dictionary

    with _lock:
        return Dictionary(dict="core")


def _tokenizer() -> Any:
    # A Sudachi tokenizer is not to be shared between threads; the dictionary is.
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import SplitMode

        tokenizer = _local.tokenizer = _dictionary().tokenizer(
            mode=SplitMode.C, fields={"pos", "reading_form"}
        )
    return tokenizer


def family_names(text: str) -> list[tuple[str, str, bool, int]]:
    """Each family name the text writes, as (how it is written, the dictionary's katakana
    reading, whether a given name follows it: 松山英樹 is a full name, 石破首相 is not,
    where it begins)."""
    morphemes = list(_tokenizer().tokenize(text[:_LONGEST]))
    found: list[tuple[str, str, bool, int]] = []
    for i, morpheme in enumerate(morphemes):
        if tuple(morpheme.part_of_speech()[1:4]) != _FAMILY:
            continue
        following = morphemes[i + 1] if i + 1 < len(morphemes) else None
        full = following is not None and tuple(following.part_of_speech()[1:4]) == _GIVEN
        found.append((morpheme.surface(), morpheme.reading_form(), full, morpheme.begin()))
    return found
