"""Measure clipdiary.notation against other implementations' test cases.

    python bench/notation_eval.py /work/shared/eval/notation [--show N] [--impl TEXT]

Reads ``hatena_notation_cases.json`` from the given folder (the cases stay there; nothing
is copied), renders each input with ``clipdiary.notation.render`` and compares the HTML
after normalising it. Two comparisons are counted:

* ``strict``: the same elements, attributes and text (ignoring whitespace between
  elements, attribute order, ``rel``/``target``/``id``/``name`` attributes, ``tbody``,
  comments and ``div.section`` wrappers, which differ by design);
* ``shape``: the same elements and text, attributes ignored.

The mode is ``diary`` for the implementations of the classic Diary (Text::Hatena 0.x and
its ports) and for ``hatena_compatible`` setups, ``blog`` otherwise. Cases upstream skipped
and cases that test a custom grammar rather than notation are not counted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from clipdiary.notation import RenderOptions, render

_VOID = {"br", "img", "hr", "input", "meta", "link", "col", "wbr", "area", "param", "source"}
_IGNORED_ATTRS = {"rel", "target", "id", "name"}
_DIARY_IMPLEMENTATIONS = ("Text::Hatena 0.20", "Ruby port", "text-hatena.js")


class _Normaliser(HTMLParser):
    def __init__(self, *, attributes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes = attributes
        self.tokens: list[str] = []
        self.dropped: list[bool] = []
        self.text: list[str] = []

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.text)).strip()
        if text:
            self.tokens.append(text)
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        classes = dict(attrs).get("class") or ""
        drop = tag == "tbody" or (tag == "div" and "section" in classes.split())
        if tag not in _VOID:
            self.dropped.append(drop)
        if drop:
            return
        shown = ""
        if self.attributes:
            kept = sorted(
                (k, re.sub(r"\s+", " ", v or "").strip())
                for k, v in attrs
                if k not in _IGNORED_ATTRS and not (k == "class" and not v)
            )
            shown = "".join(f" {k}={v!r}" for k, v in kept)
        self.tokens.append(f"<{tag}{shown}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if tag in _VOID:
            return
        if self.dropped and self.dropped.pop():
            return
        self.tokens.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def normalise(html: str, *, attributes: bool) -> list[str]:
    parser = _Normaliser(attributes=attributes)
    parser.feed(html)
    parser.close()
    return parser.tokens


def _mode(case: dict[str, Any]) -> str:
    hints = " ".join(case.get("setup_hints") or [])
    if case["implementation"].startswith(_DIARY_IMPLEMENTATIONS) or "hatena_compatible" in hints:
        return "diary"
    return "blog"


def _counted(case: dict[str, Any]) -> bool:
    unit = case["unit"]
    return not case.get("skip") and (unit == "document" or unit.startswith("inline"))


def _ours(case: dict[str, Any]) -> str:
    html = render(case["input"], RenderOptions(mode=_mode(case))).html  # type: ignore[arg-type]
    if case["unit"] != "document":  # an inline formatter's output has no paragraphs
        html = re.sub(r"</?p>", "", html)
    return html


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("folder", type=Path, help="the eval folder holding hatena_notation_cases.json")
    ap.add_argument("--show", type=int, default=0, help="print the first N shape mismatches")
    ap.add_argument("--impl", default="", help="only implementations whose name contains this")
    args = ap.parse_args(argv)

    cases = json.loads((args.folder / "hatena_notation_cases.json").read_text(encoding="utf-8"))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    skipped = 0
    shown = 0
    for case in cases:
        if args.impl and args.impl not in case["implementation"]:
            continue
        if not _counted(case):
            skipped += 1
            continue
        ours = _ours(case)
        row = totals[case["implementation"]]
        row[0] += 1
        expected = case["expected_html"]
        if normalise(ours, attributes=True) == normalise(expected, attributes=True):
            row[1] += 1
        if normalise(ours, attributes=False) == normalise(expected, attributes=False):
            row[2] += 1
        elif shown < args.show:
            shown += 1
            print(f"--- {case['name']} [{_mode(case)}]\n{case['input']}\n--- expected")
            print(expected)
            print("--- ours")
            print(ours)
            print()

    width = max((len(k) for k in totals), default=10)
    print(f"{'implementation':<{width}}  cases  strict  shape")
    all_rows = [0, 0, 0]
    for name, (n, strict, shape) in sorted(totals.items()):
        print(f"{name:<{width}}  {n:5d}  {strict:6d}  {shape:5d}")
        all_rows = [all_rows[0] + n, all_rows[1] + strict, all_rows[2] + shape]
    n, strict, shape = all_rows
    print(f"{'all':<{width}}  {n:5d}  {strict:6d}  {shape:5d}")
    if n:
        print(f"strict {strict / n:.1%}, shape {shape / n:.1%}; not counted: {skipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
