"""Pages built for visitors, reused while the diary has not changed.

Every write transaction raises the diary's revision (``Store.revision``), whichever
process made it — the server, the command line, an import — so a page built at the
current revision is exactly what building it again would give. Owners' pages are never
cached: they carry a CSRF token and private entries.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

# About 50 KB a page: a few tens of MB at most for the busiest pages of a diary.
DEFAULT_CAPACITY = 512


class PageCache:
    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._pages: OrderedDict[str, tuple[int, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, revision: int) -> str | None:
        with self._lock:
            found = self._pages.get(key)
            if found is None or found[0] != revision:
                return None
            self._pages.move_to_end(key)
            return found[1]

    def put(self, key: str, revision: int, html: str) -> None:
        with self._lock:
            self._pages[key] = (revision, html)
            self._pages.move_to_end(key)
            while len(self._pages) > self.capacity:
                self._pages.popitem(last=False)
