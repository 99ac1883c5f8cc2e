"""fetch() against a real HTTP server on 127.0.0.1 (allowed explicitly where needed)."""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clipdiary.clip import addresses
from clipdiary.clip.addresses import ALLOW_PRIVATE_ENV, non_public_reason
from clipdiary.clip.fetch import FetchLimits, fetch, local_page
from clipdiary.errors import FetchError
from tests.clip.clip_server import DEMO, Server, running_server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server() as running:
        yield running


@pytest.fixture(autouse=True)
def _no_env_allowance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)


def test_fetches_a_page_with_its_snapshot_fields(server: Server) -> None:
    page = fetch(server.url("/demo/02-ja.html"), allow_private=True)
    raw = (DEMO / "02-ja.html").read_bytes()
    assert page.status == 200
    assert page.body == raw
    assert page.sha256 == hashlib.sha256(raw).hexdigest()
    assert page.content_type == "text/html"
    assert page.header_charset == "Shift_JIS"
    assert page.header("Content-Type") == "text/html; charset=Shift_JIS"
    assert page.url == page.requested_url == server.url("/demo/02-ja.html")
    assert page.fetched_at.tzinfo is not None


def test_sends_a_browser_like_user_agent_naming_clipdiary(server: Server) -> None:
    body = fetch(server.url("/echo"), allow_private=True).body.decode()
    assert "User-Agent: Mozilla/5.0" in body
    assert "clipdiary/" in body
    assert "Accept-Encoding: gzip, deflate, br" in body


@pytest.mark.parametrize("encoding", ["gzip", "br", "deflate"])
def test_undoes_content_encoding(server: Server, encoding: str) -> None:
    page = fetch(server.url(f"/encoded/{encoding}/03-ja.html"), allow_private=True)
    assert page.body == (DEMO / "03-ja.html").read_bytes()


def test_follows_redirects_hop_by_hop(server: Server) -> None:
    page = fetch(server.url("/chain/3"), allow_private=True)
    assert page.url == server.url("/chain/0")
    assert page.requested_url == server.url("/chain/3")


def test_redirect_limit_is_quoted(server: Server) -> None:
    with pytest.raises(FetchError, match="more than 2 redirects"):
        fetch(server.url("/chain/3"), allow_private=True, limits=FetchLimits(max_redirects=2))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(server.url("/loop"), allow_private=True)


def test_redirect_to_another_scheme_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch(server.url("/redirect?to=file:///etc/passwd"), allow_private=True)


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)", "http:///nohost"],
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="cannot fetch"):
        fetch(url)


def test_loopback_is_refused_without_the_allowance(server: Server) -> None:
    with pytest.raises(FetchError, match=r"address 127\.0\.0\.1 is loopback") as caught:
        fetch(server.url("/demo/00-en.html"))
    assert caught.value.url == server.url("/demo/00-en.html")


def test_a_name_that_resolves_to_loopback_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match=r"\(localhost\) is loopback"):
        fetch(server.url("/demo/00-en.html", host="localhost"))


def test_environment_variable_allows_private_addresses(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    assert fetch(server.url("/demo/00-en.html")).status == 200


@pytest.fixture
def loopback_one_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the test server's own address pass the check, and nothing else that is private.

    This is how a redirect from a public server to a private one is tested on one machine.
    """

    def reason(address: addresses.IPAddress) -> str | None:
        if address == ipaddress.ip_address("127.0.0.1"):
            return None
        return non_public_reason(address)

    monkeypatch.setattr(addresses, "non_public_reason", reason)


@pytest.mark.usefixtures("loopback_one_is_public")
@pytest.mark.parametrize(
    ("target", "refused"),
    [
        ("http://10.0.0.1/", r"address 10\.0\.0\.1 is private"),
        ("http://127.0.0.2/", r"address 127\.0\.0\.2 is loopback"),
        ("http://[::1]/", r"address ::1 is loopback"),
        ("http://169.254.169.254/latest/meta-data/", r"169\.254\.169\.254 is link-local"),
        ("http://192.168.1.1:8080/", r"address 192\.168\.1\.1 is private"),
    ],
)
def test_each_redirect_hop_is_checked(server: Server, target: str, refused: str) -> None:
    assert fetch(server.url("/demo/00-en.html")).status == 200
    with pytest.raises(FetchError, match=refused) as caught:
        fetch(server.url(f"/redirect?to={target}"))
    assert caught.value.url == target


def test_connects_to_the_address_it_checked(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard resolves the name itself; the request still carries the name as Host."""
    real = socket.getaddrinfo

    def resolver(host: str, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == "news.example.test" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    body = fetch(server.url("/echo", host="news.example.test"), allow_private=True).body
    assert f"Host: news.example.test:{server.port}".encode() in body
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 \(news\.example\.test\) is loopback"):
        fetch(server.url("/echo", host="news.example.test"))


def test_unresolvable_host() -> None:
    with pytest.raises(FetchError, match=r"cannot resolve host 'nothing\.invalid'"):
        fetch("http://nothing.invalid/")


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("8.8.8.8", None),
        ("2001:4860:4860::8888", None),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.1.1", "link-local"),
        ("100.64.0.1", "not public"),
        ("0.0.0.0", "unspecified"),  # noqa: S104
        ("224.0.0.1", "multicast"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
    ],
)
def test_address_classes(address: str, reason: str | None) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) == reason


