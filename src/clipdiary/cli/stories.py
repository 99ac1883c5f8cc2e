"""Stories: ``stories`` lists them, ``story ID`` shows one with its timeline, ``story
rename|merge|move|apart`` carry out the owner's decisions, ``restory`` finds them all again.

``clipdiary story s17`` and ``clipdiary story rename s17 …`` share the verb: a story id
where a sub-verb is expected means ``story show``. The command line is the owner: private
entries are in the stories it shows, and marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from clipdiary.model import day_key

from .common import (
    Target,
    json_option,
    parse_entry_address,
    pass_target,
    print_json,
    progress_bar,
)

if TYPE_CHECKING:
    import datetime as dt

    from clipdiary.model import Story
    from clipdiary.store import Store
    from clipdiary.stories.restory import RestoryReport


def _story_json(story: Story) -> dict[str, Any]:
    # Imported on use: entry_json brings the notation renderer, which most verbs never need.
    from clipdiary.entry_json import story_to_json

    return story_to_json(story)


def restory_json(report: RestoryReport) -> dict[str, int]:
    return {
        "stories": report.stories,
        "kept": report.kept,
        "new": report.new,
        "removed": report.removed,
        "moved": report.moved,
    }


def restory_line(report: RestoryReport) -> str:
    moved = "1 entry" if report.moved == 1 else f"{report.moved} entries"
    return (
        f"{report.stories} stor{'y' if report.stories == 1 else 'ies'} "
        f"({report.kept} kept, {report.new} new, {report.removed} removed); {moved} moved."
    )


def _span(first: dt.date, last: dt.date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"


def _address(day: dt.date, name: str) -> str:
    return f"{day_key(day)}/{name}"


# -- stories ------------------------------------------------------------------------------


@click.command()
@click.option("--limit", "-n", type=click.IntRange(min=1), default=50, show_default=True)
@json_option
@pass_target
def stories(target: Target, limit: int, as_json: bool) -> None:
    """List the stories, the one most recently added to first."""
    from clipdiary.stories.query import list_stories, story_langs_and_last
    from clipdiary.urls import Urls

    with target.store() as store:
        refs = list_stories(store, include_private=True, limit=limit)
        extras = story_langs_and_last(store, [r.number for r in refs], include_private=True)
    rows = []
    for ref in refs:
        langs, last = extras.get(ref.number, ((), ref.first_day))
        rows.append((ref, langs, last))
    if as_json:
        urls = Urls()
        print_json(
            [
                {
                    "id": ref.key,
                    "title": ref.title,
                    "url": urls.story(ref.number),
                    "size": ref.size,
                    "first_day": ref.first_day.isoformat(),
                    "last_day": last.isoformat(),
                    "langs": list(langs),
                }
                for ref, langs, last in rows
            ]
        )
        return
    if not rows:
        click.echo("No stories yet.")
    for ref, langs, last in rows:
        span = _span(ref.first_day, last)
        click.echo(
            f"{ref.key:<6}{ref.size:>4} entries  {span:<23}  {' '.join(langs):<5}  {ref.title}"
        )


# -- story ID, story rename|merge|move|apart -----------------------------------------------


class StoryGroup(click.Group):
    """A group whose first word may be a story id instead of a sub-verb: ``story s17``."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands:
            return "show", self.commands["show"], args
        return super().resolve_command(ctx, args)


@click.group(cls=StoryGroup, subcommand_metavar="ID | COMMAND [ARGS]...")
def story() -> None:
    """Show a story (clipdiary story s17), or change it: rename, merge, move an entry,
    keep two entries apart. What you decide here every later recomputation keeps."""


def _show_story(store: Store, number: int, as_json: bool) -> None:
    from clipdiary.stories.query import get_story

    found = get_story(store, number, include_private=True)
    if as_json:
        print_json(_story_json(found))
        return
    yours = "  (your title)" if found.owner_title else ""
    click.echo(click.style(f"{found.key}  {found.title}{yours}", bold=True))
    if found.other_title and found.other_title != found.title:
        click.echo(f"    {found.other_title}")
    langs = " ".join(found.langs)
    count = "1 entry" if found.size == 1 else f"{found.size} entries"
    click.echo(f"{count}, {_span(found.first_day, found.last_day)}{', ' + langs if langs else ''}")
    click.echo("")
    for e in found.entries:
        lang = f"[{e.lang}] " if e.lang else ""
        flags = "  (private)" if not e.is_public else ""
        click.echo(f"{_address(e.day, e.name):<24} {lang}{e.title}{flags}")


@story.command(name="show")
@click.argument("story_id", metavar="ID")
@json_option
@pass_target
def story_show(target: Target, story_id: str, as_json: bool) -> None:
    """Show a story with its timeline, oldest first (also: clipdiary story ID)."""
    from clipdiary.stories.query import parse_story_key

    number = parse_story_key(story_id)
    with target.store() as store:
        _show_story(store, number, as_json)


