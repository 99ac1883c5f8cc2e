"""Text a database can store: no NUL (PostgreSQL refuses it in text; SQLite would keep a
value that every later reader trips over) and no lone surrogate (not encodable as UTF-8)."""

from __future__ import annotations

from collections.abc import Iterable

from clipdiary.errors import UsageError


def check_storable(fields: Iterable[tuple[str, str | None]]) -> None:
    """Refuse, naming the field, a value that cannot be stored as text."""
    for field, value in fields:
        if value is None:
            continue
        if "\x00" in value:
            raise UsageError(f"the {field} holds a NUL character (U+0000), which cannot be stored")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise UsageError(
                f"the {field} holds U+{ord(value[exc.start]):04X}, half of a surrogate pair, "
                "which cannot be stored"
            ) from None
