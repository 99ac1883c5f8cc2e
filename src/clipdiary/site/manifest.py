"""What the last build wrote, kept in the output folder as ``.clipdiary-build``.

``files`` maps each written path to its content hash; ``pages`` maps each page to the
fingerprint of what it shows and ``entries`` each public entry to its fingerprint and id,
so the next build can tell which pages a change touches without rendering the rest (and
which entries the search index must take again); ``read_at`` is when the build read the
diary and ``revision`` the diary's revision then (every write moves it on, so an equal
one means nothing changed); ``config`` fingerprints everything that shows on every page
(base path, diary settings, templates, clipdiary's version): when it differs, every page is
rebuilt. The first line alone (``read_header``) tells whether a build has anything to do.

It is plain text, a record a line (``path TAB hash`` in three sections), which reads and
writes a 100,000-entry manifest about twice as fast as JSON; a path holding a tab, a
newline or a leading double quote is written as a JSON string. A folder built by an
earlier clipdiary (``.clipdiary-build.json``) is rebuilt in full once.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from clipdiary.site.writer import SiteError

MANIFEST_NAME = ".clipdiary-build"
LEGACY_NAME = ".clipdiary-build.json"
FORMAT = 4
EARLIER_FORMATS = ("3",)  # read as they are, with no revision: their next build looks
MAGIC = "clipdiary-build"
_SPECIAL = re.compile(r'[\t\n\r]|^"')
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
    revision: int = -1  # the diary's at the build; -1: not known

    def header(self) -> Header:
        return Header(self.config, self.revision, len(self.files), len(self.entries))

    def to_bytes(self) -> bytes:
        header = (
            f"{MAGIC}\t{FORMAT}\t{self.config}\t{self.read_at}\t{self.search_buckets}"
            f"\t{self.revision}\t{len(self.files)}\t{len(self.entries)}"
        )
        lines = [header, "[files]"]
        key = _key if _special(self.files) else str
        lines.extend(f"{key(k)}\t{v}" for k, v in self.files.items())
        lines.append("[pages]")
        key = _key if _special(self.pages) else str
        lines.extend(f"{key(k)}\t{v}" for k, v in self.pages.items())
        lines.append("[entries]")
        key = _key if _special(self.entries) else str
        lines.extend(f"{key(k)}\t{fp}\t{i}" for k, (fp, i) in self.entries.items())
        return "\n".join(lines).encode("utf-8")


def _special(keys: Collection[str]) -> bool:
    """Whether some key needs quoting (checked on all of them at once: it is rare)."""
    joined = "\n".join(keys)
    return (
        joined.count("\n") != max(0, len(keys) - 1)
        or "\t" in joined
        or "\r" in joined
        or '"' in joined
    )


def _key(text: str) -> str:
    return json.dumps(text) if _SPECIAL.search(text) else text


def _unkey(text: str) -> str:
    if text.startswith('"'):
        found = json.loads(text)
        if not isinstance(found, str):
            raise TypeError("expected a string")
        return found
    return text


def _pairs(section: str) -> dict[str, str]:
    lines = section.split("\n") if section else []
    if '"' not in section:
        pairs = (line.split("\t") for line in lines)
        return {key: value for key, value in pairs}  # noqa: C416 - two fields a line
    found = {}
    for line in lines:
        key, value = line.split("\t")
        found[_unkey(key)] = value
    return found


def _from_bytes(data: bytes) -> Manifest:
    text = data.decode("utf-8")
    header, _, rest = text.partition("\n[files]\n")
    files, _, rest = rest.partition("\n[pages]\n")
    pages, _, entries_text = rest.partition("\n[entries]\n")
    magic, version, config, read_at, buckets, *more = header.split("\t")
    if magic != MAGIC or (version != str(FORMAT) and version not in EARLIER_FORMATS):
        raise TypeError("not a manifest of this clipdiary")
    revision = int(more[0]) if version == str(FORMAT) else -1
    entries: dict[str, EntryRecord] = {}
    for line in entries_text.split("\n") if entries_text else ():
        key, fp, entry_id = line.split("\t")
        entries[_unkey(key)] = (fp, int(entry_id))
    return Manifest(
        config=config,
        read_at=int(read_at),
        files=_pairs(files),
        pages=_pairs(pages),
        entries=entries,
        search_buckets=int(buckets),
        revision=revision,
    )


class Header(NamedTuple):
    """What the manifest's first line says of the last build."""

    config: str
    revision: int
    files: int
    entries: int


def read_header(root: Path) -> Header | None:
    """The last build's header, from the manifest's first line only; None when there is
    none this clipdiary can trust (the full manifest is read then)."""
    try:
        with (root / MANIFEST_NAME).open("rb") as stream:
            line = stream.readline(4096).decode("utf-8")
        magic, version, config, _read_at, _buckets, revision, files, entries = line.rstrip(
            "\n"
        ).split("\t")
        if magic != MAGIC or version != str(FORMAT):
            return None
        return Header(config, int(revision), int(files), int(entries))
    except (OSError, ValueError):
        return None


def load_manifest(root: Path) -> Manifest | None:
    """The last build's manifest; None for a new folder. A foreign folder is refused."""
    path = root / MANIFEST_NAME
    if not path.is_file():
        legacy = root / LEGACY_NAME
        if legacy.is_file():  # an earlier clipdiary's build: rebuilt in full, once
            try:
                files = json.loads(legacy.read_bytes()).get("files", {})
                return Manifest(files=_strings(files))
            except (ValueError, TypeError, AttributeError) as exc:
                raise _damaged(legacy, exc) from exc
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise SiteError(
                f"{root} is not empty and was not made by 'clipdiary build'; "
                "choose a new or empty folder"
            )
        return None
    try:
        return _from_bytes(path.read_bytes())
    except (ValueError, TypeError) as exc:
        raise _damaged(path, exc) from exc


def _damaged(path: Path, exc: Exception) -> SiteError:
    return SiteError(f"{path} is damaged ({exc}); delete the folder and build again")


def _strings(data: object) -> dict[str, str]:
    if not isinstance(data, dict):
        raise TypeError("expected an object of strings")
    return data


def save_manifest(root: Path, manifest: Manifest) -> None:
    path = root / MANIFEST_NAME
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(manifest.to_bytes())
    os.replace(temporary, path)
    (root / LEGACY_NAME).unlink(missing_ok=True)
