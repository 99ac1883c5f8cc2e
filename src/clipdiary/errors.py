"""Every error clipdiary raises on purpose.

    ClipdiaryError
    ├── UsageError          a value given by the user is not acceptable (bad date, bad name)
    ├── NotFound            no such diary, day, entry, alias or token
    ├── Conflict            the write would break a uniqueness rule
    │   └── AlreadyClipped  the page is in the diary already
    ├── PermissionDenied    the caller is not the owner, or the token is wrong
    │   └── OutOfScope      the token is good but its scope does not allow this
    ├── TooManyTries        too many attempts (wrong passwords) or too many at once: wait
    ├── StoreError          the database failed or is not a clipdiary database
    ├── FetchError          a page could not be fetched (refused, too large, timed out, …)
    ├── ExtractError        a fetched page holds nothing that can be clipped
    └── FormatError         an import file is damaged; names the file and, where known, line
        └── WrongEncoding   its bytes are not in the encoding it is read in

Foreign exceptions (SQLAlchemy, httpx, lxml) are translated into these at the module that
meets them, chained with ``from`` so the cause stays visible in a traceback.
"""

from __future__ import annotations

import datetime as dt


class ClipdiaryError(Exception):
    """Root of every error clipdiary raises on purpose; its message is one clear line."""


class UsageError(ClipdiaryError):
    """A value the user gave cannot be used (a malformed date, name or option)."""


class NotFound(ClipdiaryError):
    """The diary, day, entry, alias or token asked for does not exist (or is not visible)."""


class Conflict(ClipdiaryError):
    """The write would break a uniqueness rule, e.g. an entry name already taken that day."""


class AlreadyClipped(Conflict):
    """The page is in the diary already, at ``day``/``name`` under ``title``.

    The message says where; each place that clips (the command line, the Clip form, the
    API, the bookmarklet) adds how to clip it once more in its own words.
    """

    def __init__(self, url: str, day: dt.date, name: str, title: str) -> None:
        super().__init__(f"{url} is clipped already at /{day:%Y%m%d}/{name} ({title!r})")
        self.url = url
        self.day = day
        self.name = name
        self.title = title


class PermissionDenied(ClipdiaryError):
    """The caller may not do this: not logged in as the owner, or a wrong API token."""


class OutOfScope(PermissionDenied):
    """A valid API token whose scope (read, clip, write) does not allow what was asked."""


class TooManyTries(ClipdiaryError):
    """Refused before any work: too many recent attempts, or too many running at once.
    ``retry_after`` is how many seconds to wait."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreError(ClipdiaryError):
    """The database failed, or the file is not a clipdiary database of a known version."""


class FetchError(ClipdiaryError):
    """A page could not be fetched. ``url`` names the address that failed; ``status`` is
    the HTTP status when the server answered with an error (404, 410, …)."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class ExtractError(ClipdiaryError):
    """A fetched page holds nothing that can be clipped. ``url`` names the page."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class FormatError(ClipdiaryError):
    """An import file is damaged or not of the stated format.

    ``path`` and ``line`` say where, when known; both also appear in the message.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        elif line is not None:
            where = f"line {line}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class WrongEncoding(FormatError):
    """The file's bytes are not in the encoding it is read in (UTF-8 unless named).

    ``reason`` is the message without the place; the command line and the settings page
    add which encoding does read the file, each in its own words.
    """

    def __init__(self, reason: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(reason, path=path, line=line)
        self.reason = reason
