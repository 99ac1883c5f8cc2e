"""Make any ``str`` safe to parse: one newline convention, no NUL, no lone surrogates."""

from __future__ import annotations

import re

# C0 controls other than tab and newline, DEL, and the C1 controls: never meaningful in a body.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_source(source: str) -> str:
    """Return ``source`` with newlines as ``\\n``, controls dropped, lone surrogates as U+FFFD.

    A surrogate pair that arrived as two code points is joined into the character it encodes.
    """
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        source = source.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub(lambda m: "\ufffd" if m.group() == "\x00" else "", source)
