"""Static build benchmark: ``clipdiary build`` against Debian's Hugo on the same diary.

For each size the script generates one diary (``corpus.py``: Japanese and English clips
over eight years, one or two categories each, 5% private) into a SQLite store, and the same
public entries as a Hugo site of Markdown files with an equivalent simple layout: a page
per entry at ``/YYYYMMDD/NAME/``, a page per day and per month (Hugo taxonomies ``days``
and ``months``, whose term pages list their entries in full), category pages of 20 entries
(paginated, with a feed each), the home page (the latest 20 entries) and its feed. Then it
builds both in the same run, each as its own process, and prints wall time, pages/s and
the peak resident memory of the process (for clipdiary, its largest process: the parent
or one of its workers); then it adds one entry and times the rebuild of both (clipdiary
incrementally, Hugo from scratch as it always does). Last, with ``clipdiary build --watch``
running, it adds one more entry and prints the rebuild as the watcher timed it and the
time from the write's commit to the rebuilt site on disk.

    python bench/build_bench.py                       # 10,000 and 100,000 entries
    python bench/build_bench.py --entries 2000 --keep /tmp/bb

Bars (issue 8): full build within 1.5x Hugo's time; the one-entry incremental rebuild at
least 20x faster than Hugo's full build. Needs ``hugo`` (apt-get install hugo).
"""

# ruff: noqa: E501  (the Hugo templates are kept on one line each, as written)
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate_entries

from clipdiary.model import Diary, Entry, NewEntry, Source, day_key
from clipdiary.store import Store, create_diary

HUGO_CONFIG = """\
baseURL = "http://example.org/"
title = "Bench diary"
languageCode = "ja"
disableKinds = ["sitemap", "robotsTXT"]
paginate = 20
[taxonomies]
category = "categories"
day = "days"
month = "months"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
[permalinks]
posts = "/:slug/"
"""

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title>
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | relURL }}"></head>
<body><header><h1><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></h1>
<nav><a href="{{ "/categories/" | relURL }}">Archive</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>
""",
    "partials/entry.html": """<section class="entry" id="{{ .Params.name }}">
