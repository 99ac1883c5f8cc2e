"""The clipdiary command, run as a user runs it: a real process, real diaries."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pgserver import PostgresServer

README = Path(__file__).resolve().parent.parent / "README.md"


def run(
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    ok: bool = True,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    # The developer's own diary settings must never leak into a test.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("CLIPDIARY_")}
    environment = {**inherited, **(env or {})}
    if cwd is not None and environment.get("PYTHONPATH"):
        # Run elsewhere, a relative PYTHONPATH (src) would find another clipdiary, or none.
        paths = environment["PYTHONPATH"].split(os.pathsep)
        environment["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in paths if p)
    result = subprocess.run(
        [sys.executable, "-m", "clipdiary", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
        cwd=cwd,
    )
    if ok:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    """The options that name a new, empty diary on each backend."""
    if request.param == "sqlite":
        return ["--diary", str(tmp_path / "diary")]
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return ["--db", server.create_database()]


def test_init_add_show_list_round_trip(where: list[str]) -> None:
    made = run(*where, "init", "--name", "d1021", "--title", "Clips", "--day-starts-at", "6")
    assert "Created the diary 'd1021'" in made.stdout
    added = run(
        *where,
        "add",
        "--title",
        "Putin: Russia & US may reach agreement on Syria",
        "--category",
        "Russia",
        "--category",
        "Syria",
        "--at",
        "2016-09-05T19:36:14+09:00",
        stdin="首脳会談について。\n二行目。\n",
    )
    assert (
        added.stdout.strip()
        == "20160905/1473071774  Putin: Russia & US may reach agreement on Syria"
    )

    shown = json.loads(run(*where, "show", "20160905/1473071774", "--json").stdout)
    assert shown["day"] == "2016-09-05"
    assert shown["name"] == "1473071774"
    assert shown["url"] == "/20160905/1473071774"
    assert shown["categories"] == ["Russia", "Syria"]
    assert shown["format"] == "hatena"
    assert shown["body"] == "首脳会談について。\n二行目。\n"
    assert shown["visibility"] == "public"
    assert shown["created"] == "2016-09-05T19:36:14+09:00"
    assert shown["source"] is None
    assert "首脳会談について。" in shown["text"]
    assert shown["related"] == [] and shown["aliases"] == [] and shown["comments"] == []

    text = run(*where, "show", "20160905/1473071774").stdout
    assert "[Russia][Syria]Putin" in text and "首脳会談について。" in text

    run(*where, "add", "--title", "secret", "--private", "--at", "2016-09-06T08:00:00+09:00")
    listed = run(*where, "list").stdout.splitlines()
    assert listed[0].startswith("20160906/") and listed[0].endswith("(private)")
    assert listed[1].startswith("20160905/1473071774")
    as_json = json.loads(run(*where, "list", "--json").stdout)
    assert [e["title"] for e in as_json] == ["secret", shown["title"]]
    assert as_json[0]["visibility"] == "private"
    day = json.loads(run(*where, "show", "20160905", "--json").stdout)
    assert [e["name"] for e in day] == ["1473071774"]


def test_the_day_start_hour_puts_a_late_post_on_the_day_before(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init", "--day-starts-at", "6")
    out = run(*where, "add", "--title", "late", "--at", "2016-09-06T02:00:00+09:00").stdout
    assert out.startswith("20160905/")


def test_add_reads_the_body_from_a_file_and_keeps_a_given_name(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init")
    body = tmp_path / "body.txt"
    body.write_text("ファイルから\n", encoding="utf-8")
    out = run(
        *where,
        "add",
        "--title",
        "t",
        "--name",
        "p1",
        "--body-file",
        str(body),
        "--at",
        "2004-01-02T10:00:00",
        "--json",
    ).stdout
    entry = json.loads(out)
    assert (entry["day"], entry["name"], entry["body"]) == ("2004-01-02", "p1", "ファイルから\n")
    assert entry["created"] == "2004-01-02T10:00:00+09:00"  # a time without zone is the diary's


def test_add_needs_a_title_or_a_body_and_says_so(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init")
    for args, stdin in [((), ""), (("--title", " "), " \n\t"), (("--title", "　"), "")]:
        refused = run(*where, "add", *args, stdin=stdin, ok=False)
        assert refused.returncode == 1
        assert refused.stderr == (
            "clipdiary: error: an entry needs a title or a body: "
            "give --title, or the body on stdin or with --body-file\n"
        )
    assert run(*where, "list").stdout == ""
    # A title alone is an entry; that standard input gave no body is said, not hidden.
    alone = run(*where, "add", "--title", "x", stdin="")
    assert alone.stderr == "clipdiary: note: standard input was empty: the entry has no body\n"
    assert run(*where, "list").stdout.rstrip().endswith("  x")


def test_the_diary_can_be_named_by_environment_variable(tmp_path: Path) -> None:
    env = {"CLIPDIARY_DIARY": str(tmp_path / "env-diary")}
    run("init", "--title", "From env", env=env)
    run("add", "--title", "hello", env=env)
    assert "hello" in run("list", env=env).stdout
    assert (tmp_path / "env-diary" / "diary.db").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "2016-13-45"], "no such day"),
        (["show", "yesterday"], "bad day"),
        (["show", "20160905/1473071774"], "no entry 20160905/1473071774"),
        (["add", "--title", "x", "--at", "last tuesday"], "bad time"),
        (["add", "--title", "x", "--name", "../etc"], "bad entry name"),
        (["add"], "an entry needs a title or a body"),
    ],
)
def test_errors_are_one_clear_line_and_a_failure_status(
    tmp_path: Path, args: list[str], message: str
) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init")
    result = run(*where, *args, ok=False)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("clipdiary: error: ") and message in lines[0]
    assert "Traceback" not in result.stderr


def test_a_missing_diary_says_how_to_make_one(tmp_path: Path) -> None:
    result = run("--diary", str(tmp_path / "nowhere"), "list", ok=False)
    assert result.returncode == 1
    assert "no diary at" in result.stderr and "clipdiary init" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_init_twice_is_refused_and_keeps_the_first_diary(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init", "--name", "first")
    run(*where, "add", "--title", "kept")
    result = run(*where, "init", "--name", "first", ok=False)
    assert "exists already" in result.stderr
    assert "kept" in run(*where, "list").stdout


def test_a_bad_database_address_is_a_clear_error() -> None:
    result = run("--db", "mysql://x@localhost/db", "list", ok=False)
    assert "unsupported database address" in result.stderr


def test_passwd_and_tokens(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init")
    short = run(*where, "passwd", "--password-stdin", stdin="short\n", ok=False)
    assert "too short" in short.stderr
    assert (
        "Password set" in run(*where, "passwd", "--password-stdin", stdin="correct horse\n").stdout
    )
    made = json.loads(run(*where, "token", "create", "--label", "script", "--json").stdout)
    assert made["token"].startswith("cd_") and made["label"] == "script"
    listed = json.loads(run(*where, "token", "list", "--json").stdout)
    assert listed == [
        {
            "id": made["id"],
            "label": "script",
            "scope": "write",
            "created": listed[0]["created"],
            "expires": None,
            "last_used": None,
            "revoked": False,
            "state": "active",
        }
    ]
    assert made["token"] not in run(*where, "token", "list").stdout
    assert "Revoked 1 token." in run(*where, "token", "revoke", "script").stdout
    assert json.loads(run(*where, "token", "list", "--json").stdout)[0]["revoked"] is True
    again = run(*where, "token", "revoke", "script", ok=False)
    assert "no active API token" in again.stderr


def test_every_verb_is_documented_in_the_readme() -> None:
    from clipdiary.cli import cli

    readme = README.read_text(encoding="utf-8")
    for verb in cli.commands:
        assert re.search(rf"clipdiary {verb}\b", readme), f"'clipdiary {verb}' not in README"


def test_help_and_version() -> None:
    assert "news-clipping diary" in run("--help").stdout
    assert re.match(r"clipdiary, version \d", run("--version").stdout)


def test_clip_a_saved_page_and_a_served_one(tmp_path: Path) -> None:
    from tests.clip.clip_server import DEMO, MANIFEST, running_server

    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init")
    sjis = next(e for e in MANIFEST if e["encoding"] == "Shift_JIS" and e["charset_in"] == "meta")
    saved = json.loads(
        run(
            *where,
            "clip",
            "--file",
            str(DEMO / sjis["file"]),
            "--url",
            sjis["url"],
            "--note",
            "保存したページ",
            "--category",
            "政治",
            "--json",
        ).stdout
    )
    assert saved["title"] == sjis["title"]
    assert saved["source"]["url"] == sjis["url"]
    assert saved["source"]["lang"] == "ja"
    assert saved["categories"] == ["政治"]
    assert sjis["text"].splitlines()[0] in saved["text"]
    assert saved["body"].startswith("保存したページ\n\n>")

    english = next(e for e in MANIFEST if e["lang"] == "en")
    with running_server() as server:
        url = server.url(f"/demo/{english['file']}")
        refused = run(*where, "clip", url, ok=False)
        assert refused.returncode == 1
        assert refused.stderr.startswith("clipdiary: error: cannot fetch")
        allowed = {"CLIPDIARY_ALLOW_PRIVATE_ADDRESSES": "1", "CLIPDIARY_DIARY": where[1]}
        out = run("clip", url, "--day", "20191101", env=allowed).stdout
        assert out.startswith("20191101/")
        assert english["title"] in out
        twice = run("clip", url + "?utm_source=x", env=allowed, ok=False)
        assert "clipped already at /20191101/" in twice.stderr
        assert twice.stderr.rstrip().endswith("; to clip it once more, add --again")
        private = run("clip", url, "--again", "--private", "--day", "20191102", env=allowed)
        assert private.stdout.rstrip().endswith(f"{english['title']}  (private)")
        assert f"{english['title']}  (private)" in run(*where, "list").stdout
        missing = run("clip", server.url("/status/404"), env=allowed, ok=False)
        assert "HTTP 404" in missing.stderr
    updated = json.loads(run(*where, "reextract", "--json").stdout)
    assert [r["changed"] for r in updated] == [False, False, False]


def test_render_prints_the_html_of_notation() -> None:
    html = run("render", stdin="*見出し\n本文((注))\n- 項目\n<script>x</script>\n").stdout
    assert "<h3" in html and "見出し" in html
    assert "<li>" in html and "注" in html
    assert "<script" not in html
    blog = run("render", "--mode", "blog", stdin="一行目\n二行目\n").stdout
    assert "<br" in blog


def test_a_markdown_entry_is_published_as_html(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init")
    body = "## 会談\n\n**合意**に至った。\n"
    added = json.loads(
        run(*where, "add", "--title", "md", "--format", "markdown", "--json", stdin=body).stdout
    )
    assert added["format"] == "markdown"
    run(*where, "build", str(tmp_path / "site"))
    page = (tmp_path / "site" / added["day"].replace("-", "") / "index.html").read_text()
    assert "<h5>会談</h5>" in page and "<strong>合意</strong>" in page


def test_a_day_gets_a_title_shows_it_and_loses_it(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init")
    run(*where, "add", "--title", "t", "--at", "2016-09-05T10:00:00", stdin="本文\n")
    assert run(*where, "day-title", "20160905").stdout == ""
    run(*where, "day-title", "20160905", "  シリア\n停戦  ")
    assert run(*where, "day-title", "20160905").stdout == "シリア 停戦\n"
    run(*where, "build", str(tmp_path / "site"))
    assert "シリア 停戦" in (tmp_path / "site" / "20160905" / "index.html").read_text()
    shown = json.loads(run(*where, "day-title", "20160905", "--clear", "--json").stdout)
    assert shown == {"day": "2016-09-05", "title": None}
    long = run(*where, "day-title", "20160905", "x" * 201, ok=False)
    assert "at most 200 characters" in long.stderr
    both = run(*where, "day-title", "20160905", "t", "--clear", ok=False)
    assert "not both" in both.stderr


def test_settings_are_shown_and_changed(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init", "--title", "First title")
    run(*where, "add", "--title", "t", "--at", "2016-09-05T10:00:00", stdin="本文\n")
    assert "title:         First title" in run(*where, "settings").stdout
    changed = json.loads(
        run(
            *where,
            "settings",
            "--title",
            "  新しい  題 ",
            "--base-url",
            "https://example.org/diary",
            "--json",
        ).stdout
    )
    assert changed["title"] == "新しい 題" and changed["base_url"] == "https://example.org/diary"
    assert changed["timezone"] == "Asia/Tokyo"  # what was not given stays
    run(*where, "build", str(tmp_path / "site"))
    page = (tmp_path / "site" / "20160905" / "index.html").read_text()
    assert "新しい 題" in page
    assert 'href="https://example.org/diary/20160905/"' in page  # canonical, from base URL
    assert (
        "unknown time zone" in run(*where, "settings", "--timezone", "Mars/Base", ok=False).stderr
    )
    bad = run(*where, "settings", "--base-url", "ftp://x", ok=False)
    assert "bad base URL" in bad.stderr
    assert "needs a title" in run(*where, "settings", "--title", " ", ok=False).stderr
