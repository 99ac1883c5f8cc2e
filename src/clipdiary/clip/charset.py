"""Turn the bytes of an HTML page into text, with Japanese legacy encodings done right.

The rule, in order (the HTML standard's order, with one pragmatic exception):

1. A byte order mark (UTF-8, UTF-16) wins over everything.
2. The charset of the HTTP ``Content-Type`` header.
3. The first ``<meta charset>`` or ``<meta http-equiv=Content-Type content="…charset=…">``
   found by the standard's prescan of the first 16 KB.
4. With nothing declared: ISO-2022-JP escapes, then valid UTF-8, then Shift_JIS or EUC-JP
   if the bytes decode as one of them into plausible Japanese, then ``charset_normalizer``,
   then windows-1252 (the standard's default).

Exception to "the header wins": when the header's charset cannot decode the bytes and a
later *multi-byte* declaration (the meta's) decodes them without a single error, the later
one is used. Strict validity in UTF-8, Shift_JIS or EUC-JP is strong evidence, and old
Japanese servers often send a wrong default charset. A single-byte charset never wins this
way, since nearly any bytes are valid in it.

Labels map as browsers map them: Shift_JIS and its aliases decode as cp932 (its Microsoft
superset, which real pages use), ISO-8859-1 and ASCII as windows-1252. When a page holds
characters outside its encoding's base table (NEC circled digits in EUC-JP, say), the
JIS X 0213 variant of the same family is tried before giving up and replacing bad bytes.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence

import charset_normalizer

PRESCAN_BYTES = 16384

# WHATWG labels that Python's codec registry does not map the browser's way.
_LABELS: dict[str, str] = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "ms932": "cp932",
    "windows-31j": "cp932",
    "csshiftjis": "cp932",
    "cp932": "cp932",
    "euc-jp": "euc_jp",
    "x-euc-jp": "euc_jp",
    "cseucpkdfmtjapanese": "euc_jp",
    "iso-2022-jp": "iso2022_jp_ext",
    "csiso2022jp": "iso2022_jp_ext",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "windows-1252": "cp1252",
    "iso-8859-9": "cp1254",
    "gb2312": "gbk",
    "gb_2312-80": "gbk",
    "big5": "big5hkscs",
    "euc-kr": "cp949",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "unicode-1-1-utf-8": "utf-8",
}

# Same family, larger tables: tried in order when the first cannot decode the bytes.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "cp932": ("cp932", "shift_jis_2004"),
    "shift_jis": ("cp932", "shift_jis_2004"),
    "shift_jis_2004": ("cp932", "shift_jis_2004"),
    "euc_jp": ("euc_jp", "euc_jis_2004"),
    "euc_jis_2004": ("euc_jp", "euc_jis_2004"),
    "euc_jisx0213": ("euc_jp", "euc_jis_2004"),
    "iso2022_jp": ("iso2022_jp_ext", "iso2022_jp_2004", "iso2022_jp_2"),
    "iso2022_jp_ext": ("iso2022_jp_ext", "iso2022_jp_2004", "iso2022_jp_2"),
}

_MULTIBYTE = {"utf-8", "cp932", "euc_jp", "iso2022_jp_ext", "utf-16-le", "utf-16-be"}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.I)
_ISO2022_ESCAPE = re.compile(rb"\x1b(?:\$[@B]|\([BJI]|\$\(D)")


def normalize_charset(label: str | None) -> str | None:
    """The Python codec for a charset label as a browser reads it, or None if unknown."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    name = _LABELS.get(cleaned, cleaned)
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None
    # codecs also holds bytes-to-bytes transforms (base64, zlib): never page charsets.
    if not getattr(codec, "_is_text_encoding", True):
        return None
    return _LABELS.get(codec.name, codec.name)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset label named in a Content-Type header value, as given."""
    if not content_type:
        return None
    match = _CONTENT_TYPE_CHARSET.search(content_type)
    return match.group(1) if match else None


def bom_charset(body: bytes) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def meta_charset(body: bytes) -> str | None:
    """The charset a ``<meta>`` declares, found by the HTML standard's prescan.

    The standard scans 1024 bytes; we scan ``PRESCAN_BYTES`` because real pages put long
    comments and scripts before their meta.
    """
    data = body[:PRESCAN_BYTES]
    position = 0
    while position < len(data):
        if data.startswith(b"<!--", position):
            end = data.find(b"-->", position + 2)
            if end < 0:
                return None
            position = end + 3
        elif _META_START.match(data, position):
            position, charset = _meta_tag(data, position + 6)
            if charset is not None:
                return charset
        elif _TAG_START.match(data, position):
            position = _skip_tag(data, position)
        elif data.startswith((b"<!", b"</", b"<?"), position):
            end = data.find(b">", position)
            position = len(data) if end < 0 else end + 1
        else:
            position += 1
    return None


_META_START = re.compile(rb"<meta[\t\n\f\r /]", re.I)
_TAG_START = re.compile(rb"</?[A-Za-z]")
_SPACE = b" \t\n\f\r"


def _meta_tag(data: bytes, position: int) -> tuple[int, str | None]:
    seen: set[bytes] = set()
    got_pragma = False
    need_pragma: bool | None = None
    label: bytes | None = None
    while True:
        position, attribute = _attribute(data, position)
        if attribute is None:
            break
        name, value = attribute
        if name in seen:
            continue
        seen.add(name)
        if name == b"http-equiv" and value == b"content-type":
            got_pragma = True
        elif name == b"content" and label is None:
            found = _charset_in_content(value)
            if found is not None:
                label, need_pragma = found, True
        elif name == b"charset":
            label, need_pragma = value, False
    if need_pragma is None or (need_pragma and not got_pragma) or label is None:
        return position, None
    charset = normalize_charset(label.decode("ascii", "replace"))
    if charset is not None and charset.startswith("utf-16"):
        # A page cannot declare UTF-16 in itself: this meta was readable as ASCII.
        charset = "utf-8"
    return position, charset


def _skip_tag(data: bytes, position: int) -> int:
    while position < len(data) and data[position] not in _SPACE + b">":
        position += 1
    while True:
        position, attribute = _attribute(data, position)
        if attribute is None:
            return position + 1


def _attribute(data: bytes, position: int) -> tuple[int, tuple[bytes, bytes] | None]:
    """The standard's "get an attribute": ``(new position, (name, value) or None)``."""
    size = len(data)
    while position < size and data[position] in _SPACE + b"/":
        position += 1
    if position >= size or data[position] == ord(">"):
        return position, None
    name = bytearray()
    while position < size:
        byte = data[position]
        if byte == ord("=") and name:
            position += 1
            break
        if byte in _SPACE:
            while position < size and data[position] in _SPACE:
                position += 1
            if position < size and data[position] == ord("="):
                position += 1
                break
            return position, (bytes(name), b"")
        if byte in b"/>":
            return position, (bytes(name), b"")
        name.append(byte)
        position += 1
    while position < size and data[position] in _SPACE:
        position += 1
    value = bytearray()
    if position < size and data[position] in b"\"'":
        quote = data[position]
        end = data.find(bytes([quote]), position + 1)
        if end < 0:
            return size, None
        return end + 1, (bytes(name).lower(), data[position + 1 : end].lower())
    while position < size and data[position] not in _SPACE + b">":
        value.append(data[position])
        position += 1
    return position, (bytes(name).lower(), bytes(value).lower())