<h3><a href="{{ .RelPermalink }}">■</a>{{ range .Params.categories }}<a href="{{ "/categories/" | relURL }}{{ . | urlize }}/">[{{ . }}]</a>{{ end }}{{ .Title }}</h3>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "15:04" }}</time>
{{ with .Params.source }}<a href="{{ . }}">{{ $.Params.site }}</a>{{ end }}</p>
<div class="body">{{ .Content }}</div></section>
""",
    "_default/single.html": """{{ define "main" }}<article class="day"><h2><a href="/{{ .Params.day }}/">{{ .Date.Format "2006-01-02" }}</a></h2>
{{ partial "entry.html" . }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}{{ range first 20 (where .Site.RegularPages "Type" "posts") }}{{ partial "entry.html" . }}{{ end }}{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }} ({{ .Count }})</a></li>{{ end }}</ul>{{ end }}
""",
    "_default/term.html": """{{ define "main" }}<h2>{{ .Title }}</h2>
{{ if eq .Data.Plural "categories" }}{{ range .Paginator.Pages }}{{ partial "entry.html" . }}{{ end }}
{{ with .Paginator.Next }}<a href="{{ .URL }}">older</a>{{ end }}
{{ else }}{{ range .Pages.ByDate }}{{ partial "entry.html" . }}{{ end }}{{ end }}{{ end }}
""",
}


@dataclass
class Run:
    seconds: float
    peak_mb: float
    pages: int


def fill(store: Store, count: int) -> None:
    store.indexers = []  # the static build reads entries only; no search or related index
    batch: list[NewEntry] = []
    for entry in generate_entries(count, seed=8):
        batch.append(entry)
        if len(batch) == 1000:
            _write(store, batch)
            batch = []
    _write(store, batch)


def _write(store: Store, batch: list[NewEntry]) -> None:
    with store.transaction():
        for entry in batch:
            store.add_entry(entry)


def hugo_site(root: Path, store: Store) -> None:
    (root / "content/posts").mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG)
    for name, text in LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    categories: set[str] = set()
    for entry in store.entries(include_private=False):
        write_markdown(root, entry)
        categories.update(entry.categories)
    for name in categories:  # a feed for each category, as clipdiary has
        folder = root / "content/categories" / name.replace("/", "-")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(
            f'---\ntitle: "{name}"\noutputs: ["HTML", "RSS"]\n---\n', encoding="utf-8"
        )


def write_markdown(root: Path, entry: Entry) -> None:
    """The entry as Markdown: the note, then the article as a block quote citing its source."""
    note, _, rest = entry.body.partition("\n>")
    _, _, article = rest.partition(">\n")
    article = article.removesuffix("<<").strip()
    lines = []
    if not note.startswith(">"):
        lines.append(note.strip())
        lines.append("")
    for paragraph in article.splitlines():
        lines.append(f"> {paragraph}")
        lines.append(">")
    source = entry.source or Source(url="")
    lines.append(f"> — [{source.site}]({source.url})")
    key = day_key(entry.day)
    title = entry.title.replace('"', '\\"')
    front = [
        "---",
        f'title: "{title}"',
        f"date: {entry.created.isoformat()}",
        f'slug: "{key}/{entry.name}"',
        f'name: "{entry.name}"',
        f'day: "{key}"',
        f'days: ["{key}"]',
        f'months: ["{key[:6]}"]',
        "categories: [" + ", ".join(f'"{c}"' for c in entry.categories) + "]",
        f'source: "{source.url}"',
        f'site: "{source.site}"',
        "---",
    ]
    path = root / "content/posts" / f"{key}-{entry.name}.md"
    path.write_text("\n".join(front + lines) + "\n", encoding="utf-8")


def run_measured(command: list[str]) -> tuple[float, float, str]:
    """Run under /usr/bin/time-like accounting: os.wait4 gives this child's own rusage."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}):\n{err.decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, out.decode()


