"""Fetch the images a clip found and keep only real ones.

Each image is fetched like the page itself (``clip/fetch.py``: http(s) only, the diary's
address refusals, bounded redirects and time) under limits of its own: ``max_bytes`` per
image, ``max_total`` per clip, ``timeout`` for all of a clip's images together. What
arrives is decoded by Pillow, which reads the kind from the bytes, never from a name or a
Content-Type: JPEG, PNG, GIF and WebP are kept; anything else (SVG, which can carry
scripts, HTML sent as ``photo.jpg``, a truncated file, a decompression bomb) is refused.

A failed image never fails the clip: it comes back as a ``FetchedImage`` with ``error``
set, which the entry lists for the owner.
"""

from __future__ import annotations

import hashlib
import io
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from clipdiary.clip.fetch import IMAGE_ACCEPT, FetchLimits, fetch
from clipdiary.clip.figures import FoundImage
from clipdiary.errors import FetchError

#: Pillow's format name → the media type the diary serves the image as.
KEPT_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
#: A file of more pixels is refused: decoding it would take the server's memory.
MAX_PIXELS = 40_000_000
FETCH_THREADS = 4


@dataclass(frozen=True)
class ImageLimits:
    """How much a clip's images may take: bytes each, bytes together, seconds together."""

    max_bytes: int = 5_000_000
    max_total: int = 20_000_000
    timeout: float = 30.0
    max_redirects: int = 5


DEFAULT_IMAGE_LIMITS = ImageLimits()


@dataclass(frozen=True)
class VerifiedImage:
    """Bytes that decode as an image of a kept kind, with its size in pixels."""

    data: bytes
    media_type: str
    width: int
    height: int
    sha256: str


@dataclass(frozen=True)
class FetchedImage:
    """A found image and what became of it: ``image`` when kept, else ``error``."""

    found: FoundImage
    image: VerifiedImage | None
    error: str | None


class ImageRefused(Exception):
    """The bytes are not an image the diary keeps (the message says why)."""


def verify_image(data: bytes) -> VerifiedImage:
    """Decode ``data`` fully enough to know it is a JPEG, PNG, GIF or WebP image."""
    if not data:
        raise ImageRefused("the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(KEPT_FORMATS)) as image:
                kind = image.format or ""
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageRefused(f"{width}×{height} pixels is more than the diary keeps")
                image.verify()
            # verify() checks the structure; loading decodes the pixels (a cut-off file).
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                image.load()
    except ImageRefused:
        raise
    except UnidentifiedImageError as exc:
        raise ImageRefused("not a JPEG, PNG, GIF or WebP image") from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRefused(f"a damaged or unreadable image ({exc})") from exc
    except Image.DecompressionBombWarning as exc:
        raise ImageRefused("too many pixels for the diary to keep") from exc
    if kind not in KEPT_FORMATS or width < 1 or height < 1:
        raise ImageRefused("not a JPEG, PNG, GIF or WebP image")
    return VerifiedImage(
        data=data,
        media_type=KEPT_FORMATS[kind],
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def fetch_images(
    found: Sequence[FoundImage],
    *,
    allow_private: bool,
    limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
) -> list[FetchedImage]:
    """Fetch and verify every image, a few at a time; the results in the order found."""
    if not found:
        return []
    deadline = time.monotonic() + limits.timeout

    def one(image: FoundImage) -> FetchedImage:
        left = deadline - time.monotonic()
        if left <= 0:
            return FetchedImage(
                image, None, f"not fetched: the clip's {limits.timeout:g} s ran out"
            )
        each = FetchLimits(
            max_bytes=limits.max_bytes, timeout=left, max_redirects=limits.max_redirects
        )
        try:
            page = fetch(
                image.url,
                limits=each,
                allow_private=allow_private,
                media_types=None,
                accept=IMAGE_ACCEPT,
            )
            return FetchedImage(image, verify_image(page.body), None)
        except FetchError as exc:
            return FetchedImage(image, None, str(exc))
        except ImageRefused as exc:
            return FetchedImage(image, None, f"refused {image.url}: {exc}")

    with ThreadPoolExecutor(max_workers=min(FETCH_THREADS, len(found))) as pool:
        results = list(pool.map(one, found))
    return _within_total(results, limits)


def _within_total(results: list[FetchedImage], limits: ImageLimits) -> list[FetchedImage]:
    """Keep images in page order until the clip's total is reached; refuse the rest."""
    total = 0
    kept: list[FetchedImage] = []
    for result in results:
        image = result.image
        if image is not None:
            if total + len(image.data) > limits.max_total:
                result = FetchedImage(
                    result.found,
                    None,
                    f"not kept: the clip's images passed the {limits.max_total:,}-byte limit",
                )
            else:
                total += len(image.data)
        kept.append(result)
    return kept
