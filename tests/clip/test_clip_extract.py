"""Extraction over all 66 demo pages, fetched from a real server, and the edge cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from clipdiary.clip.extract import NO_ARTICLE_WARNING, extract, extract_page
from clipdiary.clip.fetch import fetch, local_page
from clipdiary.clip.lang import guess_lang
from clipdiary.errors import ExtractError
from tests.clip.clip_server import DEMO, MANIFEST, Server, demo_content_type, running_server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server() as running:
        yield running


def in_order(found: tuple[str, ...], expected: list[str]) -> bool:
    """Every expected paragraph is among those found, in the same order."""
    position = 0
    for paragraph in expected:
        try:
            position = found.index(paragraph, position) + 1
        except ValueError:
            return False
    return True


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_demo_page_fetched_and_extracted(server: Server, entry: dict[str, Any]) -> None:
    page = fetch(server.url(f"/demo/{entry['file']}"), allow_private=True)
    article = extract_page(page)
    assert article.title == entry["title"]
    assert in_order(article.paragraphs, entry["text"].split("\n"))
    assert article.paragraphs == tuple(entry["text"].split("\n"))  # nothing else crept in
    assert article.published == dt.datetime.fromisoformat(entry["published"])
    assert article.published is not None and article.published.tzinfo is not None
    assert article.lang == entry["lang"]
    assert article.canonical_url == entry["url"]
    assert article.site in ("World Wire", "毎朝ニュース")
    assert article.found_article
    assert article.warnings == ()


def test_saved_page_with_its_original_url() -> None:
    entry = next(e for e in MANIFEST if e["charset_in"] == "http-header")
    body = (DEMO / entry["file"]).read_bytes()
    article = extract_page(local_page(body, entry["url"], content_type=demo_content_type(entry)))
    assert article.title == entry["title"]
    assert article.url == entry["url"]


def test_page_without_an_article_keeps_title_and_description() -> None:
    html = (
        '<html lang="en"><head><title>Front page</title>'
        '<meta name="description" content="Today\'s news."></head>'
        '<body><nav><a href="/">Home</a> <a href="/about">About</a></nav></body></html>'
    )
    article = extract(html, "https://news.example.com/")
    assert not article.found_article
    assert article.title == "Front page"
    assert article.description == "Today's news."
    assert article.paragraphs == ()
    assert article.warnings == (NO_ARTICLE_WARNING,)


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html><head></head><body></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "\x00\x00",
    ],
)
def test_nothing_to_clip_is_an_error(html: str) -> None:
    with pytest.raises(ExtractError, match=r"cannot clip https://x\.example/"):
        extract(html, "https://x.example/")


def test_text_without_a_title_borrows_its_first_line() -> None:
    text = "The council voted on Tuesday to close the old bridge over the river for repairs " * 2
    html = f"<html><body><article><p>{text}</p></article></body></html>"
    article = extract(html, "https://x.example/")
    assert article.title == text[:79].rstrip() + "…"
    assert article.paragraphs == (text.strip(),)
    assert len(article.warnings) == 1


def test_xml_declaration_and_meta_charset_in_a_decoded_string() -> None:
    body = (
        '<?xml version="1.0" encoding="Shift_JIS"?>\n'
        '<html><head><meta charset="Shift_JIS"><title>見出し</title></head><body><article>'
        "<p>政府は本日、新しい経済対策を発表した。専門家は効果について慎重な見方を示している。</p>"
        "</article></body></html>"
    )
    article = extract(body, "https://news.example.jp/a")
    assert article.title == "見出し"
    assert article.paragraphs[0].startswith("政府は本日")
    assert article.lang == "ja"


def test_published_time_from_json_ld_and_naive_times() -> None:
    body = (
        '<html lang="ja"><head><title>T</title><script type="application/ld+json">'
        '{"@type": "NewsArticle", "datePublished": "2024-05-01T09:30:00"}</script></head>'
        "<body><article><p>政府は本日、新しい経済対策を発表した。専門家は慎重な見方を示す。</p>"
        "</article></body></html>"
    )
    article = extract(body, "https://news.example.jp/a")
    assert article.published == dt.datetime(2024, 5, 1, 0, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        ("東京で会談が行われた。", None, "ja"),
        ("東京で会談が行われた。", "en", "ja"),  # a template left at lang="en"
        ("The summit opened in Tokyo.", None, "en"),
        ("The summit opened in Tokyo.", "ja", "en"),
        ("Le sommet s'est ouvert à Tokyo.", "fr-FR", "fr"),
        ("東京首脳会談", None, "ja"),
        ("", None, None),
    ],
)
def test_language_guess(text: str, declared: str | None, expected: str | None) -> None:
    assert guess_lang(text, declared) == expected


_JA_ARTICLE = (
    "政府は十二日、新しい経済対策を閣議決定した。物価高に苦しむ家計を支えるため、"
    "電気代とガス代の補助を来年三月まで延長する。",
    "総額は約十三兆円で、財源の多くは国債の追加発行でまかなう。"
    "財務省内には財政規律の緩みを懸念する声もある。",
    "首相は記者団に対し「国民の暮らしを守るために必要な措置だ」と述べ、"
    "早期の補正予算成立に意欲を示した。",
)


def test_japanese_page_leaves_out_membership_prompts() -> None:
    """Japanese pages are extracted with favor_precision: save widgets and paywall prompts
    written as whole sentences stay out of the clip (the defaults keep them)."""
    article_html = "".join(f"<p>{text}</p>" for text in _JA_ARTICLE)
    html = (
        '<html lang="ja"><head><title>経済対策を閣議決定 電気・ガス補助延長</title></head><body>'
        '<header><a href="/">トップ</a> <a href="/login">ログイン</a></header>'
        "<main><article><h1>経済対策を閣議決定 電気・ガス補助延長</h1>"
        '<div class="tools"><p>この記事をクリップ</p>'
        "<p>会員登録すると記事を保存できます。保存した記事はアプリからもお読みいただけます。</p>"
        '<p><a href="/reg">＞ 会員登録はこちら</a></p><p><a href="/login">＞ ログインする</a></p>'
        f"</div>{article_html}"
        '<div class="paywall"><p>続きは会員の方のみお読みいただけます。今すぐ登録して続きを'
        '読みましょう。</p><p><a href="/plan">料金プランを見る</a></p></div>'
        '</article></main><footer><a href="/about">会社概要</a></footer></body></html>'
    )
    article = extract(html, "https://news.example.jp/a")
    assert article.paragraphs == _JA_ARTICLE
    assert article.lang == "ja"


def test_japanese_page_falls_back_to_the_defaults_when_the_strict_mode_finds_nothing() -> None:
    html = (
        "<html><head><title>きょうの主なニュース</title></head><body><ul>"
        '<li><a href="/1">政府は十二日、新しい経済対策を閣議決定した。</a></li>'
        '<li><a href="/2">電気代とガス代の補助を延長する方針だ。</a></li>'
        "</ul></body></html>"
    )
    article = extract(html, "https://news.example.jp/digest")
    assert article.found_article
    assert article.paragraphs == (
        "政府は十二日、新しい経済対策を閣議決定した。",
        "電気代とガス代の補助を延長する方針だ。",
    )
