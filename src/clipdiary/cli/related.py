"""Related links: ``related`` lists an entry's, ``relink`` recomputes them all, then the
stories (restory), since stories are found from the links."""

from __future__ import annotations

import click

from clipdiary.model import day_key, parse_day

from .common import (
    Target,
    json_option,
    parse_entry_address,
    pass_target,
    print_json,
    progress_bar,
)
from .stories import restory_json, restory_line


@click.command()
@click.argument("address", metavar="YYYYMMDD/NAME")
@json_option
@pass_target
def related(target: Target, address: str, as_json: bool) -> None:
    """List the earlier entries about the same story, newest first (any language)."""
    from clipdiary.entry_json import related_json
    from clipdiary.related.query import related_of
    from clipdiary.related.relink import stale_count
    from clipdiary.stories.query import story_refs
    from clipdiary.urls import Urls

    day, name = parse_entry_address(address)
    with target.store() as store:
        links = related_of(store, day, name, include_private=True)
        stale = stale_count(store)
        ids = [store.get_entry(link.day, link.name).id for link in links] if not as_json else []
        refs = story_refs(store, ids, include_private=True)
    if stale:
        click.echo(
            f"clipdiary: {stale} entries have no current vector; run 'clipdiary relink'",
            err=True,
        )
    if as_json:
        # The shape of an entry's "related" (show --json, the API's .../related), as is.
        print_json(related_json(links, Urls()))
        return
    if not links:
        click.echo("No related entries.")
    for link, entry_id in zip(links, ids, strict=True):
        lang = f"[{link.lang}] " if link.lang else ""
        ref = refs.get(entry_id)
        story = f"  ({ref.key})" if ref is not None else ""
        click.echo(
            f"{day_key(link.day)}/{link.name:<12} {link.score:.2f}  {lang}{link.title}{story}"
        )


@click.command()
@click.option("--since", help="Only recompute the links of entries from this day on (YYYYMMDD).")
@json_option
@pass_target
def relink(target: Target, since: str | None, as_json: bool) -> None:
    """Recompute every related link (embeds what is new or stale; resumes if interrupted),
    then every story from the new links, keeping what the owner decided."""
    from clipdiary.formats.story_records import story_items, take_back_numbers
    from clipdiary.related.relink import relink as run_relink
    from clipdiary.stories.restory import restory

    with target.store() as store, progress_bar(enabled=not as_json) as progress:
        # Stories are found again as on arrival, and keep their numbers where they hold.
        before = story_items(store)
        report = run_relink(
            store,
            since=parse_day(since) if since else None,
            progress=progress,
            fresh_stories=True,
        )
        stories = restory(store, progress=progress)
        take_back_numbers(store, before)
    if as_json:
        print_json(
            {
                "embedded": report.embedded,
                "linked": report.linked,
                "resumed": report.resumed,
                "since": report.since.isoformat() if report.since else None,
                "stories": restory_json(stories),
            }
        )
        return
    resumed = " (resumed an interrupted run)" if report.resumed else ""
    click.echo(f"Embedded {report.embedded} entries, linked {report.linked}{resumed}.")
    click.echo(f"Then found the stories again: {restory_line(stories)}")
