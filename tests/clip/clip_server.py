"""A real HTTP server on 127.0.0.1 for the clip tests, serving the demo pages and mischief.

Routes:
    /demo/FILE            a demo page; charset in Content-Type only for "http-header" pages
    /redirect?to=URL      302 to URL            /chain/N      N redirects, then a page
    /loop                 redirects to itself   /status/N     answers HTTP N
    /big?n=N[&length=1]   N bytes of HTML, with or without Content-Length
    /slow?s=S             waits S seconds before answering
    /drip?s=S             sends the body one byte every S seconds
    /encoded/ENC/FILE     a demo page compressed with gzip, br or deflate
    /bomb                 brotli that inflates to 50 MB of spaces
    /type?ct=TYPE         a page with the given Content-Type
    /echo                 the request headers, as an HTML page
    /markup-as-text       an article that shows HTML tags and notation as text
    /scripted             an article whose text only a script puts on the page
    /control-title        an article whose title holds a control character (&#7;)
"""

from __future__ import annotations

import gzip
import json
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qs, urlsplit

import brotli

DEMO = files("clipdiary") / "demo_data"
MANIFEST: list[dict[str, Any]] = json.loads((DEMO / "manifest.json").read_text("utf-8"))
PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p></body></html>"
# An article about markup: what it shows as text must stay text in a clip.
MARKUP_AS_TEXT = (
    b"<!DOCTYPE html><html lang='en'><head><title>How links are written</title></head>"
    b"<body><article><h1>How links are written</h1>"
    b'<p>A link is written &lt;a href="https://evil.example/steal"&gt;like this&lt;/a&gt;'
    b" inside a page, and every browser turns it into something a reader can click.</p>"
    b'<p>A tracking pixel is &lt;img src="https://tracker.example/pixel.gif"&gt; and it'
    b" tells a third party who read the page, which is why careful sites refuse them.</p>"
    b"<p>Hatena notation writes an image as [https://tracker.example/notation.gif:image]"
    b" and an escaped entity as &amp;lt;b&amp;gt; when it wants the characters shown.</p>"
    b"</article></body></html>"
)
CONTROL_TITLE = (
    b"<!DOCTYPE html><html lang='en'><head><title>Summit&#7; talks &#1; resume</title></head>"
    b"<body><article><h1>Summit&#7; talks &#1; resume</h1><p>The leaders met again on Monday"
    b" and agreed to keep talking about the ceasefire, officials said.</p></article></body>"
    b"</html>"
)

# The article's words are in the script backwards, so its sentences exist only once the
# script has run: a clip of the fetched source finds no article, one of the page as a
# browser shows it does.
SCRIPTED_TITLE = "Night ferry service returns to the islands after ten years"
SCRIPTED_SENTENCES = [
    "The night ferry between the mainland and the three outer islands sailed again on "
    "Tuesday, ten years after the last crossing.",
    "Residents gathered at the harbour to watch the ship leave at eleven in the evening, "
    "many of them carrying flags and lanterns.",
    "The operator said the service would run three times a week through the winter and "
    "daily in the summer months, with cabins for sixty passengers.",
    "Island councils had campaigned for the return of the route since the old ship was "
    "sold, saying that the morning boat alone left patients and students stranded.",
]
SCRIPTED_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
    f"<title>{SCRIPTED_TITLE}</title></head><body><main id='app'>Loading…</main><script>"
    f"const backwards = {json.dumps([s[::-1] for s in SCRIPTED_SENTENCES])};"
    "const article = document.createElement('article');"
    "const heading = document.createElement('h1');"
    "heading.textContent = document.title; article.append(heading);"
    "for (const text of backwards) {"
    " const p = document.createElement('p');"
    " p.textContent = [...text].reverse().join(''); article.append(p); }"
    "document.getElementById('app').replaceChildren(article);"
    "</script></body></html>"
).encode()


def demo_content_type(entry: dict[str, Any]) -> str:
    if entry["charset_in"] == "http-header":
        return f"text/html; charset={entry['encoding']}"
    return "text/html"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        path = parts.path
        if path.startswith("/demo/"):
            entry = next(e for e in MANIFEST if e["file"] == path.removeprefix("/demo/"))
            self._send(200, (DEMO / entry["file"]).read_bytes(), demo_content_type(entry))
        elif path == "/redirect":
            self._redirect(query["to"], int(query.get("code", "302")))
        elif path.startswith("/chain/"):
            left = int(path.removeprefix("/chain/"))
            if left:
                self._redirect(f"/chain/{left - 1}", 301)
            else:
                self._send(200, PAGE)
        elif path == "/loop":
            self._redirect("/loop", 307)
        elif path.startswith("/status/"):
            self._send(int(path.removeprefix("/status/")), b"<html><body>no</body></html>")
        elif path == "/big":
            self._big(int(query["n"]), with_length="length" in query)
        elif path == "/slow":
            time.sleep(float(query["s"]))
            self._send(200, PAGE)
        elif path == "/drip":
            self._drip(float(query["s"]))
        elif path.startswith("/encoded/"):
            _, _, encoding, name = path.split("/", 3)
            self._send(200, _compress((DEMO / name).read_bytes(), encoding), encoding=encoding)
        elif path == "/bomb":
            self._send(200, brotli.compress(b" " * 50_000_000), encoding="br")
        elif path == "/type":
            self._send(200, PAGE, query["ct"])
        elif path == "/control-title":
            self._send(200, CONTROL_TITLE)
        elif path == "/markup-as-text":
            self._send(200, MARKUP_AS_TEXT)
        elif path == "/scripted":
            self._send(200, SCRIPTED_PAGE, "text/html; charset=utf-8")
        elif path == "/echo":
            lines = "".join(f"<p>{k}: {v}</p>" for k, v in self.headers.items())
            self._send(200, f"<html><body>{lines}</body></html>".encode())
        else:
            self._send(404, b"<html><body>not here</body></html>")

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html",
        encoding: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, code: int) -> None:
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _big(self, size: int, *, with_length: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if with_length:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<p>" + b"x" * 1020 + b"</p>"
        sent = 0
        try:
            while sent < size:
                piece = chunk[: size - sent]
                self.wfile.write(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading at its limit, as it should
        self.close_connection = True

    def _drip(self, every: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(every)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "br":
        return bytes(brotli.compress(body))
    if encoding == "deflate":
        return zlib.compress(body)
    raise ValueError(encoding)


@dataclass(frozen=True)
class Server:
    port: int

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gives up (a timeout or size-limit test) is expected; say nothing.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def running_server() -> Iterator[Server]:
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(port=server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
