"""Serving benchmark: a 10,000-entry diary, the real server, ``wrk`` on loopback.

For each backend (SQLite, PostgreSQL) the script fills one diary through the ``Store`` API
with realistic Japanese and English clip entries spread over about three years, then, for
each worker count, starts ``clipdiary serve`` as a subprocess and drives three pages with
``wrk``: the top page, a day page and a permalink. It prints requests/s and latency
percentiles (p95 comes from a small wrk Lua ``done()`` hook written at run time) beside the
target of 1,000 requests/s for a day page.

Any response that is not 2xx, any socket error, or a server that dies, makes the run fail
with exit status 1.

    python bench/serve_bench.py                         # 10,000 entries, both backends
    python bench/serve_bench.py --entries 2000 --duration 5 --backends sqlite --workers 1
    python bench/serve_bench.py --profile /tmp/prof     # also py-spy the day page

Needs ``wrk`` (apt-get install wrk) and, for PostgreSQL, Debian's server binaries
(apt-get install postgresql); ``--profile`` needs ``py-spy`` (pip install py-spy).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from clipdiary.model import Diary, NewEntry, Source, day_key  # noqa: E402
from clipdiary.store import Store, create_diary  # noqa: E402
from clipdiary.store.indexers import bulk_writes  # noqa: E402

TARGET_DAY_RPS = 1000.0
ZONE = ZoneInfo("Asia/Tokyo")
DIARY = Diary(
    name="bench",
    title="clipdiary benchmark diary",
    timezone="Asia/Tokyo",
    day_starts_at=6,
)
BATCH = 500

# wrk calls done() once at the end; latency figures are in microseconds.
WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH-RESULT requests=%d duration_us=%d bytes=%d status=%d connect=%d read=%d "
    .. "write=%d timeout=%d",
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read,
    e.write, e.timeout))
  for _, p in ipairs({50, 75, 90, 95, 99}) do
    io.write(string.format(" p%d=%d", p, latency:percentile(p)))
  end
  io.write(string.format(" max=%d mean=%.1f\\n", latency.max, latency.mean))
end
"""


class BenchError(RuntimeError):
    """Something that makes the figures meaningless: the run stops and says why."""


# -- a realistic diary ----------------------------------------------------------------------

EN_SITES = [
    ("World Report", "https://world.example.com"),
    ("The Daily Ledger", "https://ledger.example.org"),
    ("Global Wire", "https://wire.example.net"),
    ("Eurasia Review Online", "https://eurasia.example.com"),
]
JA_SITES = [
    ("東西新聞", "https://www.tozai.example.jp"),
    ("日本経済タイムズ", "https://nikkei-times.example.jp"),
    ("共報通信", "https://kyoho.example.jp"),
    ("NHKニュース例", "https://news.example.jp"),
]
CATEGORIES = [
    "Russia",
    "Syria",
    "US",
    "China",
    "Japan",
    "EU",
    "Korea",
    "Ukraine",
    "Energy",
    "経済",
    "外交",
    "エネルギー",
    "技術",
    "中東",
    "選挙",
    "安全保障",
]
EN_SUBJECTS = [
    "Russia",
    "The United States",
    "China",
    "Japan",
    "The European Union",
    "Turkey",
    "Iran",
    "South Korea",
    "The G20",
    "NATO",
    "The UN Security Council",
    "Germany",
]
EN_VERBS = [
    "may reach agreement on",
    "rejects proposal on",
    "signals shift over",
    "holds talks about",
    "announces new sanctions over",
    "calls for ceasefire in",
    "agrees to review",
    "warns against escalation in",
]
EN_TOPICS = [
    "Syria",
    "gas pipeline",
    "trade tariffs",
    "the nuclear deal",
    "grain exports",
    "the Arctic route",
    "rare earths",
    "the summit agenda",
    "oil output",
    "chip exports",
]
JA_SUBJECTS = [
    "ロシア",
    "米国",
    "中国",
    "日本政府",
    "EU",
    "トルコ",
    "イラン",
    "韓国",
    "G20",
    "国連",
]
JA_TOPICS = [
    "シリア停戦",
    "ガス供給",
    "関税交渉",
    "核合意",
    "穀物輸出",
    "北極航路",
    "レアアース",
    "首脳会談",
    "原油減産",
    "半導体輸出",
]
JA_VERBS = ["で合意へ", "を巡り協議", "に反発", "で新提案", "の見直し表明", "で警告", "を延期"]
EN_SENTENCES = [
    "Officials said the talks in {place} had made more progress than expected.",
    "The minister told reporters that {subject} was ready to compromise on {topic}.",
    "Analysts cautioned that any agreement would depend on verification measures.",
    "Markets reacted calmly, with the currency little changed in late trading.",
    "A spokesperson declined to comment on the details of the draft text.",
    "Diplomats from both sides are expected to meet again next week in {place}.",
    "The statement follows months of tension over {topic} and related issues.",
    "Critics in parliament called the move premature and demanded a full debate.",
    "According to the ministry, the first shipments could start as early as spring.",
    "Observers noted that the wording was softer than in previous communiqués.",
]
JA_SENTENCES = [
    "{subject}の外相は{place}で記者団に対し、{topic}について前向きな見方を示した。",
    "関係者によると、協議は予定より長引き、深夜まで続いたという。",
    "市場の反応は限定的で、円相場はほぼ横ばいで推移した。",
    "専門家は合意の実効性には検証の仕組みが欠かせないと指摘している。",
    "政府筋は詳細について明らかにしなかったが、来週にも再協議する見通しだ。",
    "野党側は拙速だとして、国会での十分な審議を求めている。",
    "{topic}を巡っては数カ月にわたり緊張が続いていた。",
    "声明の表現は前回よりも穏やかなものになったとの見方が出ている。",
]
PLACES = ["Hangzhou", "Geneva", "Vienna", "Moscow", "Tokyo", "Brussels", "Ankara", "Beijing"]
PLACES_JA = [
    "杭州",
    "ジュネーブ",
    "ウィーン",
    "モスクワ",
    "東京",
    "ブリュッセル",
    "アンカラ",
    "北京",
]
NOTES_EN = [
    "Same story as yesterday's Japanese report, with more detail on the timetable.",
    "Worth keeping: the first official confirmation.",
    "Compare with the earlier clip; the numbers differ.",
    "Follow-up to the summit coverage.",
]
NOTES_JA = [
    "昨日の英語記事と同じ話題。日程の詳細が載っている。",
    "公式に確認された初めての報道。",
    "以前のクリップと数字が違うので要確認。",
    "首脳会談の続報。",
]