def test_http_errors_name_the_status(server: Server) -> None:
    with pytest.raises(FetchError, match=r"cannot fetch http://\S+/status/404: HTTP 404"):
        fetch(server.url("/status/404"), allow_private=True)
    with pytest.raises(FetchError, match="HTTP 500"):
        fetch(server.url("/status/500"), allow_private=True)


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "image/png"])
def test_non_html_is_refused(server: Server, content_type: str) -> None:
    with pytest.raises(FetchError, match=f"not an HTML page \\({content_type}\\)"):
        fetch(server.url(f"/type?ct={content_type}"), allow_private=True)


def test_xhtml_is_accepted(server: Server) -> None:
    page = fetch(server.url("/type?ct=application/xhtml%2Bxml"), allow_private=True)
    assert page.content_type == "application/xhtml+xml"


def test_declared_oversize_is_refused_before_reading(server: Server) -> None:
    with pytest.raises(FetchError, match="larger than the 10,000-byte limit"):
        fetch(
            server.url("/big?n=50000&length=1"),
            allow_private=True,
            limits=FetchLimits(max_bytes=10_000),
        )


def test_streamed_oversize_stops_at_the_limit(server: Server) -> None:
    # 50 MB offered without a Content-Length; the fetch must stop after ~1 MB.
    with pytest.raises(FetchError, match="larger than the 1,000,000-byte limit"):
        fetch(
            server.url("/big?n=50000000"),
            allow_private=True,
            limits=FetchLimits(max_bytes=1_000_000),
        )


def test_default_limit_is_ten_megabytes(server: Server) -> None:
    assert len(fetch(server.url("/big?n=9000000"), allow_private=True).body) == 9_000_000
    with pytest.raises(FetchError, match="10,000,000-byte limit"):
        fetch(server.url("/big?n=10000001"), allow_private=True)


def test_compression_bomb_stops_at_the_limit(server: Server) -> None:
    with pytest.raises(FetchError, match="larger than the 1,000,000-byte limit"):
        fetch(server.url("/bomb"), allow_private=True, limits=FetchLimits(max_bytes=1_000_000))


def test_slow_answer_times_out(server: Server) -> None:
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s") as caught:
        fetch(server.url("/slow?s=3"), allow_private=True, limits=FetchLimits(timeout=0.5))
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)


def test_dripping_body_hits_the_total_time_limit(server: Server) -> None:
    # Each byte arrives well within a read timeout; the whole body would take 10 s.
    with pytest.raises(FetchError, match=r"timed out after 1 s"):
        fetch(server.url("/drip?s=0.1"), allow_private=True, limits=FetchLimits(timeout=1))


def test_connection_refused_is_a_fetch_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="could not connect") as caught:
        fetch(f"http://127.0.0.1:{port}/", allow_private=True)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_local_page_wraps_saved_bytes() -> None:
    body = gzip.decompress(gzip.compress(b"<html><title>x</title></html>"))
    page = local_page(body, "https://news.example.jp/a", content_type="text/html; charset=EUC-JP")
    assert page.header_charset == "EUC-JP"
    assert page.sha256 == hashlib.sha256(body).hexdigest()
