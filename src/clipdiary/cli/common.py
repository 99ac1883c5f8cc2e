"""What every group of verbs shares: the diary a command works on, ``--json``, addresses,
progress bars, and the global options a verb also accepts after its name.

Only the standard library, click and clipdiary's plain modules are imported here:
commands import what they need (SQLAlchemy, rendering, related links) inside their own
function, so that a short command such as an incremental build starts fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from clipdiary.errors import UsageError
from clipdiary.model import day_key, parse_day

if TYPE_CHECKING:
    from clipdiary.model import Entry
    from clipdiary.site.content import DiaryReader
    from clipdiary.store import Store

F = TypeVar("F", bound=Callable[..., Any])

Progress = Callable[[str, int, int], None]
"""Called with (phase, done, total), as relink and restory report."""


def default_diary_folder() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "clipdiary"


def folder_diary() -> Path | None:
    """The folder the command runs in, when it is a diary folder (it holds diary.db)."""
    from clipdiary.store.lite import DB_FILENAME  # the standard library's sqlite3, not SQLAlchemy

    here = Path.cwd()
    return here if (here / DB_FILENAME).is_file() else None


class Target:
    """Which diary the command works on, from --diary / CLIPDIARY_DIARY / --db."""

    def __init__(
        self,
        folder: Path | None,
        db_url: str | None,
        name: str | None,
        *,
        as_json: bool = False,
    ) -> None:
        self.folder = folder
        self.db_url = db_url
        self.name = name
        self.as_json = as_json  # --json given before the verb

    @property
    def resolved_folder(self) -> Path | None:
        """The diary named (--diary, CLIPDIARY_DIARY), else the folder the command runs in
        when it holds one, else the default; None for a --db diary."""
        if self.db_url:
            return None
        return self.folder or folder_diary() or default_diary_folder()

    @contextmanager
    def store(self) -> Iterator[Store]:
        from clipdiary.store import open_store  # SQLAlchemy: only for the verbs that use it

        store = open_store(self.resolved_folder, self.db_url, self.name)
        try:
            yield store
        finally:
            store.database.close()

    @contextmanager
    def reader(self) -> Iterator[DiaryReader]:
        """The diary to read only: a SQLite folder through the standard library's sqlite3
        (no SQLAlchemy to import, which a short build would mostly wait for), else the
        store; a diary that needs a schema upgrade goes through the store, which does it."""
        folder = self.resolved_folder
        if folder is not None:
            from clipdiary.store.lite import SchemaMismatch, SqliteReader

            try:
                reader = SqliteReader(folder, self.name)
            except SchemaMismatch:
                pass
            else:
                try:
                    yield reader
                finally:
                    reader.close()
                return
        with self.store() as store:
            yield store


pass_target = click.make_pass_decorator(Target)


def _json_given_before(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    target = ctx.find_object(Target)
    return value or bool(target is not None and target.as_json)


def json_option(function: F) -> F:
    """``--json`` on a verb; ``clipdiary --json VERB`` means the same."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        callback=_json_given_before,
        help="Print JSON instead of text.",
    )(function)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def parse_address(address: str) -> tuple[dt.date, str | None]:
    """``YYYYMMDD``, ``YYYYMMDD/NAME`` or ``YYYYMMDD#NAME`` (slashes around are ignored)."""
    address = address.strip().strip("/")
    day_part, _, name = address.partition("/")
    if "#" in day_part:
        day_part, _, name = day_part.partition("#")
    return parse_day(day_part), (name or None)


def parse_entry_address(address: str) -> tuple[dt.date, str]:
    """An address that must name one entry: ``YYYYMMDD/NAME``."""
    day, name = parse_address(address)
    if name is None:
        raise UsageError(f"name the entry: {day_key(day)}/NAME, not {address!r}")
    return day, name


def entries_to_json(store: Store, entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """Entries in their one JSON shape, with their related lists and stories, each read
    for all of them in one call (the command line sees what the owner sees)."""
    from clipdiary.entry_json import entry_to_json
    from clipdiary.related.query import related_for
    from clipdiary.store.media import images_of
    from clipdiary.store.source_checks import statuses_of
    from clipdiary.stories.query import story_refs

    ids = [e.id for e in entries]
    related = related_for(store, ids, include_private=True)
    stories = story_refs(store, ids, include_private=True)
    images = images_of(store, ids)
    statuses = statuses_of(store, ids)
    return [
        entry_to_json(
            e,
            store.diary,
            related=related.get(e.id),
            story=stories.get(e.id),
            images=images.get(e.id, ()),
            source_status=statuses.get(e.id),
        )
        for e in entries
    ]


def add_related_and_stories(
    store: Store, entries: Sequence[Entry], shaped: list[dict[str, Any]]
) -> None:
    """Fill ``related`` and ``story`` of entries some other module shaped (search results)."""
    for entry, data in zip(entries_to_json(store, entries), shaped, strict=True):
        data["related"] = entry["related"]
        data["story"] = entry["story"]


PHASES = {"embed": "embedding", "link": "linking", "restory": "stories"}


@contextmanager
def progress_bar(*, enabled: bool) -> Iterator[Progress | None]:
    """A rich progress bar on a terminal, a task per phase; nothing otherwise."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress as Bar

    with Bar(transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(PHASES.get(phase, phase), total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield update


# -- global options after the verb -------------------------------------------------------

GLOBAL_OPTIONS = (
    # (option, Target attribute, click type)
    ("--diary", "folder", click.Path(file_okay=False, path_type=Path)),
    ("--db", "db_url", click.STRING),
    ("--diary-name", "name", click.STRING),
)


def _setter(attribute: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def store_on_target(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        target = ctx.find_object(Target)
        if value is not None and target is not None:
            setattr(target, attribute, value)

    return store_on_target


def _json_setter(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    target = ctx.find_object(Target)
    if value and target is not None:
        target.as_json = True


def accept_global_options(command: click.Command) -> None:
    """Let every verb under ``command`` take --diary, --db and --diary-name after its name
    (``clipdiary list --diary d``), every group of verbs --json before the next verb
    (``clipdiary story --json s17``), and every verb --json. The group's own options are
    read first, so a value given after the verb wins."""
    if not isinstance(command, click.Group):
        return
    for sub in command.commands.values():
        taken = {opt for param in sub.params for opt in getattr(param, "opts", ())}
        for option, attribute, kind in GLOBAL_OPTIONS:
            if option not in taken:
                sub.params.append(
                    click.Option(
                        [option, "_global_" + attribute],
                        type=kind,
                        expose_value=False,
                        hidden=True,
                        callback=_setter(attribute),
                    )
                )
        if "--json" not in taken:
            sub.params.append(
                click.Option(
                    ["--json", "_global_json"],
                    is_flag=True,
                    expose_value=False,
                    hidden=True,
                    callback=_json_setter,
                )
            )
            if not isinstance(sub, click.Group):
                _say_when_json_is_unused(sub)
        accept_global_options(sub)


def _say_when_json_is_unused(command: click.Command) -> None:
    """A verb that prints no data takes --json as every verb does, and says it is unused,
    rather than refusing it after the verb and ignoring it before."""
    inner = command.callback
    if inner is None:
        return

    @functools.wraps(inner)
    def noting(*args: Any, **kwargs: Any) -> Any:
        target = click.get_current_context().find_object(Target)
        if target is not None and target.as_json:
            click.echo(
                f"clipdiary: note: {command.name} prints no JSON of its own; "
                "--json changes nothing here",
                err=True,
            )
        return inner(*args, **kwargs)

    command.callback = noting
