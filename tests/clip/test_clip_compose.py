"""compose(): the note, then the article quoted safely in Hatena notation."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clipdiary.clip.compose import compose, escape_line
from clipdiary.model import Article
from clipdiary.notation import to_text
from clipdiary.render import render_source

URL = "https://news.example.com/2019/11/01/a.html"
# Line starts that Hatena reads as block notation (Text::Hatena 0.16 and the brief).
BLOCK_STARTS = ("*", "-", "+", ":", "|", ">", "<", "====")
CITE = re.compile(r"^>(https?://[^\s>]+?):title=([^>]*)>$")


def article(title: str = "Title", *paragraphs: str, **fields: object) -> Article:
    return Article(url=URL, title=title, paragraphs=paragraphs, **fields)  # type: ignore[arg-type]


def shown(line: str) -> str:
    """What a Hatena renderer shows for one escaped paragraph line (a model of it)."""
    if line.startswith(" ") and line[1:].startswith(BLOCK_STARTS):
        line = line[1:]
    assert not re.search(r"(?<!\))\(\((.+?)\)\)(?!\()", line), f"footnote in {line!r}"
    assert "<" not in line and "[" not in line.strip("[]"), f"markup or notation in {line!r}"
    line = re.sub(r"\)\(\((.+?)\)\)\(", r"((\1))", line)
    if line.startswith("[]") and line.endswith("[]"):  # "no links here"
        line = line[2:-2]
    return line.replace("&lt;", "<").replace("&#91;", "[").replace("&amp;", "&")


def test_note_blank_line_then_quote() -> None:
    clip = compose(article("Summit opens", "First.", "Second."), "My note.\n\nSecond line.")
    assert clip.title == "Summit opens"
    assert clip.body == (
        f"My note.\n\nSecond line.\n\n>{URL}:title=Summit opens>\nFirst.\nSecond.\n<<\n"
    )


def test_without_a_note_the_quote_comes_first() -> None:
    assert compose(article("T", "P."), None).body == f">{URL}:title=T>\nP.\n<<\n"
    assert compose(article("T", "P."), "  \n\n").body == f">{URL}:title=T>\nP.\n<<\n"


@pytest.mark.parametrize(
    "paragraph",
    [
        "*1473071774*heading",
        "* starred",
        "- list",
        "+ numbered",
        ":term:definition",
        "|a|b|",
        ">>",
        "<<",
        ">|",
        ">||",
        "||<",
        "====",
        "=====",
        "><div>raw html</div><",
        ">http://evil.example/>",
        "<!-- hidden -->",
    ],
)
def test_block_notation_in_text_is_escaped(paragraph: str) -> None:
    line = escape_line(paragraph)
    assert not line.startswith(BLOCK_STARTS)
    assert shown(line) == paragraph


def test_a_paragraph_cannot_close_the_quote_early() -> None:
    body = compose(article("T", "<<", "after"), None).body.splitlines()
    assert body.count("<<") == 1
    assert body[-1] == "<<"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Tokyo((capital))", "Tokyo)((capital))("),
        ("a (( b", "a (( b"),
        ("x)) y", "x)) y"),
        ("(((x)))", ")(((x))()"),
        ("((a)) and ((b))", ")((a))( and )((b))("),
    ],
)
def test_footnotes_are_escaped(text: str, line: str) -> None:
    assert escape_line(text) == line
    assert shown(line) == text


@pytest.mark.parametrize(
    "title",
    ["a > b", "<script>x</script>", "ends with >", "x:title=y>z", "multi\nline\ttitle"],
)
def test_hostile_titles_keep_the_cite_line_whole(title: str) -> None:
    first = compose(article(title, "P."), None).body.splitlines()[0]
    match = CITE.match(first)
    assert match is not None, first
    assert match.group(1) == URL
    assert "\n" not in match.group(2)


def test_cited_url_is_percent_encoded() -> None:
    hostile = Article(url='https://x.example/a b>c<d"e?q=1&r=日本', title="T", paragraphs=("P.",))
    first = compose(hostile, None).body.splitlines()[0]
    assert first.startswith(">https://x.example/a%20b%3Ec%3Cd%22e?q=1&r=%E6%97%A5%E6%9C%AC:")


def test_canonical_url_is_cited_only_on_the_same_host() -> None:
    same = article("T", "P.", canonical_url="https://www.news.example.com/a")
    assert compose(same, None).body.startswith(">https://www.news.example.com/a:")
    other = article("T", "P.", canonical_url="https://elsewhere.example/a")
    assert compose(other, None).body.startswith(f">{URL}:")


def test_no_article_quotes_the_description() -> None:
    bare = article("T", description="* A description.", found_article=False)
    assert compose(bare, None).body == f">{URL}:title=T>\n * A description.\n<<\n"
    assert compose(article("T"), None).body == f">{URL}:title=T>\n<<\n"


@given(st.text(min_size=1, max_size=80))
def test_any_paragraph_shows_as_written(text: str) -> None:
    line = escape_line(text)
    assert "\n" not in line and "\r" not in line
    assert not line.startswith(BLOCK_STARTS)
    assert shown(line) == " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        '<a href="https://evil.example/">click</a>',
        '<img src="https://tracker.example/p.gif">',
        "<IMG SRC=https://tracker.example/q.gif>",
        "[https://tracker.example/r.gif:image]",
        "[https://evil.example/:title=click]",
        "&lt;b&gt;shown as an entity&lt;/b&gt; AT&T",
        "[]<b>bold</b>[]",
    ],
)
def test_markup_shown_as_text_stays_text(text: str) -> None:
    """A page that shows a tag as text: the clip shows the same characters, links nothing."""
    body = compose(article("T", text), None).body
    html = render_source(body)
    assert "<img" not in html
    assert html.count("<a ") == 1  # the cited source, nothing from the text
    assert "<b>" not in html
    assert to_text(body).splitlines()[0] == text
