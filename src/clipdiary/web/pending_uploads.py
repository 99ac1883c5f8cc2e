"""Files a dry run on the settings page checked, kept a while so the owner can import the
same file (in the same format and encoding) with one click, without choosing it again:
a browser can never fill a file field by itself.

Each is a file in a folder of the system's temporary space that only this user can read,
named by a random id that only the owner's page holds; it goes when imported, when the
same diary checks another file, or after ``MAX_AGE`` seconds.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAX_AGE = 3600.0
_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


@dataclass(frozen=True)
class PendingUpload:
    id: str
    name: str  # the file's name as uploaded
    format: str
    encoding: str  # "" for UTF-8
    path: Path


class PendingUploads:
    def __init__(self, diary_key: str, root: Path | None = None) -> None:
        base = root or Path(tempfile.gettempdir()) / f"clipdiary-uploads-{os.getuid()}"
        self.folder = base / re.sub(r"[^A-Za-z0-9_-]", "_", diary_key)

    def keep(self, stream: BinaryIO, *, name: str, format: str, encoding: str) -> PendingUpload:
        """Keep a copy of ``stream`` (read from its start); an earlier one goes."""
        self._forget_all()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        upload_id = secrets.token_urlsafe(16)
        path = self.folder / f"{upload_id}.upload"
        stream.seek(0)
        with path.open("xb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        meta = {"name": name, "format": format, "encoding": encoding}
        (self.folder / f"{upload_id}.json").write_text(json.dumps(meta), encoding="utf-8")
        return PendingUpload(upload_id, name, format, encoding, path)

    def get(self, upload_id: str) -> PendingUpload | None:
        """The upload kept under ``upload_id``; None when there is none (or no longer)."""
        if not _ID.match(upload_id):
            return None
        path = self.folder / f"{upload_id}.upload"
        meta_path = self.folder / f"{upload_id}.json"
        try:
            if time.time() - path.stat().st_mtime > MAX_AGE:
                self.forget(upload_id)
                return None
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return PendingUpload(
            upload_id, str(meta["name"]), str(meta["format"]), str(meta["encoding"]), path
        )

    def forget(self, upload_id: str) -> None:
        for suffix in (".upload", ".json"):
            (self.folder / f"{upload_id}{suffix}").unlink(missing_ok=True)

    def _forget_all(self) -> None:
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.suffix in (".upload", ".json"):
                    path.unlink(missing_ok=True)