def _paragraph(rng: random.Random, lang: str, subject: str, topic: str) -> str:
    if lang == "ja":
        place = rng.choice(PLACES_JA)
        chosen = rng.sample(JA_SENTENCES, rng.randint(2, 4))
    else:
        place = rng.choice(PLACES)
        chosen = rng.sample(EN_SENTENCES, rng.randint(2, 4))
    return "".join(
        s.format(subject=subject, topic=topic, place=place) + ("" if lang == "ja" else " ")
        for s in chosen
    ).strip()


def make_entry(rng: random.Random, created: dt.datetime, serial: int) -> NewEntry:
    """One clip entry: a note, a quote block citing its source, sometimes a link list."""
    lang = "ja" if rng.random() < 0.5 else "en"
    if lang == "ja":
        subject, topic = rng.choice(JA_SUBJECTS), rng.choice(JA_TOPICS)
        title = f"{subject}、{topic}{rng.choice(JA_VERBS)}"
        site, base = rng.choice(JA_SITES)
        note = rng.choice(NOTES_JA)
    else:
        subject, topic = rng.choice(EN_SUBJECTS), rng.choice(EN_TOPICS)
        title = f"{subject} {rng.choice(EN_VERBS)} {topic}"
        site, base = rng.choice(EN_SITES)
        note = rng.choice(NOTES_EN)
    published = created - dt.timedelta(minutes=rng.randint(20, 600))
    url = f"{base}/{published:%Y/%m/%d}/article-{serial:06d}"
    lines = [note]
    if rng.random() < 0.15:
        lines.append(
            "(("
            + (
                "注: 見出しは後で修正された。"
                if lang == "ja"
                else "The headline was changed later."
            )
            + "))"
        )
    lines += ["", f">{url}:title={title}>"]
    lines += [_paragraph(rng, lang, subject, topic) for _ in range(rng.randint(2, 4))]
    lines.append("<<")
    if rng.random() < 0.3:
        lines.append("")
        for k in range(rng.randint(1, 3)):
            other_site, other_base = rng.choice(EN_SITES + JA_SITES)
            lines.append(f"- [{other_base}/related/{serial}-{k}:title={other_site}]")
    return NewEntry(
        title=title,
        body="\n".join(lines) + "\n",
        categories=tuple(rng.sample(CATEGORIES, rng.choice((1, 1, 2, 2, 3)))),
        visibility="private" if rng.random() < 0.05 else "public",
        created=created,
        source=Source(url=url, site=site, lang=lang, published=published),
    )


