"""The owner imports an uploaded file and downloads an export from the settings page."""

from __future__ import annotations

import json

from clipdiary.passwords import hash_password
from tests.conftest import LiveServer
from tests.formats.samples import HATENA_XML
from tests.web.test_owner import PASSWORD, _csrf, _log_in


def test_the_owner_uploads_an_import_and_downloads_an_export(live_server: LiveServer) -> None:
    live_server.store.set_password_hash(hash_password(PASSWORD))
    upload = {"file": ("d1021.xml", HATENA_XML.encode("utf-8"), "application/xml")}
    with live_server.client() as client:
        assert client.get("/settings/export?format=jsonl").status_code == 303  # log in first
        _log_in(client)
        settings = client.get("/settings")
        token = _csrf(settings.text)
        refused = client.post("/settings/import", data={"format": "hatena"}, files=upload)
        assert refused.status_code == 403  # no CSRF token
        checked = client.post(
            "/settings/import",
            data={"format": "hatena", "csrf_token": token, "dry_run": "1"},
            files=upload,
        )
        assert "Dry run: 7 entries in d1021.xml" in checked.text
        assert live_server.store.count_entries(include_private=True) == 0
        done = client.post(
            "/settings/import", data={"format": "hatena", "csrf_token": token}, files=upload
        )
        assert done.status_code == 200
        assert "Imported 7 entries from d1021.xml (hatena)" in done.text
        broken = {"file": ("bad.xml", HATENA_XML[:300].encode("utf-8"), "application/xml")}
        failed = client.post(
            "/settings/import", data={"format": "hatena", "csrf_token": token}, files=broken
        )
        assert failed.status_code == 400
        assert "bad.xml:" in failed.text and "truncated?" in failed.text
        assert client.get("/20160905").text.count('<section class="entry') == 4

        export = client.get("/settings/export?format=jsonl")
        assert export.status_code == 200
        assert export.headers["content-disposition"] == 'attachment; filename="d1021.jsonl"'
        lines = [json.loads(line) for line in export.text.splitlines()]
        assert sum(1 for line in lines if "name" in line) == 7

        saved = client.post(
            "/settings/hatena-user", data={"hatena_user": "oldname", "csrf_token": token}
        )
        assert saved.status_code == 303
        moved = client.get("/oldname/20160905/hobby")
        assert (moved.status_code, moved.headers["location"]) == (301, "/20160905/hobby")


def test_the_owner_names_an_uploads_encoding(live_server: LiveServer) -> None:
    from tests.formats.samples import MT_EXPORT

    live_server.store.set_password_hash(hash_password(PASSWORD))
    legacy = {"file": ("old.txt", MT_EXPORT.encode("euc_jp"), "text/plain")}
    with live_server.client() as client:
        _log_in(client)
        token = _csrf(client.get("/settings").text)
        assert 'value="utf-8,cp1252"' in client.get("/settings").text
        refused = client.post(
            "/settings/import", data={"format": "mt", "csrf_token": token}, files=legacy
        )
        assert refused.status_code == 400 and "not UTF-8" in refused.text
        done = client.post(
            "/settings/import",
            data={"format": "mt", "encoding": "euc_jp", "csrf_token": token},
            files=legacy,
        )
        assert done.status_code == 200 and "Imported 3 entries from old.txt" in done.text
        mixed = {
            "file": (
                "mixed.txt",
                "TITLE: caf\u00e9 ".encode()
                + b"\x93q\x94\nDATE: 01/02/2005 10:00:00\n-----\n"
                + b"BODY:\n<p>x</p>\n-----\n--------\n",
                "text/plain",
            )
        }
        stray = client.post(
            "/settings/import",
            data={"format": "mt", "encoding": "utf-8,cp1252", "csrf_token": token},
            files=mixed,
        )
        assert "2 byte(s) not in utf-8 were read as cp1252: line 1 (93), line 1 (94)" in stray.text
    assert live_server.store.count_entries(include_private=True) == 4


def test_a_dry_run_keeps_the_file_it_checked_for_one_import(live_server: LiveServer) -> None:
    import re

    live_server.store.set_password_hash(hash_password(PASSWORD))
    upload = {"file": ("d1021.xml", HATENA_XML.encode("utf-8"), "application/xml")}
    with live_server.client() as client:
        _log_in(client)
        token = _csrf(client.get("/settings").text)
        checked = client.post(
            "/settings/import",
            data={"format": "hatena", "csrf_token": token, "dry_run": "1"},
            files=upload,
        )
        assert "Dry run: 7 entries in d1021.xml" in checked.text
        assert '<option value="hatena" selected>' in checked.text
        assert 'name="dry_run" value="1" checked' in checked.text
        kept = re.search(r'name="pending" value="([^"]+)"', checked.text)
        assert kept is not None and "Import d1021.xml now" in checked.text
        assert live_server.store.count_entries(include_private=True) == 0

        done = client.post("/settings/import", data={"pending": kept.group(1), "csrf_token": token})
        assert done.status_code == 200
        assert "Imported 7 entries from d1021.xml (hatena)" in done.text
        assert 'name="pending"' not in done.text
        assert live_server.store.count_entries(include_private=True) == 7

        # Imported, it is kept no longer; a made-up id is no file either.
        for gone in (kept.group(1), "x" * 22, "../../etc/passwd"):
            again = client.post("/settings/import", data={"pending": gone, "csrf_token": token})
            assert again.status_code == 400
            assert "The file checked before is no longer kept" in again.text
        nothing = client.post("/settings/import", data={"format": "mt", "csrf_token": token})
        assert nothing.status_code == 400 and "Choose a file to import." in nothing.text
        assert '<option value="mt" selected>' in nothing.text  # the choice is kept
    with live_server.client() as visitor:  # and only the owner may use a kept file
        forged = visitor.post("/settings/import", data={"pending": kept.group(1)})
        assert forged.status_code == 403
    assert live_server.store.count_entries(include_private=True) == 7
