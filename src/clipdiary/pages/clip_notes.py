"""What an entry page says about a clip beyond its text: the archived page, for whoever may
open it, and, for the owner, the images that could not be kept and the source's state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from clipdiary.model import Entry, EntryImage, SourceStatus

if TYPE_CHECKING:
    from clipdiary.store import Store

_STATE_WORDS = {
    "gone": "the source is gone since {since}; this diary keeps the page",
    "moved": "the source moved to {detail} (since {since}); this diary keeps the page",
    "changed": "the source page changed since it was clipped (seen {since}); this diary keeps "
    "the page as it was",
    "unreachable": "the source could not be reached since {since} ({detail})",
}


@dataclass(frozen=True)
class ClipNotes:
    archive_url: str | None
    failed_images: tuple[EntryImage, ...]
    source_status: SourceStatus | None

    @property
    def source_line(self) -> str | None:
        """The source's state in words, when a check found it other than fine."""
        status = self.source_status
        if status is None or status.state not in _STATE_WORDS:
            return None
        return _STATE_WORDS[status.state].format(
            since=status.since.date().isoformat(), detail=status.detail
        )


def clip_notes(store: Store, entry: Entry, entry_path: str, *, owner: bool) -> ClipNotes:
    from clipdiary.archive.view import may_see
    from clipdiary.store.media import images_of
    from clipdiary.store.source_checks import statuses_of

    if entry.source is None:
        return ClipNotes(None, (), None)
    has_page = store.snapshot_id_of(entry.id) is not None
    archive_url = entry_path + "/page" if has_page and may_see(store, entry, owner=owner) else None
    if not owner:
        return ClipNotes(archive_url, (), None)
    failed = tuple(i for i in images_of(store, [entry.id]).get(entry.id, []) if i.path is None)
    return ClipNotes(archive_url, failed, statuses_of(store, [entry.id]).get(entry.id))
