"""Import a generated Hatena Diary XML file and print entries/s and peak memory.

    python bench/import_bench.py                 # 100,000 sections, a fresh SQLite diary
    python bench/import_bench.py --sections 20000 --db postgresql://…

The file is written to a temporary folder (10 sections a day, comments on some days, a
few invalid ``&#65535;`` references). Two figures show that reading streams: the parser's
peak Python allocation while reading the whole file (tracemalloc) at a tenth of the size
and at the full size, which should be about the same; and the process's peak resident
memory after the import. The import itself runs as ``clipdiary import`` does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from clipdiary.formats import hatena_xml
from clipdiary.formats.importer import import_file
from clipdiary.model import Diary
from clipdiary.store import create_diary

PER_DAY = 10
START = dt.date(2004, 1, 1)


def write_sample(path: Path, sections: int) -> None:
    """A Hatena Diary XML export with ``sections`` sections, written as a stream."""
    epoch = int(dt.datetime(2004, 1, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=9))).timestamp())
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<diary>\n')
        written = 0
        day_number = 0
        while written < sections:
            day = START + dt.timedelta(days=day_number)
            out.write(f'<day date="{day.isoformat()}" title="">\n<body>\n')
            for index in range(min(PER_DAY, sections - written)):
                name = epoch + day_number * 86400 + index * 60
                bad = "&#65535;" if written % 997 == 0 else ""
                out.write(
                    f"*{name}*[news][topic{written % 50}]Section {written}: 首脳会談{bad}\n"
                    f"本文の一行目。Body line with [http://example.com/{written}:title] link.\n"
                    "&gt;&gt;\nquoted &amp; escaped &lt;text&gt;\n&lt;&lt;\n\n"
                )
                written += 1
            out.write("</body>\n")
            if day_number % 7 == 0:
                out.write(
                    "<comments>\n<comment>\n<username>someid</username>\n"
                    f"<body>comment {day_number}</body>\n"
                    f"<timestamp>{epoch + day_number * 86400 + 3600}</timestamp>\n"
                    "</comment>\n</comments>\n"
                )
            out.write("</day>\n")
            day_number += 1
        out.write("</diary>\n")


def read_peak(path: Path) -> tuple[int, int]:
    """Items read and the reader's peak traced allocation in bytes."""
    gc.collect()
    tracemalloc.start()
    count = 0
    with path.open("rb") as stream:
        for _ in hatena_xml.read(stream, Diary("bench", "bench"), source=str(path)):
            count += 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return count, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=100_000)
    parser.add_argument("--db", help="a PostgreSQL URL (default: a fresh SQLite diary)")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--with-related", action="store_true", help="embed and link each entry while importing"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clipdiary-import-bench-") as folder:
        base = Path(folder)
        small, big = base / "small.xml", base / "big.xml"
        write_sample(small, max(args.sections // 10, 1))
        write_sample(big, args.sections)
        size = big.stat().st_size
        print(f"file: {args.sections:,} sections, {size / 1e6:.1f} MB")
        small_items, small_peak = read_peak(small)
        big_items, big_peak = read_peak(big)
        print(
            f"reader peak allocation: {small_peak / 1e6:.2f} MB for {small_items:,} items, "
            f"{big_peak / 1e6:.2f} MB for {big_items:,} items (streaming: about equal)"
        )
        store = create_diary(
            None if args.db else base / "diary", args.db, Diary("bench", "bench", day_starts_at=6)
        )

        for indexer in store.indexers:
            # Related links embed each entry; a bulk import leaves them to `clipdiary relink`
            # (the importer honours `defer_in_bulk`; see clipdiary.formats.importer).
            if type(indexer).__name__ == "RelatedIndexer" and not args.with_related:
                indexer.defer_in_bulk = True  # type: ignore[attr-defined]
        print(
            "indexers while importing:",
            ", ".join(
                type(i).__name__ for i in store.indexers if not getattr(i, "defer_in_bulk", False)
            ),
        )

        @contextmanager
        def opener() -> Iterator[BinaryIO]:
            with big.open("rb") as stream:
                yield stream

        started = time.perf_counter()
        report = import_file(
            store, opener, "hatena", source=str(big), size=size, batch_size=args.batch
        )
        seconds = time.perf_counter() - started
        store.database.close()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    print(
        f"imported {report.added:,} entries, {report.comments:,} comments in {seconds:.1f} s: "
        f"{report.added / seconds:,.0f} entries/s"
    )
    print(f"repaired: {report.repaired_count}, skipped: {report.skipped_count}")
    print(f"peak resident memory of the process: {peak_rss * scale / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
