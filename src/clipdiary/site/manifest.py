"""What the last build wrote, kept in the output folder as ``.clipdiary-build.json``.

``files`` maps each written path to its content hash; ``entries`` and ``days`` hold a
fingerprint of each public entry (with its categories) and of each day's own title and
comments, so the next build can tell which pages a change touches without rendering the
rest; ``config`` fingerprints everything that shows on every page (base path, diary
settings, templates, clipdiary's version): when it differs, every page is rebuilt.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from clipdiary.site.writer import SiteError

MANIFEST_NAME = ".clipdiary-build.json"
FORMAT = 1
EntryRecord = tuple[str, tuple[str, ...], int]


@dataclass
class Manifest:
    config: str = ""
    files: dict[str, str] = field(default_factory=dict)
    # entry key (YYYYMMDD/NAME) -> (fingerprint, categories, id)
    entries: dict[str, EntryRecord] = field(default_factory=dict)
    days: dict[str, str] = field(default_factory=dict)
    search_buckets: int = 0

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "config": self.config,
                "search_buckets": self.search_buckets,
                "days": self.days,
                "entries": {k: [fp, list(c), i] for k, (fp, c, i) in self.entries.items()},
                "files": self.files,
            },
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
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
            files={str(k): str(v) for k, v in data["files"].items()},
            entries={k: (str(v[0]), tuple(v[1]), int(v[2])) for k, v in data["entries"].items()},
            days={str(k): str(v) for k, v in data["days"].items()},
            search_buckets=int(data["search_buckets"]),
        )
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise SiteError(f"{path} is damaged ({exc}); delete the folder and build again") from exc


def save_manifest(root: Path, manifest: Manifest) -> None:
    path = root / MANIFEST_NAME
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(manifest.to_json(), encoding="utf-8")
    os.replace(temporary, path)
