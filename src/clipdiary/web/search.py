"""``/search``: the search page, and ``/api/search``: the same results as JSON."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from clipdiary.entry_json import related_json, story_json
from clipdiary.errors import UsageError
from clipdiary.pages.paging import check_page
from clipdiary.related.query import related_for
from clipdiary.search import search
from clipdiary.search.output import page_to_json
from clipdiary.search.service import MAX_PER_PAGE, SearchPage
from clipdiary.stories.query import story_refs
from clipdiary.web.auth import is_owner, pages_of, store_of, viewer_of
from clipdiary.web.reader import page_number

router = APIRouter()
PER_PAGE = 20


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request) -> HTMLResponse:
    params = request.query_params
    text = params.get("q", "")
    sort = "date" if params.get("sort") == "date" else "relevance"
    viewer = viewer_of(request)
    results: SearchPage | None = None
    error: str | None = None
    status = 200
    if text.strip():
        try:
            results = search(
                store_of(request),
                text,
                include_private=viewer.is_owner,
                page=page_number(request),
                per_page=PER_PAGE,
                sort=sort,
            )
        except UsageError as exc:
            error, status = str(exc), 400
        if results is not None:
            pages = results.pages if results.total_exact else None
            check_page(results.page, exists=bool(results.hits), of="these results", pages=pages)
    html = pages_of(request).search(viewer, query=text, sort=sort, results=results, error=error)
    return HTMLResponse(html, status_code=status)


@router.get("/api/search", tags=["search"], summary="Search entries")
def search_api(
    request: Request,
    q: str = Query(description='the query, e.g. 会談 "prime minister" -Trump lang:ja'),
    page: int = Query(default=1, ge=1, le=100000),
    per_page: int = Query(default=PER_PAGE, ge=1, le=MAX_PER_PAGE),
    sort: Literal["relevance", "date"] = "relevance",
) -> dict[str, Any]:
    """Entries matching the query, a page at a time; private ones only for the owner."""
    store = store_of(request)
    owner = is_owner(request)
    results = search(store, q, include_private=owner, page=page, per_page=per_page, sort=sort)
    urls = pages_of(request).urls
    from clipdiary.store.media import images_of

    images = images_of(store, [hit.entry.id for hit in results.hits])
    data = page_to_json(results, store.diary, urls=urls, images=images)
    # Each result is the entry in its one shape: its related list and story as well.
    ids = [hit.entry.id for hit in results.hits]
    related = related_for(store, ids, include_private=owner)
    stories = story_refs(store, ids, include_private=owner)
    for entry_id, shaped in zip(ids, data["results"], strict=True):
        shaped["related"] = related_json(related.get(entry_id, []), urls)
        shaped["story"] = story_json(stories.get(entry_id), urls)
    return data
