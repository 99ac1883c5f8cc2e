"""The ``clipdiary`` command: one verb per job, each a thin layer over the library.

Every ``ClipdiaryError`` becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from clipdiary import __version__
from clipdiary.errors import ClipdiaryError, UsageError
from clipdiary.model import (
    Diary,
    Entry,
    NewEntry,
    check_body_format,
    check_day_title,
    check_entry_name,
    day_key,
    parse_day,
)

if TYPE_CHECKING:
    from clipdiary.site.build import BuildOptions, BuildReport
    from clipdiary.site.content import DiaryReader
    from clipdiary.store import Store

# Commands import what only they need (rendering, related links, JSON, passwords) inside
# their own function, so that a short command such as an incremental build starts fast.

F = TypeVar("F", bound=Callable[..., Any])


def default_diary_folder() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "clipdiary"


class Target:
    """Which diary the command works on, from --diary / CLIPDIARY_DIARY / --db."""

    def __init__(self, folder: Path | None, db_url: str | None, name: str | None) -> None:
        self.folder = folder
        self.db_url = db_url
        self.name = name

    @property
    def resolved_folder(self) -> Path | None:
        if self.db_url:
            return None
        return self.folder or default_diary_folder()

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


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(
        function
    )


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clipdiary")
@click.option(
    "--diary",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CLIPDIARY_DIARY",
    help="The diary folder (holds diary.db). Default: ~/.local/share/clipdiary.",
)
@click.option(
    "--db",
    "db_url",
    envvar="CLIPDIARY_DB",
    help="A PostgreSQL diary: postgresql://USER@HOST:PORT/DB (instead of --diary).",
)
@click.option(
    "--diary-name",
    envvar="CLIPDIARY_DIARY_NAME",
    help="Which diary, when the database holds several.",
)
@click.pass_context
def cli(
    ctx: click.Context, folder: Path | None, db_url: str | None, diary_name: str | None
) -> None:
    """clipdiary: a news-clipping diary for Japanese and English news."""
    ctx.obj = Target(folder, db_url, diary_name)


# -- init ---------------------------------------------------------------------------------


@cli.command()
@click.option("--name", default="diary", show_default=True, help="Short name, e.g. d1021.")
@click.option("--title", default="My clipping diary", show_default=True)
@click.option("--timezone", default="Asia/Tokyo", show_default=True)
@click.option(
    "--day-starts-at",
    type=click.IntRange(0, 23),
    default=0,
    show_default=True,
    help="Hour a new day starts; 6 puts a 2 a.m. post on the day before.",
)
@click.option("--base-url", default="", help="Where the diary is published, for feeds.")
@click.option(
    "--notation",
    type=click.Choice(["diary", "blog"]),
    default="diary",
    show_default=True,
    help="Paragraph style of Hatena notation: Diary (a <p> per line) or Blog.",
)
@json_option
@pass_target
def init(
    target: Target,
    name: str,
    title: str,
    timezone: str,
    day_starts_at: int,
    base_url: str,
    notation: str,
    as_json: bool,
) -> None:
    """Create a new diary."""
    diary = Diary(
        name=name,
        title=title,
        timezone=timezone,
        day_starts_at=day_starts_at,
        base_url=base_url,
        notation_mode="blog" if notation == "blog" else "diary",
    )
    from clipdiary.store import create_diary

    store = create_diary(target.resolved_folder, target.db_url, diary)
    store.database.close()
    where = target.db_url or str(target.resolved_folder)
    if as_json:
        print_json({"name": name, "title": title, "timezone": timezone, "where": where})
    else:
        click.echo(f"Created the diary {name!r} ({title}) in {where}")
        click.echo("Next: 'clipdiary passwd' to set the owner's password, then 'clipdiary serve'.")


@cli.command()
@click.option("--title", help="The diary's title.")
@click.option("--timezone", help="Its time zone, e.g. Asia/Tokyo.")
@click.option("--day-starts-at", type=click.IntRange(0, 23), help="Hour a new day starts.")
@click.option("--base-url", help="Where the diary is published (feeds, canonical links).")
@click.option("--notation", type=click.Choice(["diary", "blog"]), help="Hatena paragraph style.")
@json_option
@pass_target
def settings(
    target: Target,
    title: str | None,
    timezone: str | None,
    day_starts_at: int | None,
    base_url: str | None,
    notation: str | None,
    as_json: bool,
) -> None:
    """Show the diary's settings, or change those given.

    A new time zone or day start applies to entries written from then on: entries keep
    the day they were written on. A running server reads the change at its next request.

    Example: clipdiary settings --base-url https://example.com/diary
    """
    with target.store() as store:
        diary = store.update_settings(
            title=title,
            timezone=timezone,
            day_starts_at=day_starts_at,
            base_url=base_url,
            notation_mode=notation,
        )
    shown = {
        "name": diary.name,
        "title": diary.title,
        "timezone": diary.timezone,
        "day_starts_at": diary.day_starts_at,
        "base_url": diary.base_url,
        "notation": diary.notation_mode,
    }
    if as_json:
        print_json(shown)
        return
    for key, value in shown.items():
        click.echo(f"{key + ':':<15}{value}")


# -- add, show, list ----------------------------------------------------------------------


def parse_time(text: str, store: Store) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(
            f"bad time {text!r}: use ISO 8601, e.g. 2016-09-05T19:36:14+09:00"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=store.diary.zone)
    return moment


@cli.command()
@click.option("--title", "-t", default="", help="The entry's title.")
@click.option("--category", "-c", "categories", multiple=True, help="A category; repeatable.")
@click.option("--at", "at", help="When it was written (ISO 8601); default now.")
@click.option("--name", help="Keep a given name (an epoch second or a word like p1).")
@click.option("--private", is_flag=True, help="Only the owner will see it.")
@click.option(
    "--format",
    "body_format",
    type=click.Choice(["hatena", "html", "markdown"]),
    default="hatena",
    show_default=True,
)
@click.option(
    "--body-file",
    type=click.File("r", encoding="utf-8"),
    help="Read the body from this file ('-' for stdin); default: stdin when piped.",
)
@json_option
@pass_target
def add(
    target: Target,
    title: str,
    categories: tuple[str, ...],
    at: str | None,
    name: str | None,
    private: bool,
    body_format: str,
    body_file: Any,
    as_json: bool,
) -> None:
    """Write an entry (body in Hatena notation from --body-file or stdin)."""
    if body_file is not None:
        body = body_file.read()
    elif not sys.stdin.isatty():
        body = sys.stdin.read()
    else:
        body = ""
    if not title.strip() and not body.strip():
        raise UsageError("nothing to write: give --title or a body on stdin / --body-file")
    from clipdiary.entry_json import entry_to_json

    with target.store() as store:
        entry = store.add_entry(
            NewEntry(
                title=title.strip(),
                body=body,
                categories=categories,
                format=check_body_format(body_format),
                visibility="private" if private else "public",
                created=parse_time(at, store) if at else None,
                name=check_entry_name(name) if name else None,
            )
        )
        if as_json:
            print_json(entry_to_json(entry, store.diary))
        else:
            click.echo(f"{day_key(entry.day)}/{entry.name}  {entry.title}")


def parse_address(address: str) -> tuple[dt.date, str | None]:
    address = address.strip().strip("/")
    day_part, _, name = address.partition("/")
    if "#" in day_part:
        day_part, _, name = day_part.partition("#")
    return parse_day(day_part), (name or None)


@cli.command()
@click.argument("address", metavar="YYYYMMDD[/NAME]")
@json_option
@pass_target
def show(target: Target, address: str, as_json: bool) -> None:
    """Print one entry, or every entry of a day."""
    day, name = parse_address(address)
    with target.store() as store:
        if name is not None:
            entries = [store.get_entry(day, name)]
        else:
            entries = list(store.day_page(day, include_private=True).entries)
        if as_json:
            from clipdiary.entry_json import entry_to_json
            from clipdiary.related import related_for

            related = related_for(store, [e.id for e in entries], include_private=True)
            data = [entry_to_json(e, store.diary, related=related.get(e.id)) for e in entries]
            print_json(data[0] if name is not None else data)
            return
        for index, entry in enumerate(entries):
            if index:
                click.echo("")
            _print_entry(entry, store)


def _print_entry(entry: Entry, store: Store) -> None:
    flags = " (private)" if not entry.is_public else ""
    categories = "".join(f"[{c}]" for c in entry.categories)
    click.echo(click.style(f"{categories}{entry.title}{flags}", bold=True))
    click.echo(f"{day_key(entry.day)}/{entry.name}  {entry.created.isoformat()}")
    if entry.source:
        click.echo(f"source: {entry.source.url}")
    click.echo("")
    from clipdiary.render import entry_text

    click.echo(entry_text(entry, store.diary))


@cli.command(name="list")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--category", "-c", help="Only entries in this category.")
@click.option("--day", help="Only entries of this day (YYYYMMDD).")
@click.option("--all", "show_all", is_flag=True, help="Every entry, no limit.")
@json_option
@pass_target
def list_entries(
    target: Target,
    limit: int,
    category: str | None,
    day: str | None,
    show_all: bool,
    as_json: bool,
) -> None:
    """List entries, newest first (private ones included and marked)."""
    with target.store() as store:
        entries = store.entries(
            include_private=True,
            category=category,
            day=parse_day(day) if day else None,
            newest_first=True,
            limit=None if show_all else limit,
        )
        if as_json:
            from clipdiary.entry_json import entry_to_json

            print_json([entry_to_json(e, store.diary) for e in entries])
            return
        for entry in entries:
            flags = "  (private)" if not entry.is_public else ""
            categories = "".join(f"[{c}]" for c in entry.categories)
            click.echo(f"{day_key(entry.day)}/{entry.name:<12} {categories}{entry.title}{flags}")


@cli.command(name="day-title")
@click.argument("day", metavar="YYYYMMDD")
@click.argument("title", required=False)
@click.option("--clear", is_flag=True, help="Remove the day's title.")
@json_option
@pass_target
def day_title(target: Target, day: str, title: str | None, clear: bool, as_json: bool) -> None:
    """Show a day's title, give it one, or remove it (--clear).

    Example: clipdiary day-title 20160905 "シリア停戦"
    """
    the_day = parse_day(day)
    if title is not None and clear:
        raise UsageError("give a title or --clear, not both")
    with target.store() as store:
        if title is not None or clear:
            store.set_day_title(the_day, None if clear else check_day_title(title or ""))
        titles, _comments = store.day_extras([the_day])
    found = titles.get(the_day)
    if as_json:
        print_json({"day": the_day.isoformat(), "title": found})
    elif found:
        click.echo(found)


# -- clipping -----------------------------------------------------------------------------


@cli.command()
@click.argument("url", required=False)
@click.option("--note", "-m", help="Your own words, shown above the article.")
@click.option("--category", "-c", "categories", multiple=True, help="A category; repeatable.")
@click.option("--day", help="Put the clip on this day (YYYYMMDD) instead of today.")
@click.option(
    "--file",
    "saved_page",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Clip a saved page instead of fetching (give its address with --url).",
)
@click.option("--url", "page_url", help="The address of the page given with --file.")
@click.option("--again", is_flag=True, help="Clip it even if the diary holds it already.")
@json_option
@pass_target
def clip(
    target: Target,
    url: str | None,
    note: str | None,
    categories: tuple[str, ...],
    day: str | None,
    saved_page: Path | None,
    page_url: str | None,
    again: bool,
    as_json: bool,
) -> None:
    """Clip an article from a URL (or a saved page) into the diary."""
    from clipdiary.clip.pipeline import clip_html, clip_url
    from clipdiary.entry_json import entry_to_json

    when = parse_day(day) if day else None
    with target.store() as store:
        if saved_page is not None:
            address = page_url or url
            if not address:
                raise UsageError("--file needs the page's address: add --url URL")
            result = clip_html(
                store,
                saved_page.read_bytes(),
                address,
                note=note,
                categories=categories,
                day=when,
                again=again,
            )
        elif url:
            result = clip_url(store, url, note=note, categories=categories, day=when, again=again)
        else:
            raise UsageError("give the URL to clip, or --file page.html --url URL")
        for warning in result.warnings:
            click.echo(f"clipdiary: warning: {warning}", err=True)
        entry = result.entry
        if as_json:
            print_json(entry_to_json(entry, store.diary))
        else:
            click.echo(f"{day_key(entry.day)}/{entry.name}  {entry.title}")


@cli.command()
@click.argument("addresses", nargs=-1, metavar="[YYYYMMDD/NAME]...")
@json_option
@pass_target
def reextract(target: Target, addresses: tuple[str, ...], as_json: bool) -> None:
    """Extract clips again from the pages kept with them (all clips if none named)."""
    from clipdiary.clip.reextract import reextract as run_reextract

    with target.store() as store:
        if addresses:
            entries: list[Entry] = []
            for address in addresses:
                day, name = parse_address(address)
                if name is None:
                    entries.extend(store.day_page(day, include_private=True).entries)
                else:
                    entries.append(store.get_entry(day, name))
        else:
            entries = [e for e in store.entries(include_private=True) if e.source is not None]
        report = []
        for entry in entries:
            done = run_reextract(store, entry)
            report.append(
                {
                    "day": entry.day.isoformat(),
                    "name": entry.name,
                    "changed": done.changed,
                    "warnings": list(done.warnings),
                }
            )
            if not as_json:
                state = "updated" if done.changed else "unchanged"
                click.echo(f"{day_key(entry.day)}/{entry.name}  {state}  {done.entry.title}")
        if as_json:
            print_json(report)


@cli.command()
@click.option(
    "--mode",
    type=click.Choice(["diary", "blog"]),
    default="diary",
    show_default=True,
    help="Diary: a <p> per line; Blog: lines joined by <br>.",
)
def render(mode: str) -> None:
    """Hatena notation on stdin, the entry body's HTML on stdout."""
    from clipdiary.render import render_source

    source = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    click.echo(render_source(source, mode))


