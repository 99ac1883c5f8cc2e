"""Publishing: ``build`` (static files, once or ``--watch``), ``serve``, ``demo``."""

from __future__ import annotations

import json
import sys
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import Target, folder_diary, json_option, pass_target, print_json

if TYPE_CHECKING:
    from clipdiary.site.build import BuildOptions, BuildReport
    from clipdiary.site.content import DiaryReader


@click.command()
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


@click.command()
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
@click.option(
    "--behind-proxy",
    metavar="ADDRESSES",
    default=None,
    help="Trust X-Forwarded-For and X-Forwarded-Proto from these proxy addresses "
    "(comma-separated, '*' for any); by default no forwarded header is trusted.",
)
@click.option("--access-log/--no-access-log", default=True, show_default=True)
@pass_target
def serve(
    target: Target,
    host: str,
    port: int,
    workers: int,
    secure_cookies: bool,
    behind_proxy: str | None,
    access_log: bool,
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
        behind_proxy=behind_proxy,
        access_log=access_log,
    )


@click.command()
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the demo diary is made (reused as it is if it is there already); "
    "default: this folder if it holds the demo diary, else ./clipdiary-demo.",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Only make the diary; do not serve it.")
def demo(folder: Path | None, host: str, port: int, no_serve: bool) -> None:
    """Make a demo diary from the bundled sample news and serve it."""
    from clipdiary.demo import is_demo_folder, make_demo
    from clipdiary.web.listen import check_can_listen
    from clipdiary.web.serve import run

    if folder is None:
        here = folder_diary()
        folder = here if here is not None and is_demo_folder(here) else Path("clipdiary-demo")
    if not no_serve:
        check_can_listen(host, port)  # before the demo is made, not after
    made = make_demo(folder)
    where = made.folder.resolve()
    if made.password is None:
        click.echo(
            f"Reusing the demo diary in {where}: {made.entries} entries, nothing in it changed."
        )
        click.echo(
            "Its owner password is the one printed when it was made; "
            f"'clipdiary passwd --diary {where}' sets a new one."
        )
        click.echo("For a fresh demo, give another folder: clipdiary demo --folder NEW-FOLDER")
    else:
        click.echo(f"Demo diary with {made.entries} entries in {where}")
        click.echo(f"Owner password for this demo: {made.password}")
    if no_serve:
        return
    click.echo(f"Serving it at http://{host}:{port}/  (Ctrl-C to stop)")
    run(made.folder, None, None, host=host, port=port)
