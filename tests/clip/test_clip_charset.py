"""decode_html on real bytes in each Japanese encoding, and the header/meta/BOM rule."""

from __future__ import annotations

import codecs
import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipdiary.clip.charset import (
    charset_from_content_type,
    decode_html,
    meta_charset,
    normalize_charset,
)
from tests.clip.clip_server import DEMO, MANIFEST

TEXT = "東京で首脳会談、～「合意」は見送り① ｶﾀｶﾅ"
SENTENCE = "政府は本日、新しい経済対策を発表した。専門家はその効果について慎重な見方を示している。"


def page(charset_tag: str, body: str = SENTENCE) -> str:
    return f"<!DOCTYPE source><source><head>{charset_tag}<title>t</title></head><body><p>{body}</p>"


@pytest.mark.parametrize(
    ("codec", "label", "used"),
    [
        ("cp932", "Shift_JIS", "cp932"),
        ("cp932", "windows-31j", "cp932"),
        ("euc_jp", "EUC-JP", "euc_jp"),
        ("iso2022_jp", "ISO-2022-JP", "iso2022_jp_ext"),
        ("utf-8", "UTF-8", "utf-8"),
    ],
)
def test_meta_charset_decodes(codec: str, label: str, used: str) -> None:
    source = page(f'<meta charset="{label}">')
    assert decode_html(source.encode(codec), None) == (source, used)


@pytest.mark.parametrize("codec", ["cp932", "euc_jp", "utf-8"])
def test_http_equiv_meta(codec: str) -> None:
    label = {"cp932": "x-sjis", "euc_jp": "euc-jp", "utf-8": "utf-8"}[codec]
    source = page(f'<META HTTP-EQUIV="Content-Type" CONTENT="text/source; charset={label}">')
    assert decode_html(source.encode(codec), None)[0] == source


@pytest.mark.parametrize("codec", ["cp932", "euc_jp", "iso2022_jp", "utf-8"])
def test_header_charset_alone(codec: str) -> None:
    source = page("")
    assert decode_html(source.encode(codec), codec.replace("_", "-"))[0] == source


@pytest.mark.parametrize("codec", ["cp932", "euc_jp", "iso2022_jp", "utf-8"])
def test_nothing_declared_is_detected(codec: str) -> None:
    source = page("")
    assert decode_html(source.encode(codec), None)[0] == source


def test_mostly_ascii_shift_jis_is_right_when_the_header_says_so() -> None:
    # The case trafilatura's own detection got wrong in the feasibility study.
    source = page("", "Japan trade talks 日米貿易協議 resume. " + "Officials met in Tokyo. " * 20)
    assert decode_html(source.encode("cp932"), "Shift_JIS")[0] == source


def test_header_wins_over_a_disagreeing_meta() -> None:
    source = page('<meta charset="EUC-JP">')
    assert decode_html(source.encode("cp932"), "Shift_JIS") == (source, "cp932")


def test_meta_wins_when_the_header_cannot_decode_the_bytes() -> None:
    # An old server's wrong default (EUC-JP) on a Shift_JIS page that declares itself.
    source = page('<meta charset="Shift_JIS">')
    assert decode_html(source.encode("cp932"), "EUC-JP") == (source, "cp932")


def test_a_single_byte_meta_never_overrides_the_header() -> None:
    source = page('<meta charset="windows-1252">', "caf\u00e9 \ufffd")
    text, used = decode_html(source.encode("utf-8") + b"\xff", "utf-8")
    assert used == "utf-8"
    assert text.startswith(source)


def test_bom_wins_over_header_and_meta() -> None:
    source = page('<meta charset="Shift_JIS">')
    assert decode_html(codecs.BOM_UTF8 + source.encode("utf-8"), "EUC-JP") == (source, "utf-8")
    utf16 = codecs.BOM_UTF16_LE + source.encode("utf-16-le")
    assert decode_html(utf16, "Shift_JIS") == (source, "utf-16-le")


def test_vendor_characters_survive() -> None:
    # NEC circled digits and the full-width tilde: cp932 has them, plain Shift_JIS does not;
    # EUC-JP pages carry the NEC row too (decoded with the JIS X 0213 table).
    source = page('<meta charset="Shift_JIS">', TEXT)
    assert decode_html(source.encode("cp932"), None)[0] == source
    euc = page('<meta charset="EUC-JP">', "丸数字①②と「合意」")
    assert decode_html(euc.encode("euc_jis_2004"), None)[0] == euc


def test_unknown_or_bogus_labels_are_ignored() -> None:
    source = page('<meta charset="base64">')
    assert decode_html(source.encode("euc_jp"), "x-no-such-charset") == (source, "euc_jp")


def test_invalid_bytes_become_replacement_characters() -> None:
    text, used = decode_html(page('<meta charset="utf-8">').encode() + b"\xff\xfe", None)
    assert used == "utf-8"
    assert text.endswith("\ufffd\ufffd")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="shift_jis">', "cp932"),
        (b"<meta charset=euc-jp>", "euc_jp"),
        (b"<meta http-equiv=content-type content='text/source;charset=EUC-JP'>", "euc_jp"),
        (b'<meta content="text/source; charset=EUC-JP">', None),  # no http-equiv
        (b'<!-- <meta charset="euc-jp"> --><meta charset="utf-8">', "utf-8"),
        (b'<meta charset="utf-16">', "utf-8"),
        (b'<meta charset="latin1">', "cp1252"),
        (b'<meta name="x" content="y">', None),
    ],
)
def test_meta_prescan(head: bytes, expected: str | None) -> None:
    assert meta_charset(b"<source><head>" + head + b"</head>") == expected


def test_content_type_header_parsing() -> None:
    assert charset_from_content_type('text/source; charset="Shift_JIS"') == "Shift_JIS"
    assert charset_from_content_type("text/source") is None
    assert normalize_charset("SJIS") == "cp932"
    assert normalize_charset("zlib") is None


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_demo_pages_decode(entry: dict[str, str]) -> None:
    header = entry["encoding"] if entry["charset_in"] == "http-header" else None
    text, _used = decode_html((DEMO / entry["file"]).read_bytes(), header)
    assert entry["title"] in html.unescape(text)


def test_header_only_demo_pages_also_decode_without_their_header() -> None:
    for entry in MANIFEST:
        if entry["charset_in"] == "http-header":
            text, _ = decode_html((DEMO / entry["file"]).read_bytes(), None)
            assert entry["text"].split("\n")[0][:10] in text, entry["file"]


JAPANESE = st.text(
    alphabet=st.sampled_from(
        "あいうえおかきくけこがぎアイウエオカキクケコー"
        "日本語東京都政府経済首相会談「」、。・ 0123abcXYZ"
    ),
    min_size=1,
    max_size=200,
)


@settings(max_examples=60, deadline=None)
@given(body=JAPANESE, codec=st.sampled_from(["cp932", "euc_jp", "iso2022_jp", "utf-8"]))
def test_any_japanese_text_round_trips_with_its_header(body: str, codec: str) -> None:
    source = page("", body)
    assert decode_html(source.encode(codec), codec)[0] == source
