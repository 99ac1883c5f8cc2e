"""The one API every other part of clipdiary uses to read and write a diary."""

from __future__ import annotations

import calendar
import datetime as dt
import secrets
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from clipdiary.errors import Conflict, NotFound, StoreError, UsageError
from clipdiary.model import (
    BODY_FORMATS,
    VISIBILITIES,
    ApiToken,
    Comment,
    DayPage,
    Diary,
    Entry,
    EntryChanges,
    Heading,
    NewEntry,
    Snapshot,
    Source,
    check_base_url,
    check_day_start,
    check_diary_name,
    check_entry_name,
    check_timezone,
    day_key,
)
from clipdiary.safeurl import check_web_url
from clipdiary.store import schema
from clipdiary.store import tokens as token_store
from clipdiary.store.engine import WRITE_OPTION, make_engine
from clipdiary.store.indexers import EntryIndexer, default_indexers
from clipdiary.store.media import delete_entry_images
from clipdiary.store.migrations import upgrade
from clipdiary.store.rows import (
    DiaryStamps,
    day_pages,
    diary_from_row,
    diary_identity,
    entry_from_row,
    from_epoch,
    stamps_from_rows,
)
from clipdiary.store.snapshots import load_snapshot, save_snapshot
from clipdiary.store.text_checks import check_storable
from clipdiary.urlnorm import url_key

E = schema.entries
C = schema.entry_categories
A = schema.aliases


