"""The plain data that moves between clipdiary's stages.

Times are kept as aware ``datetime`` values; the store keeps them as Unix seconds.
A *day* is a ``datetime.date`` in the diary's time zone, shifted by the hour at which the
diary's day starts (a post at 02:00 belongs to the evening before when the day starts at 6).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clipdiary.errors import UsageError

Visibility = Literal["public", "private"]
BodyFormat = Literal["hatena", "html", "markdown"]
NotationMode = Literal["diary", "blog"]

VISIBILITIES: tuple[Visibility, ...] = ("public", "private")
BODY_FORMATS: tuple[BodyFormat, ...] = ("hatena", "html", "markdown")

# An entry name is an epoch second or a name kept from an older diary (`p1`, `hobby`).
# Hatena allowed 9–10 digit epochs or `[a-zA-Z]\w*`; we also accept longer epochs and `-`,
# which Hatena Blog basenames use, but never `/`, `#` or spaces, since names are path parts.
NAME_PATTERN = re.compile(r"^(?:\d{1,12}|[A-Za-z][A-Za-z0-9_\-]{0,63})$")
DIARY_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,31}$")


def check_entry_name(name: str) -> str:
    if not NAME_PATTERN.match(name):
        raise UsageError(
            f"bad entry name {name!r}: use an epoch second or a word like 'p1' or 'hobby'"
        )
    return name


def check_body_format(name: str) -> BodyFormat:
    for known in BODY_FORMATS:
        if name == known:
            return known
    raise UsageError(f"unknown body format {name!r}: use {', '.join(BODY_FORMATS)}")


def check_base_url(url: str) -> str:
    """Where the diary is published: "" (not known) or an http(s) address."""
    url = url.strip()
    if url and not re.match(r"^https?://[^/\s?#]+(/[^\s?#]*)?$", url):
        raise UsageError(f"bad base URL {url!r}: give https://host/path, or nothing")
    return url


DAY_TITLE_LIMIT = 200  # characters: a day's title is a heading, not a paragraph


def check_day_title(title: str) -> str:
    """A day's title on one line, trimmed; "" means none."""
    title = " ".join(title.split())
    if len(title) > DAY_TITLE_LIMIT:
        raise UsageError(f"a day's title holds at most {DAY_TITLE_LIMIT} characters")
    return title


def check_diary_name(name: str) -> str:
    if not DIARY_NAME_PATTERN.match(name):
        raise UsageError(
            f"bad diary name {name!r}: start with a letter; letters, digits, '-' and '_' only"
        )
    return name


def check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(f"unknown time zone {name!r} (try Asia/Tokyo or UTC)") from exc


def has_content(title: str, body: str) -> bool:
    """An entry needs a title or a body: with neither it would publish an empty section.
    Whitespace alone, a full-width space too, is neither."""
    return bool(title.strip() or body.strip())


def check_day_start(hour: int) -> int:
    if not 0 <= hour <= 23:
        raise UsageError(f"day start hour {hour} is not between 0 and 23")
    return hour


def parse_day(text: str) -> dt.date:
    """Read a day written as ``YYYYMMDD`` or ``YYYY-MM-DD``."""
    cleaned = text.strip()
    try:
        if re.fullmatch(r"\d{8}", cleaned):
            return dt.date(int(cleaned[:4]), int(cleaned[4:6]), int(cleaned[6:]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
            return dt.date.fromisoformat(cleaned)
    except ValueError as exc:
        raise UsageError(f"no such day {text!r}") from exc
    raise UsageError(f"bad day {text!r}: write it as YYYYMMDD")


def day_key(day: dt.date) -> str:
    """The day as it appears in addresses: ``20160905``."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


@dataclass(frozen=True)
class Diary:
    name: str
    title: str
    timezone: str = "Asia/Tokyo"
    day_starts_at: int = 0
    base_url: str = ""
    notation_mode: NotationMode = "diary"
    allow_private_addresses: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return check_timezone(self.timezone)

    def day_of(self, moment: dt.datetime) -> dt.date:
        """The diary day a moment belongs to, in the diary's zone and day-start hour."""
        local = moment.astimezone(self.zone)
        return (local - dt.timedelta(hours=self.day_starts_at)).date()

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)


@dataclass(frozen=True)
class Source:
    """Where a clipped entry came from, kept as data rather than only as text."""

    url: str
    site: str | None = None
    lang: str | None = None
    published: dt.datetime | None = None
    author: str | None = None


@dataclass(frozen=True)
class Comment:
    author: str
    body: str
    created: dt.datetime


@dataclass(frozen=True)
class RelatedLink:
    day: dt.date
    name: str
    title: str
    lang: str | None
    score: float


@dataclass(frozen=True)
class StoryRef:
    """The story an entry belongs to, as shown under it: ``number`` is its public id."""

    number: int
    title: str
    size: int
    first_day: dt.date

    @property
    def key(self) -> str:
        return f"s{self.number}"


@dataclass(frozen=True)
class StoryEntry:
    """One entry in a story's timeline."""

    id: int
    day: dt.date
    name: str
    title: str
    lang: str | None
    created: dt.datetime
    site: str | None
    source_url: str | None
    lead: str
    is_public: bool


@dataclass(frozen=True)
class Story:
    """A story with its entries, oldest first, as the viewer may see them."""

    number: int
    title: str
    other_title: str | None
    owner_title: str | None
    entries: tuple[StoryEntry, ...]
    updated: dt.datetime

    @property
    def key(self) -> str:
        return f"s{self.number}"

    @property
    def size(self) -> int:
        return len(self.entries)

    @property
    def first_day(self) -> dt.date:
        return self.entries[0].day

    @property
    def last_day(self) -> dt.date:
        return self.entries[-1].day

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(sorted({e.lang for e in self.entries if e.lang}))

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.site for e in self.entries if e.site))