@cli.command(name="search")
@click.argument("query")
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default="relevance",
    show_default=True,
    help="Best matches first (recent ones slightly preferred), or newest first.",
)
@json_option
@pass_target
def search_entries(
    target: Target, query: str, limit: int, page: int, sort: str, as_json: bool
) -> None:
    """Search every entry (private ones included and marked).

    Example: clipdiary search '会談 "prime minister" -Trump lang:ja from:2016-01-01'
    """
    from clipdiary.search import search
    from clipdiary.search.output import page_to_json

    with target.store() as store:
        results = search(store, query, include_private=True, page=page, per_page=limit, sort=sort)
        if as_json:
            print_json(page_to_json(results, store.diary))
            return
        for hit in results.hits:
            entry = hit.entry
            flags = "  (private)" if not entry.is_public else ""
            categories = "".join(f"[{c}]" for c in entry.categories)
            title = "".join(
                click.style(part, bold=True, reverse=True) if on else part
                for part, on in hit.title.parts
            )
            click.echo(f"{day_key(entry.day)}/{entry.name:<12} {categories}{title}{flags}")
            where = entry.day.isoformat()
            if entry.source is not None:
                where += f" · {entry.source.site or entry.source.url}"
            click.echo(f"    {where}")
            snippet = "".join(
                click.style(part, reverse=True) if on else part for part, on in hit.snippet.parts
            )
            click.echo(f"    {snippet}")
        plural = "" if results.total == 1 else "s"
        if results.total_exact:
            click.echo(f"{results.total} result{plural}, page {results.page} of {results.pages}")
        else:
            click.echo(f"{results.total}+ results, page {results.page}")


