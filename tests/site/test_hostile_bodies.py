"""Hostile bodies in the static export: no script URL in any URL-bearing attribute whatever
its casing, no style that blows the page up, no image that loads from another site; and a
hostile category name builds (issue 15, item 5)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from clipdiary.model import NewEntry
from clipdiary.site.build import build_site
from clipdiary.store import Store

JST = dt.timezone(dt.timedelta(hours=9))
SUMMIT = dt.datetime(2016, 9, 5, 19, 36, 14, tzinfo=JST)

BODIES = {
    "hatena": [
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        '<blockquote cite="javascript:alert(2)"><p>quoted</p></blockquote>',
        '<q cite=" JaVaScRiPt:alert(3)">q</q>',
        '<span style="line-height:10000px">tall</span>',
        '<p style="letter-spacing:9999px;text-indent:-99999px">wide</p>',
        '<span style="color:red;background-color:url(javascript:alert(4))">x</span>',
        '<img src="https://tracker.example/pixel.gif" alt="">',
        "[http://tracker.example/photo.jpg:image]",
        '<img src="//tracker.example/p.gif">',
    ],
    "html": [
        '<a href="&#106;avascript:alert(5)">entity</a>',
        '<img src="https://tracker.example/html.gif">',
        '<div style="line-height:100000%">x</div>',
    ],
    "markdown": [
        "[x](JAVASCRIPT:alert(6))",
        "![pixel](https://tracker.example/md.gif)",
    ],
}
URL_ATTRIBUTE = re.compile(r'\s(?:href|src|cite|action|formaction|data)="([^"]*)"', re.I)


def _fill(store: Store) -> None:
    k = 0
    for body_format, bodies in BODIES.items():
        for body in bodies:
            k += 1
            store.add_entry(
                NewEntry(
                    f"hostile {k}",
                    body=body,
                    format=body_format,  # type: ignore[arg-type]
                    categories=("Russia",),
                    created=SUMMIT + dt.timedelta(seconds=k),
                )
            )


def test_no_static_page_runs_styles_or_loads_what_a_body_brought(
    store: Store, tmp_path: Path
) -> None:
    _fill(store)
    out = tmp_path / "site"
    build_site(store, out)
    pages = [p for p in out.rglob("*") if p.is_file() and p.suffix in ("", ".html")]
    assert len(pages) > 10
    seen = 0
    for path in pages:
        text = path.read_text("utf-8", errors="replace")
        for value in URL_ATTRIBUTE.findall(text):
            scheme = re.sub(r"[\s\x00-\x20]", "", value).lower()
            assert not scheme.startswith(("javascript:", "vbscript:", "&#")), (path, value)
        assert "10000px" not in text and "9999px" not in text and "100000%" not in text
        assert not re.search(r"<img[^>]+src=\"(?:https?:)?//", text), path
        seen += "tracker.example" in text
    assert seen  # the images are still there to follow, as links
    day = (out / "20160905" / "index.html").read_text("utf-8")
    assert day.count('class="remote-image"') >= 5
    assert 'style="color:red"' in day


@pytest.mark.parametrize(
    "name", ["a/b", "<script>alert(1)</script>", "../up", "..", "日本/外交", "x?y#z"]
)
def test_any_category_name_builds(store: Store, tmp_path: Path, name: str) -> None:
    store.add_entry(NewEntry("tagged", body="本文", categories=(name,), created=SUMMIT))
    out = tmp_path / "site"
    build_site(store, out)
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(out in p.resolve().parents for p in written)
    day = (out / "20160905" / "index.html").read_text("utf-8")
    assert "<script>alert(1)" not in day
    link = re.search(r'<a class="category" href="([^"]*)"', day)
    assert link is not None
    target = out / unquote(link.group(1)).lstrip("/")  # what a file server does
    page = target / "index.html" if target.is_dir() else target
    assert page.is_file(), (link.group(1), sorted(str(p.relative_to(out)) for p in written)[:40])
