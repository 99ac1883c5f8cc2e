"""``/media/SHA256.EXT``: the images kept with clips, served from the diary's own copies.

An image shown by a public entry is public and cached for good (its address is its
content); one shown only by private entries is the owner's. The type sent is the one read
from the bytes when the image was kept; ``nosniff`` and a sandboxing policy make sure a
browser treats the file as nothing but an image.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from clipdiary.errors import NotFound
from clipdiary.store.media import media_named
from clipdiary.web.auth import is_owner, store_of

router = APIRouter(include_in_schema=False)


@router.get("/media/{file_name}")
def media(request: Request, file_name: str) -> Response:
    found = media_named(store_of(request), file_name)
    if found is None or not (found.public or is_owner(request)):
        raise NotFound("The diary keeps no such image.")
    cache = "public, max-age=31536000, immutable" if found.public else "private, max-age=3600"
    headers = {
        "Cache-Control": cache,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    return Response(found.data, media_type=found.media_type, headers=headers)
