"""Normalization and index tokens: the one definition both backends share.

Text is folded with NFKC and ``casefold`` (``ＡＢＣ`` = ``abc``, ``ｶﾀｶﾅ`` = ``カタカナ``, the
ideographic space becomes a space). Then it is cut into two kinds of runs:

* *word* runs (Latin, Greek, Cyrillic … letters) are indexed as whole words;
* *gram* runs (kana, kanji, Hangul and every other character from U+2E80 up, and digits)
  are indexed as overlapping bigrams, the last character of a run as a *terminal* token
  (the character followed by ``END``). Every character of a gram run thus starts exactly one
  token, so an index holds about one token per character.

A query substring of n ≥ 2 gram characters is the phrase of its n-1 bigrams; a single
character is the prefix query ``c*`` (it starts a bigram or a terminal token). Digits are
gram characters, so ``5日`` is found inside ``15日`` as it must be for Japanese text.

The tokens are written space-separated; SQLite FTS5's ``ascii`` tokenizer and PostgreSQL's
literal ``tsvector`` input both take them exactly as they are, without any locale-dependent
character classes of their own.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

END = "\ue000"  # marks a terminal token: the last character of a gram run
META = "\ue001"  # starts a filter token (diary, category, site, language, private)

# Private-use characters could forge END or META; they and control characters go.
_STRIP = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff]")
_RUNS = re.compile(r"(?P<gram>(?:[0-9]|[^\W\x00-\u2e7f])+)|(?P<word>[^\W_0-9\u2e80-\U0010ffff]+)")


def normalize(text: str) -> str:
    """Fold width, compatibility forms and case; drop control and private-use characters."""
    return _STRIP.sub(" ", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Run:
    """A stretch of normalized text indexed one way: ``gram`` or ``word``."""

    kind: str
    text: str
    start: int
    end: int


def runs(normalized: str) -> Iterator[Run]:
    for match in _RUNS.finditer(normalized):
        kind = "gram" if match.lastgroup == "gram" else "word"
        yield Run(kind, match.group(), match.start(), match.end())


def gram_tokens(run: str) -> list[str]:
    """Bigrams of a whole run, then the terminal token of its last character."""
    tokens = [run[i : i + 2] for i in range(len(run) - 1)]
    tokens.append(run[-1] + END)
    return tokens


def index_tokens(text: str) -> list[str]:
    """The tokens of a text, in order, as the index holds them."""
    tokens: list[str] = []
    for match in _RUNS.finditer(normalize(text)):
        run = match.group()
        if match.lastgroup == "gram":
            tokens.extend(gram_tokens(run))
        else:
            tokens.append(run)
    return tokens


@dataclass(frozen=True)
class Phrase:
    """What one query term must match: consecutive tokens, the last maybe a prefix."""

    tokens: tuple[str, ...]
    prefix: bool
    # The normalized runs the term is made of, for highlighting.
    parts: tuple[Run, ...]


def phrase_of(text: str, *, prefix: bool = False) -> Phrase | None:
    """The phrase a query term stands for; None when it holds nothing searchable.

    Inside the term, runs follow each other as they would in a document, so a gram run that
    is followed by another run ends there (its terminal token is required); the last gram
    run may continue in the document, so it needs no terminal token, and a one-character
    last run is a prefix.
    """
    parts = tuple(runs(normalize(text)))
    if not parts:
        return None
    tokens: list[str] = []
    is_prefix = False
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part.kind == "word":
            tokens.append(part.text)
            is_prefix = last and prefix
        elif not last:
            tokens.extend(gram_tokens(part.text))
        elif len(part.text) == 1:
            tokens.append(part.text)
            is_prefix = True
        else:
            tokens.extend(part.text[i : i + 2] for i in range(len(part.text) - 1))
            is_prefix = False
    return Phrase(tuple(tokens), is_prefix, parts)


def meta_token(kind: str, value: str) -> str:
    """A filter token: never equal to a text token, and free of punctuation."""
    digest = hashlib.blake2b(normalize(value).strip().encode("utf-8"), digest_size=8)
    return f"{META}{kind}{digest.hexdigest()}"


def diary_token(diary_id: int) -> str:
    return f"{META}d{diary_id}"


PRIVATE_TOKEN = f"{META}private"
