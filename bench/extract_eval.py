"""Score clipdiary's article extraction against third-party ground truth, beside plain trafilatura.

    python bench/extract_eval.py /work/shared/eval/extraction [--repeat 3] [--json]

Reads the evaluation folder by path (its pages are third-party content; never copy them into
the project). Each case is scored with its own group's metric (see the folder's README):

- ``full_text`` and ``expected_html``: bag-of-tokens precision/recall/F1 of the extracted
  paragraphs against the reference text, as the article-extraction-benchmark scores it.
  Tokens are words for English and characters for Japanese (which has no spaces).
- ``with_without_snippets``: trafilatura's scheme. A "with" snippet found in the text is a
  true positive, one missing a false negative; a "without" snippet found is a false positive.

In the same run every page is also given to plain trafilatura, ``trafilatura.extract(page)``
with default settings on the page's raw bytes (un-gzipped, as the ground truth expects them),
and scored by the same scorer. The tables show both side by side with the difference, and the
issue's bar is checked: per language, mean F1 no worse than plain trafilatura in English and
strictly better in Japanese.

Pages/s is the time of ``decode_html`` + ``extract`` per page (median of ``--repeat`` runs);
for plain trafilatura the time of ``trafilatura.extract``. The folder's ``encoding/`` fixtures
are also run through ``decode_html``.
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

import trafilatura

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


def score_case(text: str, case: dict[str, Any]) -> tuple[float, float, float]:
    truth = case["ground_truth"]
    if truth["type"] == "with_without_snippets":
        p, r, f = score_snippets(text, truth["with"], truth["without"])
        return p, r, f
    return score_text(text, truth["text"], case["lang"])


def case_url(case: dict[str, Any]) -> str:
    return str(case.get("url") or f"https://example.invalid/{case['id']}")


def run_case(folder: Path, case: dict[str, Any], repeat: int) -> Score:
    """clipdiary: ``decode_html`` then ``extract``, its paragraphs joined by newlines."""
    body = read_page(folder, case)
    url = case_url(case)
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
    p, r, f = score_case(text, case)
    kind = case["ground_truth"]["type"]
    return Score(case["id"], kind, case["lang"], p, r, f, statistics.median(timings), note)


def run_plain(folder: Path, case: dict[str, Any], repeat: int) -> Score:
    """Plain trafilatura: ``trafilatura.extract`` with default settings on the raw bytes."""
    body = read_page(folder, case)
    timings: list[float] = []
    text: str | None = None
    for _ in range(repeat):
        started = time.perf_counter()
        text = trafilatura.extract(body)
        timings.append(time.perf_counter() - started)
    note = "" if text else "nothing extracted"
    p, r, f = score_case(text or "", case)
    kind = case["ground_truth"]["type"]
    return Score(case["id"], kind, case["lang"], p, r, f, statistics.median(timings), note)


def source_group(case_id: str) -> str:
    """``aeb``, ``traf``, ``readability`` or ``newspaper4k``: the id's prefix."""
    return case_id.split("-", 1)[0]


def grouped(scores: list[Score]) -> dict[str, list[int]]:
    """Group name → indices into ``scores``: by source and language, by kind, by language."""
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(scores):
        groups.setdefault(f"{source_group(s.case)}/{s.lang}", []).append(i)
    for i, s in enumerate(scores):
        groups.setdefault(f"kind={s.kind}", []).append(i)
    for i, s in enumerate(scores):
        groups.setdefault(f"lang={s.lang}", []).append(i)
    groups["all"] = list(range(len(scores)))
    return groups


def mean_prf(scores: list[Score], members: list[int]) -> tuple[float, float, float]:
    return (
        statistics.mean(scores[i].precision for i in members),
        statistics.mean(scores[i].recall for i in members),
        statistics.mean(scores[i].f1 for i in members),
    )