# -- moving in and out -------------------------------------------------------------------

IMPORT_CHOICES = ("hatena", "mt", "bookmarks", "jsonl")
EXPORT_CHOICES = ("hatena", "mt", "jsonl", "bookmarks")


@cli.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(IMPORT_CHOICES), required=True)
@click.option("--dry-run", is_flag=True, help="Read and check the file; write nothing.")
@click.option("--fetch", is_flag=True, help="Bookmarks: clip each page instead of linking it.")
@click.option(
    "--hatena-user",
    help="The diary's old Hatena user name, so /USER/YYYYMMDD addresses keep working.",
)
@click.option(
    "--encoding",
    help="The file's encoding when it is not UTF-8, e.g. cp1252, shift_jis, euc_jp.",
)
@json_option
@pass_target
def import_command(
    target: Target,
    file: Path,
    fmt: str,
    dry_run: bool,
    fetch: bool,
    hatena_user: str | None,
    encoding: str | None,
    as_json: bool,
) -> None:
    """Bring a Hatena Diary XML, Movable Type, bookmarks or JSON Lines file in.

    Example: clipdiary import d1021.xml --format hatena
    """
    from clipdiary.formats.cli_support import import_and_report

    if fetch and fmt != "bookmarks":
        raise UsageError("--fetch works with --format bookmarks only")
    with target.store() as store:
        if hatena_user is not None and not dry_run:
            from clipdiary.model import check_diary_name

            store.set_setting("hatena_user", check_diary_name(hatena_user))
        code = import_and_report(
            store, file, fmt, dry_run=dry_run, fetch=fetch, as_json=as_json, encoding=encoding
        )
    if code:
        sys.exit(code)


