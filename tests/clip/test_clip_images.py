"""Images kept with a clip: found on the page, fetched on loopback, checked by their bytes,
stored in the diary on both backends, shown in place and listed in the entry's JSON."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image

from clipdiary.clip.figures import find_images
from clipdiary.clip.images import ImageLimits, ImageRefused, fetch_images, verify_image
from clipdiary.clip.pipeline import clip_html, clip_url
from clipdiary.entry_json import entry_to_json
from clipdiary.pages import PageBuilder, Viewer
from clipdiary.store import Store
from clipdiary.store.media import images_of, media_named
from tests.clip.image_server import (
    CAPTION,
    FIG1,
    FIG2,
    LEAD,
    PARAGRAPHS,
    ImageServer,
    article,
    image_bytes,
    image_server,
)

OWNER = Viewer(is_owner=True, csrf_token="t")
VISITOR = Viewer(is_owner=False, csrf_token="")


@pytest.fixture(scope="module")
def server() -> Iterator[ImageServer]:
    with image_server() as running:
        yield running


@pytest.fixture
def clipping_store(store: Store) -> Store:
    store.update_settings(allow_private_addresses=True)  # the test server is on loopback
    return store


def test_a_clip_keeps_its_lead_image_and_figures(
    clipping_store: Store, server: ImageServer
) -> None:
    result = clip_url(clipping_store, server.url("/article"))
    entry = result.entry
    images = images_of(clipping_store, [entry.id])[entry.id]
    by_name = {image.url.rsplit("/", 1)[1]: image for image in images}
    assert list(by_name) == [
        "lead.jpg",
        "fig1.png",
        "fig2.webp",
        "fake.jpg",
        "evil.svg",
        "cut.png",
        "missing.png",
    ]
    lead, fig1, fig2 = by_name["lead.jpg"], by_name["fig1.png"], by_name["fig2.webp"]
    assert lead.lead and (lead.media_type, lead.width, lead.height) == ("image/jpeg", 640, 360)
    assert (fig1.caption, fig1.alt, fig1.after_paragraph) == (CAPTION, "waiting hall", 1)
    # Served as image/png, but its bytes are WebP: the bytes decide.
    assert (fig2.media_type, fig2.after_paragraph) == ("image/webp", 2)
    for name, words in [
        ("fake.jpg", "not a JPEG, PNG, GIF or WebP"),
        ("evil.svg", "not a JPEG, PNG, GIF or WebP"),
        ("cut.png", "damaged"),
        ("missing.png", "HTTP 404"),
    ]:
        assert by_name[name].path is None
        assert words in (by_name[name].error or ""), name
    # The logo outside the article and the 16-pixel icon are no figures.
    assert not any("logo" in i.url or "icon" in i.url for i in images)
    assert len(result.warnings) == 4
    stored = media_named(clipping_store, (lead.path or "").removeprefix("/media/"))
    assert stored is not None and stored.data == LEAD and stored.public

    data = entry_to_json(entry, clipping_store.diary, images=images)
    assert [i["src"] for i in data["images"]] == [lead.path, fig1.path, fig2.path]
    assert data["images"][1] == {
        "url": server.url("/img/fig1.png"),
        "src": fig1.path,
        "alt": "waiting hall",
        "caption": CAPTION,
        "lead": False,
        "width": 400,
        "height": 300,
    }


def test_the_entry_shows_the_figures_in_place_and_the_owner_sees_what_failed(
    clipping_store: Store, server: ImageServer
) -> None:
    entry = clip_url(clipping_store, server.url("/article")).entry
    pages = PageBuilder(clipping_store)
    html = pages.entry(VISITOR, entry.day, entry.name)
    quote = html[html.index("<blockquote") : html.index("</blockquote>")]
    order = [
        quote.index("/media/" + _sha(LEAD)),
        quote.index(PARAGRAPHS[0][:30]),
        quote.index("/media/" + _sha(FIG1)),
        quote.index(CAPTION),
        quote.index(PARAGRAPHS[1][:30]),
        quote.index("/media/" + _sha(FIG2)),
        quote.index(PARAGRAPHS[2][:30]),
    ]
    assert order == sorted(order)
    figure = re.search(r'<img src="/media/' + _sha(FIG1) + r'\.png"[^>]*>', quote)
    assert figure is not None
    assert 'width="400" height="300" loading="lazy"' in figure.group(0)
    assert 'alt="waiting hall"' in figure.group(0)
    assert "127.0.0.1" not in quote.replace(server.url("/article"), "")  # no outside image
    assert "not kept" not in html  # visitors are not told
    owner_html = pages.entry(OWNER, entry.day, entry.name)
    assert "4 images of the page not kept" in owner_html
    assert server.url("/img/missing.png") in owner_html


def test_images_obey_the_diarys_address_refusals(store: Store, server: ImageServer) -> None:
    # The page is given (as the bookmarklet gives it); its images are on loopback, which
    # this diary does not allow: the clip is made, the images are refused.
    before = len(server.requests)
    result = clip_html(store, article(server.base_url), "https://news.example/ferry")
    images = images_of(store, [result.entry.id])[result.entry.id]
    assert len(images) == 7 and all(image.path is None for image in images)
    for image in images:
        assert "address 127.0.0.1 is loopback" in (image.error or "")
    assert len(server.requests) == before  # nothing reached the server


def test_limits_per_image_and_per_clip(server: ImageServer) -> None:
    found = find_images(article(server.base_url), server.url("/article"), PARAGRAPHS)
    small = fetch_images(found[:2], allow_private=True, limits=ImageLimits(max_bytes=1000))
    assert all(r.image is None and "1,000-byte limit" in (r.error or "") for r in small)
    total = fetch_images(
        found[:3], allow_private=True, limits=ImageLimits(max_total=len(LEAD) + len(FIG1))
    )
    assert [r.image is not None for r in total] == [True, True, False]
    assert "passed the" in (total[2].error or "")


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "GIF", "WEBP"])
def test_real_images_are_kept(kind: str) -> None:
    image = verify_image(image_bytes(kind, (30, 20), (1, 2, 3)))
    assert (image.width, image.height) == (30, 20)
    assert image.media_type == "image/" + ("jpeg" if kind == "JPEG" else kind.lower())


def _bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(buffer, format="PNG")  # 60 million pixels
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"<html><body>not an image</body></html>", "not a JPEG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a JPEG"),
        (image_bytes("BMP", (10, 10), (0, 0, 0)), "not a JPEG"),
        (FIG1[:200], "damaged"),
        (_bomb(), "pixels"),
    ],
)
def test_what_is_not_a_real_image_is_refused(data: bytes, words: str) -> None:
    with pytest.raises(ImageRefused, match=words):
        verify_image(data)


def test_deleting_the_clip_forgets_its_images(clipping_store: Store, server: ImageServer) -> None:
    entry = clip_url(clipping_store, server.url("/article")).entry
    again = clip_url(clipping_store, server.url("/article"), again=True).entry
    name = f"{_sha(LEAD)}.jpg"
    clipping_store.delete_entry(entry.day, entry.name)
    assert media_named(clipping_store, name) is not None  # the other clip still shows it
    clipping_store.delete_entry(again.day, again.name)
    assert media_named(clipping_store, name) is None


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
