"""The static site's search index: token postings in hashed buckets, read by a small script.

Text is folded with NFKC and lower case. Runs of letters and digits from U+2E80 up (kana,
kanji, Hangul …) are cut into overlapping bigrams, so any two characters of Japanese, such
as 会談, are found wherever they occur; a lone such character is a token of its own. Other
runs of letters and digits are whole words. ``search.js`` cuts a query the same way and
keeps the entries holding every token.

Layout under ``search/``: ``meta.json`` (the bucket count), ``t/B.json`` (token → ids,
delta-coded, ascending) for each bucket ``B`` = FNV-1a of the token's code points modulo
the bucket count, and ``d/C.json`` (id → [address, title, day, snippet]) for entry ids
``C*256 … C*256+255``. One new entry rewrites only the buckets its tokens fall in and its
own ``d/`` chunk.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

GRAM = re.compile(r"[^\W_\x00-\u2e7f]+")
WORD = re.compile(r"[^\W_\u2e80-\U0010ffff]+")
CHUNK = 256
SNIPPET = 160
META_PATH = "search/meta.json"


@dataclass(frozen=True)
class Document:
    id: int
    address: str
    title: str
    day: str
    text: str


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> set[str]:
    folded = normalize(text)
    found = set(WORD.findall(folded))
    for run in GRAM.findall(folded):
        if len(run) == 1:
            found.add(run)
        else:
            found.update(run[i : i + 2] for i in range(len(run) - 1))
    return found


def bucket_of(token: str, buckets: int) -> int:
    value = 0x811C9DC5
    for char in token:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % buckets


def bucket_count(documents: int) -> int:
    """About 20 documents' worth of postings per bucket, a power of two in [64, 4096]."""
    count = 64
    while count < 4096 and count * 20 < documents:
        count *= 2
    return count


def bucket_path(bucket: int) -> str:
    return f"search/t/{bucket}.json"


def chunk_path(chunk: int) -> str:
    return f"search/d/{chunk}.json"


def expected_paths(ids: Iterable[int], buckets: int) -> set[str]:
    paths = {META_PATH} | {bucket_path(b) for b in range(buckets)}
    return paths | {chunk_path(chunk) for chunk in {i // CHUNK for i in ids}}


def _dump(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _encode(ids: Iterable[int]) -> list[int]:
    out, last = [], 0
    for value in sorted(ids):
        out.append(value - last)
        last = value
    return out


def _decode(deltas: list[int]) -> list[int]:
    out, total = [], 0
    for delta in deltas:
        total += delta
        out.append(total)
    return out


def _doc_row(doc: Document) -> list[str]:
    snippet = " ".join(doc.text.split())[:SNIPPET]
    return [doc.address, doc.title, doc.day, snippet]


class IndexBuilder:
    """The whole index, fed documents as they become known (``add_all``), laid out once
    every document is in (``finish``)."""

    def __init__(self, buckets: int) -> None:
        self.buckets = buckets
        self.by_token: dict[str, list[int]] = defaultdict(list)
        self.rows: dict[int, list[str]] = {}
        self._files: dict[str, bytes] | None = None

    def add_all(self, documents: Iterable[Document]) -> None:
        by_token = self.by_token
        for doc in documents:
            for token in tokens(doc.text):
                by_token[token].append(doc.id)
            self.rows[doc.id] = _doc_row(doc)

    def finish(self) -> None:
        # Each distinct token is hashed once, not once per document that holds it.
        postings: list[dict[str, list[int]]] = [{} for _ in range(self.buckets)]
        for token, ids in self.by_token.items():
            postings[bucket_of(token, self.buckets)][token] = ids
        files = {META_PATH: _dump({"buckets": self.buckets, "chunk": CHUNK, "version": 1})}
        for bucket, table in enumerate(postings):
            files[bucket_path(bucket)] = _dump({t: _encode(ids) for t, ids in table.items()})
        chunks: dict[int, dict[str, list[str]]] = defaultdict(dict)
        for doc_id in sorted(self.rows):
            chunks[doc_id // CHUNK][str(doc_id)] = self.rows[doc_id]
        for chunk, rows in chunks.items():
            files[chunk_path(chunk)] = _dump(rows)
        self._files = files

    def files(self) -> dict[str, bytes]:
        if self._files is None:
            self.finish()
        assert self._files is not None
        return self._files


def build_index(documents: Iterable[Document], buckets: int) -> dict[str, bytes]:
    """Every file of the index, from all the public entries."""
    builder = IndexBuilder(buckets)
    builder.add_all(documents)
    return builder.files()


def update_index(
    root: Path, buckets: int, changed: Iterable[Document], purge: set[int]
) -> dict[str, bytes] | None:
    """The index files that change when ``changed`` documents are (re)added and ``purge``
    ids leave (edited or removed entries); read from the last build's files in ``root``.
    None when those files are missing, so the caller builds the whole index again.
    """
    changed = list(changed)
    by_bucket: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for doc in changed:
        for token in tokens(doc.text):
            by_bucket[bucket_of(token, buckets)][token].add(doc.id)
    touched = set(range(buckets)) if purge else set(by_bucket)
    files: dict[str, bytes] = {}
    for bucket in sorted(touched):
        table = _load(root / bucket_path(bucket))
        if table is None:
            return None
        # Only the posting lists that change are decoded and written again; the others
        # stay as the last build encoded them.
        if purge:
            for token, deltas in list(table.items()):
                present = _decode(deltas)
                kept = [i for i in present if i not in purge]
                if len(kept) != len(present):
                    if kept:
                        table[token] = _encode(kept)
                    else:
                        del table[token]
        for token, added in by_bucket.get(bucket, {}).items():
            table[token] = _encode(set(_decode(table.get(token, []))) | added)
        files[bucket_path(bucket)] = _dump(table)
    rows_by_chunk: dict[int, dict[str, list[str]] | None] = {}
    for doc_id in purge | {doc.id for doc in changed}:
        chunk = doc_id // CHUNK
        if chunk not in rows_by_chunk:
            rows_by_chunk[chunk] = _load_rows(root / chunk_path(chunk))
    for doc_id in purge:
        rows = rows_by_chunk[doc_id // CHUNK]
        if rows is not None:
            rows.pop(str(doc_id), None)
    for doc in changed:
        rows = rows_by_chunk[doc.id // CHUNK]
        if rows is None:
            rows = rows_by_chunk[doc.id // CHUNK] = {}
        rows[str(doc.id)] = _doc_row(doc)
    for chunk, rows in rows_by_chunk.items():
        if rows:
            files[chunk_path(chunk)] = _dump(rows)
    return files


def _load(path: Path) -> dict[str, list[int]] | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _load_rows(path: Path) -> dict[str, list[str]]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
