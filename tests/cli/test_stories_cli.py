"""Stories on the command line, as a user runs it: real processes on real diaries.

The diary is written in the test (demo articles, so that the real embedder finds their
stories), then every verb runs as ``python -m clipdiary`` on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clipdiary.model import Entry, day_key
from clipdiary.store import Store
from tests.related.helpers import ATM_STORY, GEIGER_STORY, add
from tests.test_cli import run

RALLY = "ntrex:cnn.304447"  # Trump rallies in West Virginia (tests/stories/test_arrival)


@dataclass
class Diary:
    where: list[str]
    store: Store
    atm_en: Entry
    atm_ja: Entry
    geiger: Entry
    rally_en: Entry
    rally_ja: Entry  # private

    def cli(self, *args: str, ok: bool = True) -> str:
        result = run(*self.where, *args, ok=ok)
        return result.stdout if ok else result.stderr

    def json(self, *args: str) -> Any:
        return json.loads(self.cli(*args, "--json"))


def address(entry: Entry) -> str:
    return f"{day_key(entry.day)}/{entry.name}"


def where_of(db_url: str) -> list[str]:
    if db_url.startswith("sqlite:///"):
        return ["--diary", str(Path(db_url.removeprefix("sqlite:///")).parent)]
    return ["--db", db_url]


@pytest.fixture
def diary(store: Store, db_url: str) -> Diary:
    """Two stories of two entries each (ATM theft, a rally), and an unrelated entry."""
    return Diary(
        where_of(db_url),
        store,
        atm_en=add(store, ATM_STORY, "en", hours=0),
        geiger=add(store, GEIGER_STORY, "en", hours=1),
        atm_ja=add(store, ATM_STORY, "ja", hours=2),
        rally_en=add(store, RALLY, "en", hours=10),
        rally_ja=add(store, RALLY, "ja", hours=12, visibility="private"),
    )


@pytest.fixture
def fresh(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> list[str]:
    """A second, empty diary on the same backend, made with ``clipdiary init``."""
    if db_url.startswith("sqlite:///"):
        where = ["--diary", str(tmp_path / "copy")]
    else:
        where = ["--db", request.getfixturevalue("postgres_server").create_database()]
    run(*where, "init", "--name", "d1021", "--timezone", "Asia/Tokyo", "--day-starts-at", "6")
    return where


def story_of(diary: Diary, entry: Entry) -> dict[str, Any] | None:
    shown: dict[str, Any] | None = diary.json("show", address(entry))["story"]
    return shown


def test_stories_lists_each_story_newest_first(diary: Diary) -> None:
    listed = diary.json("stories")
    assert [s["size"] for s in listed] == [2, 2]
    rally, atm = listed
    assert rally["url"] == f"/story/{rally['id']}"
    assert (rally["first_day"], rally["last_day"]) == (
        diary.rally_en.day.isoformat(),
        diary.rally_ja.day.isoformat(),
    )
    assert atm["langs"] == rally["langs"] == ["en", "ja"]
    assert set(atm) == {"id", "title", "url", "size", "first_day", "last_day", "langs"}
    assert atm["title"] in (diary.atm_en.title, diary.atm_ja.title)

    lines = diary.cli("stories").splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(rally["id"] + " ") and "2 entries" in lines[0]
    assert "en ja" in lines[1] and atm["title"] in lines[1]
    assert atm["first_day"] in lines[1]
    assert diary.json("stories", "--limit", "1") == [rally]
    # Global options go before or after the verb.
    assert json.loads(run("--json", *diary.where, "stories").stdout) == listed
    assert json.loads(run("stories", "--json", *diary.where).stdout) == listed


def test_an_empty_diary_has_no_stories(fresh: list[str]) -> None:
    assert run(*fresh, "stories").stdout == "No stories yet.\n"
    assert json.loads(run(*fresh, "stories", "--json").stdout) == []


def test_story_shows_its_timeline_both_ways_of_asking(diary: Diary) -> None:
    ref = story_of(diary, diary.rally_en)
    assert ref is not None and set(ref) == {"id", "title", "url", "size"}
    key = ref["id"]
    shown = diary.json("story", key)
    assert shown == diary.json("story", "show", key)
    assert shown == json.loads(run(*diary.where, "story", "--json", key).stdout)
    assert shown == json.loads(run("story", key, "--json", *diary.where).stdout)
    assert set(shown) == {
        "id",
        "title",
        "url",
        "size",
        "first_day",
        "last_day",
        "langs",
        "entries",
    }
    assert (shown["id"], shown["url"], shown["size"]) == (key, ref["url"], 2)
    assert shown["entries"] == [
        {
            "day": e.day.isoformat(),
            "name": e.name,
            "url": f"/{address(e)}",
            "title": e.title,
            "lang": lang,
        }
        for e, lang in ((diary.rally_en, "en"), (diary.rally_ja, "ja"))
    ]

    text = diary.cli("story", key).splitlines()
    assert text[0] == f"{key}  {shown['title']}"
    assert f"2 entries, {shown['first_day']} – {shown['last_day']}, en ja" in text
    first, second = text[-2:]
    assert first.startswith(address(diary.rally_en)) and f"[en] {diary.rally_en.title}" in first
    assert second.startswith(address(diary.rally_ja)) and second.endswith("(private)")
    assert diary.cli("story", "show", key) == diary.cli("story", key)


def test_the_owners_decisions_on_the_command_line(diary: Diary) -> None:
    atm = story_of(diary, diary.atm_en)
    rally = story_of(diary, diary.rally_en)
    assert atm is not None and rally is not None and atm["id"] != rally["id"]

    said = diary.cli("story", "rename", atm["id"], "ATM <script>強盗</script>  in Newport")
    assert said == f"{atm['id']} is titled: ATM <script>強盗</script> in Newport\n"
    assert diary.json("story", atm["id"])["title"] == "ATM <script>強盗</script> in Newport"
    assert diary.cli("story", atm["id"]).splitlines()[0].endswith("(your title)")
    back = diary.json("story", "rename", atm["id"], "")
    assert back["title"] == atm["title"]
    renamed = diary.json("story", "rename", atm["id"], "ATM theft")
    assert renamed["title"] == "ATM theft" and renamed["size"] == 2

    merged = diary.cli("story", "merge", atm["id"], rally["id"])
    assert merged == f"Merged {rally['id']} into {atm['id']} (4 entries): ATM theft\n"
    assert story_of(diary, diary.rally_ja) == {
        "id": atm["id"],
        "title": "ATM theft",
        "url": atm["url"],
        "size": 4,
    }
    gone = diary.cli("story", rally["id"], ok=False)
    assert gone == f"clipdiary: error: no story {rally['id']}\n"

    moved = diary.cli("story", "move", address(diary.rally_ja), "--alone")
    assert moved.startswith(f"Moved {address(diary.rally_ja)} into a story of its own, s")
    assert story_of(diary, diary.rally_ja) is None  # a story of one entry is not shown
    back_in = diary.json("story", "move", address(diary.rally_ja), "--to", atm["id"])
    assert back_in["id"] == atm["id"] and back_in["size"] == 4

    apart = diary.json("story", "apart", address(diary.atm_en), address(diary.rally_en))
    later = address(diary.rally_en)
    assert apart["entries"][0] == {
        "entry": address(diary.atm_en),
        "story": {"id": atm["id"], "title": "ATM theft", "url": atm["url"], "size": 3},
    }
    assert apart["entries"][1]["entry"] == later
    assert (apart["entries"][1]["story"] or {}).get("id") != atm["id"]
    text = diary.cli("story", "apart", address(diary.atm_en), later)
    assert text.splitlines()[0] == f"{address(diary.atm_en)} and {later} are kept apart."

    # What the owner decided holds through a recomputation.
    report = diary.json("restory")
    assert set(report) == {"stories", "kept", "new", "removed", "moved"}
    assert diary.cli("restory").startswith("Stories: ")
    kept = diary.json("story", atm["id"])
    assert kept["title"] == "ATM theft"
    members = {e["name"] for e in kept["entries"]}
    assert {diary.atm_en.name, diary.atm_ja.name, diary.rally_ja.name} <= members
    assert diary.rally_en.name not in members


SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["story", "s999"], "no story s999"),
        (["story", "show", "story17"], "not a story id: 'story17' (story ids look like s17)"),
        (["story", "rename", "s999", "x"], "no story s999"),
        (["story", "rename", "{atm}", "x" * 201], "at most 200 characters"),
        (["story", "merge", "{atm}"], "merge needs two or more different stories"),
        (["story", "merge", "{atm}", "{atm}"], "merge needs two or more different stories"),
        (["story", "merge", "{atm}", "s999"], "no story s999"),
        (["story", "move", "{entry}"], "move needs either a story (--to s17) or --alone"),
        (["story", "move", "{entry}", "--to", "{atm}", "--alone"], "not both"),
        (["story", "move", "2019-11/x", "--to", "{atm}"], "bad day '2019-11'"),
        (["story", "move", "20191101", "--to", "{atm}"], "name the entry: 20191101/NAME"),
        (["story", "move", "20191101/nope", "--to", "{atm}"], "no entry 20191101/nope"),
        (["story", "move", "{entry}", "--to", "x"], "not a story id: 'x'"),
        (["story", "apart", "{entry}", "{entry}"], "apart needs two different entries"),
        (["story", "apart", "{entry}", "20191332/x"], "no such day '20191332'"),
        (["related", "20191101"], "name the entry: 20191101/NAME"),
    ],
)
def test_errors_are_one_line_and_change_nothing(
    diary: Diary, args: list[str], message: str
) -> None:
    atm = story_of(diary, diary.atm_en)
    assert atm is not None
    before = diary.json("story", atm["id"])
    filled = [a.format(atm=atm["id"], entry=address(diary.atm_ja)) for a in args]
    result = run(*diary.where, *filled, ok=False)
    assert result.returncode == 1
    assert result.stderr.startswith("clipdiary: error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert diary.json("story", atm["id"]) == before


def test_entries_as_json_carry_their_story_and_their_real_related_list(diary: Diary) -> None:
    atm = story_of(diary, diary.atm_ja)
    assert atm is not None and atm["size"] == 2
    assert story_of(diary, diary.geiger) is None
    shown = diary.json("show", address(diary.atm_ja))
    assert [r["name"] for r in shown["related"]] == [diary.atm_en.name]

    listed = {e["name"]: e for e in diary.json("list")}
    assert listed[diary.atm_ja.name]["related"] == shown["related"]  # was [] for every entry
    assert listed[diary.atm_ja.name]["story"] == atm
    assert listed[diary.geiger.name]["story"] is None
    for entry in (diary.atm_en, diary.rally_en, diary.rally_ja):
        assert listed[entry.name] == diary.json("show", address(entry))
    day = diary.json("show", day_key(diary.atm_ja.day))
    assert {e["name"]: e["story"] for e in day}[diary.atm_ja.name] == atm

    found = diary.json("search", "Newport")["results"]
    assert found and all(r["story"] == atm for r in found)
    by_name = {r["name"]: r for r in diary.json("search", "ATM")["results"]}
    assert by_name[diary.atm_ja.name]["related"] == shown["related"]  # was [] in search too
    assert diary.json("related", address(diary.atm_ja)) == shown["related"]
    text = diary.cli("related", address(diary.atm_ja))
    assert diary.atm_en.title in text and text.rstrip().endswith(f"({atm['id']})")
    assert f"story: {atm['id']}  {atm['title']} (2 entries)" in diary.cli(
        "show", address(diary.atm_ja)
    )


def test_relink_finds_the_stories_again_and_says_so(diary: Diary) -> None:
    atm = story_of(diary, diary.atm_en)
    report = diary.json("relink")
    assert report["linked"] == 5
    assert report["stories"] == {"stories": 2, "kept": 2, "new": 0, "removed": 0, "moved": 0}
    text = diary.cli("relink").splitlines()
    assert (
        text[1]
        == "Then found the stories again: 2 stories (2 kept, 0 new, 0 removed); 0 entries moved."
    )
    assert story_of(diary, diary.atm_en) == atm


def decisions(where: list[str]) -> dict[str, Any]:
    """Every story with its title and entries, as the owner sees them."""
    found = {}
    for listed in json.loads(run(*where, "stories", "--json").stdout):
        story = json.loads(run(*where, "story", listed["id"], "--json").stdout)
        found[story["id"]] = (story["title"], sorted(e["name"] for e in story["entries"]))
    return found


def test_the_backup_keeps_the_owners_decisions(
    diary: Diary, fresh: list[str], tmp_path: Path
) -> None:
    atm = story_of(diary, diary.atm_en)
    rally = story_of(diary, diary.rally_en)
    assert atm is not None and rally is not None
    diary.cli("story", "rename", atm["id"], "ATM <theft>")
    diary.cli("story", "merge", atm["id"], rally["id"])
    alone = diary.json("story", "move", address(diary.geiger), "--alone")["id"]
    diary.cli("story", "apart", address(diary.atm_ja), address(diary.rally_ja))
    before = decisions(diary.where)
    assert before[atm["id"]][0] == "ATM <theft>"

    backup = tmp_path / "backup.jsonl"
    diary.cli("export", "--format", "jsonl", "-o", str(backup))
    lines = [json.loads(line) for line in backup.read_text(encoding="utf-8").splitlines()]
    stories = [line for line in lines if line.get("kind") == "story"]
    assert [line.get("kind") for line in lines[-len(stories) - 1 :]] == ["story"] * len(stories) + [
        "apart"
    ]
    merged = next(s for s in stories if s["id"] == atm["id"])
    assert merged["title"] == "ATM <theft>" and merged["owner_merged"] is True
    assert sorted(merged["pinned"]) == sorted(merged["entries"])
    assert next(s for s in stories if s["id"] == alone)["alone"] is True
    assert lines[-1] == {
        "kind": "apart",
        "entries": [address(diary.atm_ja), address(diary.rally_ja)],
    }

    restored = run(*fresh, "import", str(backup), "--format", "jsonl").stdout
    assert f"Stories: {len(stories)} stories and 1 pair of entries kept apart restored." in (
        restored
    )
    assert decisions(fresh) == before
    alone_story = json.loads(run(*fresh, "story", alone, "--json").stdout)
    assert [e["name"] for e in alone_story["entries"]] == [diary.geiger.name]
    run(*fresh, "restory")
    assert decisions(fresh) == before
    # The pair stays apart: moving one into the other's story is refused.
    refused = run(*fresh, "story", "move", address(diary.rally_ja), "--to", atm["id"], ok=False)
    assert "kept apart" in refused.stderr
    # A second run adds nothing and changes nothing; the copy backs up as the original did.
    again = json.loads(run(*fresh, "import", str(backup), "--format", "jsonl", "--json").stdout)
    assert (again["added"], again["stories"], again["apart"]) == (0, len(stories), 1)
    assert decisions(fresh) == before
    copy = run(*fresh, "export", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in copy if '"kind": "' in line] == [
        line for line in lines if line.get("kind") in ("story", "apart")
    ]


BAD_RECORDS = [
    ('{"kind": "story", "id": "17", "entries": ["{a}"]}', "'id' '17' is not a story id"),
    ('{"kind": "story", "id": "s1", "entries": []}', "'entries' must name at least one"),
    ('{"kind": "story", "id": "s1"}', "'entries' is missing"),
    ('{"kind": "story", "id": "s1", "entries": ["{a}", "{a}"]}', "names an entry twice"),
    (
        '{"kind": "story", "id": "s1", "entries": ["20191101/nope"]}',
        "20191101/nope in 'entries' is not an entry of a line before this one",
    ),
    ('{"kind": "story", "id": "s1", "entries": ["a/b"]}', "'a/b' in 'entries' is not an entry"),
    ('{"kind": "story", "id": "s1", "entries": ["{a}"], "pinned": ["{b}"]}', "'pinned' may"),
    ('{"kind": "story", "id": "s1", "entries": ["{a}"], "alone": 1}', "'alone' must be true"),
    ('{"kind": "story", "id": "s1", "entries": ["{a}"], "title": 3}', "'title' must be"),
    ('{"kind": "apart", "entries": ["{a}"]}', "'entries' must name two different entries"),
    ('{"kind": "chapter"}', "unknown kind 'chapter'"),
]


@SQLITE_ONLY
@pytest.mark.parametrize(("record", "message"), BAD_RECORDS)
def test_a_bad_story_line_stops_the_import_and_writes_nothing(
    diary: Diary, fresh: list[str], tmp_path: Path, record: str, message: str
) -> None:
    backup = tmp_path / "backup.jsonl"
    diary.cli("export", "--format", "jsonl", "-o", str(backup))
    entries = [
        line for line in backup.read_text(encoding="utf-8").splitlines() if "kind" not in line
    ]
    bad = record.replace("{a}", address(diary.atm_en)).replace("{b}", address(diary.atm_ja))
    backup.write_text("\n".join([*entries, bad]) + "\n", encoding="utf-8")
    failed = run(*fresh, "import", str(backup), "--format", "jsonl", ok=False)
    assert failed.returncode == 1
    assert failed.stderr.startswith(f"clipdiary: error: {backup}:{len(entries) + 1}: ")
    assert message in failed.stderr and len(failed.stderr.splitlines()) == 1
    assert run(*fresh, "list").stdout == ""


def test_story_lines_that_contradict_each_other_are_refused(
    diary: Diary, fresh: list[str], tmp_path: Path
) -> None:
    a, b = address(diary.atm_en), address(diary.atm_ja)
    backup = tmp_path / "backup.jsonl"
    diary.cli("export", "--format", "jsonl", "-o", str(backup))
    entries = [
        line for line in backup.read_text(encoding="utf-8").splitlines() if "kind" not in line
    ]
    for tail, message in [
        (
            [f'{{"kind": "story", "id": "s4", "entries": ["{a}"]}}'] * 2,
            f"story s4 is on line {len(entries) + 1} already",
        ),
        (
            [
                f'{{"kind": "story", "id": "s4", "entries": ["{a}"]}}',
                f'{{"kind": "story", "id": "s5", "entries": ["{a}", "{b}"]}}',
            ],
            f"{a} is in story s4 already (line {len(entries) + 1})",
        ),
        (
            [
                f'{{"kind": "story", "id": "s4", "entries": ["{a}", "{b}"]}}',
                f'{{"kind": "apart", "entries": ["{a}", "{b}"]}}',
            ],
            "cannot be kept apart",
        ),
    ]:
        backup.write_text("\n".join([*entries, *tail]) + "\n", encoding="utf-8")
        failed = run(*fresh, "import", str(backup), "--format", "jsonl", ok=False)
        assert failed.stderr.startswith(f"clipdiary: error: {backup}:{len(entries) + 2}: ")
        assert message in failed.stderr
    assert run(*fresh, "list").stdout == ""
