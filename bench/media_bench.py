"""Images benchmark: lead images and figures kept from real news pages, served on loopback.

    python bench/media_bench.py /work/shared/eval/extraction [--json]

Every page of the eval folder's ``cases.json`` is served by a loopback HTTP server at an
address that keeps its original host and path (``/site/HOST/PATH``), with every absolute
or protocol-relative address in it pointed at the same server, so that its images (and
its ``og:image``) come from loopback too. Where a page names an image, the server makes a
stand-in of the named kind (JPEG, PNG, GIF or WebP by the name's ending, else JPEG) of a
size drawn from the name, with noise so that it weighs what a photo weighs; nothing is
fetched from the Internet and nothing of the eval folder is copied anywhere.

Each page is clipped twice through ``clipdiary.clip.pipeline.clip_html`` (the bookmarklet's
way: the page given, its images fetched), into two SQLite diaries in a temporary folder:
once keeping images, once with the image step given nothing to fetch. Printed:

- lead image found: pages where the clip kept a lead image; of the pages with an
  ``og:image``, how many kept exactly that image;
- figures: ``<figure>`` elements holding an image in the page's article against the inline
  figures the clip kept (beyond the lead);
- clip time with and without images (median and p95 ms per page, all pages);
- store growth per clip: ``diary.db`` after a checkpoint, divided by the clips, both ways.

Figures are wall-clock times on loopback; run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html  # type: ignore[import-untyped]
from PIL import Image

from clipdiary.clip.images import FetchedImage
from clipdiary.clip.pipeline import clip_html
from clipdiary.model import Diary
from clipdiary.store import Store, create_diary
from clipdiary.store.media import images_of

DIARY = Diary(name="bench", title="clipdiary images benchmark", timezone="Asia/Tokyo")
_ABSOLUTE = re.compile(r"https?://", re.I)
_PROTOCOL_RELATIVE = re.compile(r"""(?<=["'=\s])//(?=[A-Za-z0-9])""")
_KINDS = {".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}


@dataclass(frozen=True)
class Case:
    id: str
    url: str
    html: bytes


def load_cases(folder: Path) -> list[Case]:
    cases = json.loads((folder / "cases.json").read_text("utf-8"))
    found: list[Case] = []
    for case in cases:
        data = (folder / case["html_file"]).read_bytes()
        if case.get("html_gzipped"):
            data = gzip.decompress(data)
        found.append(Case(case["id"], case["url"], data))
    return found


def stand_in(path: str) -> tuple[str, bytes]:
    """An image of the kind its name says, of a size drawn from the name."""
    seed = int(hashlib.sha256(path.encode()).hexdigest()[:8], 16)
    rng = random.Random(seed)
    width, height = rng.choice([(1200, 675), (800, 450), (640, 480), (400, 300), (1024, 768)])
    kind = next((k for end, k in _KINDS.items() if path.lower().split("?")[0].endswith(end)), "")
    kind = kind or "JPEG"
    image = Image.effect_noise((width // 4, height // 4), 40).resize((width, height))
    image = Image.merge("RGB", (image, image.rotate(180), image)).convert("RGB")
    buffer = io.BytesIO()
    if kind == "JPEG":
        image.save(buffer, format=kind, quality=80)
    else:
        image.save(buffer, format=kind)
    return "image/" + kind.lower(), buffer.getvalue()


def loopback_page(case: Case, base: str) -> bytes:
    text = case.html.decode("utf-8", errors="replace")
    text = _ABSOLUTE.sub(base + "/site/", text)
    text = _PROTOCOL_RELATIVE.sub(base.split(":", 1)[1] + "/site/", text)
    return text.encode("utf-8")


def page_address(case: Case, base: str) -> str:
    parts = urlsplit(case.url)
    return f"{base}/site/{parts.netloc}{parts.path or '/'}" + (
        f"?{parts.query}" if parts.query else ""
    )


@contextmanager
def serve() -> Iterator[tuple[str, dict[str, int]]]:
    counts = {"images": 0}
    cache: dict[str, tuple[str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path
            if not path.startswith("/site/"):
                self.send_error(404)
                return
            found = cache.get(path)
            if found is None:
                found = cache[path] = stand_in(path)
            counts["images"] += 1
            media_type, body = found
            self.send_response(200)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", counts
    finally:
        httpd.shutdown()
        httpd.server_close()


def og_image(html: bytes) -> str | None:
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    for value in tree.xpath('//meta[@property="og:image"]/@content'):
        if str(value).strip():
            return str(value).strip()
    return None


def page_figures(html: bytes) -> int:
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return 0
    articles = tree.xpath("//article")
    root = max(articles, key=lambda a: len(a.text_content())) if articles else tree
    return sum(1 for figure in root.iter("figure") if figure.xpath(".//img"))


def nothing(found: Any) -> list[FetchedImage]:
    return []


def db_size(store: Store, folder: Path) -> int:
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in folder.glob("diary.db*"))


def run(folder: Path) -> dict[str, Any]:
    cases = load_cases(folder)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as temporary, serve() as (base, counts):
        with_dir, without_dir = Path(temporary) / "with", Path(temporary) / "without"
        with_images = create_diary(with_dir, None, DIARY)
        without_images = create_diary(without_dir, None, DIARY)
        for store in (with_images, without_images):
            store.update_settings(allow_private_addresses=True)
        empty = (db_size(with_images, with_dir), db_size(without_images, without_dir))
        # One untimed clip each, so that loading the extractor and encoder is not counted.
        warm = loopback_page(cases[0], base)
        for store in (with_images, without_images):
            clip_html(store, warm, page_address(cases[0], base) + "#warm")
        start = (db_size(with_images, with_dir), db_size(without_images, without_dir))
        for case in cases:
            html = loopback_page(case, base)
            address = page_address(case, base)
            og = og_image(html)
            og = urljoin(address, og) if og else None
            started = time.perf_counter()
            kept = clip_html(with_images, html, address, again=True)
            with_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            clip_html(without_images, html, address, again=True, images=nothing)
            without_ms = (time.perf_counter() - started) * 1000
            images = images_of(with_images, [kept.entry.id]).get(kept.entry.id, [])
            lead = next((i for i in images if i.lead and i.path), None)
            rows.append(
                {
                    "id": case.id,
                    "og_image": og is not None,
                    "lead_kept": lead is not None,
                    "lead_is_og": lead is not None and og is not None and lead.url == og,
                    "figures_on_page": page_figures(html),
                    "figures_kept": sum(1 for i in images if i.path and not i.lead),
                    "failed": sum(1 for i in images if i.path is None),
                    "with_ms": with_ms,
                    "without_ms": without_ms,
                }
            )
        end = (db_size(with_images, with_dir), db_size(without_images, without_dir))
        for store in (with_images, without_images):
            store.database.close()
    n = len(rows)
    with_og = [r for r in rows if r["og_image"]]
    return {
        "pages": n,
        "pages_with_og_image": len(with_og),
        "lead_kept": sum(r["lead_kept"] for r in rows),
        "lead_is_og_image": sum(r["lead_is_og"] for r in with_og),
        "figures_on_page": sum(r["figures_on_page"] for r in rows),
        "figures_kept": sum(r["figures_kept"] for r in rows),
        "images_failed": sum(r["failed"] for r in rows),
        "image_requests": counts["images"],
        "with_ms": _spread([r["with_ms"] for r in rows]),
        "without_ms": _spread([r["without_ms"] for r in rows]),
        "empty_db_bytes": {"with": empty[0], "without": empty[1]},
        "growth_per_clip_bytes": {
            "with": (end[0] - start[0]) / n,
            "without": (end[1] - start[1]) / n,
        },
        "rows": rows,
    }


def _spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "total": sum(ordered),
    }


def print_report(report: dict[str, Any]) -> None:
    n = report["pages"]
    og = report["pages_with_og_image"]
    print(f"pages: {n} (eval folder, served on loopback with stand-in images)")
    print(f"lead image kept:           {report['lead_kept']}/{n} pages")
    print(f"lead image is the og:image: {report['lead_is_og_image']}/{og} pages with og:image")
    print(
        f"inline figures:            {report['figures_kept']} kept; "
        f"{report['figures_on_page']} <figure> with an image in the pages' articles"
    )
    print(f"images not kept:           {report['images_failed']}")
    w, wo = report["with_ms"], report["without_ms"]
    print(f"clip time with images:     median {w['median']:.1f} ms, p95 {w['p95']:.1f} ms")
    print(f"clip time without images:  median {wo['median']:.1f} ms, p95 {wo['p95']:.1f} ms")
    g = report["growth_per_clip_bytes"]
    print(
        f"store growth per clip:     {g['with'] / 1024:.1f} KiB with images, "
        f"{g['without'] / 1024:.1f} KiB without"
    )
    print()
    print(f"{'page':<28} {'og':>3} {'lead':>5} {'=og':>4} {'fig':>4} {'kept':>5} {'ms':>7}")
    for r in report["rows"]:
        print(
            f"{r['id'][:28]:<28} {'y' if r['og_image'] else '-':>3} "
            f"{'y' if r['lead_kept'] else '-':>5} {'y' if r['lead_is_og'] else '-':>4} "
            f"{r['figures_on_page']:>4} {r['figures_kept']:>5} {r['with_ms']:>7.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the eval folder holding cases.json")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    report = run(args.folder)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
