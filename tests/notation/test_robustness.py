"""Never fails: any string renders, the output is sanitized, and big inputs stay linear.

The large inputs below are sized so that a quadratic step anywhere (parser, writer or the
sanitizer underneath) would take minutes instead of about a second; the suite's timeout
catches that. No test measures time itself.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipdiary.notation import RenderOptions, render, sanitize, split_sections, to_text

from .test_safety import _assert_safe

# Pieces of notation, so generated bodies exercise the parser rather than plain text.
FRAGMENTS = [
    "\n", "\n\n", "\n\n\n", " ", "*", "**", "***", "*t*", "*t+1*", "*1473071774*", "*name*",
    "[cat]", "-", "--", "+", "-+", ":", "|", "|*", ">>", "<<", ">|", "|<", ">||", "||<",
    ">|python|", ">|aa|", "><", "<!--", "-->", "====", "=====", "((", "))", ")((", "))(",
    "[", "]", "[]", "[[", "]]", "http://example.com/", "https://例え.jp/(x)", ":title",
    ":title=T", ":image", ":w300", ":bookmark", "id:sample", "d:id:sample:20160905",
    ":p1", "[tex:", "\\]", "[google:", "<b>", "</b>", "<a href=\"javascript:x\">", "</a>",
    "<script>", "</script>", "<img src=x onerror=y>", "<div style=\"position:fixed\">",
    "&", "&amp;", "&#x3c;", "<", ">", "\"", "'", "\x00", "\ud800", "\udc00", "\r", "\t",
    "日本語", "ニュース", "a", "b", "0",
]  # fmt: skip

notation = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)
modes = st.sampled_from(["diary", "blog"])


def _check(source: str, mode: str) -> None:
    r = render(source, RenderOptions(mode=mode, anchor="e1", permalink="/20160905/e1"))  # type: ignore[arg-type]
    for out in (r.html, r.summary_html or ""):
        _assert_safe(out)
        assert sanitize(out) == out  # already sanitized: a second pass changes nothing
        out.encode("utf-8")  # no lone surrogates left
        assert "\x00" not in out
    assert "\x00" not in r.text
    r.text.encode("utf-8")
    assert to_text(source) == render(source).text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=notation, mode=modes)
def test_any_notation_renders_safely(source: str, mode: str) -> None:
    _check(source, mode)


@settings(max_examples=200, deadline=None)
@given(source=any_text, mode=modes)
def test_any_string_renders_safely(source: str, mode: str) -> None:
    _check(source, mode)


@settings(max_examples=100, deadline=None)
@given(source=notation)
def test_sections_keep_every_line(source: str) -> None:
    sections = split_sections(source)
    assert all(isinstance(s.body, str) for s in sections)


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="あいうえお漢字カナabc ,.!?", min_size=1, max_size=80))
def test_plain_japanese_text_passes_unchanged(text: str) -> None:
    line = text.strip()
    if not line or line[0] in "*-+:|>=":
        return
    assert render(line).html == f"<p>{line}</p>"


MB = 1_000_000

LARGE = {
    "one 1 MB line": "a" * MB,
    "unclosed footnotes": "((" * (MB // 2),
    "footnote escapes": ")((" * (MB // 3),
    "open brackets": "[" * MB,
    "bracketed urls without end": "[http://a" * (MB // 9) + "]",
    "unlink marks": "[]a" * (MB // 3),
    "keyword marks": "[[a" * (MB // 3),
    "tex marks": "[tex:" * (MB // 5),
    "angle brackets": "<" * MB,
    "open tags": "<b>" * (MB // 3),
    "nested divs": "<div>" * (MB // 5),
    "close tags": "</div>" * (MB // 6),
    "comment openers": "<!--" * (MB // 4),
    "ampersands": "&" * MB,
    "entities": "&amp;" * (MB // 5),
    "closing parens after a url": "http://a/" + ")" * MB,
    "urls": "http://a.example/ " * (MB // 18),
    "ids": "id:abc " * (MB // 7),
    "definition term": ":" + "<" * MB,
    "table pipes": "|" * (MB // 4),
    "list marks": "-" * MB + "x",
    "nul bytes": "\x00" * MB,
    "lone surrogates": "\ud800" * (MB // 10),
    "10k nested quotes": ">>\n" * 10_000 + "x\n" + "<<\n" * 10_000,
    "100k unclosed quotes": ">>\n" * 100_000,
    "100k unclosed super-pre": ">||\n" * 100_000,
    "100k unclosed pre and super-pre": ">|\n>||\n" * 50_000,
    "100k p-stop openers": "><div>\n" * 100_000,
    "100k headings": "*a\n" * 100_000,
    "100k folds": "====\n" * 100_000,
    "3000 list depths": "\n".join("-" * i + "x" for i in range(1, 3000)),
    "ampersands in super-pre": ">||\n" + "&\n" * (MB // 4) + "||<",
}


@pytest.mark.timeout(240)
@pytest.mark.parametrize("name", list(LARGE))
def test_large_adversarial_input_renders(name: str) -> None:
    source = LARGE[name]
    r = render(source)
    assert isinstance(r.html, str)
    assert "<script" not in r.html
    r.html.encode("utf-8")


def test_deep_quote_nesting_is_capped_but_balanced() -> None:
    out = render(">>\n" * 10_000 + "inner\n" + "<<\n" * 10_000 + "after").html
    assert out.count("<blockquote>") == out.count("</blockquote>") <= 40
    assert re.search(r"</blockquote>\s*<p>after</p>$", out)


def test_long_line_is_kept_whole() -> None:
    line = "あ" * MB
    assert render(line).html == f"<p>{line}</p>"
