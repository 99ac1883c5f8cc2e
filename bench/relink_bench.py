"""``clipdiary relink`` end to end: every entry of a generated diary embedded and linked.

    python bench/relink_bench.py [--entries 200000]

The diary is a real SQLite diary of realistic generated clips (bench/corpus.py, Japanese
and English), written without related links; then ``relink`` embeds every entry (title and
lead) and links each to its earlier entries, as after an import or a change of model. The
bar (issue 5): 200,000 entries in under 30 minutes on this 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from corpus import generate_entries  # noqa: E402  (bench/ is the script's folder)

from clipdiary.model import Diary  # noqa: E402
from clipdiary.related.relink import relink  # noqa: E402
from clipdiary.store import create_diary  # noqa: E402

BATCH = 2000
BAR_MINUTES = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=200_000)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="clipdiary-relink-") as folder:
        store = create_diary(Path(folder), None, Diary("bench", "Relink bench"))
        store.indexers = []  # only the entries; relink does the related work below
        started = time.perf_counter()
        pending = []
        for entry in generate_entries(args.entries, seed=5):
            pending.append(entry)
            if len(pending) == BATCH:
                with store.transaction():
                    for item in pending:
                        store.add_entry(item)
                pending = []
        if pending:
            with store.transaction():
                for item in pending:
                    store.add_entry(item)
        filled = time.perf_counter() - started
        print(f"diary of {args.entries:,} entries written in {filled:.0f} s (no related links)")

        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            now = time.perf_counter()
            if now - last[0] > 60 or done == total:
                last[0] = now
                print(f"  {stage}: {done:,}/{total:,} after {now - begun:.0f} s", flush=True)

        begun = time.perf_counter()
        report = relink(store, progress=progress)
        took = time.perf_counter() - begun
        store.database.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    minutes = took / 60
    verdict = "met" if minutes < BAR_MINUTES else "NOT met"
    print(
        f"relink of {args.entries:,} entries: {minutes:.1f} min "
        f"({args.entries / took:.0f} entries/s); bar {BAR_MINUTES:.0f} min: {verdict}"
    )
    print(f"report: {report}")
    print(f"peak resident memory: {peak_mb:.0f} MB")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
