"""Writing and reading entries: ``add``, ``show``, ``list``, ``day-title``, ``search``.

With ``--json`` an entry leaves in its one shape (clipdiary.entry_json), with its real
related list and its story, each read for the whole listing in one call.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

import click

from clipdiary.errors import UsageError
from clipdiary.model import (
    Entry,
    NewEntry,
    check_body_format,
    check_day_title,
    check_entry_name,
    day_key,
    has_content,
    parse_day,
)

from .common import (
    Target,
    add_related_and_stories,
    entries_to_json,
    json_option,
    parse_address,
    pass_target,
    print_json,
)
from .dashed import DashedArgumentCommand

if TYPE_CHECKING:
    from clipdiary.model import StoryRef
    from clipdiary.store import Store


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


@click.command()
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
    piped = body_file is None and not sys.stdin.isatty()
    if body_file is not None:
        body = body_file.read()
    elif piped:
        body = sys.stdin.read()
    else:
        body = ""
    if not has_content(title, body):
        raise UsageError(
            "an entry needs a title or a body: "
            "give --title, or the body on stdin or with --body-file"
        )
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
        if piped and not body.strip():
            # A title alone is an entry; a body that was meant to come and did not is said.
            click.echo("clipdiary: note: standard input was empty: the entry has no body", err=True)
        if as_json:
            print_json(entries_to_json(store, [entry])[0])
        else:
            click.echo(f"{day_key(entry.day)}/{entry.name}  {entry.title}")


@click.command()
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
            data = entries_to_json(store, entries)
            print_json(data[0] if name is not None else data)
            return
        from clipdiary.stories.query import story_refs

        refs = story_refs(store, [e.id for e in entries], include_private=True)
        for index, entry in enumerate(entries):
            if index:
                click.echo("")
            _print_entry(entry, store, refs.get(entry.id))


def _print_entry(entry: Entry, store: Store, story: StoryRef | None) -> None:
    flags = " (private)" if not entry.is_public else ""
    categories = "".join(f"[{c}]" for c in entry.categories)
    click.echo(click.style(f"{categories}{entry.title}{flags}", bold=True))
    click.echo(f"{day_key(entry.day)}/{entry.name}  {entry.created.isoformat()}")
    if entry.source:
        click.echo(f"source: {entry.source.url}")
    if story is not None:
        click.echo(f"story: {story.key}  {story.title} ({story.size} entries)")
    click.echo("")
    from clipdiary.render import entry_text

    click.echo(entry_text(entry, store.diary))


@click.command(name="list")
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
            print_json(entries_to_json(store, entries))
            return
        for entry in entries:
            flags = "  (private)" if not entry.is_public else ""
            categories = "".join(f"[{c}]" for c in entry.categories)
            click.echo(f"{day_key(entry.day)}/{entry.name:<12} {categories}{entry.title}{flags}")


@click.command(name="day-title")
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


@click.command(name="search", cls=DashedArgumentCommand)
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
            from clipdiary.store.media import images_of

            images = images_of(store, [hit.entry.id for hit in results.hits])
            data = page_to_json(results, store.diary, images=images)
            add_related_and_stories(store, [hit.entry for hit in results.hits], data["results"])
            print_json(data)
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
