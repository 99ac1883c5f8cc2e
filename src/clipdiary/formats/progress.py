"""Progress for long imports and exports: a rich bar on a terminal, silence elsewhere."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)


class ProgressSink(Protocol):
    def start(self, label: str, total: int | None) -> None: ...

    def advance(self, amount: int) -> None: ...

    def close(self) -> None: ...


class NoProgress:
    """What a pipe, a log file or a test gets: nothing."""

    def start(self, label: str, total: int | None) -> None:
        return None

    def advance(self, amount: int) -> None:
        return None

    def close(self) -> None:
        return None


class BarProgress:
    """A progress bar on standard error."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task: TaskID | None = None
        self._progress.start()

    def start(self, label: str, total: int | None) -> None:
        if self._task is not None:
            self._progress.update(self._task, visible=True)
        self._task = self._progress.add_task(label, total=total)

    def advance(self, amount: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)

    def close(self) -> None:
        self._progress.stop()

    def __enter__(self) -> BarProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def progress_for_terminal() -> ProgressSink:
    """A bar when standard error is a terminal, else nothing."""
    return BarProgress() if sys.stderr.isatty() else NoProgress()
