"""Every redirect stays on this site, however the address asked for or ``next=`` is spelled.

Requests are sent byte for byte over a socket (an HTTP client would tidy the target first),
and each ``Location`` is read as a browser reads it: backslashes are slashes, tabs and
newlines are dropped, so only ``/`` followed by a path segment stays here.
"""

from __future__ import annotations

import re
import socket
from urllib.parse import urlsplit

import pytest

from clipdiary.passwords import hash_password
from clipdiary.web.redirects import local_path, local_target
from tests.conftest import LiveServer
from tests.web.test_owner import PASSWORD, _csrf

# Only "/" and then something that is neither a slash nor a backslash, with nothing a
# browser would drop or turn into a slash anywhere after it.
LOCAL = re.compile(r"^/(?![/\\])[^\x00-\x20\x7f\\]*$")
SPELLINGS = (
    b"//evil.example/",
    b"//evil.example/path/",
    b"///evil.example/",
    b"/\\evil.example/",
    b"/\\\\evil.example/",
    b"/%2F%2Fevil.example/",
    b"/%2f/evil.example/",
    b"/%5Cevil.example/",
    b"/%5C%5Cevil.example/",
    b"/%09/evil.example/",
    b"/\t/evil.example/",
    b"/%0D%0A/evil.example/",
    b"/.//evil.example/",
    b"/%2e//evil.example/",
    b"/%2e%2e//evil.example/",
    b"//evil.example/%2e%2e/",
)


def raw_get(server: LiveServer, target: bytes) -> tuple[int, str | None]:
    """The status and Location of ``GET target`` sent exactly as given."""
    address = urlsplit(server.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    locations = [
        line.split(":", 1)[1].strip() for line in head if line.lower().startswith("location:")
    ]
    return status, locations[0] if locations else None


def test_no_spelling_of_another_site_is_redirected_to(live_server: LiveServer) -> None:
    for target in SPELLINGS:
        status, location = raw_get(live_server, target)
        assert location is None or LOCAL.match(location), (target, status, location)
        assert status in (301, 400, 404), (target, status)
    # The plainest one is no page here at all.
    assert raw_get(live_server, b"//evil.example/") == (404, None)


def test_a_trailing_slash_still_leads_to_the_page(live_server: LiveServer) -> None:
    assert raw_get(live_server, b"/archive/") == (301, "/archive")
    assert raw_get(live_server, b"/%E6%97%A5%E6%9C%AC/") == (301, "/%E6%97%A5%E6%9C%AC")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "\t//evil.example",
        " //evil.example",
        "http:/\\evil.example",
        "/%09/evil.example\r\n",
        "javascript:alert(1)",
    ],
)
def test_logging_in_returns_only_to_this_site(live_server: LiveServer, target: str) -> None:
    live_server.store.set_password_hash(hash_password(PASSWORD))
    with live_server.client() as client:
        form = client.get("/login", params={"next": target}).text
        assert 'name="next" value="/"' in form
        answer = client.post(
            "/login", data={"password": PASSWORD, "csrf_token": _csrf(form), "next": target}
        )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


def test_a_path_on_this_site_is_kept_encoded() -> None:
    assert local_target("/search?q=%E4%BC%9A%E8%AB%87&sort=date") == (
        "/search?q=%E4%BC%9A%E8%AB%87&sort=date"
    )
    assert local_target("/category/日本#x") == "/category/%E6%97%A5%E6%9C%AC#x"
    assert local_target("/%2F%2Fevil.example") == "/%2F%2Fevil.example"  # a path here
    assert local_path("/category/a b") == "/category/a%20b"
    assert local_path("//evil.example") is None
