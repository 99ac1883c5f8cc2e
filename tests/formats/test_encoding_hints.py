"""When a file is not in the encoding it is read in, the error names the encoding that does
read it (found by reading it whole), in the words of the place: ``--encoding`` on the
command line, the Encoding choice on the settings page. Following the hint imports it."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from clipdiary.formats.encoding_hint import CHOICES
from clipdiary.passwords import hash_password
from tests.conftest import LiveServer
from tests.formats.samples import MT_EXPORT
from tests.test_cli import run
from tests.web.test_owner import PASSWORD, _csrf, _log_in

# UTF-8 Japanese (its bytes hold 0x81, which Windows-1252 lacks) with Windows-1252 smart
# quotes pasted in: only "utf-8,cp1252" reads it.
MIXED = MT_EXPORT.encode("utf-8").replace(b"<p>bodybodybody</p>", b"<p>\x93quoted\x94</p>")


def _import(where: list[str], path: Path, *more: str, ok: bool = False) -> str:
    done = run(*where, "import", str(path), "--format", "mt", *more, ok=ok)
    return done.stdout if ok else done.stderr


def test_the_hint_names_the_encoding_that_reads_the_file(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init", "--name", "d1021")
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(MIXED)
    line = MIXED[: MIXED.index(b"\x93")].count(b"\n") + 1
    assert _import(where, mixed) == (
        f"clipdiary: error: {mixed}:{line}: the file is not UTF-8; it reads as UTF-8 with "
        "stray Windows-1252 bytes: import it with --encoding utf-8,cp1252\n"
    )
    refused = _import(where, mixed, "--encoding", "cp1252")  # the old hint's advice
    assert refused.startswith(f"clipdiary: error: {mixed}:2: the file is not cp1252: byte 0x81")
    assert refused.endswith(
        "; it reads as UTF-8 with stray Windows-1252 bytes: "
        "import it with --encoding utf-8,cp1252\n"
    )
    done = _import(where, mixed, "--encoding", "utf-8,cp1252", "--json", ok=True)
    assert json.loads(done)["added"] == 3

    for codec, name in (("euc_jp", "EUC-JP"), ("shift_jis", "Shift_JIS")):
        legacy = tmp_path / f"{codec}.txt"
        legacy.write_bytes(MT_EXPORT.encode(codec))
        said = _import(where, legacy)
        assert said.endswith(
            f": the file is not UTF-8; it reads as {name}: import it with --encoding {codec}\n"
        ), said


def test_a_file_no_known_encoding_reads_says_so(tmp_path: Path) -> None:
    where = ["--diary", str(tmp_path / "diary")]
    run(*where, "init", "--name", "d1021")
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"AUTHOR: a\nTITLE: \x81\x8d\x8f\x90\x9d\xff\n-----\n--------\n")
    assert _import(where, odd) == (
        f"clipdiary: error: {odd}:2: the file is not UTF-8, and none of UTF-8 with stray "
        "Windows-1252 bytes, Shift_JIS, EUC-JP or Windows-1252 reads it whole: "
        "save it as UTF-8 and import it again\n"
    )


def test_the_settings_page_hint_names_its_own_choice(live_server: LiveServer) -> None:
    live_server.store.set_password_hash(hash_password(PASSWORD))
    upload = {"file": ("mixed.txt", MIXED, "text/plain")}
    with live_server.client() as client:
        _log_in(client)
        token = _csrf(client.get("/settings").text)
        refused = client.post(
            "/settings/import", data={"format": "mt", "csrf_token": token}, files=upload
        )
        assert refused.status_code == 400
        said = re.search(r'<p class="error" role="alert">([^<]*)</p>', refused.text)
        assert said is not None
        assert html.unescape(said.group(1)).endswith(
            "the file is not UTF-8; it reads as UTF-8 with stray Windows-1252 bytes: "
            "choose “UTF-8 with stray Windows-1252 bytes” under Encoding and import it again"
        )
        assert "--encoding" not in refused.text
        # Every encoding a hint may name is on the page's list, under the same words.
        offered = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', refused.text))
        assert all(offered.get(c.name) == c.label for c in CHOICES)
        done = client.post(
            "/settings/import",
            data={"format": "mt", "encoding": "utf-8,cp1252", "csrf_token": token},
            files=upload,
        )
        assert done.status_code == 200 and "Imported 3 entries from mixed.txt" in done.text
        xml = client.post(
            "/settings/import",
            data={"format": "hatena", "encoding": "euc_jp", "csrf_token": token},
            files={"file": ("d.xml", b"<?xml version='1.0'?><diary/>", "application/xml")},
        )
        assert xml.status_code == 400 and "names its encoding in its first line" in xml.text
        assert "--encoding" not in xml.text
