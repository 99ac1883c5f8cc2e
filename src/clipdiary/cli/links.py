"""``clipdiary check-links``: look at every clip's source again (clip/linkcheck.py).

Until background jobs exist, run it weekly from cron or a systemd timer, e.g.
``0 4 * * 1 clipdiary check-links --diary /srv/diary``.
"""

from __future__ import annotations

import click

from clipdiary.model import day_key, parse_day

from .common import Target, json_option, pass_target, print_json


@click.command(name="check-links")
@click.option("--since", help="Only the clips from this day on (YYYYMMDD or YYYY-MM-DD).")
@click.option(
    "--delay",
    type=click.FloatRange(0, 60),
    default=1.0,
    show_default=True,
    help="Seconds between two requests to the same site.",
)
@json_option
@pass_target
def check_links_command(target: Target, since: str | None, delay: float, as_json: bool) -> None:
    """Check each clip's source: gone (404/410), moved, changed, or fine.

    What is found shows on the entry for the owner and in its JSON (source_status).

    Example: clipdiary check-links --since 20260101
    """
    from clipdiary.clip.linkcheck import LinkCheck, check_links
    from clipdiary.entry_json import source_status_json

    first_day = parse_day(since) if since else None

    def say(result: LinkCheck) -> None:
        if as_json:
            return
        entry, status = result.entry, result.status
        detail = f"  {status.detail}" if status.detail else ""
        click.echo(f"{day_key(entry.day)}/{entry.name:<12} {status.state:<11}{detail}")

    with target.store() as store:
        results = check_links(store, since=first_day, delay=delay, on_checked=say)
    if as_json:
        print_json(
            [
                {
                    "day": r.entry.day.isoformat(),
                    "name": r.entry.name,
                    "source": r.entry.source.url if r.entry.source else None,
                    "source_status": source_status_json(r.status),
                }
                for r in results
            ]
        )
        return
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status.state] = counts.get(r.status.state, 0) + 1
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no clips"
    click.echo(f"Checked {len(results)} source(s): {summary}.")
