"""Hostile bodies: nothing a writer types can run code or cover the page in a reader's browser."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from clipdiary.notation import RenderOptions, render, sanitize

from .helpers import html

HOSTILE = [
    "<script>alert(1)</script>",
    "><script>alert(1)</script><",
    '<img src="x" onerror="alert(1)">',
    "><img src=x onerror=alert(1)><",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "[javascript:alert(1):title]",
    "[javascript:alert(1)]",
    ">javascript:alert(1)>\nq\n<<",
    '[http://x.example/" onmouseover="alert(1):title]',
    "[http://x.example/:title=<script>alert(1)</script>]",
    "[http://x.example/:image=javascript:alert(1)]",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example/"><input name="password"></form>',
    "<style>body{display:none}</style>",
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999">x</div>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    "((<img src=x onerror=alert(1)>))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="#" target="_blank">x</a>',
    '<p onclick="alert(1)" class="modal-backdrop">x</p>',
]

_FORBIDDEN_TAGS = frozenset(
    ["script", "iframe", "object", "embed", "form", "input", "style", "link", "meta", "base", "svg"]
)


class _Tags(HTMLParser):
    """The tags and attributes a browser would build from the output (not its text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _assert_safe(out: str) -> None:
    parser = _Tags()
    parser.feed(out)
    parser.close()
    for tag, attrs in parser.found:
        assert tag not in _FORBIDDEN_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert name != "target", name
            text = (value or "").strip().lower()
            if name in ("href", "src", "cite"):
                assert not re.sub(r"[\x00-\x20]", "", text).startswith(
                    ("javascript:", "vbscript:")
                ), value
                if text.startswith("data:"):
                    assert text.startswith("data:image/"), value
            if name == "style":
                assert not re.search(
                    r"position|z-index|width|height|top|left|transform|margin", text
                ), value


@pytest.mark.parametrize("source", HOSTILE)
@pytest.mark.parametrize("mode", ["diary", "blog"])
def test_hostile_body_is_defused(source: str, mode: str) -> None:
    rendered = render(source, RenderOptions(mode=mode))  # type: ignore[arg-type]
    _assert_safe(rendered.html)
    _assert_safe(render(source + "\n====\nmore").summary_html or "")


def test_script_is_removed_with_its_text() -> None:
    assert html("a<script>alert(1)</script>b") == "<p>ab</p>"


def test_javascript_bracket_is_shown_as_text() -> None:
    assert html("[javascript:alert(1):title]") == "<p>[javascript:alert(1):title]</p>"


def test_event_handler_is_dropped_but_the_element_stays() -> None:
    assert html('><img src="http://x.example/a.png" onerror="alert(1)"><') == (
        '<img alt="" src="http://x.example/a.png">'
    )


def test_data_url_is_kept_for_images_only() -> None:
    out = html('><img src="data:image/png;base64,iVBORw0KGgo="><a href="data:text/html,x">y</a><')
    assert out == '<img alt="" src="data:image/png;base64,iVBORw0KGgo="><a>y</a>'


def test_an_image_without_alt_text_gets_an_empty_one_and_alt_text_is_kept() -> None:
    out = html('><img src="http://x.example/a.png"> <img alt="地図" src="http://x.example/m.png"><')
    assert out == (
        '<img alt="" src="http://x.example/a.png"><img alt="地図" src="http://x.example/m.png">'
    )
    # neither a ">" nor ' alt="' inside another attribute's value is taken for the real thing
    tricky = sanitize("""<img src="http://x.example/b.png" title='a> alt="x"'>""")
    assert tricky == '<img alt="" src="http://x.example/b.png" title="a&gt; alt=&quot;x&quot;">'


def test_harmless_style_survives_overlay_style_does_not() -> None:
    out = html('><span style="color:red;position:fixed;z-index:99;top:0">x</span><')
    assert out == '<span style="color:red">x</span>'


def test_unknown_classes_are_dropped() -> None:
    assert html('><p class="modal-backdrop fixed inset-0">x</p><') == '<p class="">x</p>'


def test_cite_url_cannot_break_out_of_its_attribute() -> None:
    out = html('>http://x.example/"onmouseover="alert(1)>\nq\n<<')
    _assert_safe(out)
    assert "<blockquote" not in out  # not a valid address: the line stays text


def test_allowed_markup_passes() -> None:
    source = "<strong>強</strong> <em>e</em> <del>d</del> <ruby>漢<rt>かん</rt></ruby>"
    assert render(source).html == f"<p>{source}</p>"


def test_entity_cannot_smuggle_a_tag() -> None:
    assert html("&lt;script&gt;alert(1)&lt;/script&gt;") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
