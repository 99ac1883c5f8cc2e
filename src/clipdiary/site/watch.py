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

from clipdiary.site.build import BuildOptions, BuildReport, SiteBuilder
from clipdiary.site.content import DiaryReader

DEFAULT_INTERVAL = 0.5  # seconds
MAX_RETRY_WAIT = 60.0  # seconds between tries while rebuilds keep failing

BuildDone = Callable[[BuildReport, float], None]


def watch(
    reader: DiaryReader,
    outdir: Path,
    options: BuildOptions,
    *,
    on_build: BuildDone,
    interval: float = DEFAULT_INTERVAL,
    stop: threading.Event | None = None,
    on_error: Callable[[Exception], None] | None = None,
) -> None:
    """Build now, then after every change until ``stop`` is set (or forever); each build's
    report and its duration in seconds go to ``on_build``. The first build's failure ends
    the watch. A later failure (a diary locked for longer than the wait for it, a folder
    someone damaged, a database gone for a moment) goes to ``on_error``, and the build is
    tried again, after a wait that doubles up to a minute while the failures go on."""
    stop = stop or threading.Event()
    builder = SiteBuilder(reader, outdir, options, resident=True)
    seen = reader.revision()
    _timed(builder, on_build)
    builder.options = replace(options, full=False)  # --full is for the first build only
    wait = interval
    while not stop.wait(wait):
        try:
            now = reader.revision()
            if now != seen:
                _timed(builder, on_build)
                seen = now  # only once built: a failed build is tried again
            wait = interval
        except Exception as exc:  # a watcher outlives one failed build
            if on_error is None:
                raise
            on_error(exc)
            wait = min(max(wait * 2, interval), MAX_RETRY_WAIT)


def _timed(builder: SiteBuilder, on_build: BuildDone) -> None:
    start = time.perf_counter()
    report = builder.build()
    on_build(report, time.perf_counter() - start)