def entry_times(rng: random.Random, count: int, end: dt.date) -> list[dt.datetime]:
    """``count`` moments over about three years; days vary from quiet to busy."""
    days = 3 * 365
    start = end - dt.timedelta(days=days - 1)
    weights = [rng.expovariate(1.0) if rng.random() < 0.92 else 0.0 for _ in range(days)]
    weights[-1] = max(weights[-1], 1.0)  # the newest day always has something
    picked = rng.choices(range(days), weights=weights, k=count)
    moments = []
    for offset in picked:
        day = start + dt.timedelta(days=offset)
        # the diary's day starts at 6:00; people clip from morning to past midnight
        minutes = rng.randint(6 * 60 + 30, 25 * 60 + 30)
        local = dt.datetime(day.year, day.month, day.day, tzinfo=ZONE)
        moments.append(local + dt.timedelta(minutes=minutes, seconds=rng.randint(0, 59)))
    moments.sort()
    return moments


def fill(store: Store, count: int, seed: int) -> float:
    rng = random.Random(seed)
    moments = entry_times(rng, count, dt.date(2016, 9, 5))
    started = time.perf_counter()
    # As an import does: related links are embedded in one batch at the end, so the pages
    # carry their related lists as in a real diary.
    with bulk_writes(store):
        for batch_start in range(0, count, BATCH):
            with store.transaction():
                for serial in range(batch_start, min(batch_start + BATCH, count)):
                    store.add_entry(make_entry(rng, moments[serial], serial))
    return time.perf_counter() - started


@dataclasses.dataclass(frozen=True)
class Targets:
    """The three addresses measured, chosen from what the diary holds."""

    top: str
    day: str
    day_entries: int
    permalink: str

    def pages(self) -> list[tuple[str, str]]:
        return [("top", self.top), ("day", self.day), ("permalink", self.permalink)]


