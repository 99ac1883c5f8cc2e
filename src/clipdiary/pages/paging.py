"""Where a paged list is: its page, how many there are, and the links either side."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paging:
    page: int
    pages: int | None  # None where counting them all would cost more than it tells
    newer: str | None
    older: str | None
