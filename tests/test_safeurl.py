"""safeurl: which addresses may become a link or an image."""

from __future__ import annotations

import pytest

from clipdiary.errors import UsageError
from clipdiary.model import NewEntry, Source
from clipdiary.safeurl import MAX_URL_LENGTH, check_web_url, is_web_url, web_url
from clipdiary.store import Store
from tests.hostile import GOOD_URLS, HOSTILE_URLS


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_every_hostile_spelling_is_refused_naming_the_field(url: str) -> None:
    assert not is_web_url(url)
    assert web_url(url) == ""
    with pytest.raises(UsageError, match=r"^source\.url must be an http\(s\) address"):
        check_web_url(url, "source.url")


@pytest.mark.parametrize("url", GOOD_URLS)
def test_web_addresses_pass_unchanged(url: str) -> None:
    assert is_web_url(url)
    assert check_web_url(url, "source.url") == url
    assert web_url(url) == url


@pytest.mark.parametrize(
    "url", ["https://x.example/ ", " https://x.example/", "https://x.example/\n", "https://[::1"]
)
def test_web_addresses_with_stray_characters_are_refused(url: str) -> None:
    assert not is_web_url(url)


def test_absurdly_long_and_non_text_addresses_are_refused() -> None:
    with pytest.raises(UsageError, match="longer than"):
        check_web_url("https://x.example/" + "a" * MAX_URL_LENGTH, "source.url")
    with pytest.raises(UsageError, match="not int"):
        check_web_url(5, "source.url")
    assert web_url(None) == ""


def test_the_store_refuses_a_source_that_is_not_http(store: Store) -> None:
    """The last guard, behind every way in (API, importers, clipper, demo)."""
    for url in HOSTILE_URLS:
        with pytest.raises(UsageError, match=r"^source\.url must be an http\(s\) address"):
            store.add_entry(NewEntry("t", source=Source(url=url)))
    assert store.count_entries(include_private=True) == 0
