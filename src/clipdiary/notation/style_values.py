"""Inline style an entry may keep: a few properties, each with a value that stays small.

The sanitizer's property list (``sanitize._STYLE_PROPERTIES``) keeps a body from moving or
covering the page, but a property's value could still blow it up (``line-height:10000px``
made one entry 10,000 px tall). Here every declaration must have a plain value — no
``url(``, no escapes, no comments, no ``!important`` — and every length in it must be within
its property's bound; a declaration that fails is dropped, the rest stay.
"""

from __future__ import annotations

import re

# The largest magnitude a length may have, per unit; a property not named here takes no
# length at all (colours, keywords, font names).
_EM = {"em": 3.0, "rem": 3.0, "px": 48.0, "pt": 36.0, "%": 300.0, "ex": 6.0, "ch": 6.0, "": 3.0}
_SMALL = {"em": 1.0, "rem": 1.0, "px": 16.0, "pt": 12.0, "%": 100.0, "ex": 2.0, "ch": 2.0}
_INDENT = {"em": 4.0, "rem": 4.0, "px": 64.0, "pt": 48.0, "%": 20.0, "ex": 8.0, "ch": 8.0}
LENGTH_BOUNDS: dict[str, dict[str, float]] = {
    "line-height": _EM,
    "letter-spacing": _SMALL,
    "text-indent": _INDENT,
    "vertical-align": _SMALL,
}
_PLAIN = re.compile(r"[A-Za-z0-9#%.,\s()'\"+-]*\Z")
_NUMBER = re.compile(r"([+-]?\d*\.?\d+)(em|rem|px|pt|%|ex|ch|[a-z]+)?", re.I)
_FORBIDDEN = ("url(", "expression", "image(", "var(", "calc(", "attr(", "env(")
MAX_STYLE = 500


def bounded_style(style: str, allowed: frozenset[str] | set[str]) -> str | None:
    """``style`` with only the declarations of ``allowed`` properties whose values are
    plain and in bounds; None when none is left (the attribute goes)."""
    if len(style) > MAX_STYLE:
        style = style[:MAX_STYLE].rsplit(";", 1)[0]
    kept: list[str] = []
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip()
        if colon and value and name in allowed and _plain(value) and _in_bounds(name, value):
            kept.append(f"{name}:{value}")
    return ";".join(kept) if kept else None


def _plain(value: str) -> bool:
    lowered = value.lower()
    return bool(_PLAIN.match(value)) and not any(word in lowered for word in _FORBIDDEN)


def _in_bounds(name: str, value: str) -> bool:
    bounds = LENGTH_BOUNDS.get(name)
    for match in _NUMBER.finditer(value):
        if match.start() > 0 and value[match.start() - 1] in "#":
            continue  # a colour like #900
        unit = (match.group(2) or "").lower()
        if bounds is None:
            # Colours and keywords carry numbers (rgb(1,2,3), font-weight 700), not lengths.
            if unit in _EM and unit:
                return False
            continue
        limit = bounds.get(unit)
        if limit is None or abs(float(match.group(1))) > limit:
            return False
    return True