def print_cases(ours: list[Score], plain: list[Score]) -> None:
    print(
        f"{'case':36} {'kind':13} {'lang':4} | {'clipdiary P':>11} {'R':>4} {'F1':>4}"
        f" {'ms':>6} | {'trafilatura P':>13} {'R':>4} {'F1':>4} {'ms':>6} | {'dF1':>5}  note"
    )
    for s, t in zip(ours, plain, strict=True):
        note = "; ".join(n for n in (s.note, f"trafilatura: {t.note}" if t.note else "") if n)
        print(
            f"{s.case[:36]:36} {s.kind[:13]:13} {s.lang:4} |"
            f" {s.precision:11.2f} {s.recall:4.2f} {s.f1:4.2f} {s.seconds * 1000:6.1f} |"
            f" {t.precision:13.2f} {t.recall:4.2f} {t.f1:4.2f} {t.seconds * 1000:6.1f} |"
            f" {s.f1 - t.f1:+5.2f}  {note}"
        )


def print_groups(ours: list[Score], plain: list[Score]) -> None:
    print(
        f"{'group (mean of pages)':30} {'pages':>5} | {'clipdiary P':>11} {'R':>5} {'F1':>5} |"
        f" {'trafilatura P':>13} {'R':>5} {'F1':>5} | {'dP':>6} {'dR':>6} {'dF1':>6}"
    )
    for name, members in grouped(ours).items():
        op, orr, of = mean_prf(ours, members)
        tp, tr, tf = mean_prf(plain, members)
        print(
            f"{name:30} {len(members):5d} | {op:11.3f} {orr:5.3f} {of:5.3f} |"
            f" {tp:13.3f} {tr:5.3f} {tf:5.3f} | {op - tp:+6.3f} {orr - tr:+6.3f} {of - tf:+6.3f}"
        )


def bar_verdicts(ours: list[Score], plain: list[Score]) -> list[tuple[str, bool, str]]:
    """The issue's bar per language: (lang, met, explanation)."""
    verdicts: list[tuple[str, bool, str]] = []
    for lang, strict, rule in (("en", False, "no worse than"), ("ja", True, "better than")):
        members = [i for i, s in enumerate(ours) if s.lang == lang]
        if not members:
            continue
        ours_f1 = mean_prf(ours, members)[2]
        plain_f1 = mean_prf(plain, members)[2]
        met = ours_f1 > plain_f1 if strict else ours_f1 >= plain_f1
        verdicts.append(
            (lang, met, f"F1 {ours_f1:.3f} vs plain trafilatura {plain_f1:.3f} (must be {rule})")
        )
    return verdicts


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

    repeat = max(1, args.repeat)
    ours = [run_case(folder, case, repeat) for case in cases]
    plain = [run_plain(folder, case, repeat) for case in cases]
    if args.json:
        report = {
            "clipdiary": [score.__dict__ for score in ours],
            "trafilatura": [score.__dict__ for score in plain],
            "trafilatura_version": trafilatura.__version__,
        }
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0

    print_cases(ours, plain)
    print()
    print_groups(ours, plain)
    print()
    for label, scores in (("clipdiary", ours), (f"trafilatura {trafilatura.__version__}", plain)):
        total = sum(s.seconds for s in scores)
        print(
            f"speed, {label}: {len(scores) / total:.1f} pages/s ({total:.2f} s for"
            f" {len(scores)} pages, median of {repeat} runs each;"
            f" slowest {max(s.seconds for s in scores) * 1000:.0f} ms)"
        )
    print(
        "  (clipdiary: decode_html + extract, with metadata and dates;"
        " trafilatura: extract(bytes), defaults)"
    )
    print()
    for lang, met, explanation in bar_verdicts(ours, plain):
        print(f"bar, lang={lang}: {'met' if met else 'NOT MET'}: {explanation}")
    if (folder / "encoding").is_dir():
        right, fixtures, sniffed, sniffing = encoding_checks(folder)
        print(f"charset: {right}/{fixtures} encoding fixtures decoded right (title found)")
        print(f"charset: {sniffed}/{sniffing} html5lib sniffing cases give the expected charset")
    return 0


if __name__ == "__main__":
    sys.exit(main())
