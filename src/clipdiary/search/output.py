"""A page of search results as JSON: the API and ``clipdiary search --json`` share it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from clipdiary.entry_json import entry_to_json
from clipdiary.model import Diary, EntryImage
from clipdiary.search.service import SearchPage
from clipdiary.urls import Urls


def page_to_json(
    page: SearchPage,
    diary: Diary,
    *,
    urls: Urls | None = None,
    images: Mapping[int, Sequence[EntryImage]] | None = None,
) -> dict[str, Any]:
    """Totals and paging, then each hit: the entry in its one JSON shape plus the match.

    ``total`` is exact when ``total_exact``; otherwise at least that many entries match and
    ``pages`` only reaches one page further while ``has_more`` is true.
    """
    return {
        "query": page.query.text,
        "total": page.total,
        "total_exact": page.total_exact,
        "has_more": page.has_more,
        "page": page.page,
        "pages": page.pages,
        "per_page": page.per_page,
        "sort": page.sort,
        "results": [
            {
                **entry_to_json(
                    hit.entry, diary, urls=urls, images=(images or {}).get(hit.entry.id, ())
                ),
                "title_html": hit.title.html,
                "snippet": hit.snippet.text,
                "snippet_html": hit.snippet.html,
                "score": round(hit.score, 6),
            }
            for hit in page.hits
        ],
    }
