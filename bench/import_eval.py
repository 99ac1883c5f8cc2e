"""Import real export files and print what was read; check it against what is known.

    python bench/import_eval.py ../shared/eval/imports

The folder holds Hatena Diary XML and Movable Type exports and a ``manifest.json`` that
gives, for some files, what their upstream test suites assert. Each file is imported
(where it lies, never copied) into a fresh SQLite diary in a temporary folder, then
exported and imported again into a second diary to show the round trip. WXR files are
listed as not supported.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from clipdiary.errors import FormatError
from clipdiary.formats.encoding import check_encoding, recoding
from clipdiary.formats.exporter import export_diary
from clipdiary.formats.importer import import_file
from clipdiary.model import Diary, day_key
from clipdiary.store import Store, create_diary

FORMATS = {"hatena-diary-xml": "hatena", "movabletype": "mt"}


def _opener(path: Path, encoding: str | None = None) -> Any:
    @contextmanager
    def opener() -> Iterator[BinaryIO]:
        with path.open("rb") as stream:
            yield stream

    codec = check_encoding(encoding, "mt") if encoding else None
    return recoding(opener, codec, path.name)[0]


# What a user names with --encoding when a file is refused as not UTF-8: an English export
# from the years of Movable Type is UTF-8 with Windows-1252 pasted in, or Windows-1252.
FALLBACK_ENCODING = "utf-8,cp1252"


def _store(folder: Path, name: str) -> Store:
    return create_diary(folder / name, None, Diary(name, name, timezone="Asia/Tokyo"))


def _check(expected: dict[str, Any] | None, store: Store, fmt: str) -> list[str]:
    """Compare with the manifest's ``expected``: a line per check, PASS or FAIL."""
    if not expected:
        return []
    results: list[str] = []

    def check(label: str, ok: bool) -> None:
        results.append(f"    {'PASS' if ok else 'FAIL'} {label}")

    entries = store.entries(include_private=True)
    if fmt == "hatena":
        first = expected.get("first_day", {})
        days = sorted({e.day for e in entries})
        check(f"{expected.get('n_days')} days", len(days) == expected.get("n_days"))
        if first:
            page = store.day_page(days[0], include_private=True)
            check(f"first day {first['date']}", days[0].isoformat() == first["date"])
            check(f"first day title {first['title']!r}", page.title == first["title"])
            top = page.entries[0]
            rebuilt = f"*{top.name}*{top.title}\n{top.body}"
            check("first day body", rebuilt == first["body"])
        return results
    for want in expected.get("entries", []):
        title = want["title"].strip()
        found = [e for e in entries if e.title == title]
        check(f"entry {title!r} found", bool(found))
        if not found:
            continue
        entry = found[0]
        categories = set(want.get("category", [])) | set(want.get("tags", []))
        check("  categories", categories <= set(entry.categories))
        date = want["date"].rstrip("Z")
        check(f"  date {date}", entry.created.strftime("%Y-%m-%dT%H:%M:%S") == date)
        check("  body", want["body"].strip() in entry.body)
        if want.get("extended_body"):
            check("  extended body after <!-- more -->", "<!-- more -->" in entry.body)
        want_comments = [c["author"] for c in want.get("comments", [])]
        check(f"  comments {want_comments}", [c.author for c in entry.comments] == want_comments)
        status = "public" if want.get("status", "Publish").lower() == "publish" else "private"
        check(f"  {status}", entry.visibility == status)
    return results


def evaluate(path: Path, fmt: str, expected: dict[str, Any] | None, folder: Path) -> bool:
    print(f"\n== {path.name} ({fmt}, {path.stat().st_size:,} bytes)")
    store = _store(folder, "first")
    try:
        report = import_file(store, _opener(path), fmt, source=path.name)
    except FormatError as exc:
        print(f"  refused: {exc}")
        if "not UTF-8" not in str(exc):
            return False
        print(f"  again with --encoding {FALLBACK_ENCODING}:")
        try:
            report = import_file(store, _opener(path, FALLBACK_ENCODING), fmt, source=path.name)
        except FormatError as refused:
            print(f"  refused: {refused}")
            return False
    print(
        f"  read {report.entries} entries: {report.added} added, {report.day_titles} day "
        f"titles, {report.comments} day comments; skipped {report.skipped_count}, "
        f"repaired {report.repaired_count}"
    )
    for note in report.skipped[:5]:
        print(f"    skipped {note.where}: {note.message}")
    for note in report.repaired[:5]:
        print(f"    repaired {note.where}: {note.message}")
    for entry in store.entries(include_private=True)[:6]:
        flags = "" if entry.is_public else " (private)"
        categories = "".join(f"[{c}]" for c in entry.categories)
        print(
            f"    {day_key(entry.day)}/{entry.name:<11} {categories}{entry.title[:40]}{flags}"
            f"  {len(entry.body)} chars, {len(entry.comments)} comments"
            + (f", aliases {list(entry.aliases)}" if entry.aliases else "")
        )
    checks = _check(expected, store, fmt)
    if checks:
        print("\n".join(checks))
    exported = folder / f"{path.name}.out"
    with exported.open("w", encoding="utf-8") as out:
        export_diary(store, fmt, out)
    second = _store(folder, "second")
    again = import_file(second, _opener(exported), fmt, source=exported.name)
    same = again.added == report.added
    verdict = "same" if same else "DIFFERENT"
    print(f"  round trip: exported and imported again, {again.added} entries ({verdict})")
    store.database.close()
    second.database.close()
    return same and all("FAIL" not in line for line in checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the eval/imports folder")
    args = parser.parse_args()
    manifest = json.loads((args.folder / "manifest.json").read_text(encoding="utf-8"))
    passed = 0
    tried = 0
    for item in manifest:
        fmt = FORMATS.get(item["format"])
        if fmt is None:
            print(f"\n== {Path(item['file']).name}: {item['format']} is not an import format")
            continue
        tried += 1
        with tempfile.TemporaryDirectory(prefix="clipdiary-import-eval-") as folder:
            if evaluate(args.folder / item["file"], fmt, item.get("expected"), Path(folder)):
                passed += 1
    print(f"\n{passed} of {tried} files imported, checked and round-tripped")


if __name__ == "__main__":
    main()
