"""A loopback HTTP server for the image tests: an article with a lead image and figures,
real images made by Pillow, and images that are not what they claim to be.

Routes (``PAGES`` and ``FILES`` below; anything else is a 404):
    /article              the article: og:image, three figures, an icon, a failing image
    /img/lead.jpg         a JPEG (the og:image)        /img/fig1.png    a PNG with a caption
    /img/fig2.webp        a WebP, served as image/png (the bytes decide, not the label)
    /img/fake.jpg         HTML named like a JPEG       /img/evil.svg    an SVG with a script
    /img/cut.png          a PNG cut in half            /img/missing.png 404
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image


def image_bytes(kind: str, size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


PARAGRAPHS = [
    "The harbour authority opened the new ferry terminal on Monday after three years of "
    "building work, and the first boats left on time.",
    "Passengers said the waiting hall was brighter and warmer than the old shed, though "
    "some complained that the ticket machines were slow.",
    "The city plans to add a second berth next spring, when a larger ship joins the route "
    "to the outer islands.",
]
LEAD = image_bytes("JPEG", (640, 360), (200, 40, 40))
FIG1 = image_bytes("PNG", (400, 300), (40, 160, 40))
FIG2 = image_bytes("WEBP", (320, 200), (40, 40, 200))
CAPTION = "The new waiting hall, seen from the quay"


def article(base: str = "") -> bytes:
    """The article; ``base`` prefixes the image addresses (empty: relative to the page)."""
    p = PARAGRAPHS
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>New ferry terminal opens</title>"
        f"<meta property='og:image' content='{base}/img/lead.jpg'></head><body>"
        "<header><img src='/img/logo.png' width='120' height='30' alt='Harbour News'></header>"
        "<article><h1>New ferry terminal opens</h1>"
        f"<p>{p[0]}</p>"
        f"<figure><img src='{base}/img/fig1.png' alt='waiting hall'>"
        f"<figcaption>{CAPTION}</figcaption></figure>"
        f"<p>{p[1]}</p>"
        f"<figure><img src='{base}/img/fig2.webp' alt='the quay'></figure>"
        f"<figure><img src='{base}/img/fake.jpg' alt='fake'></figure>"
        f"<figure><img src='{base}/img/evil.svg' alt='svg'></figure>"
        f"<figure><img src='{base}/img/cut.png' alt='cut'></figure>"
        f"<figure><img src='{base}/img/missing.png' alt='missing'></figure>"
        "<img src='/img/icon.png' width='16' height='16' alt='share'>"
        f"<p>{p[2]}</p></article></body></html>"
    ).encode()


FILES: dict[str, tuple[str, bytes]] = {
    "/img/lead.jpg": ("image/jpeg", LEAD),
    "/img/fig1.png": ("image/png", FIG1),
    "/img/fig2.webp": ("image/png", FIG2),
    "/img/fake.jpg": ("image/jpeg", b"<html><script>alert(1)</script></html>"),
    "/img/evil.svg": (
        "image/svg+xml",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    ),
    "/img/cut.png": ("image/png", FIG1[: len(FIG1) // 2]),
}


@dataclass
class ImageServer:
    base_url: str
    requests: list[str]

    def url(self, path: str) -> str:
        return self.base_url + path


@contextmanager
def image_server(extra: dict[str, tuple[str, bytes]] | None = None) -> Iterator[ImageServer]:
    files = {**FILES, "/article": ("text/html; charset=utf-8", article()), **(extra or {})}
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            found = files.get(self.path)
            if found is None:
                self.send_error(404)
                return
            content_type, body = found
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield ImageServer(f"http://127.0.0.1:{httpd.server_address[1]}", seen)
    finally:
        httpd.shutdown()
        httpd.server_close()
