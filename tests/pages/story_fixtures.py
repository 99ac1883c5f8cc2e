"""A diary with stories, for the tests of story pages, forms, the API and the static build."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from clipdiary.model import Entry, day_key
from clipdiary.passwords import hash_password
from clipdiary.store import Store
from clipdiary.stories.query import story_refs
from tests.related.helpers import ATM_STORY, GEIGER_STORY, add

RALLY = "ntrex:cnn.304447"  # Trump rallies in West Virginia
PASSWORD = "correct horse battery"


@dataclass
class Stories:
    english: Entry  # the ATM theft, in English, on 2019-11-01
    japanese: Entry  # the same theft in Japanese, a day later
    unrelated: Entry  # in no story
    number: int  # the ATM story's


def story_of(store: Store, entry: Entry, *, include_private: bool = True) -> int | None:
    found = story_refs(store, [entry.id], include_private=include_private).get(entry.id)
    return found.number if found else None


def fill(store: Store, **japanese: object) -> Stories:
    english = add(store, ATM_STORY, "en", hours=0, categories=("Crime",))
    unrelated = add(store, GEIGER_STORY, "en", hours=1)
    ja = add(store, ATM_STORY, "ja", hours=30, **japanese)
    number = story_of(store, english)
    assert number is not None and number == story_of(store, ja)
    assert story_of(store, unrelated) is None
    return Stories(english, ja, unrelated, number)


def address(entry: Entry) -> str:
    return f"{day_key(entry.day)}/{entry.name}"


def permalink(entry: Entry) -> str:
    return "/" + address(entry)


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def log_in(store: Store, client: httpx.Client) -> None:
    store.set_password_hash(hash_password(PASSWORD))
    token = csrf(client.get("/login").text)
    answer = client.post("/login", data={"password": PASSWORD, "csrf_token": token, "next": "/"})
    assert answer.status_code == 303