def choose_targets(store: Store) -> Targets:
    """A day with a typical number of public entries (the median), and one of them."""
    headings = store.headings(include_private=False)
    per_day = Counter(h.day for h in headings)
    counts = sorted(per_day.values())
    median = counts[len(counts) // 2]
    day = max(d for d, n in per_day.items() if n == median)
    entry = next(h for h in headings if h.day == day)
    return Targets("/", f"/{day_key(day)}", median, f"/{day_key(day)}/{entry.name}")


# -- backends -------------------------------------------------------------------------------


@dataclasses.dataclass
class Backend:
    name: str
    serve_args: list[str]
    targets: Targets
    fill_seconds: float
    summary: str


@contextlib.contextmanager
def sqlite_backend(entries: int, seed: int) -> Iterator[Backend]:
    folder = Path(tempfile.mkdtemp(prefix="clipdiary-bench-"))
    try:
        store = create_diary(folder, None, DIARY)
        try:
            seconds = fill(store, entries, seed)
            backend = Backend(
                "sqlite", ["--diary", str(folder)], choose_targets(store), seconds, _describe(store)
            )
        finally:
            store.database.close()
        yield backend
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def postgresql_backend(entries: int, seed: int) -> Iterator[Backend]:
    from tests.pgserver import running_server

    with running_server() as server:
        url = server.create_database()
        store = create_diary(None, url, DIARY)
        try:
            seconds = fill(store, entries, seed)
            # A live server's autovacuum would have analysed the tables within a minute.
            with store.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
            backend = Backend(
                "postgresql", ["--db", url], choose_targets(store), seconds, _describe(store)
            )
        finally:
            store.database.close()
        yield backend


def _describe(store: Store) -> str:
    total = store.count_entries(include_private=True)
    public = store.count_entries(include_private=False)
    days = store.count_days(include_private=False)
    return f"{total} entries ({total - public} private) on {days} public days"


BACKENDS = {"sqlite": sqlite_backend, "postgresql": postgresql_backend}


# -- the server and wrk ---------------------------------------------------------------------


def free_port() -> int:
    from tests.pgserver import free_port as pick

    return pick()


@contextlib.contextmanager
def running_server(serve_args: Sequence[str], workers: int, log: Path) -> Iterator[ServerProc]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "clipdiary",
        *serve_args,
        "serve",
        "--port",
        str(port),
        "--no-access-log",
        "--workers",
        str(workers),
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        server = ServerProc(process, f"http://127.0.0.1:{port}", log)
        try:
            server.wait_ready()
            yield server
        finally:
            server.stop()


@dataclasses.dataclass
class ServerProc:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                status = httpx.get(self.base_url + "/", timeout=5).status_code
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            if status != 200:
                raise BenchError(f"the top page answered {status}; log:\n{self.log_tail()}")
            return
        raise BenchError(f"the server did not answer within 60 s; log:\n{self.log_tail()}")

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise BenchError(
                f"the server exited with status {self.process.returncode}; log:\n{self.log_tail()}"
            )

    def log_tail(self) -> str:
        return self.log.read_text("utf-8", "replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def check_page(url: str) -> int:
    """The page answers 200 itself (no redirect, no error page); its size in bytes."""
    response = httpx.get(url, timeout=30, headers={"Accept-Encoding": "identity"})
    if response.status_code != 200:
        raise BenchError(f"{url} answered {response.status_code}, not 200")
    return len(response.content)


@dataclasses.dataclass(frozen=True)
class Result:
    backend: str
    workers: int
    page: str
    path: str
    html_bytes: int
    requests: int
    rps: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int


def run_wrk(
    url: str, *, duration: float, threads: int, connections: int, lua: Path
) -> dict[str, float]:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(lua),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH-RESULT ")), None)
    if line is None:
        raise BenchError(f"wrk printed no result line:\n{done.stdout}\n{done.stderr}")
    figures = {k: float(v) for k, v in (p.split("=", 1) for p in line.split()[1:])}
    # wrk's own text line counts the same thing; keep both honest
    for text in done.stdout.splitlines():
        if "Non-2xx or 3xx responses" in text:
            figures["status"] = max(figures["status"], float(text.rsplit(":", 1)[1]))
    return figures


def measure(
    backend: Backend, workers: int, args: argparse.Namespace, lua: Path, workdir: Path
) -> list[Result]:
    results = []
    log = workdir / f"server-{backend.name}-{workers}.log"
    with running_server(backend.serve_args, workers, log) as server:
        for page, path in backend.targets.pages():
            url = server.base_url + path
            size = check_page(url)
            # warm up: fill the connection pool, the template and render caches
            run_wrk(
                url,
                duration=min(2.0, args.duration),
                threads=args.threads,
                connections=args.connections,
                lua=lua,
            )
            figures = run_wrk(
                url,
                duration=args.duration,
                threads=args.threads,
                connections=args.connections,
                lua=lua,
            )
            server.check_alive()
            seconds = figures["duration_us"] / 1e6
            errors = int(
                figures["connect"] + figures["read"] + figures["write"] + figures["timeout"]
            )
            result = Result(
                backend.name,
                workers,
                page,
                path,
                size,
                int(figures["requests"]),
                figures["requests"] / seconds if seconds else 0.0,
                figures["p50"] / 1000,
                figures["p75"] / 1000,
                figures["p90"] / 1000,
                figures["p95"] / 1000,
                figures["p99"] / 1000,
                figures["max"] / 1000,
                int(figures["status"]),
                errors,
            )
            print(
                f"  {backend.name:<10} workers={workers} {page:<9} {path:<28} "
                f"{result.rps:8.1f} req/s  p95 {result.p95_ms:7.1f} ms",
                flush=True,
            )
            results.append(result)
            if page == "day" and args.profile is not None:
                profile_run(server, url, args, lua, args.profile / f"{backend.name}-w{workers}")
    return results


# -- profiling ------------------------------------------------------------------------------


def profile_run(
    server: ServerProc, url: str, args: argparse.Namespace, lua: Path, out: Path
) -> None:
    """One more day-page run with py-spy sampling the server; prints the top functions."""
    py_spy = shutil.which("py-spy")
    if py_spy is None:
        raise BenchError("--profile needs py-spy on PATH (pip install py-spy)")
    out.parent.mkdir(parents=True, exist_ok=True)
    raw = out.with_suffix(".txt")
    seconds = max(1, round(args.duration))
    spy = subprocess.Popen(
        [
            py_spy,
            "record",
            "--pid",
            str(server.process.pid),
            "--subprocesses",
            "--nonblocking",
            "--duration",
            str(seconds + 1),
            "--rate",
            "200",
            "--format",
            "raw",
            "-o",
            str(raw),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)
    run_wrk(url, duration=seconds, threads=args.threads, connections=args.connections, lua=lua)
    _, spy_err = spy.communicate(timeout=120)
    if spy.returncode != 0 or not raw.exists():
        raise BenchError(f"py-spy failed: {spy_err.decode(errors='replace')[-2000:]}")
    print(summarise_profile(raw, out.name))


def summarise_profile(raw: Path, label: str, top: int = 25) -> str:
    """Self and inclusive sample counts per function from py-spy's collapsed stacks."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text("utf-8", "replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short_frame(f) for f in stack.split(";")]
        frames = [f for f in frames if f]
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    lines = [f"\n  py-spy profile {label}: {total} samples ({raw})", "  self%  incl%  function"]
    for frame, count in own.most_common(top):
        lines.append(
            f"  {100 * count / total:5.1f}  {100 * inclusive[frame] / total:5.1f}  {frame}"
        )
    lines.append("  -- inclusive, clipdiary / sqlalchemy / jinja2 / starlette frames --")
    interesting = (
        "clipdiary",
        "sqlalchemy",
        "jinja2",
        "starlette",
        "fastapi",
        "psycopg",
        "uvicorn",
        "h11",
        "sqlite3",
        "pydantic",
    )
    shown = 0
    for frame, count in inclusive.most_common():
        if any(word in frame for word in interesting):
            lines.append(f"         {100 * count / total:5.1f}  {frame}")
            shown += 1
            if shown >= top:
                break
    return "\n".join(lines)


def _short_frame(frame: str) -> str:
    # "render (jinja2/environment.py:1295)" -> "render (jinja2/environment.py)"
    frame = frame.strip()
    if frame.startswith("process ") or frame.startswith("thread "):
        return ""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "lib/python3.11/", "/src/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path})"


# -- report ---------------------------------------------------------------------------------


def table(results: Sequence[Result], connections: int, threads: int, duration: float) -> str:
    header = (
        f"{'backend':<10} {'workers':>7}  {'page':<9} {'path':<26} {'KiB':>6} "
        f"{'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'non-2xx':>7} "
        f"{'errors':>6}  target"
    )
    lines = [
        f"wrk -t{threads} -c{connections} -d{round(duration)}s on loopback, "
        f"{os.cpu_count()} CPUs shared by wrk and the server",
        header,
        "-" * len(header),
    ]
    for r in results:
        if r.page == "day":
            verdict = "met" if r.rps >= TARGET_DAY_RPS else "NOT met"
            target = f"{TARGET_DAY_RPS:,.0f} req/s: {verdict} ({100 * r.rps / TARGET_DAY_RPS:.0f}%)"
        else:
            target = ""
        lines.append(
            f"{r.backend:<10} {r.workers:>7}  {r.page:<9} {r.path:<26} {r.html_bytes / 1024:6.1f} "
            f"{r.rps:8.1f} {r.p50_ms:8.2f} {r.p95_ms:8.2f} {r.p99_ms:8.2f} {r.non_2xx:>7} "
            f"{r.socket_errors:>6}  {target}"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=10_000, help="entries in the diary")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql"
    )
    parser.add_argument("--workers", default="1,2", help="comma-separated server process counts")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--seed", type=int, default=1021)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="py-spy the server during one extra day-page run; stacks to DIR",
    )
    args = parser.parse_args(argv)
    args.backend_list = [b.strip() for b in args.backends.split(",") if b.strip()]
    for name in args.backend_list:
        if name not in BACKENDS:
            parser.error(f"unknown backend {name!r}: choose from {', '.join(BACKENDS)}")
    try:
        args.worker_list = [int(w) for w in args.workers.split(",") if w.strip()]
    except ValueError:
        parser.error(f"--workers takes numbers like 1,2, not {args.workers!r}")
    if args.entries < 10 or args.duration < 1 or any(w < 1 for w in args.worker_list):
        parser.error("use at least 10 entries, 1 second and 1 worker")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("serve_bench: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 1
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="clipdiary-bench-run-") as tmp:
        workdir = Path(tmp)
        lua = workdir / "report.lua"
        lua.write_text(WRK_LUA, "utf-8")
        try:
            for name in args.backend_list:
                print(f"{name}: filling a diary with {args.entries} entries…", flush=True)
                with BACKENDS[name](args.entries, args.seed) as backend:
                    print(
                        f"{name}: {backend.summary}, filled in {backend.fill_seconds:.1f} s "
                        f"({args.entries / backend.fill_seconds:.0f} entries/s); day page "
                        f"{backend.targets.day} holds {backend.targets.day_entries} "
                        "public entries",
                        flush=True,
                    )
                    for workers in args.worker_list:
                        results += measure(backend, workers, args, lua, workdir)
        except BenchError as exc:
            print(f"serve_bench: FAILED: {exc}", file=sys.stderr)
            return 1
    print()
    print(table(results, args.connections, args.threads, args.duration))
    if args.json:
        args.json.write_text(json.dumps([dataclasses.asdict(r) for r in results], indent=2))
    bad = [r for r in results if r.non_2xx or r.socket_errors]
    if bad:
        for r in bad:
            print(
                f"serve_bench: FAILED: {r.backend} workers={r.workers} {r.path}: "
                f"{r.non_2xx} non-2xx responses, {r.socket_errors} socket errors",
                file=sys.stderr,
            )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