def count_pages(folder: Path) -> int:
    """The site's pages and feeds, not clipdiary's own bookkeeping (``.clipdiary-*``)."""
    return sum(
        1
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix in ("", ".html", ".xml")
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def bench(count: int, work: Path, workers: int) -> dict[str, Run]:
    diary_dir, site_dir = work / "diary", work / "hugo"
    print(f"\n== {count:,} entries: generating the diary and the Hugo site …", flush=True)
    store = create_diary(diary_dir, None, Diary(name="bench", title="Bench diary"))
    fill(store, count)
    hugo_site(site_dir, store)
    public = store.count_entries(include_private=False)
    print(f"   {public:,} public entries", flush=True)
    runs: dict[str, Run] = {}
    out = work / "clipdiary-out"
    command = [sys.executable, "-m", "clipdiary", "--diary", str(diary_dir), "build", str(out)]
    seconds, peak, _ = run_measured([*command, "--workers", str(workers)])
    runs["clipdiary full"] = Run(seconds, peak, count_pages(out))
    hugo_out = work / "hugo-out"
    seconds, peak, _ = run_measured(["hugo", "--quiet", "-s", str(site_dir), "-d", str(hugo_out)])
    runs["hugo full"] = Run(seconds, peak, count_pages(hugo_out))
    # One new clip, then both rebuild.
    newest = store.entries(include_private=False, newest_first=True, limit=1)[0]
    new = store.add_entry(
        NewEntry(
            title="新しいクリップ: 首脳会談の続報",
            body="続報。\n>https://example.jp/new:title=続報>\n外相が会談した。\n<<",
            categories=newest.categories,
            created=newest.created + dt.timedelta(hours=1),
            source=Source(url="https://example.jp/new", site="Example", lang="ja"),
        )
    )
    seconds, peak, printed = run_measured([*command, "--json"])
    written = len(json.loads(printed)["written"])
    runs["clipdiary incremental"] = Run(seconds, peak, written)
    watched = watch_one_entry(store, command, newest)
    runs["clipdiary --watch rebuild"], runs["clipdiary --watch, write to site"] = watched[:2]
    write_markdown(site_dir, new)
    write_markdown(site_dir, watched[2])
    seconds, peak, _ = run_measured(["hugo", "--quiet", "-s", str(site_dir), "-d", str(hugo_out)])
    runs["hugo after one entry"] = Run(seconds, peak, count_pages(hugo_out))
    store.database.close()
    return runs


def watch_one_entry(store: Store, command: list[str], newest: Entry) -> tuple[Run, Run, Entry]:
    """``build --watch`` running, one more clip: the rebuild as the watcher timed it, and
    from the write's commit to the rebuilt site on disk (that adds the wait for the next
    look at the diary, every 0.05 s here)."""
    with subprocess.Popen(
        [*command, "--watch", "--interval", "0.05", "--json"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as process:
        assert process.stdout is not None
        json.loads(process.stdout.readline())  # its first build: nothing had changed
        time.sleep(1)  # let it settle into waiting, as a watcher mostly is
        new = store.add_entry(
            NewEntry(
                title="もう一つのクリップ: 首脳会談の続報",
                body="続報。\n>https://example.jp/new2:title=続報>\n外相が再び会談した。\n<<",
                categories=newest.categories,
                created=newest.created + dt.timedelta(hours=2),
                source=Source(url="https://example.jp/new2", site="Example", lang="ja"),
            )
        )
        committed = time.perf_counter()
        line = json.loads(process.stdout.readline())
        on_disk = time.perf_counter() - committed
        process.send_signal(signal.SIGTERM)  # (a background job ignores SIGINT)
        _, _status, usage = os.wait4(process.pid, 0)
        process.returncode = 0
    peak = usage.ru_maxrss / 1024
    written = len(line["written"])
    return Run(line["seconds"], peak, written), Run(on_disk, peak, written), new


def report(count: int, runs: dict[str, Run]) -> None:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nload average (1, 5, 15 min) after the runs: {load}")
    print(f"| {count:,} entries | wall s | pages | pages/s | peak MB |")
    print("|---|---:|---:|---:|---:|")
    for name, run in runs.items():
        rate = run.pages / run.seconds if run.seconds else 0.0
        pages = f"{run.pages:,}" + (
            " written" if name.startswith("clipdiary ") and "full" not in name else ""
        )
        print(f"| {name} | {run.seconds:.2f} | {pages} | {rate:,.0f} | {run.peak_mb:,.0f} |")
    full, hugo = runs["clipdiary full"].seconds, runs["hugo full"].seconds
    full_bar = "met" if full <= 1.5 * hugo else "NOT met"
    print(f"full build / Hugo = {full / hugo:.2f}x (bar <= 1.5x: {full_bar})")
    for name in (
        "clipdiary incremental",
        "clipdiary --watch rebuild",
        "clipdiary --watch, write to site",
    ):
        seconds = runs[name].seconds
        bar = "met" if hugo >= 20 * seconds else "NOT met"
        print(f"Hugo full / {name} = {hugo / seconds:.1f}x (bar >= 20x: {bar})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="Build here and keep it (default: a temp dir).")
    args = parser.parse_args()
    if shutil.which("hugo") is None:
        raise SystemExit("hugo is not installed (apt-get install hugo)")
    version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
    print(f"{version}; {os.cpu_count()} CPUs; clipdiary workers: {args.workers}")
    for count in args.entries:
        if args.keep:
            work = args.keep / str(count)
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            report(count, bench(count, work, args.workers))
        else:
            with tempfile.TemporaryDirectory(prefix="build-bench-") as folder:
                report(count, bench(count, Path(folder), args.workers))


if __name__ == "__main__":
    main()
