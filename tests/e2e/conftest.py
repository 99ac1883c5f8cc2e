"""Browser tests: Debian's Chromium, driven by Playwright, against the real server on loopback.

The diaries here are SQLite only: what the browser checks is the pages; the store's two
backends are covered by the tests beside ``tests/store``.

Screenshots go to ``$CLIPDIARY_E2E_SCREENSHOTS`` when it is set, else to
``test-artifacts/screenshots/`` under the repository's root (ignored by git), where a CI job
can collect them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from clipdiary.model import Diary, Entry, NewEntry, Source
from clipdiary.passwords import hash_password
from clipdiary.store import Store, create_diary
from tests.conftest import serve

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OWNER_PASSWORD = "correct horse battery"
TOKYO = ZoneInfo("Asia/Tokyo")
DIARY = Diary(name="e2e", title="E2E クリップ日記", timezone="Asia/Tokyo", day_starts_at=6)
PHONE: ViewportSize = {"width": 390, "height": 844}


def find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


@dataclass
class LiveDiary:
    """A diary served by uvicorn in a thread on a loopback port."""

    store: Store
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path


@contextmanager
def live_diary(folder: Path, seed: bool) -> Iterator[LiveDiary]:
    store = create_diary(folder, None, DIARY)
    try:
        store.set_password_hash(hash_password(OWNER_PASSWORD))
        if seed:
            seed_diary(store)
        with serve(store) as base_url:
            yield LiveDiary(store, base_url)
    finally:
        store.database.close()


# -- what the reading diary holds -------------------------------------------------------------

PRIVATE_TITLE = "誰にも見せない下書き Private draft"
LATE_NIGHT_TITLE = "Late-night clip: markets open in New York"
BUSY_DAY = dt.date(2016, 9, 5)


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


def _clip_body(lang: str, n: int) -> str:
    if lang == "ja":
        paragraphs = [
            f"首脳会談{n}の続報。各国の外相が協議の日程について記者団に説明した。" * 3,
            "関係者によると、協議は予定より長引き、深夜まで続いたという。" * 2,
            "専門家は合意の実効性には検証の仕組みが欠かせないと指摘している。" * 2,
        ]
        url = f"https://news.example.jp/articles/{n}"
    else:
        paragraphs = [
            f"Follow-up {n}: officials said the talks had made more progress than expected. " * 3,
            "Analysts cautioned that any agreement would depend on verification. " * 2,
            "Diplomats from both sides are expected to meet again next week. " * 2,
        ]
        url = f"https://world.example.com/2016/09/{n}"
    return "\n".join(["My note on this one.", "", f">{url}:title=Clip {n}>", *paragraphs, "<<"])


def seed_diary(store: Store) -> None:
    """Nine days of clips; the busiest day is long enough that its last entry needs a scroll."""
    with store.transaction():
        for offset in range(9):
            day = BUSY_DAY - dt.timedelta(days=offset)
            count = 8 if day == BUSY_DAY else 2
            for k in range(count):
                lang = "ja" if k % 2 else "en"
                title = (
                    f"ロシア・米国、シリアで合意へ ({day:%m/%d} #{k})"
                    if lang == "ja"
                    else f"Putin: Russia & US may reach agreement on Syria ({day:%m/%d} #{k})"
                )
                store.add_entry(
                    NewEntry(
                        title=title,
                        body=_clip_body(lang, offset * 10 + k),
                        categories=("Russia", "Syria") if k % 3 == 0 else ("外交",),
                        created=_at(day, 9 + k, 7 * k % 60),
                        source=Source(
                            url=f"https://example.com/{offset}/{k}",
                            site="Example News",
                            lang=lang,
                        ),
                    )
                )
        # 01:30 on the 6th belongs to the 5th: the diary's day starts at 6 a.m.
        store.add_entry(
            NewEntry(
                title=LATE_NIGHT_TITLE,
                body="Written after midnight.",
                categories=("US",),
                created=_at(BUSY_DAY + dt.timedelta(days=1), 1, 30),
            )
        )
        store.add_entry(
            NewEntry(
                title=PRIVATE_TITLE,
                body="Only the owner may read this.",
                categories=("Secret",),
                visibility="private",
                created=_at(BUSY_DAY, 23, 45),
            )
        )


def public_entries(store: Store, day: dt.date) -> list[Entry]:
    return store.entries(include_private=False, day=day)


def log_in(page: Page, diary: LiveDiary, password: str = OWNER_PASSWORD) -> None:
    page.goto(diary.url("/login"))
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        message = "Chromium is not installed (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message + "; under CI=true this is a failure, not a skip")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def reading_diary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDiary]:
    """A seeded diary that no test changes."""
    with live_diary(tmp_path_factory.mktemp("reading"), seed=True) as diary:
        yield diary


@pytest.fixture
def fresh_diary(tmp_path: Path) -> Iterator[LiveDiary]:
    """An empty diary with the owner's password set, for the tests that write."""
    with live_diary(tmp_path / "diary", seed=False) as diary:
        yield diary


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    chosen = os.environ.get("CLIPDIARY_E2E_SCREENSHOTS")
    folder = Path(chosen) if chosen else REPOSITORY / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
