"""The owner's pages, for ``PageBuilder``: log in, write and edit, clip, settings.

The settings page's import form is shown again as it was sent (``ImportForm``), and after
a dry run with the file it checked, which one button imports (web/imports.py keeps it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from clipdiary.model import TOKEN_SCOPES

if TYPE_CHECKING:
    from clipdiary.model import ApiToken, Entry
    from clipdiary.pages.builder import Viewer
    from clipdiary.store import Store

IMPORT_FORMATS = (
    ("hatena", "Hatena Diary XML"),
    ("mt", "Movable Type / Hatena Blog"),
    ("bookmarks", "Bookmarks (HTML)"),
    ("jsonl", "JSON Lines backup"),
)


@dataclass(frozen=True)
class ImportForm:
    """What the import form was sent with, to send it back chosen so."""

    format: str = "hatena"
    encoding: str = ""  # UTF-8
    dry_run: bool = False


class KeptUpload(Protocol):
    """A file a dry run checked and kept (web/pending_uploads.PendingUpload)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def format(self) -> str: ...

    @property
    def encoding(self) -> str: ...


class OwnerPagesMixin:
    """The owner's pages; ``PageBuilder`` gives ``store`` and ``_page``."""

    store: Store

    def _page(  # pragma: no cover - PageBuilder's
        self, template: str, viewer: Viewer, **context: Any
    ) -> str:
        raise NotImplementedError

    def login(self, viewer: Viewer, *, next_path: str, error: str | None = None) -> str:
        return self._page("login.html", viewer, next_path=next_path, error=error, title="Log in")

    def edit(
        self,
        viewer: Viewer,
        *,
        entry: Entry | None,
        form: dict[str, str],
        error: str | None = None,
    ) -> str:
        title = "Edit entry" if entry else "Write an entry"
        return self._page("edit.html", viewer, entry=entry, form=form, error=error, title=title)

    def clip_form(self, viewer: Viewer, *, form: dict[str, str], error: str | None = None) -> str:
        return self._page("clip.html", viewer, form=form, error=error, title="Clip an article")

    def settings(
        self,
        viewer: Viewer,
        *,
        tokens: list[ApiToken],
        bookmarklet: str | None,
        import_lines: list[str] | None = None,
        import_error: str | None = None,
        import_form: ImportForm | None = None,
        pending: KeptUpload | None = None,
        new_token: tuple[ApiToken, str] | None = None,
        token_error: str | None = None,
    ) -> str:
        formats = dict(IMPORT_FORMATS)
        encodings = dict(import_encodings())
        return self._page(
            "settings.html",
            viewer,
            tokens=tokens,
            new_token=new_token,
            token_error=token_error,
            token_scopes=TOKEN_SCOPES,
            now=dt.datetime.now(dt.UTC),
            bookmarklet=bookmarklet,
            hatena_user=self.store.hatena_user,
            import_lines=import_lines or [],
            import_error=import_error,
            import_form=import_form or ImportForm(),
            import_formats=IMPORT_FORMATS,
            import_encodings=import_encodings(),
            pending=pending,
            pending_format=formats.get(pending.format, pending.format) if pending else None,
            pending_encoding=encodings.get(pending.encoding, pending.encoding) if pending else None,
            title="Settings",
        )


def import_encodings() -> list[tuple[str, str]]:
    """The Encoding list: UTF-8, then every encoding an import's hint may name, under the
    words the hint uses (formats/encoding_hint.py)."""
    from clipdiary.formats.encoding_hint import CHOICES

    order = ("shift_jis", "cp932", "euc_jp", "cp1252", "utf-8,cp1252")
    named = {c.name: c.label for c in CHOICES}
    return [("", "UTF-8"), *((name, named[name]) for name in order)]
