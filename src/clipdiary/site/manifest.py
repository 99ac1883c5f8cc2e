"""What the last build wrote, kept in the output folder as ``.clipdiary-build.json``.

``files`` maps each written path to its content hash; ``pages`` maps each page to the
fingerprint of what it shows and ``entries`` each public entry to its fingerprint and id,
so the next build can tell which pages a change touches without rendering the rest (and
which entries the search index must take again); ``read_at`` is when the build read the
diary; ``config`` fingerprints everything that shows on every page (base path, diary
settings, templates, clipdiary's version): when it differs, every page is rebuilt.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from clipdiary.site.writer import SiteError

MANIFEST_NAME = ".clipdiary-build.json"
FORMAT = 2
EntryRecord = tuple[str, int]


@dataclass
class Manifest:
    config: str = ""
    read_at: int = 0
    files: dict[str, str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    # entry key (YYYYMMDD/NAME) -> (fingerprint, id)
    entries: dict[str, EntryRecord] = field(default_factory=dict)
    search_buckets: int = 0

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "config": self.config,
                "read_at": self.read_at,
                "search_buckets": self.search_buckets,
                "entries": self.entries,
                "files": self.files,
                "pages": self.pages,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )


def load_manifest(root: Path) -> Manifest | None:
    """The last build's manifest; None for a new folder. A foreign folder is refused."""
    path = root / MANIFEST_NAME
    if not path.is_file():
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise SiteError(
                f"{root} is not empty and was not made by 'clipdiary build'; "
                "choose a new or empty folder"
            )
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return Manifest(files=dict(data.get("files", {})))
        return Manifest(
            config=str(data["config"]),
            read_at=int(data["read_at"]),
            files=_strings(data["files"]),
            pages=_strings(data["pages"]),
            entries={str(k): (str(fp), int(i)) for k, (fp, i) in data["entries"].items()},
            search_buckets=int(data["search_buckets"]),
        )
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise SiteError(f"{path} is damaged ({exc}); delete the folder and build again") from exc


def _strings(data: object) -> dict[str, str]:
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise TypeError("expected an object of strings")
    return data


def save_manifest(root: Path, manifest: Manifest) -> None:
    path = root / MANIFEST_NAME
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(manifest.to_json(), encoding="utf-8")
    os.replace(temporary, path)