def _charset_in_content(value: bytes) -> bytes | None:
    """The standard's "extract a character encoding from a meta element" on ``content``."""
    position = 0
    while True:
        found = value.find(b"charset", position)
        if found < 0:
            return None
        position = found + 7
        while position < len(value) and value[position] in _SPACE:
            position += 1
        if position < len(value) and value[position] == ord("="):
            break
    position += 1
    while position < len(value) and value[position] in _SPACE:
        position += 1
    if position >= len(value):
        return None
    if value[position] in b"\"'":
        end = value.find(value[position : position + 1], position + 1)
        return value[position + 1 : end] if end > 0 else None
    end = position
    while end < len(value) and value[end] not in _SPACE + b";":
        end += 1
    return value[position:end]


def decode_html(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """Decode an HTML page: ``(text, charset used)``, by the rule in this module's doc.

    Never fails: bytes that are invalid in the chosen charset become U+FFFD.
    """
    bom = bom_charset(body)
    if bom is not None:
        return _try_family(body, bom) or (_decode_lenient(body, bom), bom)
    declared = [
        charset
        for charset in (normalize_charset(header_charset), meta_charset(body))
        if charset is not None
    ]
    if declared:
        return _decode_declared(body, declared)
    return _decode_sniffed(body)


def _decode_declared(body: bytes, declared: Sequence[str]) -> tuple[str, str]:
    first = declared[0]
    strict = _try_family(body, first)
    if strict is not None:
        return strict
    for later in declared[1:]:
        if later in _MULTIBYTE:
            strict = _try_family(body, later)
            if strict is not None:
                return strict
    return _decode_lenient(body, first), first


def _decode_sniffed(body: bytes) -> tuple[str, str]:
    if body.isascii():
        if _ISO2022_ESCAPE.search(body):
            found = _try_family(body, "iso2022_jp_ext")
            if found is not None:
                return found
        return body.decode("ascii"), "utf-8"
    found = _try_family(body, "utf-8")
    if found is not None:
        return found
    japanese = _sniff_japanese(body)
    if japanese is not None:
        return japanese
    guess = charset_normalizer.from_bytes(body).best()
    charset = normalize_charset(guess.encoding) if guess is not None else None
    if charset is not None:
        found = _try_family(body, charset)
        if found is not None:
            return found
    return _decode_lenient(body, charset or "cp1252"), charset or "cp1252"


def _sniff_japanese(body: bytes) -> tuple[str, str] | None:
    """Shift_JIS or EUC-JP, if the bytes decode cleanly into text that reads as Japanese.

    charset_normalizer misses short Shift_JIS pages (it calls some cp1250), so Japanese is
    checked first: the wrong one of the two yields half-width katakana and rare kanji, the
    right one yields kana and Japanese punctuation.
    """
    best: tuple[float, str, str] | None = None
    for charset in ("cp932", "euc_jp"):
        found = _try_family(body, charset)
        if found is None:
            continue
        text, used = found
        score = japanese_score(text)
        if best is None or score > best[0]:
            best = (score, text, used)
    if best is None or best[0] < 0.3:
        return None
    return best[1], best[2]


def japanese_score(text: str) -> float:
    """Share of the non-ASCII characters that are kana or Japanese punctuation."""
    non_ascii = [ch for ch in text if ord(ch) > 0x7F]
    if not non_ascii:
        return 0.0
    typical = sum(
        1
        for ch in non_ascii
        if "\u3040" <= ch <= "\u30ff" or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e"
    )
    return typical / len(non_ascii)


def _try_family(body: bytes, charset: str) -> tuple[str, str] | None:
    """Decode strictly with ``charset`` or a larger table of its family; None if none fit."""
    start = len(codecs.BOM_UTF8) if charset == "utf-8" and body.startswith(codecs.BOM_UTF8) else 0
    if charset.startswith("utf-16") and bom_charset(body) == charset:
        start = 2
    for member in _FAMILIES.get(charset, (charset,)):
        try:
            return body[start:].decode(member), member
        except UnicodeDecodeError:
            continue
    return None


def _decode_lenient(body: bytes, charset: str) -> str:
    bom = bom_charset(body)
    start = 0 if bom is None or bom != charset else (3 if charset == "utf-8" else 2)
    return body[start:].decode(charset, errors="replace")
