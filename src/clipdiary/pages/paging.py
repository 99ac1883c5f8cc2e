"""Where a paged list is: its page, how many there are, and the links either side."""

from __future__ import annotations

from dataclasses import dataclass

from clipdiary.errors import NotFound


@dataclass(frozen=True)
class Paging:
    page: int
    pages: int | None  # None where counting them all would cost more than it tells
    newer: str | None
    older: str | None


def check_page(
    page: int, *, exists: bool, of: str, pages: int | None = None, empty: str | None = None
) -> None:
    """A page past the end of a list is a missing page, never an empty or another one.

    ``exists`` says whether page ``page`` holds anything (page 1 of a list always exists,
    unless the list itself does not: ``empty`` is then the message for its 0 ``pages``);
    ``of`` names the list in the message, with its number of ``pages`` when known.
    """
    if empty is not None and pages == 0:
        raise NotFound(empty)
    if page == 1 or (page > 1 and exists):
        return
    count = ""
    if pages is not None:
        count = f": {'they fill' if of.endswith('results') else 'it has'} {pages} page"
        count += "" if pages == 1 else "s"
    raise NotFound(f"There is no page {page} of {of}{count}.")
