"""A story's title when the owner gave none: its most central entry's, in the diary's
language, with the most central title in the other language beside it.

Plain functions over (entry id, title, language, site), so the live pages (``query``)
and the static build (``site.stories``) choose alike without loading the store.
"""

from __future__ import annotations

from collections.abc import Sequence

from clipdiary.clip.lang import guess_lang
from clipdiary.model import Diary
from clipdiary.related.text import clean_title

Titled = tuple[int, str, str | None, str | None]
"""(entry id, title, language, site) of one member."""


def diary_lang(diary: Diary) -> str:
    """Japanese for a diary kept in Japan's time or titled in Japanese, English otherwise."""
    if diary.timezone == "Asia/Tokyo" or guess_lang(diary.title) == "ja":
        return "ja"
    return "en"


def choose_titles(
    members: Sequence[Titled], centrality: dict[int, float], lang: str
) -> tuple[str, str | None]:
    """(the most central title in ``lang``, or in any; the most central in another one).

    Central: the most link score to and from the story's other entries; among equals, the
    earliest (members come oldest first).
    """

    def best(candidates: Sequence[Titled]) -> str | None:
        if not candidates:
            return None
        chosen = max(enumerate(candidates), key=lambda t: (centrality.get(t[1][0], 0.0), -t[0]))
        _, (_, title, _, site) = chosen
        return clean_title(title, site) or title

    own = [m for m in members if m[2] == lang]
    other = [m for m in members if m[2] != lang]
    first = best(own) or best(other) or ""
    return first, best(other) if own else None
