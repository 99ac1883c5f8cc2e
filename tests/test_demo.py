"""`clipdiary demo`: a diary made from the bundled sample news, served on loopback."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from clipdiary.demo import demo_manifest, make_demo
from clipdiary.store import open_store
from tests.pgserver import free_port
from tests.test_cli import run


def test_the_demo_diary_holds_every_sample_article(tmp_path: Path) -> None:
    made = make_demo(tmp_path / "demo")
    manifest = demo_manifest()
    assert made.entries == len(manifest) == 66
    store = open_store(tmp_path / "demo", None)
    try:
        entries = store.entries(include_private=True)
        assert {e.title for e in entries} == {item["title"] for item in manifest}
        assert {e.source.lang for e in entries if e.source} == {"en", "ja"}
        assert all(e.source and e.source.url.startswith("https://news.example.") for e in entries)
        # Each is a real clip: the article quoted with its source, the page kept with it.
        by_title = {item["title"]: item for item in manifest}
        for entry in entries:
            item = by_title[entry.title]
            assert entry.body.startswith(f">{item['url']}:title=")
            assert item["text"].splitlines()[-1] in entry.body
            snapshot = store.snapshot_of(entry.day, entry.name)
            assert snapshot is not None
            assert snapshot.url == item["url"]
    finally:
        store.database.close()


def test_making_the_demo_again_keeps_what_the_user_wrote(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    made = run("demo", "--folder", str(folder), "--no-serve")
    assert made.stdout.startswith(f"Demo diary with 66 entries in {folder}\n")
    assert "Owner password for this demo: " in made.stdout
    run("add", "--diary", str(folder), "--title", "My own note", stdin="Written by hand.")
    before = (folder / "diary.db").stat().st_size

    again = run("demo", "--folder", str(folder), "--no-serve")
    assert again.stdout == (
        f"Reusing the demo diary in {folder}: 67 entries, nothing in it changed.\n"
        "Its owner password is the one printed when it was made; "
        f"'clipdiary passwd --diary {folder}' sets a new one.\n"
        "For a fresh demo, give another folder: clipdiary demo --folder NEW-FOLDER\n"
    )
    listed = run("list", "--diary", str(folder), "--all").stdout
    assert "My own note" in listed and len(listed.splitlines()) == 67
    assert (folder / "diary.db").stat().st_size >= before

    # Run from inside the demo's folder, it is that folder's demo, not a new one in it.
    inside = run("demo", "--no-serve", cwd=folder)
    assert inside.stdout.startswith(f"Reusing the demo diary in {folder}: 67 entries")
    assert not (folder / "clipdiary-demo").exists()


def test_the_demo_never_touches_a_diary_that_is_not_the_demo(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    run("init", "--diary", str(folder), "--name", "d1021")
    run("add", "--diary", str(folder), "--title", "Mine")
    refused = run("demo", "--folder", str(folder), "--no-serve", ok=False)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"clipdiary: error: {folder} holds the diary 'd1021', not a demo, and the demo never "
        "replaces a diary: give another folder (clipdiary demo --folder NEW-FOLDER)\n"
    )
    assert run("list", "--diary", str(folder)).stdout.rstrip().endswith("Mine")


def test_a_busy_port_is_one_line_that_says_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        expected = (
            f"clipdiary: error: cannot serve on 127.0.0.1:{port}: the port is in use (another "
            f"clipdiary serve, or another program): choose another with --port {port + 1}\n"
        )
        run("init", "--diary", str(folder / "d"))
        served = run("serve", "--diary", str(folder / "d"), "--port", str(port), ok=False)
        assert (served.returncode, served.stdout, served.stderr) == (1, "", expected)
        demo = run("demo", "--folder", str(folder / "demo"), "--port", str(port), ok=False)
        assert (demo.returncode, demo.stdout, demo.stderr) == (1, "", expected)
        two = ["serve", "--diary", str(folder / "d"), "--port", str(port), "--workers", "2"]
        assert run(*two, ok=False).stderr == expected


def test_the_attribution_ships_with_the_sample_material() -> None:
    import clipdiary

    readme = Path(clipdiary.__file__).parent / "demo_data" / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert "NTREX-128" in text and "CC BY-SA 4.0" in text


def test_clipdiary_demo_serves_the_diary(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "clipdiary",
            "demo",
            "--folder",
            str(tmp_path / "demo"),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("CLIPDIARY_")},
    )
    try:
        deadline = time.monotonic() + 60
        page = None
        while time.monotonic() < deadline:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert page is not None, "the demo server did not answer within 60 s"
        assert page.status_code == 200
        assert "clipdiary demo" in page.text
        assert re.search(r'<section class="entry" id="\d{10}">', page.text)
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert "Demo diary with 66 entries" in output
    assert f"http://127.0.0.1:{port}/" in output
    assert "Owner password for this demo:" in output