@dataclass(frozen=True)
class Entry:
    id: int
    day: dt.date
    name: str
    title: str
    categories: tuple[str, ...]
    format: BodyFormat
    body: str
    visibility: Visibility
    created: dt.datetime
    updated: dt.datetime
    source: Source | None = None
    aliases: tuple[str, ...] = ()
    comments: tuple[Comment, ...] = ()

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

    @property
    def path(self) -> str:
        return f"/{day_key(self.day)}/{self.name}"


@dataclass(frozen=True)
class NewEntry:
    """What a writer supplies; the store fills in day, name and times it is not given."""

    title: str
    body: str = ""
    categories: tuple[str, ...] = ()
    format: BodyFormat = "hatena"
    visibility: Visibility = "public"
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    day: dt.date | None = None
    name: str | None = None
    source: Source | None = None
    aliases: tuple[str, ...] = ()
    comments: tuple[Comment, ...] = ()


@dataclass(frozen=True)
class EntryChanges:
    """An edit: every field left as None stays as it is. Day and name never change."""

    title: str | None = None
    body: str | None = None
    categories: tuple[str, ...] | None = None
    format: BodyFormat | None = None
    visibility: Visibility | None = None
    aliases: tuple[str, ...] | None = None


@dataclass(frozen=True)
class DayPage:
    """One day with its title and the entries a reader may see, oldest first."""

    day: dt.date
    title: str | None
    entries: tuple[Entry, ...]
    comments: tuple[Comment, ...] = ()


@dataclass(frozen=True)
class Heading:
    """A line of the archive: an entry's address and title without its body."""

    day: dt.date
    name: str
    title: str
    categories: tuple[str, ...]
    visibility: Visibility
    created: dt.datetime


TokenScope = Literal["read", "clip", "write"]
TOKEN_SCOPES: tuple[TokenScope, ...] = ("read", "clip", "write")  # store/tokens.py says what


@dataclass(frozen=True)
class ApiToken:
    """An API token as the diary keeps it (never the token itself). ``scope`` says what it
    may do (one of ``TOKEN_SCOPES``); past ``expires`` it is refused."""

    id: int
    label: str
    created: dt.datetime
    last_used: dt.datetime | None
    revoked: bool
    scope: str = "write"
    expires: dt.datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    """A page as it was fetched for a clip: bytes (content-decoded), headers, final URL."""

    url: str
    requested_url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: dt.datetime
    sha256: str


@dataclass(frozen=True)
class Article:
    """What extraction finds in a page: the article and its metadata."""

    url: str
    title: str
    paragraphs: tuple[str, ...] = ()
    site: str | None = None
    author: str | None = None
    published: dt.datetime | None = None
    lang: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    found_article: bool = True
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class EntryImage:
    """An image a clip found on its page: kept in the diary (``sha256``) or failed (``error``).

    ``after_paragraph`` is how many of the article's paragraphs come before it on the page;
    ``url`` is where the page had it, ``path`` where the diary serves it (``/media/…``).
    """

    url: str
    alt: str
    caption: str
    lead: bool
    after_paragraph: int
    sha256: str | None = None
    media_type: str | None = None
    width: int = 0
    height: int = 0
    error: str | None = None

    @property
    def path(self) -> str | None:
        if self.sha256 is None or self.media_type is None:
            return None
        return f"/media/{self.sha256}.{MEDIA_EXTENSIONS[self.media_type]}"


#: The file name ending of each image kind the diary keeps.
MEDIA_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
}


@dataclass(frozen=True)
class SourceStatus:
    """What ``clipdiary check-links`` last found at a clip's source.

    ``state`` is ``ok``, ``gone`` (404/410), ``moved`` (redirected to another path, ``url``),
    ``changed`` (the article's text differs by more than a little) or ``unreachable``;
    ``since`` is the first check that found it so, ``checked`` the latest one.
    """

    state: str
    since: dt.datetime
    checked: dt.datetime
    http_status: int | None = None
    detail: str = ""
