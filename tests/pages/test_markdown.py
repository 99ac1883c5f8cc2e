"""Markdown bodies: rendered (CommonMark, tables, strikethrough), sanitized like the rest,
with headings below the entry's own title, and plain text for search."""

from __future__ import annotations

import datetime as dt

from clipdiary.model import Diary, Entry
from clipdiary.render import entry_text, render_entry

DIARY = Diary(name="d", title="D")
WHEN = dt.datetime(2016, 9, 5, 12, tzinfo=dt.UTC)


def entry(body: str) -> Entry:
    return Entry(
        id=1,
        day=WHEN.date(),
        name="1473076800",
        title="t",
        categories=(),
        format="markdown",
        body=body,
        visibility="public",
        created=WHEN,
        updated=WHEN,
    )


def html_of(body: str) -> str:
    return render_entry(entry(body), DIARY, permalink="/20160905/1473076800").html


def test_markdown_becomes_html() -> None:
    html = html_of(
        "# 首脳会談\n\nSome **bold**, *soft* and ~~struck~~ text with `code`.\n\n"
        "- one\n- two\n\n> quoted\n\n[a link](https://example.com/a)\n\n"
        "| 国 | 首脳 |\n|---|---|\n| 日本 | 首相 |\n\n```python\nprint(1)\n```\n"
    )
    assert "<h4>首脳会談</h4>" in html  # "#" sits below the entry's own <h3> title
    assert "<strong>bold</strong>" in html and "<em>soft</em>" in html
    assert "<s>struck</s>" in html and "<code>code</code>" in html
    assert "<li>one</li>" in html and "<blockquote>" in html
    assert '<a href="https://example.com/a"' in html
    assert "<td>日本</td>" in html
    assert "print(1)" in html and "<pre>" in html


def test_headings_go_no_deeper_than_h6() -> None:
    html = html_of("## two\n\n###### six\n")
    assert "<h5>two</h5>" in html and "<h6>six</h6>" in html and "<h9" not in html


def test_hostile_markdown_is_sanitized() -> None:
    html = html_of(
        "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
        '<img src="https://example.com/i.png" onerror="alert(1)">\n\n'
        '<a href="https://example.com" onclick="alert(1)">ok</a>\n'
    )
    assert "<script" not in html and "onerror" not in html and "onclick" not in html
    assert 'href="javascript:' not in html
    # A remote image is a link to it, not a request to its host (issue 15, item 5).
    assert 'href="https://example.com/i.png"' in html and "<img" not in html


def test_the_text_for_search_has_no_markup() -> None:
    text = entry_text(entry("# 見出し\n\n本文は **太字** と [リンク](https://e.com)。"), DIARY)
    assert "見出し" in text and "太字" in text and "リンク" in text
    assert "<" not in text and "**" not in text and "https://e.com" not in text