def _epoch(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise UsageError(f"time {moment.isoformat()} has no time zone")
    return int(moment.timestamp())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Database:
    """A database holding one diary (a SQLite file) or many (a PostgreSQL server)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, echo: bool = False) -> Database:
        engine = make_engine(url, echo=echo)
        try:
            upgrade(engine)
        except sa.exc.OperationalError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the database: {exc.orig}") from exc
        except Exception:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def diary_names(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(schema.diaries.c.name).order_by(schema.diaries.c.name))
            return [row.name for row in rows]

    def create_diary(self, diary: Diary) -> Store:
        check_diary_name(diary.name)
        check_timezone(diary.timezone)
        check_day_start(diary.day_starts_at)
        try:
            with self.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
                with conn.begin():
                    conn.execute(
                        sa.insert(schema.diaries).values(
                            name=diary.name,
                            title=diary.title,
                            timezone=diary.timezone,
                            day_starts_at=diary.day_starts_at,
                            base_url=check_base_url(diary.base_url),
                            notation_mode=diary.notation_mode,
                            allow_private_addresses=diary.allow_private_addresses,
                            secret_key=secrets.token_urlsafe(48),
                            created_at=_epoch(_now()),
                        )
                    )
                    conn.execute(
                        sa.insert(schema.diary_revisions).from_select(
                            ["diary_id", "revision"],
                            sa.select(schema.diaries.c.id, sa.literal(1)).where(
                                schema.diaries.c.name == diary.name
                            ),
                        )
                    )
        except sa.exc.IntegrityError as exc:
            raise Conflict(f"a diary named {diary.name!r} exists already") from exc
        return self.diary(diary.name)

    def diary(self, name: str | None = None) -> Store:
        """The store of one diary; without a name, the only diary the database holds."""
        with self.engine.connect() as conn:
            query = sa.select(schema.diaries)
            if name is not None:
                query = query.where(schema.diaries.c.name == name)
            rows = conn.execute(query.limit(2)).all()
        if not rows:
            if name is None:
                raise NotFound("this database holds no diary yet: run 'clipdiary init'")
            raise NotFound(f"no diary named {name!r} in this database")
        if len(rows) > 1:
            raise UsageError(
                "this database holds several diaries: name one with --diary-name "
                f"({', '.join(self.diary_names())})"
            )
        return Store(self, rows[0]._mapping)


class Store:
    """One diary: its settings, days, entries, owner credentials and API tokens.

    Every method runs in a transaction of its own unless called inside ``transaction()``,
    where all of them share one that commits or rolls back as a whole.
    """

    def __init__(self, database: Database, row: Any) -> None:
        self.database = database
        self.engine = database.engine
        self.diary_id: int = row["id"]
        self.diary: Diary = diary_from_row(row)
        self.secret_key: str = row["secret_key"]
        self.identity = diary_identity(row)
        self._local = threading.local()
        self._indexers: list[EntryIndexer] | None = None
        self._synced_at = -1  # the revision at which ``diary`` was last read

    @property
    def indexers(self) -> list[EntryIndexer]:
        """What every write keeps in step; made on first use, so that a store only read
        (a static build, a page) never loads the indexers' heavy modules."""
        if self._indexers is None:
            self._indexers = default_indexers()
        return self._indexers

    @indexers.setter
    def indexers(self, value: list[EntryIndexer]) -> None:
        self._indexers = value

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- connections ------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """Group writes: all of them land, or none."""
        current: sa.Connection | None = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
            with conn.begin():
                self._local.conn = conn
                try:
                    yield conn
                    conn.execute(
                        sa.update(schema.diary_revisions)
                        .where(schema.diary_revisions.c.diary_id == self.diary_id)
                        .values(revision=schema.diary_revisions.c.revision + 1)
                    )
                finally:
                    self._local.conn = None

    def revision(self) -> int:
        """A number that changes whenever anything of this diary is written, by anyone."""
        r = schema.diary_revisions
        with self._read() as conn:
            value = conn.execute(
                sa.select(r.c.revision).where(r.c.diary_id == self.diary_id)
            ).scalar()
        return int(value or 0)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Make every read inside see the diary as it was at the first one, whatever other
        processes write meanwhile (a build reads its outline first and bodies later)."""
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        options: dict[str, Any] = {}
        if self.dialect == "postgresql":
            options["isolation_level"] = "REPEATABLE READ"  # one snapshot for the transaction
        with self.engine.connect().execution_options(**options) as conn:
            with conn.begin():
                self._local.conn = conn
                try:
                    yield
                finally:
                    self._local.conn = None

    def sync(self) -> int:
        """The current revision; when it moved since the last look, the diary's settings
        are read again, since another process (the command line, another server worker)
        may have changed them."""
        revision = self.revision()
        if revision != self._synced_at:
            with self._read() as conn:
                row = conn.execute(
                    sa.select(schema.diaries).where(schema.diaries.c.id == self.diary_id)
                ).one()
            self.diary = diary_from_row(row._mapping)
            self._synced_at = revision
        return revision

    def forget_connections(self) -> None:
        """In a forked child: drop the parent's pooled connections without closing them."""
        self.engine.dispose(close=False)

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        current: sa.Connection | None = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self.engine.connect() as conn:
            yield conn

    # -- settings and owner -----------------------------------------------------------

    def update_settings(
        self,
        *,
        title: str | None = None,
        timezone: str | None = None,
        day_starts_at: int | None = None,
        base_url: str | None = None,
        notation_mode: str | None = None,
        allow_private_addresses: bool | None = None,
    ) -> Diary:
        values: dict[str, Any] = {}
        if title is not None:
            if not title.strip():
                raise UsageError("a diary needs a title")
            values["title"] = " ".join(title.split())
        if timezone is not None:
            check_timezone(timezone)
            values["timezone"] = timezone
        if day_starts_at is not None:
            values["day_starts_at"] = check_day_start(day_starts_at)
        if base_url is not None:
            values["base_url"] = check_base_url(base_url)
        if notation_mode is not None:
            if notation_mode not in ("diary", "blog"):
                raise UsageError(f"notation mode {notation_mode!r} is not 'diary' or 'blog'")
            values["notation_mode"] = notation_mode
        if allow_private_addresses is not None:
            values["allow_private_addresses"] = allow_private_addresses
        if values:
            with self.transaction() as conn:
                conn.execute(
                    sa.update(schema.diaries)
                    .where(schema.diaries.c.id == self.diary_id)
                    .values(**values)
                )
            self.diary = replace(self.diary, **values)
        return self.diary

    def set_password_hash(self, password_hash: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                sa.update(schema.diaries)
                .where(schema.diaries.c.id == self.diary_id)
                .values(password_hash=password_hash)
            )

    def password_hash(self) -> str | None:
        with self._read() as conn:
            value = conn.execute(
                sa.select(schema.diaries.c.password_hash).where(
                    schema.diaries.c.id == self.diary_id
                )
            ).scalar()
        return str(value) if value is not None else None

    # -- API tokens (store/tokens.py) ------------------------------------------------

    def create_token(
        self, label: str, *, scope: str = "write", expires: dt.datetime | None = None
    ) -> tuple[ApiToken, str]:
        """Make a token; the plain token is returned once and only its hash is kept."""
        return token_store.create_token(self, label, scope=scope, expires=expires)

    def tokens(self) -> list[ApiToken]:
        return token_store.list_tokens(self)

    def revoke_token(self, which: str) -> int:
        """Revoke tokens by id or label; returns how many were revoked."""
        return token_store.revoke_token(self, which)

    def verify_token(self, token: str) -> ApiToken | None:
        return token_store.verify_token(self, token)

    def touch_token(self, token_id: int) -> None:
        token_store.touch_token(self, token_id)

    # -- writing entries --------------------------------------------------------------

    def add_entry(self, new: NewEntry, *, snapshot: Snapshot | None = None) -> Entry:
        """Store a new entry. Day and name follow the diary's clock unless given.

        An epoch name that is taken moves to the next free second; a given word name
        (``p1``) that is taken is a conflict. A clip passes the page it came from as
        ``snapshot``, kept (compressed, once per content) with the entry.
        """
        if new.format not in BODY_FORMATS:
            raise UsageError(f"unknown body format {new.format!r}")
        if new.visibility not in VISIBILITIES:
            raise UsageError(f"visibility must be public or private, not {new.visibility!r}")
        if new.source is not None:  # the last guard: every way in checks it first
            check_web_url(new.source.url, "source.url")
        check_storable(
            [("title", new.title), ("body", new.body), ("name", new.name)]
            + [("category", c) for c in new.categories]
        )
        created = new.created or _now()
        updated = new.updated or created
        day = new.day or self.diary.day_of(created)
        with self.transaction() as conn:
            if new.name is None:
                name = self._free_epoch_name(conn, day, _epoch(created))
            else:
                name = check_entry_name(new.name)
                if self._entry_id(conn, day, name) is not None:
                    raise Conflict(f"an entry named {name!r} exists on {day.isoformat()}")
            values = {
                "diary_id": self.diary_id,
                "day": day,
                "month_day": day.month * 100 + day.day,
                "name": name,
                "title": new.title,
                "format": new.format,
                "body": new.body,
                "visibility": new.visibility,
                "created_at": _epoch(created),
                "updated_at": _epoch(updated),
                **_source_values(new.source),
            }
            entry_id = conn.execute(sa.insert(E).values(**values).returning(E.c.id)).scalar_one()
            self._write_categories(conn, entry_id, new.categories)
            self._write_aliases(conn, entry_id, new.aliases)
            for comment in new.comments:
                self._insert_comment(conn, day, entry_id, comment)
            if new.source is not None:
                conn.execute(
                    sa.insert(schema.entry_urls).values(
                        entry_id=entry_id, diary_id=self.diary_id, url_key=url_key(new.source.url)
                    )
                )
            if snapshot is not None:
                snapshot_id = save_snapshot(conn, self.diary_id, snapshot)
                conn.execute(
                    sa.insert(schema.entry_snapshots).values(
                        entry_id=entry_id, snapshot_id=snapshot_id
                    )
                )
            for indexer in self.indexers:
                indexer.entry_written(conn, self, entry_id)
        return self.get_entry(day, name)

    def update_entry(
        self, day: dt.date, name: str, changes: EntryChanges, *, when: dt.datetime | None = None
    ) -> Entry:
        values: dict[str, Any] = {}
        for field in ("title", "body", "format", "visibility"):
            value = getattr(changes, field)
            if value is not None:
                values[field] = value
        if changes.format is not None and changes.format not in BODY_FORMATS:
            raise UsageError(f"unknown body format {changes.format!r}")
        if changes.visibility is not None and changes.visibility not in VISIBILITIES:
            raise UsageError(f"visibility must be public or private, not {changes.visibility!r}")
        check_storable(
            [("title", changes.title), ("body", changes.body)]
            + [("category", c) for c in changes.categories or ()]
        )
        values["updated_at"] = _epoch(when or _now())
        with self.transaction() as conn:
            entry_id = self._entry_id(conn, day, name)
            if entry_id is None:
                raise NotFound(f"no entry {day_key(day)}/{name}")
            conn.execute(sa.update(E).where(E.c.id == entry_id).values(**values))
            if changes.categories is not None:
                conn.execute(sa.delete(C).where(C.c.entry_id == entry_id))
                self._write_categories(conn, entry_id, changes.categories)
            if changes.aliases is not None:
                conn.execute(sa.delete(A).where(A.c.entry_id == entry_id))
                self._write_aliases(conn, entry_id, changes.aliases)
            for indexer in self.indexers:
                indexer.entry_written(conn, self, entry_id)
        return self.get_entry(day, name)

    def delete_entry(self, day: dt.date, name: str) -> None:
        with self.transaction() as conn:
            entry_id = self._entry_id(conn, day, name)
            if entry_id is None:
                raise NotFound(f"no entry {day_key(day)}/{name}")
            for indexer in self.indexers:
                indexer.entry_deleted(conn, self, entry_id)
            # Children first: SQLite enforces ON DELETE CASCADE only with foreign_keys on,
            # and a database opened by another tool may not have it.
            conn.execute(sa.delete(C).where(C.c.entry_id == entry_id))
            conn.execute(sa.delete(A).where(A.c.entry_id == entry_id))
            conn.execute(
                sa.delete(schema.entry_urls).where(schema.entry_urls.c.entry_id == entry_id)
            )
            conn.execute(
                sa.delete(schema.entry_snapshots).where(
                    schema.entry_snapshots.c.entry_id == entry_id
                )
            )
            delete_entry_images(conn, self.diary_id, entry_id)
            conn.execute(
                sa.delete(schema.source_checks).where(schema.source_checks.c.entry_id == entry_id)
            )
            conn.execute(sa.delete(schema.comments).where(schema.comments.c.entry_id == entry_id))
            conn.execute(sa.delete(E).where(E.c.id == entry_id))

    def set_day_title(self, day: dt.date, title: str | None) -> None:
        """Give a day its title (Hatena's ``<day title>``) as given; None or "" removes it.
        Imports keep a title as the old diary had it; the forms check it (``check_day_title``)."""
        d = schema.days
        with self.transaction() as conn:
            conn.execute(sa.delete(d).where(d.c.diary_id == self.diary_id, d.c.day == day))
            if title:
                conn.execute(sa.insert(d).values(diary_id=self.diary_id, day=day, title=title))

    def add_comment(self, day: dt.date, comment: Comment, *, entry_name: str | None = None) -> None:
        with self.transaction() as conn:
            entry_id = None
            if entry_name is not None:
                entry_id = self._entry_id(conn, day, entry_name)
                if entry_id is None:
                    raise NotFound(f"no entry {day_key(day)}/{entry_name}")
            self._insert_comment(conn, day, entry_id, comment)

    def _insert_comment(
        self, conn: sa.Connection, day: dt.date, entry_id: int | None, comment: Comment
    ) -> None:
        conn.execute(
            sa.insert(schema.comments).values(
                diary_id=self.diary_id,
                day=day,
                entry_id=entry_id,
                author=comment.author,
                body=comment.body,
                created_at=_epoch(comment.created),
            )
        )

    def _free_epoch_name(self, conn: sa.Connection, day: dt.date, second: int) -> str:
        taken = {
            row.name
            for row in conn.execute(
                sa.select(E.c.name).where(
                    E.c.diary_id == self.diary_id, E.c.day == day, E.c.name >= str(second)
                )
            )
        }
        while str(second) in taken:
            second += 1
        return str(second)

    def _entry_id(self, conn: sa.Connection, day: dt.date, name: str) -> int | None:
        value = conn.execute(
            sa.select(E.c.id).where(E.c.diary_id == self.diary_id, E.c.day == day, E.c.name == name)
        ).scalar()
        return int(value) if value is not None else None

    def _write_categories(
        self, conn: sa.Connection, entry_id: int, categories: Sequence[str]
    ) -> None:
        cleaned = list(dict.fromkeys(c.strip() for c in categories if c.strip()))
        if cleaned:
            conn.execute(
                sa.insert(C),
                [
                    {"entry_id": entry_id, "diary_id": self.diary_id, "position": i, "category": c}
                    for i, c in enumerate(cleaned)
                ],
            )

    def _write_aliases(self, conn: sa.Connection, entry_id: int, paths: Sequence[str]) -> None:
        for path in dict.fromkeys(paths):
            if not path.startswith("/"):
                raise UsageError(f"alias {path!r} must be a path starting with '/'")
            owner = conn.execute(
                sa.select(A.c.entry_id).where(A.c.diary_id == self.diary_id, A.c.path == path)
            ).scalar()
            if owner is not None and owner != entry_id:
                raise Conflict(f"the address {path} already redirects to another entry")
            if owner is None:
                conn.execute(
                    sa.insert(A).values(diary_id=self.diary_id, path=path, entry_id=entry_id)
                )

    # -- reading entries --------------------------------------------------------------

    def get_entry(self, day: dt.date, name: str, *, include_private: bool = True) -> Entry:
        found = self.entries(include_private=include_private, day=day, name=name)
        if not found:
            raise NotFound(f"no entry {day_key(day)}/{name}")
        return found[0]

    def entries(
        self,
        *,
        include_private: bool,
        day: dt.date | None = None,
        name: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        category: str | None = None,
        month_day: int | None = None,
        days: Iterable[dt.date] | None = None,
        newest_first: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Entry]:
        """Entries matching every filter given, oldest first unless ``newest_first``."""
        query = sa.select(E).where(E.c.diary_id == self.diary_id)
        if not include_private:
            query = query.where(E.c.visibility == "public")
        if day is not None:
            query = query.where(E.c.day == day)
        if name is not None:
            query = query.where(E.c.name == name)
        if start is not None:
            query = query.where(E.c.day >= start)
        if end is not None:
            query = query.where(E.c.day <= end)
        if month_day is not None:
            query = query.where(E.c.month_day == month_day)
        if days is not None:
            query = query.where(E.c.day.in_(list(days)))
        if category is not None:
            query = query.where(
                E.c.id.in_(
                    sa.select(C.c.entry_id).where(
                        C.c.diary_id == self.diary_id, C.c.category == category
                    )
                )
            )
        if newest_first:
            query = query.order_by(E.c.day.desc(), E.c.created_at.desc(), E.c.id.desc())
        else:
            query = query.order_by(E.c.day, E.c.created_at, E.c.id)
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        with self._read() as conn:
            rows = conn.execute(query).all()
            return self._hydrate(conn, rows)

    def count_entries(self, *, include_private: bool) -> int:
        query = sa.select(sa.func.count()).select_from(E).where(E.c.diary_id == self.diary_id)
        if not include_private:
            query = query.where(E.c.visibility == "public")
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def _hydrate(self, conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Entry]:
        if not rows:
            return []
        ids = [row.id for row in rows]
        categories: dict[int, list[str]] = defaultdict(list)
        aliases: dict[int, list[str]] = defaultdict(list)
        comments: dict[int, list[Comment]] = defaultdict(list)
        zone = self.diary.zone
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            for r in conn.execute(
                sa.select(C.c.entry_id, C.c.category)
                .where(C.c.entry_id.in_(chunk))
                .order_by(C.c.entry_id, C.c.position)
            ):
                categories[r.entry_id].append(r.category)
            for r in conn.execute(
                sa.select(A.c.entry_id, A.c.path).where(A.c.entry_id.in_(chunk)).order_by(A.c.path)
            ):
                aliases[r.entry_id].append(r.path)
            cm = schema.comments
            for r in conn.execute(
                sa.select(cm).where(cm.c.entry_id.in_(chunk)).order_by(cm.c.created_at, cm.c.id)
            ):
                comments[r.entry_id].append(
                    Comment(r.author, r.body, from_epoch(r.created_at, zone))
                )
        return [
            entry_from_row(
                row._mapping,
                zone,
                categories=tuple(categories[row.id]),
                aliases=tuple(aliases[row.id]),
                comments=tuple(comments[row.id]),
            )
            for row in rows
        ]

    # -- reading days -----------------------------------------------------------------

    def latest_days(self, *, include_private: bool, limit: int, offset: int = 0) -> list[DayPage]:
        """The newest days that hold a visible entry, newest first."""
        query = sa.select(E.c.day).where(E.c.diary_id == self.diary_id).distinct()
        if not include_private:
            query = query.where(E.c.visibility == "public")
        query = query.order_by(E.c.day.desc()).limit(limit).offset(offset)
        with self._read() as conn:
            wanted = [row.day for row in conn.execute(query)]
        return self._day_pages(wanted, include_private=include_private, newest_first=True)

    def count_days(self, *, include_private: bool) -> int:
        inner = sa.select(E.c.day).where(E.c.diary_id == self.diary_id).distinct()
        if not include_private:
            inner = inner.where(E.c.visibility == "public")
        query = sa.select(sa.func.count()).select_from(inner.subquery())
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def day_page(self, day: dt.date, *, include_private: bool) -> DayPage:
        pages = self._day_pages([day], include_private=include_private, newest_first=False)
        if not pages:
            raise NotFound(f"nothing was written on {day.isoformat()}")
        return pages[0]

    def month_pages(self, year: int, month: int, *, include_private: bool) -> list[DayPage]:
        start = dt.date(year, month, 1)
        end = start.replace(day=calendar.monthrange(year, month)[1])  # 9999-12 has no next
        entries = self.entries(include_private=include_private, start=start, end=end)
        return self._group(entries, newest_first=False)

    def same_date_pages(self, month: int, day: int, *, include_private: bool) -> list[DayPage]:
        entries = self.entries(include_private=include_private, month_day=month * 100 + day)
        return self._group(entries, newest_first=True)

    def _day_pages(
        self, wanted: Sequence[dt.date], *, include_private: bool, newest_first: bool
    ) -> list[DayPage]:
        if not wanted:
            return []
        entries = self.entries(include_private=include_private, days=wanted)
        return self._group(entries, newest_first=newest_first)

    def _group(self, entries: Sequence[Entry], *, newest_first: bool) -> list[DayPage]:
        return day_pages(entries, self._day_extras, newest_first=newest_first)

    def _day_extras(
        self, wanted: Sequence[dt.date]
    ) -> tuple[dict[dt.date, str], dict[dt.date, list[Comment]]]:
        d = schema.days
        cm = schema.comments
        zone = self.diary.zone
        titles: dict[dt.date, str] = {}
        comments: dict[dt.date, list[Comment]] = defaultdict(list)
        with self._read() as conn:
            for r in conn.execute(
                sa.select(d.c.day, d.c.title).where(
                    d.c.diary_id == self.diary_id, d.c.day.in_(wanted)
                )
            ):
                titles[r.day] = r.title
            for r in conn.execute(
                sa.select(cm)
                .where(
                    cm.c.diary_id == self.diary_id, cm.c.day.in_(wanted), cm.c.entry_id.is_(None)
                )
                .order_by(cm.c.created_at, cm.c.id)
            ):
                comments[r.day].append(Comment(r.author, r.body, from_epoch(r.created_at, zone)))
        return titles, comments

    def headings(self, *, include_private: bool) -> list[Heading]:
        """Every entry's address and title, newest first, for the archive."""
        query = sa.select(
            E.c.id, E.c.day, E.c.name, E.c.title, E.c.visibility, E.c.created_at
        ).where(E.c.diary_id == self.diary_id)
        if not include_private:
            query = query.where(E.c.visibility == "public")
        query = query.order_by(E.c.day.desc(), E.c.created_at.desc(), E.c.id.desc())
        zone = self.diary.zone
        with self._read() as conn:
            rows = conn.execute(query).all()
            categories: dict[int, list[str]] = defaultdict(list)
            for r in conn.execute(
                sa.select(C.c.entry_id, C.c.category)
                .where(C.c.diary_id == self.diary_id)
                .order_by(C.c.entry_id, C.c.position)
            ):
                categories[r.entry_id].append(r.category)
        return [
            Heading(
                r.day,
                r.name,
                r.title,
                tuple(categories[r.id]),
                r.visibility,
                from_epoch(r.created_at, zone),
            )
            for r in rows
        ]

    def stamps(self, *, include_private: bool) -> DiaryStamps:
        """Every entry's stamp, related pairs, comment ids and day titles, in five plain
        queries that read no body (the static build's change check). Rows are unpacked by
        position: at 100,000 entries attribute access per row would be most of the cost."""
        query = sa.select(
            E.c.id,
            E.c.day,
            E.c.name,
            E.c.title,
            E.c.visibility,
            E.c.created_at,
            E.c.updated_at,
            E.c.source_lang,
        ).where(E.c.diary_id == self.diary_id)
        if not include_private:
            query = query.where(E.c.visibility == "public")
        query = query.order_by(E.c.day, E.c.created_at, E.c.id)
        L = schema.related_links
        cm = schema.comments
        d = schema.days
        categories: dict[int, list[str]] = defaultdict(list)
        related: dict[int, list[tuple[int, float]]] = defaultdict(list)
        with self._read() as conn:
            rows = conn.execute(query).all()
            for entry_id, category in conn.execute(
                sa.select(C.c.entry_id, C.c.category)
                .where(C.c.diary_id == self.diary_id)
                .order_by(C.c.entry_id, C.c.position)
            ).all():
                categories[entry_id].append(category)
            for entry_id, target_id, score in conn.execute(
                sa.select(L.c.entry_id, L.c.target_id, L.c.score)
                .where(L.c.diary_id == self.diary_id)
                .order_by(L.c.entry_id, L.c.target_id)
            ).all():
                related[entry_id].append((target_id, float(score)))
            comments = [
                (comment_id, day, entry_id)
                for comment_id, day, entry_id in conn.execute(
                    sa.select(cm.c.id, cm.c.day, cm.c.entry_id)
                    .where(cm.c.diary_id == self.diary_id)
                    .order_by(cm.c.id)
                )
            ]
            title_rows = conn.execute(
                sa.select(d.c.day, d.c.title).where(d.c.diary_id == self.diary_id)
            ).all()
            titles: dict[dt.date, str] = dict(title_rows)
        entries = stamps_from_rows(rows, categories)
        return DiaryStamps(entries, dict(related), comments, titles)

    def categories(self, *, include_private: bool) -> list[tuple[str, int]]:
        """Each category with its number of entries, most used first."""
        query = (
            sa.select(C.c.category, sa.func.count().label("n"))
            .select_from(C.join(E, E.c.id == C.c.entry_id))
            .where(C.c.diary_id == self.diary_id)
            .group_by(C.c.category)
            .order_by(sa.desc("n"), C.c.category)
        )
        if not include_private:
            query = query.where(E.c.visibility == "public")
        with self._read() as conn:
            return [(r.category, int(r.n)) for r in conn.execute(query)]

    def clips_of(self, url: str) -> list[Entry]:
        """Entries clipped from the same page as ``url`` (see clipdiary.urlnorm), oldest first."""
        u = schema.entry_urls
        ids = sa.select(u.c.entry_id).where(
            u.c.diary_id == self.diary_id, u.c.url_key == url_key(url)
        )
        query = sa.select(E).where(E.c.id.in_(ids)).order_by(E.c.created_at, E.c.id)
        with self._read() as conn:
            return self._hydrate(conn, conn.execute(query).all())

    def snapshot_of(self, day: dt.date, name: str) -> Snapshot | None:
        """The page a clip was made from, or None for an entry that is not a clip."""
        with self._read() as conn:
            entry_id = self._entry_id(conn, day, name)
            if entry_id is None:
                raise NotFound(f"no entry {day_key(day)}/{name}")
            snapshot_id = conn.execute(
                sa.select(schema.entry_snapshots.c.snapshot_id).where(
                    schema.entry_snapshots.c.entry_id == entry_id
                )
            ).scalar()
            if snapshot_id is None:
                return None
            return load_snapshot(conn, int(snapshot_id))

    def snapshot_id_of(self, entry_id: int) -> int | None:
        """The stored page of an entry, by id, without loading it."""
        with self._read() as conn:
            found = conn.execute(
                sa.select(schema.entry_snapshots.c.snapshot_id).where(
                    schema.entry_snapshots.c.entry_id == entry_id
                )
            ).scalar()
        return int(found) if found is not None else None

    def resolve_alias(self, path: str) -> tuple[dt.date, str] | None:
        query = (
            sa.select(E.c.day, E.c.name)
            .select_from(A.join(E, E.c.id == A.c.entry_id))
            .where(A.c.diary_id == self.diary_id, A.c.path == path)
        )
        with self._read() as conn:
            row = conn.execute(query).first()
        return (row.day, row.name) if row else None

    # -- helpers for imports and old addresses ---------------------------------------

    def has_entry(self, day: dt.date, name: str) -> bool:
        """Whether the diary holds an entry ``day/name`` (private ones included)."""
        with self._read() as conn:
            return self._entry_id(conn, day, name) is not None

    def day_extras(
        self, days: Sequence[dt.date]
    ) -> tuple[dict[dt.date, str], dict[dt.date, list[Comment]]]:
        """The titles and the day comments (not an entry's) of these days."""
        if not days:
            return {}, {}
        return self._day_extras(days)

    def setting(self, key: str) -> str | None:
        s = schema.diary_settings
        with self._read() as conn:
            value = conn.execute(
                sa.select(s.c.value).where(s.c.diary_id == self.diary_id, s.c.key == key)
            ).scalar()
        return str(value) if value is not None else None

    def set_setting(self, key: str, value: str | None) -> None:
        """Keep a small per-diary setting; None removes it."""
        s = schema.diary_settings
        with self.transaction() as conn:
            conn.execute(sa.delete(s).where(s.c.diary_id == self.diary_id, s.c.key == key))
            if value is not None:
                conn.execute(sa.insert(s).values(diary_id=self.diary_id, key=key, value=value))

    @property
    def hatena_user(self) -> str:
        """The diary's old Hatena user name (``/USER/YYYYMMDD``): a setting, else its name."""
        return self.setting("hatena_user") or self.diary.name

    def neighbour_days(
        self, day: dt.date, *, include_private: bool
    ) -> tuple[dt.date | None, dt.date | None]:
        """The nearest earlier and later days that hold a visible entry (None at either end).

        Each is one step along the (diary_id, day, name) index: ordered and limited to one
        row rather than MIN/MAX, so the visibility filter does not turn it into a scan.
        """
        visible = [E.c.diary_id == self.diary_id]
        if not include_private:
            visible.append(E.c.visibility == "public")
        earlier = sa.select(E.c.day).where(*visible, E.c.day < day).order_by(E.c.day.desc())
        later = sa.select(E.c.day).where(*visible, E.c.day > day).order_by(E.c.day)
        with self._read() as conn:
            return (
                conn.execute(earlier.limit(1)).scalar(),
                conn.execute(later.limit(1)).scalar(),
            )


def _source_values(source: Source | None) -> dict[str, Any]:
    if source is None:
        return {}
    return {
        "source_url": source.url,
        "source_site": source.site,
        "source_lang": source.lang,
        "source_published": source.published.isoformat() if source.published else None,
        "source_author": source.author,
    }
