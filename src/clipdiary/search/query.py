"""The query language a person would guess, parsed into plain data.

    Aleppo 2016            both words
    "prime minister"       the exact phrase
    -Trump                 without this word (or -"a phrase")
    停戦 OR 休戦            either (OR binds two neighbours: a OR b c = (a or b) and c)
    sanction*              a word starting so (Latin words match whole words otherwise)
    category:Russia  site:nhk.or.jp  lang:ja  from:2016-01-01  to:2016-12-31
    -category:Sports       filters can be negated too

Japanese needs no spaces: every term finds the entries that hold it as a substring.
A malformed query raises ``QueryError`` with a message that says what to change.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from clipdiary.errors import UsageError
from clipdiary.search.text import Phrase, normalize, phrase_of

MAX_QUERY_CHARS = 500
MAX_TERMS = 24
FILTER_KEYS = ("category", "site", "lang", "from", "to")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}$")


class QueryError(UsageError):
    """A search query that cannot be run; the message says how to fix it."""


@dataclass(frozen=True)
class Term:
    """A word or a quoted phrase as the user wrote it, and what it must match."""

    text: str
    phrase: Phrase
    quoted: bool = False


@dataclass(frozen=True)
class Filters:
    categories: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    not_categories: tuple[str, ...] = ()
    not_sites: tuple[str, ...] = ()
    not_langs: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Query:
    """All ``groups`` must match (each group: any of its terms), none of ``excluded``."""

    text: str
    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]
    filters: Filters = field(default_factory=Filters)

    @property
    def positive_terms(self) -> tuple[Term, ...]:
        return tuple(term for group in self.groups for term in group)


@dataclass
class _Token:
    """A lexical piece of the query: text, whether quoted/negated, or the OR operator."""

    text: str
    quoted: bool = False
    negated: bool = False
    is_or: bool = False
    key: str | None = None


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-":
            negated = True
            i += 1
            if i >= n or text[i].isspace():
                raise QueryError(
                    "a '-' must be followed by the word to leave out, e.g. -Trump "
                    "(write the minus sign right before the word)"
                )
            ch = text[i]
        key = None
        match = re.match(r"([A-Za-z]+):", text[i:])
        if match and match.group(1).lower() in FILTER_KEYS:
            key = match.group(1).lower()
            i += match.end()
            if i >= n or text[i].isspace():
                raise QueryError(f"'{key}:' needs a value right after it, e.g. {_example(key)}")
            ch = text[i]
        if ch == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise QueryError(
                    'a quotation mark is not closed: write the phrase as "like this", '
                    "or remove the quotation mark"
                )
            tokens.append(_Token(text[i + 1 : close], True, negated, False, key))
            i = close + 1
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] != '"':
            i += 1
        word = text[start:i]
        is_or = word == "OR" and not negated and key is None
        tokens.append(_Token(word, False, negated, is_or, key))
    return tokens


def _example(key: str) -> str:
    return {
        "category": "category:Russia",
        "site": "site:nhk.or.jp",
        "lang": "lang:ja",
        "from": "from:2016-01-01",
        "to": "to:2016-12-31",
    }[key]


def _date(key: str, value: str) -> dt.date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = (int(part) for part in value.split("-"))
            first = dt.date(year, month, 1)
            if key == "from":
                return first
            # The month's last day by the calendar: no date arithmetic past 9999-12.
            return first.replace(day=calendar.monthrange(year, month)[1])
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1) if key == "from" else dt.date(int(value), 12, 31)
    except ValueError:
        pass
    raise QueryError(f"'{key}:{value}' is not a date: write it as {_example(key)}")


class _Builder:
    def __init__(self) -> None:
        self.groups: list[list[Term]] = []
        self.excluded: list[Term] = []
        self.categories: list[str] = []
        self.sites: list[str] = []
        self.langs: list[str] = []
        self.not_categories: list[str] = []
        self.not_sites: list[str] = []
        self.not_langs: list[str] = []
        self.start: dt.date | None = None
        self.end: dt.date | None = None
        self.pending_or = False

    def add_filter(self, token: _Token) -> None:
        key = token.key
        value = token.text.strip()
        if not value:
            raise QueryError(f"'{key}:' needs a value, e.g. {_example(key or 'category')}")
        if key in ("from", "to"):
            if token.negated:
                raise QueryError(f"'-{key}:' cannot be negated; use from: and to: for a range")
            day = _date(key, value)
            if key == "from":
                self.start = day
            else:
                self.end = day
        elif key == "lang":
            for lang in normalize(value).split("|"):
                if not LANG_PATTERN.match(lang):
                    raise QueryError(
                        f"'lang:{value}' is not a language code: write lang:ja or lang:en"
                    )
                (self.not_langs if token.negated else self.langs).append(lang)
        elif key == "site":
            site = normalize(value).strip().removeprefix("www.")
            (self.not_sites if token.negated else self.sites).append(site)
        else:
            (self.not_categories if token.negated else self.categories).append(value)

    def add_term(self, token: _Token) -> None:
        prefix = not token.quoted and token.text.endswith("*")
        text = token.text.rstrip("*") if not token.quoted else token.text
        phrase = phrase_of(text, prefix=prefix)
        if phrase is None:
            if self.pending_or:
                raise QueryError(f"nothing to search for in {token.text!r} after OR")
            return
        term = Term(token.text, phrase, token.quoted)
        if token.negated:
            if self.pending_or:
                raise QueryError("OR cannot join an excluded word: write a OR b -c")
            self.excluded.append(term)
        elif self.pending_or:
            self.groups[-1].append(term)
            self.pending_or = False
        else:
            self.groups.append([term])

    def add_or(self) -> None:
        if not self.groups or self.pending_or:
            raise QueryError("OR needs a word on each side, e.g. 停戦 OR 休戦")
        self.pending_or = True


def parse_query(text: str) -> Query:
    """Parse what a person typed into a search box."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text)} characters long; at most {MAX_QUERY_CHARS} are searched"
        )
    cleaned = text.replace("\x00", " ").replace("\u3000", " ")
    # Full-width quotation marks and minus signs count as their ASCII forms.
    cleaned = cleaned.replace("＂", '"').replace("”", '"').replace("“", '"').replace("－", "-")
    builder = _Builder()
    lexed = _lex(cleaned)
    for token in lexed:
        if token.is_or:
            builder.add_or()
        elif token.key is not None:
            if builder.pending_or:
                raise QueryError("OR cannot join a filter: put filters after the words")
            builder.add_filter(token)
        else:
            builder.add_term(token)
    if builder.pending_or:
        raise QueryError("OR needs a word on each side, e.g. 停戦 OR 休戦")
    count = sum(len(g) for g in builder.groups) + len(builder.excluded)
    if count > MAX_TERMS:
        raise QueryError(f"the query has {count} words; at most {MAX_TERMS} are searched")
    if builder.start and builder.end and builder.start > builder.end:
        raise QueryError(f"from:{builder.start.isoformat()} is after to:{builder.end.isoformat()}")
    filters = Filters(
        categories=tuple(builder.categories),
        sites=tuple(builder.sites),
        langs=tuple(builder.langs),
        not_categories=tuple(builder.not_categories),
        not_sites=tuple(builder.not_sites),
        not_langs=tuple(builder.not_langs),
        start=builder.start,
        end=builder.end,
    )
    has_filter = bool(filters.categories or filters.sites or filters.langs)
    if not builder.groups and not has_filter and not (filters.start or filters.end):
        if builder.excluded or filters.not_categories or filters.not_sites or filters.not_langs:
            raise QueryError("add a word to search for: a query cannot only leave things out")
        raise QueryError(
            'nothing to search for: type a word, a "phrase", or a filter such as category:Russia'
        )
    return Query(
        text=text,
        groups=tuple(tuple(group) for group in builder.groups),
        excluded=tuple(builder.excluded),
        filters=filters,
    )
