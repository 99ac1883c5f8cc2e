"""Old Hatena addresses, mapped to the addresses clipdiary serves today.

Hatena Diary: ``/USER/YYYYMMDD``, ``/USER/YYYYMMDD/NAME`` (``#NAME`` stays in the browser
and survives the redirect). Hatena Blog: ``/entry/YYYYMMDD/NAME``. Addresses that do not
follow a rule (Hatena Blog basenames, ``/archive/…`` forms) are kept as aliases per entry.
"""

from __future__ import annotations

import re

_DIARY_DAY = re.compile(
    r"^/(?P<user>[A-Za-z][A-Za-z0-9_\-]{0,31})/(?P<day>\d{8})(?:/(?P<name>[A-Za-z0-9_\-]+))?/?$"
)
_DIARY_ROOT = re.compile(r"^/(?P<user>[A-Za-z][A-Za-z0-9_\-]{0,31})/?$")
_BLOG_ENTRY = re.compile(r"^/entry/(?P<day>\d{8})/(?P<name>[A-Za-z0-9_\-]+)/?$")


def legacy_target(path: str, diary_name: str) -> str | None:
    """The current address an old Hatena path points to, or None if it is not one."""
    match = _DIARY_DAY.match(path)
    if match and match["user"] == diary_name:
        if match["name"]:
            return f"/{match['day']}/{match['name']}"
        return f"/{match['day']}"
    match = _DIARY_ROOT.match(path)
    if match and match["user"] == diary_name:
        return "/"
    match = _BLOG_ENTRY.match(path)
    if match:
        return f"/{match['day']}/{match['name']}"
    return None