@cli.command(name="export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_CHOICES), required=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (replaced only when the export is complete); default stdout.",
)
@pass_target
def export_command(target: Target, fmt: str, output: Path | None) -> None:
    """Write the whole diary (private entries too, where the format can mark them).

    Example: clipdiary export --format jsonl -o backup.jsonl
    """
    from clipdiary.formats.cli_support import export_to

    with target.store() as store:
        for note in export_to(store, fmt, output):
            click.echo(f"clipdiary: note: {note}", err=True)


# -- related links ------------------------------------------------------------------------


@cli.command()
@click.argument("address", metavar="YYYYMMDD/NAME")
@json_option
@pass_target
def related(target: Target, address: str, as_json: bool) -> None:
    """List the earlier entries about the same story, newest first (any language)."""
    from clipdiary.entry_json import related_json
    from clipdiary.related import related_of
    from clipdiary.related.relink import stale_count
    from clipdiary.urls import Urls

    day, name = parse_address(address)
    if name is None:
        raise UsageError(f"name the entry: {day_key(day)}/NAME")
    with target.store() as store:
        links = related_of(store, day, name, include_private=True)
        stale = stale_count(store)
    if stale:
        click.echo(
            f"clipdiary: {stale} entries have no current vector; run 'clipdiary relink'",
            err=True,
        )
    if as_json:
        print_json(related_json(links, Urls()))
        return
    if not links:
        click.echo("No related entries.")
    for link in links:
        lang = f"[{link.lang}] " if link.lang else ""
        click.echo(f"{day_key(link.day)}/{link.name:<12} {link.score:.2f}  {lang}{link.title}")


