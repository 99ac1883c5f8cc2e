"""Which diary a command works on, and the options every verb shares, as a user types
them: ``--diary``, ``--db``, ``--diary-name`` and ``--json`` before or after the verb, and
the diary of the folder the command runs in when none is named."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.test_cli import run


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """A home with no diary of its own, so that a command finding one found it here.
    The tests run from other folders: the package must be found from anywhere."""
    given = [str(Path(p).resolve()) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    source = str(Path(__file__).resolve().parents[2] / "src")
    path = os.pathsep.join([*(p for p in given if p), source])
    return {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": "", "PYTHONPATH": path}


def test_the_options_every_verb_shares_go_after_the_verb_too(
    tmp_path: Path, home: dict[str, str]
) -> None:
    diary = str(tmp_path / "d")
    run("init", "--diary", diary, "--name", "d1021", env=home)
    run("add", "--title", "After the verb", "--diary", diary, env=home)
    assert "After the verb" in run("list", "--diary", diary, env=home).stdout
    listed = json.loads(run("list", "--json", "--diary", diary, env=home).stdout)
    assert [e["title"] for e in listed] == ["After the verb"]
    named = run("--json", "list", "--diary-name", "d1021", "--diary", diary, env=home)
    assert [e["title"] for e in json.loads(named.stdout)] == ["After the verb"]
    made = json.loads(run("token", "create", "--json", "--diary", diary, env=home).stdout)
    revoked = run("token", "revoke", str(made["id"]), "--json", "--diary", diary, env=home)
    assert json.loads(revoked.stdout) == {"revoked": 1}
    backup = run("export", "--format", "jsonl", "--diary", diary, env=home).stdout
    assert '"After the verb"' in backup


def test_json_where_a_verb_prints_no_json_is_taken_and_said(
    tmp_path: Path, home: dict[str, str]
) -> None:
    diary = str(tmp_path / "d")
    run("init", "--diary", diary, env=home)
    for before, after in ((["--json"], []), ([], ["--json"])):
        done = run(*before, "export", "--format", "jsonl", *after, "--diary", diary, env=home)
        assert done.stderr == (
            "clipdiary: note: export prints no JSON of its own; --json changes nothing here\n"
        )
        rendered = run(*before, "render", *after, stdin="*見出し\n本文", env=home)
        assert "<p>本文</p>" in rendered.stdout and "render prints no JSON" in rendered.stderr


def test_in_a_diary_folder_its_diary_is_used_without_being_named(
    tmp_path: Path, home: dict[str, str]
) -> None:
    folder = tmp_path / "diary"
    run("init", "--diary", str(folder), "--name", "here", env=home)
    run("add", "--title", "Written from inside", cwd=folder, env=home)
    assert "Written from inside" in run("list", cwd=folder, env=home).stdout
    assert json.loads(run("settings", "--json", cwd=folder, env=home).stdout)["name"] == "here"
    # Named diaries still win: the option, then the environment variable.
    other = tmp_path / "other"
    run("init", "--diary", str(other), "--name", "other", env=home)
    assert run("list", "--diary", str(other), cwd=folder, env=home).stdout == ""
    named = {**home, "CLIPDIARY_DIARY": str(other)}
    assert run("list", cwd=folder, env=named).stdout == ""
    # init there is told the diary is there, and makes no second one beside it.
    again = run("init", cwd=folder, env=home, ok=False)
    assert again.stderr == (
        f"clipdiary: error: {folder} holds a diary already (diary.db): "
        "name the folder of a new one with --diary PATH\n"
    )
    assert json.loads(run("settings", "--json", cwd=folder, env=home).stdout)["name"] == "here"
    # Outside a diary folder nothing is guessed: the default diary is missing, and said so.
    outside = run("list", cwd=tmp_path, env=home, ok=False)
    assert outside.stderr.startswith(f"clipdiary: error: no diary at {tmp_path}/home/")
    assert not (tmp_path / "home").exists()
