"""Score clipdiary's article extraction against third-party ground truth, and time it.

    python bench/extract_eval.py /work/shared/eval/extraction [--repeat 3] [--json]

Reads the evaluation folder by path (its pages are third-party content; never copy them into
the project). Each case is scored with its own group's metric (see the folder's README):

- ``full_text`` and ``expected_html``: bag-of-tokens precision/recall/F1 of the extracted
  paragraphs against the reference text, as the article-extraction-benchmark scores it.
  Tokens are words for English and characters for Japanese (which has no spaces).
- ``with_without_snippets``: trafilatura's scheme. A "with" snippet found in the text is a
  true positive, one missing a false negative; a "without" snippet found is a false positive.

Pages/s is the time of ``decode_html`` + ``extract`` per page (median of ``--repeat`` runs).
The folder's ``encoding/`` fixtures are also run through ``decode_html``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clipdiary.clip.charset import decode_html, normalize_charset
from clipdiary.clip.extract import extract
from clipdiary.errors import ExtractError

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Score:
    case: str
    kind: str
    lang: str
    precision: float
    recall: float
    f1: float
    seconds: float
    note: str = ""


def normalize(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def tokens(text: str, lang: str) -> Counter[str]:
    text = normalize(text)
    if lang == "ja":
        return Counter(ch for ch in text if not ch.isspace() and (ch.isalnum() or ord(ch) > 0x2E7F))
    return Counter(_WORD.findall(text))


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_text(extracted: str, truth: str, lang: str) -> tuple[float, float, float]:
    got, want = tokens(extracted, lang), tokens(truth, lang)
    common = sum((got & want).values())
    return prf(common, sum(got.values()) - common, sum(want.values()) - common)


def score_snippets(extracted: str, with_: list[str], without: list[str]) -> tuple[float, ...]:
    text = normalize(extracted)
    tp = sum(1 for snippet in with_ if normalize(snippet) in text)
    fp = sum(1 for snippet in without if normalize(snippet) in text)
    return prf(tp, fp, len(with_) - tp)


def read_page(folder: Path, case: dict[str, Any]) -> bytes:
    raw = (folder / case["html_file"]).read_bytes()
    return gzip.decompress(raw) if case.get("html_gzipped") else raw


def run_case(folder: Path, case: dict[str, Any], repeat: int) -> Score:
    body = read_page(folder, case)
    url = case.get("url") or f"https://example.invalid/{case['id']}"
    timings: list[float] = []
    text, note = "", ""
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            html, _charset = decode_html(body, None)
            article = extract(html, url)
        except ExtractError as exc:
            timings.append(time.perf_counter() - started)
            text, note = "", f"ExtractError: {exc}"
            continue
        timings.append(time.perf_counter() - started)
        text = "\n".join(article.paragraphs)
        note = "" if article.found_article else "no article found"
    truth = case["ground_truth"]
    kind = truth["type"]
    if kind == "with_without_snippets":
        p, r, f = score_snippets(text, truth["with"], truth["without"])
    else:
        p, r, f = score_text(text, truth["text"], case["lang"])
    return Score(case["id"], kind, case["lang"], p, r, f, statistics.median(timings), note)


def encoding_checks(folder: Path) -> tuple[int, int, int, int]:
    """(fixtures decoded right, fixtures, html5lib sniffing cases right, cases)."""
    base = folder / "encoding"
    fixtures = json.loads((base / "encoding_cases.json").read_text("utf-8"))
    right = 0
    for fixture in fixtures:
        text, used = decode_html((base / fixture["file"]).read_bytes(), None)
        expected_title = fixture.get("expected_title") or ""
        same_family = normalize_charset(fixture["true_encoding"]) == normalize_charset(used)
        right += int(expected_title in text and (same_family or used.startswith("cp932")))
    sniffing = json.loads((base / "html5lib_encoding_sniffing_cases.json").read_text("utf-8"))
    sniffed = 0
    for case in sniffing:
        codec = "latin-1" if case["data_decoded_as"].startswith("latin-1") else "utf-8"
        data = case["data"].encode(codec)
        _, used = decode_html(data, None)
        expected = normalize_charset(case["expected_encoding"])
        # With nothing declared an all-ASCII page is labelled UTF-8; it reads the same as
        # the standard's windows-1252 default.
        ascii_default = data.isascii() and used == "utf-8" and expected == "cp1252"
        sniffed += int(used == expected or ascii_default)
    return right, len(fixtures), sniffed, len(sniffing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the eval folder holding cases.json")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per page")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    folder: Path = args.folder
    cases = json.loads((folder / "cases.json").read_text("utf-8"))

    scores = [run_case(folder, case, max(1, args.repeat)) for case in cases]
    if args.json:
        print(json.dumps([score.__dict__ for score in scores], ensure_ascii=False, indent=1))
        return 0

    print(f"{'case':44} {'kind':22} {'lang':4} {'P':>5} {'R':>5} {'F1':>5} {'ms':>7}  note")
    for s in scores:
        print(
            f"{s.case[:44]:44} {s.kind:22} {s.lang:4} {s.precision:5.2f} {s.recall:5.2f}"
            f" {s.f1:5.2f} {s.seconds * 1000:7.1f}  {s.note}"
        )
    print()
    groups: dict[str, list[Score]] = {}
    for s in scores:
        groups.setdefault(s.kind, []).append(s)
        groups.setdefault(f"lang={s.lang}", []).append(s)
    groups["all"] = scores
    print(f"{'group (mean of pages)':30} {'pages':>5} {'P':>5} {'R':>5} {'F1':>5}")
    for name, members in groups.items():
        print(
            f"{name:30} {len(members):5d}"
            f" {statistics.mean(s.precision for s in members):5.2f}"
            f" {statistics.mean(s.recall for s in members):5.2f}"
            f" {statistics.mean(s.f1 for s in members):5.2f}"
        )
    total = sum(s.seconds for s in scores)
    print()
    print(
        f"speed: {len(scores) / total:.1f} pages/s (decode + extract; {total:.2f} s for"
        f" {len(scores)} pages, median of {args.repeat} runs each;"
        f" slowest {max(s.seconds for s in scores) * 1000:.0f} ms)"
    )
    if (folder / "encoding").is_dir():
        right, fixtures, sniffed, sniffing = encoding_checks(folder)
        print(f"charset: {right}/{fixtures} encoding fixtures decoded right (title found)")
        print(f"charset: {sniffed}/{sniffing} html5lib sniffing cases give the expected charset")
    return 0


if __name__ == "__main__":
    sys.exit(main())
