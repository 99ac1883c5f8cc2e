"""``clipdiary clip --json`` prints the clip as the diary holds it right after: its related
list is the one ``clipdiary related`` lists (it printed ``"related": []`` before)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clip.clip_server import DEMO, MANIFEST
from tests.test_cli import run

# Two reports of one typhoon, in English and in Japanese (the demo's own story).
TYPHOON = [e for e in MANIFEST if e["story"] == "clipdiary:typhoon-2019"][:2]


def test_clip_json_holds_the_related_list_related_lists(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "d")]
    run(*where, "init", "--name", "d1021")
    clipped = []
    for item in TYPHOON:
        page = str(DEMO / item["file"])
        out = run(*where, "clip", "--file", page, "--url", item["url"], "--json")
        clipped.append(json.loads(out.stdout))
    first, second = clipped
    address = second["url"].strip("/")
    listed = json.loads(run(*where, "related", address, "--json").stdout)
    assert [r["name"] for r in listed] == [first["name"]]
    assert second["related"] == listed
    assert second["story"] is not None
    assert second["story"] == json.loads(run(*where, "show", address, "--json").stdout)["story"]
