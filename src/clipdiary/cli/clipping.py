"""Clipping pages: ``clip``, ``reextract``, and ``render`` (notation to HTML)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from clipdiary.errors import AlreadyClipped, Conflict, UsageError
from clipdiary.model import Entry, Visibility, day_key, parse_day

from .common import Target, entries_to_json, json_option, parse_address, pass_target, print_json


@click.command()
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
@click.option("--private", is_flag=True, help="Only the owner will see it.")
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
    private: bool,
    as_json: bool,
) -> None:
    """Clip an article from a URL (or a saved page) into the diary."""
    from clipdiary.clip.pipeline import clip_html, clip_url

    when = parse_day(day) if day else None
    visibility: Visibility = "private" if private else "public"
    with target.store() as store:
        try:
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
                    visibility=visibility,
                )
            elif url:
                result = clip_url(
                    store,
                    url,
                    note=note,
                    categories=categories,
                    day=when,
                    again=again,
                    visibility=visibility,
                )
            else:
                raise UsageError("give the URL to clip, or --file page.html --url URL")
        except AlreadyClipped as exc:
            raise Conflict(f"{exc}; to clip it once more, add --again") from exc
        for warning in result.warnings:
            click.echo(f"clipdiary: warning: {warning}", err=True)
        entry = result.entry
        if as_json:
            print_json(entries_to_json(store, [entry])[0])
        else:
            flags = "  (private)" if not entry.is_public else ""
            click.echo(f"{day_key(entry.day)}/{entry.name}  {entry.title}{flags}")


@click.command()
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


@click.command()
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
