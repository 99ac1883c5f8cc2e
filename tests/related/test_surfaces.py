"""What a reader sees: the list under each entry, the API, the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from clipdiary.model import day_key
from clipdiary.related.query import related_for
from clipdiary.store import open_store
from tests.conftest import LiveServer
from tests.related.helpers import ATM_STORY, GEIGER_STORY, add


def test_pages_list_the_earlier_entries_under_each_entry(live_server: LiveServer) -> None:
    store = live_server.store
    english = add(store, ATM_STORY, "en", hours=0)
    geiger = add(store, GEIGER_STORY, "en", hours=1)
    japanese = add(store, ATM_STORY, "ja", hours=20)
    anchor = f"/{day_key(english.day)}#{english.name}"
    permalink = f"/{day_key(english.day)}/{english.name}"
    with live_server.client() as client:
        day = client.get(f"/{day_key(japanese.day)}").text
        entry = client.get(f"/{day_key(japanese.day)}/{japanese.name}").text
        top = client.get("/").text
    for html in (day, entry, top):
        section = html[html.index(f'id="{japanese.name}"') :]
        related = section[section.index('class="related"') : section.index("</ul>")]
        assert f'href="{anchor}"' in related
        assert english.title.replace("'", "&#39;") in related
        assert f'href="{permalink}"' in related
        assert english.day.isoformat() in related
        assert '<span class="lang">en</span>' in related
        assert geiger.title not in related
    # The earliest entry has nothing earlier to list.
    first = top[top.index(f'id="{english.name}"') :]
    assert 'class="related"' not in first[: first.index("</section>")]


def test_the_api_serves_the_related_list(live_server: LiveServer) -> None:
    store = live_server.store
    english = add(store, ATM_STORY, "en", hours=0, visibility="private")
    japanese = add(store, ATM_STORY, "ja", hours=2)
    path = f"/api/entries/{day_key(japanese.day)}/{japanese.name}"
    _, token = store.create_token("test")
    with live_server.client(headers={"Authorization": f"Bearer {token}"}) as owner:
        listed = owner.get(path + "/related").json()
        whole = owner.get(path).json()
    assert listed == whole["related"]
    assert [(r["title"], r["lang"], r["day"]) for r in listed] == [
        (english.title, "en", english.day.isoformat())
    ]
    assert listed[0]["url"] == f"/{day_key(english.day)}/{english.name}"
    assert 0.5 <= listed[0]["score"] <= 1.5
    with live_server.client() as visitor:
        assert visitor.get(path + "/related").json() == []  # the English one is private
        assert visitor.get("/api/entries/20191102/nope/related").status_code == 404


def run(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "clipdiary", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_the_demo_links_its_stories_across_languages_on_the_command_line(
    tmp_path: Path,
) -> None:
    folder = str(tmp_path / "demo")
    run("demo", "--no-serve", "--folder", folder)
    entries = json.loads(run("--diary", folder, "list", "--all", "--json").stdout)
    by_title = {e["title"]: e for e in entries}
    japanese = by_title["北朝鮮は米国を信頼できなければ核軍縮は起こらないと述べる"]
    english = by_title["North Korea says nuclear disarmament won't come unless it can trust US"]
    address = f"{japanese['day'].replace('-', '')}/{japanese['name']}"

    # Three US political stories of the same week stay three (they once were one story
    # of twelve, a Warren clip listing Kavanaugh and Palin clips).
    def story_ids(*words: str) -> set[str | None]:
        return {
            e["story"] and e["story"]["id"] for e in entries if any(w in e["title"] for w in words)
        }

    warren = story_ids("Warren", "ウォーレン", "ウォレン")
    assert len(warren) == 1 and None not in warren
    assert not warren & story_ids("Palin", "ペイリン", "パリン", "Kavanaugh", "カバノー")

    text = run("--diary", folder, "related", address).stdout
    assert english["title"] in text and "[en]" in text
    listed = json.loads(run("--diary", folder, "related", address, "--json").stdout)
    assert [r["url"] for r in listed] == [english["url"]]
    shown = json.loads(run("--diary", folder, "show", address, "--json").stdout)
    assert shown["related"] == listed
    # Every Japanese report lists its English counterpart (the same story slug).
    store = open_store(Path(folder), None)
    try:
        everything = store.entries(include_private=True)
        links = related_for(store, [e.id for e in everything], include_private=False)
        by_address = {(e.day, e.name): e for e in everything}
        written, missed = 0, []
        for entry in everything:
            assert entry.source is not None
            if entry.source.lang != "ja":
                continue
            story = entry.source.url.rsplit("/", 1)[1]
            found = [by_address[(link.day, link.name)] for link in links[entry.id]]
            hit = any(f.source is not None and f.source.url.endswith("/" + story) for f in found)
            if story.startswith("cd-"):
                # Reports written separately for the demo: most, not all, are found.
                written += 1
                missed += [] if hit else [entry.title]
            else:
                assert hit, entry.title  # a translation always finds its original
        assert written >= 6 and len(missed) <= written // 4, missed
    finally:
        store.database.close()
    stories_before = json.loads(run("--diary", folder, "stories", "--json").stdout)
    report = json.loads(run("--diary", folder, "relink", "--json").stdout)
    stories = report.pop("stories")
    assert report == {"embedded": 0, "linked": 66, "resumed": False, "since": None}
    assert stories["stories"] >= 3
    # Relinking finds the stories arrival found, under the same numbers (it merged the
    # Kavanaugh story into Warren's, linking against members written later).
    stories_after = json.loads(run("--diary", folder, "stories", "--json").stdout)
    assert stories_after == stories_before
    # The same links after relinking (scores may move a little: crowding reads the stories
    # as they are when each entry is linked again).
    again = json.loads(run("--diary", folder, "related", address, "--json").stdout)
    assert [r["url"] for r in again] == [r["url"] for r in listed]
