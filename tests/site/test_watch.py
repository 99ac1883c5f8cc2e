"""``build --watch``: one process builds again after every change, and what it keeps
between builds (the manifest, the entries' fingerprints) never makes a page stale."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from clipdiary.model import Comment, Diary, EntryChanges, NewEntry, Source
from clipdiary.site.build import BuildOptions, BuildReport, SiteBuilder, build_site
from clipdiary.site.watch import watch
from clipdiary.store import Store, create_diary, schema
from clipdiary.store.lite import SqliteReader
from tests.site.test_build import SUMMIT, files_of, fill

OPTIONS = BuildOptions(base_path="/d", site_url="https://example.org")


def same_as_a_full_build(store: Store, out: Path, tmp_path: Path, name: str) -> None:
    full = tmp_path / name
    build_site(store, full, OPTIONS)
    assert files_of(full) == files_of(out)
    for path in files_of(full):
        assert (full / path).read_bytes() == (out / path).read_bytes(), path


def link(store: Store, source_id: int, target_id: int, score: float) -> None:
    with store.transaction() as conn:  # as the related indexer writes: the revision moves
        conn.execute(
            sa.insert(schema.related_links).values(
                entry_id=source_id,
                target_id=target_id,
                diary_id=store.diary_id,
                rank=1,
                score=score,
                method="test",
            )
        )


def newest_id(store: Store) -> int:
    return store.entries(include_private=False, newest_first=True, limit=1)[0].id


def test_one_builder_stays_exact_through_a_run_of_changes(store: Store, tmp_path: Path) -> None:
    store.indexers = []
    fill(store)
    out = tmp_path / "site"
    builder = SiteBuilder(store, out, OPTIONS)
    assert builder.build().full
    earlier = store.entries(include_private=False)[0]

    steps: list[tuple[str, Callable[[], object]]] = [
        (
            "a new clip",
            lambda: store.add_entry(
                NewEntry(
                    "会談の続報",
                    categories=("Syria",),
                    created=SUMMIT + dt.timedelta(hours=5),
                    source=Source(url="https://news.example.jp/c", site="Example", lang="ja"),
                )
            ),
        ),
        (
            "a related link",
            lambda: link(store, store.entries(include_private=False)[-1].id, earlier.id, 0.7),
        ),
        (
            "the link's target renamed",
            lambda: store.update_entry(earlier.day, earlier.name, EntryChanges(title="改題")),
        ),
        (
            "a comment",
            lambda: store.add_comment(
                earlier.day, Comment("読者", "参考になりました", SUMMIT), entry_name=earlier.name
            ),
        ),
        (
            "the target hidden",
            lambda: store.update_entry(
                earlier.day, earlier.name, EntryChanges(visibility="private")
            ),
        ),
        ("a day title", lambda: store.set_day_title(SUMMIT.date(), "続報の日")),
        ("an entry removed", lambda: store.delete_entry(SUMMIT.date(), "1473071774")),
    ]
    for number, (what, change) in enumerate(steps):
        change()
        report = builder.build()
        assert not report.full, what
        assert report.written or report.removed, what
        same_as_a_full_build(store, out, tmp_path, f"full{number}")
    assert "改題" not in (out / "archive/index.html").read_text()  # hidden again by then


def test_the_builder_reads_a_manifest_written_by_someone_else(store: Store, tmp_path: Path) -> None:
    store.indexers = []
    fill(store)
    out = tmp_path / "site"
    builder = SiteBuilder(store, out, OPTIONS)
    builder.build()
    store.add_entry(NewEntry("Another", created=SUMMIT + dt.timedelta(hours=6)))
    build_site(store, out, OPTIONS)  # another process brings the folder up to date
    store.add_entry(NewEntry("And another", created=SUMMIT + dt.timedelta(hours=7)))
    report = builder.build()
    assert {p for p in report.written if p.endswith("index.html")} >= {"20160905/index.html"}
    same_as_a_full_build(store, out, tmp_path, "full")


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def make_diary(folder: Path) -> Store:
    store = create_diary(folder, None, Diary(name="w", title="Watched", timezone="Asia/Tokyo"))
    store.indexers = []
    fill(store)
    return store


@dataclass
class Watched:
    """A diary with ``watch`` running on it in a thread, and what the watch reported."""

    store: Store
    out: Path
    builds: list[tuple[BuildReport, float]] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)


@contextmanager
def watching(tmp_path: Path) -> Iterator[Watched]:
    store = make_diary(tmp_path / "diary")
    reader = SqliteReader(tmp_path / "diary")
    watched = Watched(store, tmp_path / "site")
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch,
        args=(reader, watched.out, OPTIONS),
        kwargs={
            "on_build": lambda r, s: watched.builds.append((r, s)),
            "on_error": watched.errors.append,
            "interval": 0.02,
            "stop": stop,
        },
    )
    watcher.start()
    try:
        yield watched
        assert watcher.is_alive()  # a failed build never ends the watch
    finally:
        stop.set()
        watcher.join(10)
        reader.close()
        store.database.close()
    assert not watcher.is_alive()


def test_watch_builds_again_after_each_write(tmp_path: Path) -> None:
    with watching(tmp_path) as watched:
        store, out, builds = watched.store, watched.out, watched.builds
        wait_for(lambda: len(builds) == 1, "the first build")
        assert builds[0][0].full
        time.sleep(0.1)
        assert len(builds) == 1  # nothing changed, nothing built
        new = store.add_entry(NewEntry("見張りの記事", created=SUMMIT + dt.timedelta(hours=3)))
        wait_for(lambda: len(builds) == 2, "a build after the write")
        report, seconds = builds[1]
        assert not report.full and seconds > 0
        assert f"20160905/{new.name}/index.html" in report.written
        assert "見張りの記事" in (out / "20160905/index.html").read_text()
        assert watched.errors == []


def test_the_watch_command_prints_a_line_per_build_and_stops_on_sigterm(tmp_path: Path) -> None:
    store = make_diary(tmp_path / "diary")
    out = tmp_path / "site"
    command = [sys.executable, "-m", "clipdiary", "--diary", str(tmp_path / "diary")]
    with subprocess.Popen(
        [*command, "build", str(out), "--watch", "--interval", "0.05", "--json"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as process:
        assert process.stdout is not None
        try:
            first = json.loads(process.stdout.readline())
            assert first["full"] and first["seconds"] > 0
            store.add_entry(NewEntry("From the command", created=SUMMIT + dt.timedelta(hours=4)))
            second = json.loads(process.stdout.readline())
            assert not second["full"] and "20160905/index.html" in second["written"]
            process.send_signal(signal.SIGTERM)  # as a service manager stops it
            assert process.wait(20) == 0
        finally:
            process.kill()
            store.database.close()


def test_a_failed_rebuild_is_reported_and_tried_again(tmp_path: Path) -> None:
    with watching(tmp_path) as watched:
        store, out, builds, errors = watched.store, watched.out, watched.builds, watched.errors
        wait_for(lambda: len(builds) == 1, "the first build")
        (out / ".clipdiary-build").write_text("not a manifest")  # someone damaged it
        store.add_entry(NewEntry("After the damage", created=SUMMIT + dt.timedelta(hours=3)))
        wait_for(lambda: len(errors) >= 1, "the failed rebuild")
        assert "damaged" in str(errors[0])
        assert len(builds) == 1
        (out / ".clipdiary-build").unlink()
        for leftover in out.iterdir():  # an emptied folder is built afresh
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        # No new write is needed: the failed build is tried again by itself.
        wait_for(lambda: len(builds) == 2, "the build after the repair")
        assert builds[1][0].full
        assert "After the damage" in (out / "20160905/index.html").read_text()


def test_a_resident_builder_reads_the_diary_once_even_with_nothing_to_do(
    store: Store, tmp_path: Path
) -> None:
    from tests.site.test_build import _Counting

    store.indexers = []
    fill(store)
    out = tmp_path / "site"
    build_site(store, out, OPTIONS)  # the folder is up to date
    reader = _Counting(store)
    resident = SiteBuilder(reader, out, OPTIONS, resident=True)
    assert resident.build().written == []
    assert reader.outline_reads == 1  # to hold the fingerprints for the next build
    assert resident.build().written == []
    assert reader.outline_reads == 1  # nothing changed: the revision says so
    once = SiteBuilder(_Counting(store), out, OPTIONS)
    once.build()
    assert once.reader.outline_reads == 0  # type: ignore[attr-defined]


def test_a_watching_builder_takes_new_settings_from_another_process(tmp_path: Path) -> None:
    store = make_diary(tmp_path / "diary")
    reader = SqliteReader(tmp_path / "diary")
    out = tmp_path / "site"
    try:
        builder = SiteBuilder(reader, out, OPTIONS, resident=True)
        builder.build()
        store.update_settings(title="見張り中に改題")
        report = builder.build()
        assert report.full  # the title shows on every page
        assert "見張り中に改題" in (out / "20160905/index.html").read_text()
    finally:
        reader.close()
        store.database.close()


def test_two_edits_in_one_second_with_a_build_between_are_both_published(
    store: Store, tmp_path: Path, monkeypatch: Any
) -> None:
    import types

    import clipdiary.site.build as build_module

    store.indexers = []
    fill(store)
    out = tmp_path / "site"
    builder = SiteBuilder(store, out, OPTIONS, resident=True)
    builder.build()
    entry = store.entries(include_private=False)[0]
    second = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=5)
    # Both builds read in the same second, and both edits carry that second.
    monkeypatch.setattr(build_module, "time", types.SimpleNamespace(time=second.timestamp))
    store.update_entry(entry.day, entry.name, EntryChanges(body="first edit"), when=second)
    builder.build()
    store.update_entry(entry.day, entry.name, EntryChanges(body="second edit"), when=second)
    report = builder.build()
    assert f"{entry.day:%Y%m%d}/{entry.name}/index.html" in report.written
    assert "second edit" in (out / f"{entry.day:%Y%m%d}/{entry.name}/index.html").read_text()
    same_as_a_full_build(store, out, tmp_path, "full")
