"""Write: the only code that touches the output folder.

It refuses a path outside the folder (``..``, absolute paths, empty parts), refuses to write
one path twice in a build (two pages claiming one address), writes a file only when its
content hash differs from what the last build wrote (or the file has gone), and writes
through a temporary file and a rename, so a reader never sees half a page.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from clipdiary.errors import ClipdiaryError


class SiteError(ClipdiaryError):
    """The static export cannot be written: a path escapes the folder or is claimed twice."""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def check_relative(path: str) -> str:
    """A safe relative path inside the output folder, or ``SiteError``."""
    parts = path.split("/")
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or "\x00" in path
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise SiteError(f"refusing to write {path!r}: not a plain path inside the output folder")
    return path


@dataclass
class WriteResult:
    """What one writer did: every path it produced with its hash, and those it wrote."""

    produced: dict[str, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)


class OutputFolder:
    def __init__(self, root: Path, previous: dict[str, str]) -> None:
        self.root = root
        self.previous = previous
        self.result = WriteResult()

    def put(self, path: str, data: bytes) -> bool:
        """Write ``data`` at ``path`` unless it is already there; True when written."""
        check_relative(path)
        if path in self.result.produced:
            raise SiteError(f"two pages claim the same address: {path}")
        digest = content_hash(data)
        self.result.produced[path] = digest
        target = self.root / path
        if self.previous.get(path) == digest and target.is_file():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp{os.getpid()}")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        self.result.written.append(path)
        return True


def merge(results: list[WriteResult]) -> WriteResult:
    """Results of several workers as one; an address claimed by two of them is an error."""
    merged = WriteResult()
    for result in results:
        for path, digest in result.produced.items():
            if path in merged.produced:
                raise SiteError(f"two pages claim the same address: {path}")
            merged.produced[path] = digest
        merged.written.extend(result.written)
    return merged


def remove_stale(root: Path, stale: list[str]) -> list[str]:
    """Delete files the last build wrote that no page claims now, and emptied folders."""
    removed = []
    for path in sorted(stale):
        check_relative(path)
        target = root / path
        if target.is_file():
            target.unlink()
            removed.append(path)
        folder = target.parent
        while folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed
