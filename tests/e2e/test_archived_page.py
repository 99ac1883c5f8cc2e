"""The archived page in Chromium: a hostile page, clipped, runs nothing and fetches nothing.

The page tries every way we know to run a script or reach another host: inline and
external scripts, event handlers, ``javascript:`` links, a meta refresh, ``<base>``,
stylesheets, ``@import`` and ``url()``, frames (with ``srcdoc``), objects, media, forms that
submit themselves, SVG, and two mutation-XSS shapes. Every request the browser makes while
the owner opens ``/YYYYMMDD/NAME/page`` must go to the diary itself (or be inline data), no
dialog may open, no title may change, and the trap server on another host must see nothing.
The one image the clip kept must still show.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import Dialog, Page, Request

from clipdiary.clip.pipeline import clip_html
from clipdiary.store.media import images_of
from tests.clip.image_server import image_server
from tests.e2e.conftest import LiveDiary, log_in

MARK = "pwned"


@contextmanager
def trap() -> Iterator[tuple[str, list[str]]]:
    """A server on another host name that records every request reaching it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()

        do_POST = do_GET

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def hostile_page(t: str, kept_image: str) -> bytes:
    run = f"document.title='{MARK}';alert('{MARK}')"
    words = "The council met on Tuesday and agreed the new budget after a long debate. "
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Hostile headline</title>
<base href="{t}/base/">
<meta http-equiv="refresh" content="0;url={t}/refresh">
<link rel="stylesheet" href="{t}/style.css"><link rel="preload" href="{t}/preload" as="fetch">
<link rel="icon" href="{t}/favicon.ico">
<style>@import url({t}/import.css); body {{ background: url({t}/bg.png) }}</style>
<script>{run};fetch('{t}/script')</script><script src="{t}/external.js"></script>
</head><body onload="fetch('{t}/onload')">
<article><h1>Hostile headline</h1><p>{words * 3}</p>
<figure><img src="{kept_image}" alt="kept figure"><figcaption>Kept</figcaption></figure>
<p>{words * 2}</p>
<img src="{t}/pixel.gif" onerror="{run}"><img src="nowhere" onerror="{run}">
<img srcset="{t}/srcset.png 2x" alt="">
<picture><source srcset="{t}/source.png"><img src="{t}/picture.png" alt=""></picture>
<a href="javascript:{run}" id="js">read more</a> <a href="{t}/link" ping="{t}/ping">link</a>
<svg><script>{run}</script><image href="{t}/svg.png"/>
<a href="javascript:{run}"><text>s</text></a></svg>
<iframe src="{t}/frame"></iframe><iframe srcdoc="<script>{run}</script>"></iframe>
<object data="{t}/object"></object><embed src="{t}/embed">
<video src="{t}/video.mp4" poster="{t}/poster.jpg" autoplay></video>
<audio src="{t}/a.mp3" autoplay></audio>
<form action="{t}/form" method="post"><input name="q" autofocus onfocus="this.form.submit()">
<button formaction="{t}/button">Go</button></form>
<div style="background:url({t}/div.png)">styled</div>
<math><mtext><table><mglyph><style><img src=x onerror="{run}"></style></mglyph></table>
</mtext></math>
<noscript><p title="</noscript><img src=x onerror={run}>"></noscript>
<p>{words}</p></article></body></html>""".encode()


def test_the_archived_page_runs_nothing_and_fetches_nothing_from_elsewhere(
    fresh_diary: LiveDiary, page: Page
) -> None:
    store = fresh_diary.store
    store.update_settings(allow_private_addresses=True)
    with image_server() as images, trap() as (trap_url, hits):
        html = hostile_page(trap_url, images.url("/img/fig1.png"))
        entry = clip_html(store, html, images.url("/hostile")).entry
        kept = images_of(store, [entry.id])[entry.id]
        assert [(i.url, i.path is not None, i.error) for i in kept] == [
            (images.url("/img/fig1.png"), True, None)
        ]
        hits.clear()  # what the clip's own fetches did is not the browser's doing
        requests: list[str] = []
        dialogs: list[str] = []

        def on_request(request: Request) -> None:
            requests.append(request.url)

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        log_in(page, fresh_diary)
        page.wait_for_url(lambda url: "/login" not in url)
        page.on("request", on_request)
        page.on("dialog", on_dialog)
        path = f"/{entry.day:%Y%m%d}/{entry.name}/page"
        page.goto(fresh_diary.url(path))
        frame_element = page.locator("iframe.archive-frame")
        frame_element.wait_for()
        frame = page.frame_locator("iframe.archive-frame")
        frame.locator("h1", has_text="Hostile headline").wait_for()
        page.wait_for_timeout(1500)  # room for a refresh, an autoplay or a late fetch
        # The page did load, with its kept image drawn from inline data.
        assert frame.locator("figcaption").inner_text() == "Kept"
        drawn = frame.locator("img[alt='kept figure']").evaluate(
            "image => image.complete && image.naturalWidth"
        )
        assert drawn == 400
        assert page.title() != MARK
        assert MARK not in frame.locator("body").inner_text()
        frame.get_by_text("read more").click()  # was a javascript: link
        page.wait_for_timeout(300)
        assert dialogs == []
        assert hits == []
        outside = [
            url
            for url in requests
            if not url.startswith(fresh_diary.base_url) and not url.startswith("data:")
        ]
        assert outside == []
        assert any(url.endswith(path + "/content") for url in requests)