@story.command(name="rename")
@click.argument("story_id", metavar="ID")
@click.argument("title")
@json_option
@pass_target
def story_rename(target: Target, story_id: str, title: str, as_json: bool) -> None:
    """Give the story your title ("" gives it the chosen title back).

    Example: clipdiary story rename s17 "シリア停戦"
    """
    from clipdiary.stories import owner
    from clipdiary.stories.query import get_story, parse_story_key

    number = parse_story_key(story_id)
    with target.store() as store:
        owner.rename(store, number, title)
        found = get_story(store, number, include_private=True)
    if as_json:
        print_json(_story_json(found))
    elif found.owner_title:
        click.echo(f"{found.key} is titled: {found.title}")
    else:
        click.echo(f"{found.key} has its chosen title again: {found.title}")


@story.command(name="merge")
@click.argument("story_ids", nargs=-1, metavar="ID ID...")
@json_option
@pass_target
def story_merge(target: Target, story_ids: tuple[str, ...], as_json: bool) -> None:
    """Merge stories into the first one named; its entries stay together from then on.

    Example: clipdiary story merge s17 s21
    """
    from clipdiary.stories import owner
    from clipdiary.stories.query import get_story, parse_story_key

    numbers = [parse_story_key(i) for i in story_ids]
    with target.store() as store:
        kept = owner.merge(store, numbers)
        found = get_story(store, kept, include_private=True)
    if as_json:
        print_json(_story_json(found))
        return
    others = ", ".join(f"s{n}" for n in dict.fromkeys(numbers) if n != kept)
    click.echo(f"Merged {others} into {found.key} ({found.size} entries): {found.title}")


@story.command(name="move")
@click.argument("address", metavar="YYYYMMDD/NAME")
@click.option("--to", "to", metavar="ID", help="The story to move the entry to, e.g. s17.")
@click.option("--alone", is_flag=True, help="Into a story of its own that nothing else joins.")
@json_option
@pass_target
def story_move(target: Target, address: str, to: str | None, alone: bool, as_json: bool) -> None:
    """Move an entry to another story (--to ID), or into one of its own (--alone).

    Example: clipdiary story move 20160905/1473071774 --to s17
    """
    from clipdiary.errors import UsageError
    from clipdiary.stories import owner
    from clipdiary.stories.query import get_story, parse_story_key

    if to is not None and alone:
        raise UsageError("give --to ID or --alone, not both")
    if to is None and not alone:
        raise UsageError("move needs either a story (--to s17) or --alone")
    day, name = parse_entry_address(address)
    number = parse_story_key(to) if to is not None else None
    with target.store() as store:
        placed = owner.move(store, day, name, to=number, alone=alone)
        found = get_story(store, placed, include_private=True)
    if as_json:
        print_json(_story_json(found))
    elif alone:
        click.echo(f"Moved {_address(day, name)} into a story of its own, {found.key}.")
    else:
        click.echo(
            f"Moved {_address(day, name)} to {found.key} ({found.size} entries): {found.title}"
        )


@story.command(name="apart")
@click.argument("first", metavar="YYYYMMDD/NAME")
@click.argument("second", metavar="YYYYMMDD/NAME")
@json_option
@pass_target
def story_apart(target: Target, first: str, second: str, as_json: bool) -> None:
    """Keep two entries apart: never in one story, now or after any recomputation.

    Example: clipdiary story apart 20160905/1473071774 20160912/1473650000
    """
    from clipdiary.entry_json import story_json
    from clipdiary.stories import owner
    from clipdiary.stories.query import story_refs
    from clipdiary.urls import Urls

    pair = (parse_entry_address(first), parse_entry_address(second))
    with target.store() as store:
        owner.apart(store, *pair)
        entries = [store.get_entry(day, name) for day, name in pair]
        refs = story_refs(store, [e.id for e in entries], include_private=True)
    placed = [(_address(e.day, e.name), refs.get(e.id)) for e in entries]
    if as_json:
        urls = Urls()
        print_json({"entries": [{"entry": a, "story": story_json(ref, urls)} for a, ref in placed]})
        return
    click.echo(f"{placed[0][0]} and {placed[1][0]} are kept apart.")
    for address, ref in placed:
        where = f"in {ref.key} ({ref.size} entries): {ref.title}" if ref else "in no story"
        click.echo(f"  {address} {where}")


# -- restory ------------------------------------------------------------------------------


@click.command()
@json_option
@pass_target
def restory(target: Target, as_json: bool) -> None:
    """Find every story again from the related links; ids that still hold are kept, and
    what you decided (titles, merges, moves, entries kept apart) stays."""
    from clipdiary.stories.restory import restory as run_restory

    with target.store() as store, progress_bar(enabled=not as_json) as progress:
        report = run_restory(store, progress=progress)
    if as_json:
        print_json(restory_json(report))
    else:
        click.echo(f"Stories: {restory_line(report)}")