@cli.command()
@click.option("--since", help="Only recompute the links of entries from this day on (YYYYMMDD).")
@json_option
@pass_target
def relink(target: Target, since: str | None, as_json: bool) -> None:
    """Recompute every related link (embeds what is new or stale; resumes if interrupted)."""
    from clipdiary.related.relink import relink as run_relink

    with target.store() as store, _progress(enabled=not as_json) as progress:
        report = run_relink(store, since=parse_day(since) if since else None, progress=progress)
    if as_json:
        print_json(
            {
                "embedded": report.embedded,
                "linked": report.linked,
                "resumed": report.resumed,
                "since": report.since.isoformat() if report.since else None,
            }
        )
        return
    resumed = " (resumed an interrupted run)" if report.resumed else ""
    click.echo(f"Embedded {report.embedded} entries, linked {report.linked}{resumed}.")


@contextmanager
def _progress(*, enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar on a terminal; nothing otherwise."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(phase: str, done: int, total: int) -> None:
            label = "embedding" if phase == "embed" else "linking"
            if phase not in tasks:
                tasks[phase] = bar.add_task(label, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield update


# -- the owner ----------------------------------------------------------------------------


@cli.command()
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin (for scripts).")
@pass_target
def passwd(target: Target, password_stdin: bool) -> None:
    """Set the owner's password (used to log in to the web diary)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    from clipdiary.passwords import hash_password

    hashed = hash_password(password)
    with target.store() as store:
        store.set_password_hash(hashed)
    click.echo("Password set. Browsers logged in before are logged out.")


@cli.group()
def token() -> None:
    """API tokens for scripts and the bookmarklet."""


@token.command(name="create")
@click.option("--label", default="api", show_default=True, help="What the token is for.")
@json_option
@pass_target
def token_create(target: Target, label: str, as_json: bool) -> None:
    """Make a token; it is shown once and only its hash is kept."""
    with target.store() as store:
        made, secret = store.create_token(label)
    if as_json:
        print_json({"id": made.id, "label": made.label, "token": secret})
    else:
        click.echo(secret)
        click.echo(f"(token {made.id}, {label!r}: keep it now, it is not shown again)", err=True)


@token.command(name="list")
@json_option
@pass_target
def token_list(target: Target, as_json: bool) -> None:
    """List tokens (never the tokens themselves)."""
    with target.store() as store:
        tokens = store.tokens()
    if as_json:
        print_json(
            [
                {
                    "id": t.id,
                    "label": t.label,
                    "created": t.created.isoformat(),
                    "last_used": t.last_used.isoformat() if t.last_used else None,
                    "revoked": t.revoked,
                }
                for t in tokens
            ]
        )
        return
    for t in tokens:
        state = "revoked" if t.revoked else "active"
        used = t.last_used.isoformat() if t.last_used else "never used"
        click.echo(f"{t.id:>4}  {t.label:<20} {state:<8} {used}")


@token.command(name="revoke")
@click.argument("which", metavar="ID_OR_LABEL")
@pass_target
def token_revoke(target: Target, which: str) -> None:
    """Revoke a token by its id or label."""
    with target.store() as store:
        count = store.revoke_token(which)
    click.echo(f"Revoked {count} token{'s' if count != 1 else ''}.")


# -- publishing ---------------------------------------------------------------------------


@cli.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base-path", help="Where the site is served, e.g. /diary (default: root).")
@click.option(
    "--base-url",
    help="The site's public address (https://host/path), for the feeds' absolute links.",
)
@click.option("--full", is_flag=True, help="Render every page, not only the changed ones.")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes for a full build.")
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: build again whenever the diary changes (Ctrl-C stops).",
)
@click.option(
    "--interval",
    type=click.FloatRange(0.01, 3600),
    default=0.5,
    show_default=True,
    help="With --watch: seconds between looks at the diary.",
)
@json_option
@pass_target
def build(
    target: Target,
    outdir: Path,
    base_path: str | None,
    base_url: str | None,
    full: bool,
    workers: int | None,
    watch: bool,
    interval: float,
    as_json: bool,
) -> None:
    """Write the public diary as static files into OUTDIR (only what changed since last time).

    Example: clipdiary build site --base-url https://example.com/diary
    """
    from clipdiary.site.build import BuildOptions, SiteBuilder, default_workers

    with target.reader() as store:
        options = BuildOptions(
            base_path=base_path,
            site_url=base_url or None,  # None: the diary's, read again at each build
            full=full,
            workers=workers or default_workers(),
        )
        if watch:
            _watch(store, outdir, options, interval, as_json)
            return
        builder = SiteBuilder(store, outdir, options)
        if as_json or not sys.stderr.isatty():
            report = builder.build()
        else:
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task("building", total=None)

                def update(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                report = builder.build(progress=update)
    if as_json:
        print_json(_build_json(report))
        return
    kind = "full build" if report.full else "incremental build"
    click.echo(
        f"{kind}: {report.pages} files for {report.entries} entries in {outdir}; "
        f"{len(report.written)} written, {len(report.removed)} removed."
    )


def _build_json(report: BuildReport) -> dict[str, Any]:
    return {
        "full": report.full,
        "pages": report.pages,
        "entries": report.entries,
        "written": report.written,
        "removed": report.removed,
    }


def _watch(
    store: DiaryReader, outdir: Path, options: BuildOptions, interval: float, as_json: bool
) -> None:
    """``build --watch``: a line per build (a JSON object per line with --json)."""
    import signal
    import threading

    from clipdiary.site.watch import watch

    def report(done: BuildReport, seconds: float) -> None:
        if as_json:
            line = json.dumps({**_build_json(done), "seconds": round(seconds, 4)})
            click.echo(line, nl=True)
        else:
            kind = "full build" if done.full else "incremental build"
            click.echo(
                f"{kind} in {seconds:.2f} s: {done.pages} files for {done.entries} entries; "
                f"{len(done.written)} written, {len(done.removed)} removed."
            )
        sys.stdout.flush()

    # Ctrl-C, or SIGTERM from a service manager, ends the watch between builds, never
    # in the middle of one.
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signal, _frame: stop.set())
    if not as_json:
        click.echo(f"Watching the diary; building into {outdir} after each change (Ctrl-C stops).")
    with suppress(KeyboardInterrupt):
        watch(
            store,
            outdir,
            options,
            on_build=report,
            interval=interval,
            stop=stop,
            on_error=lambda exc: click.echo(f"clipdiary: error: {exc}", err=True),
        )
    if not as_json:
        click.echo("Stopped watching.")


# -- serving ------------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes.",
)
@click.option("--secure-cookies", is_flag=True, help="Send the login cookie over HTTPS only.")
@click.option("--access-log/--no-access-log", default=True, show_default=True)
@pass_target
def serve(
    target: Target, host: str, port: int, workers: int, secure_cookies: bool, access_log: bool
) -> None:
    """Serve the diary on the web."""
    from clipdiary.web.serve import run

    run(
        target.resolved_folder,
        target.db_url,
        target.name,
        host=host,
        port=port,
        workers=workers,
        secure_cookies=secure_cookies,
        access_log=access_log,
    )


@cli.command()
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("clipdiary-demo"),
    show_default=True,
    help="Where the demo diary is made (replaced if it is a demo diary already).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Only make the diary; do not serve it.")
def demo(folder: Path, host: str, port: int, no_serve: bool) -> None:
    """Make a demo diary from the bundled sample news and serve it."""
    from clipdiary.demo import make_demo
    from clipdiary.web.serve import run

    made = make_demo(folder)
    click.echo(f"Demo diary with {made.entries} entries in {made.folder.resolve()}")
    click.echo(f"Owner password for this demo: {made.password}")
    if no_serve:
        return
    click.echo(f"Serving it at http://{host}:{port}/  (Ctrl-C to stop)")
    run(made.folder, None, None, host=host, port=port)


def main() -> None:
    try:
        result = cli.main(prog_name="clipdiary", standalone_mode=False)
    except ClipdiaryError as exc:
        click.echo(f"clipdiary: error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    if isinstance(result, int) and result:
        sys.exit(result)
