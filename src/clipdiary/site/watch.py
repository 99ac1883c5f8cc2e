"""``clipdiary build --watch``: keep a static site current while the diary is written.

After a first build it asks the diary every ``interval`` seconds for its revision, a
number every write transaction raises (one indexed row: a poll costs well under a
millisecond), and builds again incrementally when it moved. It stays in one process, so a
rebuild pays neither Python's start-up nor the imports, and reuses the manifest it wrote.
A write that lands during a build moves the revision again, so it is built next.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from clipdiary.errors import ClipdiaryError
from clipdiary.site.build import BuildOptions, BuildReport, SiteBuilder
from clipdiary.site.content import DiaryReader

DEFAULT_INTERVAL = 0.5  # seconds

BuildDone = Callable[[BuildReport, float], None]


def watch(
    reader: DiaryReader,
    outdir: Path,
    options: BuildOptions,
    *,
    on_build: BuildDone,
    interval: float = DEFAULT_INTERVAL,
    stop: threading.Event | None = None,
    on_error: Callable[[ClipdiaryError], None] | None = None,
) -> None:
    """Build now, then after every change until ``stop`` is set (or forever); each build's
    report and its duration in seconds go to ``on_build``. The first build's failure ends
    the watch; a later one goes to ``on_error`` (a diary busy for longer than the wait for
    its lock, a folder someone else damaged) and the next change is tried again."""
    stop = stop or threading.Event()
    builder = SiteBuilder(reader, outdir, options, resident=True)
    seen = reader.revision()
    _timed(builder, on_build)
    builder.options = replace(options, full=False)  # --full is for the first build only
    while not stop.wait(interval):
        now = reader.revision()
        if now != seen:
            seen = now
            try:
                _timed(builder, on_build)
            except ClipdiaryError as exc:
                if on_error is None:
                    raise
                on_error(exc)


def _timed(builder: SiteBuilder, on_build: BuildDone) -> None:
    start = time.perf_counter()
    report = builder.build()
    on_build(report, time.perf_counter() - start)
