"""Which encoding reads a file that is not in the one it was read in.

An import that meets bytes its encoding lacks stops (``WrongEncoding``). The place that
shows the error then reads the file whole in each encoding it can offer, the way the
import would, and names the one that reads it: a hint that, followed, imports the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from clipdiary.clip.charset import japanese_score
from clipdiary.errors import FormatError, WrongEncoding

from .encoding import Encoding, Opener, check_encoding, recode_all

PROBE_LIMIT = 64_000_000  # bytes read to choose: enough for any real export's evidence


@dataclass(frozen=True)
class Choice:
    name: str  # as --encoding takes it, and the settings page's option value
    label: str  # as the settings page shows it


UTF8_AND_CP1252 = Choice("utf-8,cp1252", "UTF-8 with stray Windows-1252 bytes")
JAPANESE = (
    Choice("shift_jis", "Shift_JIS"),
    Choice("cp932", "Shift_JIS (Windows)"),
    Choice("euc_jp", "EUC-JP"),
)
CP1252 = Choice("cp1252", "Windows-1252")
CHOICES = (UTF8_AND_CP1252, *JAPANESE, CP1252)
# A valid UTF-8 sequence of two to four bytes.
_UTF8 = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def encoding_that_reads(opener: Opener, fmt: str, tried: Encoding | None) -> Choice | None:
    """The encoding, other than ``tried``, in which the file reads whole and makes sense."""
    with opener() as raw:
        data = raw.read(PROBE_LIMIT)
    if len(data) == PROBE_LIMIT:
        data = data[: data.rfind(b"\n") + 1] or data  # never half a character at the end
    others = [c for c in CHOICES if str(check_encoding(c.name, fmt)) != str(tried)]
    # Each reading is scored as Japanese and let go, not kept: the file may be large.
    scores = {c: score for c in others if (score := _score(data, c, fmt)) is not None}
    readable = list(scores)
    non_ascii = len(data.translate(None, bytes(range(0x80))))
    in_utf8 = sum(len(m.group(0)) for m in _UTF8.finditer(data))
    # Mostly UTF-8 with a few bytes that are not: pasted in from Windows-1252.
    if UTF8_AND_CP1252 in readable and in_utf8 * 2 >= non_ascii:
        return UTF8_AND_CP1252
    # Shift_JIS or EUC-JP: the wrong one reads as rare kanji and half-width kana.
    japanese = [(scores[c], c) for c in readable if c in JAPANESE]
    best = max(japanese, key=lambda found: found[0], default=None)
    if best is not None and best[0] >= 0.3:
        return best[1]
    return CP1252 if CP1252 in readable else None


def with_hint(
    error: WrongEncoding, choice: Choice | None, advice: Callable[[Choice], str]
) -> FormatError:
    """The error again, saying which encoding reads the file and, in ``advice``'s words,
    how to import it so; or that none of those clipdiary knows reads it."""
    if choice is not None:
        hint = f"; it reads as {choice.label}: {advice(choice)}"
    else:
        labels = [UTF8_AND_CP1252.label, JAPANESE[0].label, JAPANESE[2].label, CP1252.label]
        hint = (
            f", and none of {', '.join(labels[:-1])} or {labels[-1]} reads it whole: "
            "save it as UTF-8 and import it again"
        )
    return FormatError(error.reason + hint, path=error.path, line=error.line)


def _score(data: bytes, choice: Choice, fmt: str) -> float | None:
    """How Japanese the file reads in ``choice``; None when it does not read in it."""
    try:
        return japanese_score(recode_all(data, check_encoding(choice.name, fmt)))
    except WrongEncoding:
        return None
