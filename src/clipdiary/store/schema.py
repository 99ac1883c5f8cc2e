"""The tables, as SQLAlchemy Core objects: one schema for SQLite and PostgreSQL.

Times are Unix seconds (BIGINT): portable, sortable and free of the two dialects' different
ideas of time zones. A day is a DATE in the diary's own zone, computed when the entry is
written, so a day page is one indexed range scan.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

diaries = sa.Table(
    "diaries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(32), nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("day_starts_at", sa.Integer, nullable=False, server_default="0"),
    sa.Column("base_url", sa.Text, nullable=False, server_default=""),
    sa.Column("notation_mode", sa.String(8), nullable=False, server_default="diary"),
    sa.Column("allow_private_addresses", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("password_hash", sa.Text),
    # Signs session cookies and CSRF tokens; made at init, never leaves the database.
    sa.Column("secret_key", sa.String(128), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)

days = sa.Table(
    "days",
    metadata,
    sa.Column("diary_id", sa.Integer, sa.ForeignKey("diaries.id", ondelete="CASCADE")),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("diary_id", "day"),
)

entries = sa.Table(
    "entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "diary_id", sa.Integer, sa.ForeignKey("diaries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("day", sa.Date, nullable=False),
    # MMDD as a number (905 for 09-05), for the same-date-in-every-year page.
    sa.Column("month_day", sa.Integer, nullable=False),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("visibility", sa.String(16), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.Column("source_url", sa.Text),
    sa.Column("source_site", sa.Text),
    sa.Column("source_lang", sa.String(16)),
    # ISO 8601 with the publisher's own offset, which Unix seconds would lose.
    sa.Column("source_published", sa.String(40)),
    sa.Column("source_author", sa.Text),
    sa.UniqueConstraint("diary_id", "day", "name", name="entries_day_name"),
    sa.Index("entries_diary_created", "diary_id", "created_at"),
    sa.Index("entries_diary_month_day", "diary_id", "month_day"),
)

entry_categories = sa.Table(
    "entry_categories",
    metadata,
    sa.Column(
        "entry_id", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("category", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("entry_id", "position"),
    sa.Index("entry_categories_lookup", "diary_id", "category"),
)

aliases = sa.Table(
    "aliases",
    metadata,
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column(
        "entry_id", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.PrimaryKeyConstraint("diary_id", "path"),
    sa.Index("aliases_entry", "entry_id"),
)

comments = sa.Table(
    "comments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    # Hatena Diary comments belong to a day; comments on one entry name it here.
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE")),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Index("comments_day", "diary_id", "day"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    # SHA-256 of the token: the token itself is shown once and never stored.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("last_used_at", sa.BigInteger),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    # What the token may do (store/tokens.py SCOPES) and when it stops working (migration 9).
    sa.Column("scope", sa.String(8), nullable=False, server_default="write"),
    sa.Column("expires_at", sa.BigInteger),
)

# Clips keep the page as fetched, so it can be re-extracted years later. Content-addressed:
# the same bytes clipped twice are kept once.
snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("requested_url", sa.Text, nullable=False),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("headers", sa.Text, nullable=False),  # JSON list of [name, value]
    sa.Column("encoding", sa.String(16), nullable=False),  # how `content` is compressed
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("fetched_at", sa.BigInteger, nullable=False),
    sa.UniqueConstraint("diary_id", "sha256", name="snapshots_content"),
)

entry_snapshots = sa.Table(
    "entry_snapshots",
    metadata,
    sa.Column(
        "entry_id",
        sa.Integer,
        sa.ForeignKey("entries.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
)

# The normalised address of a clip's source (clipdiary.urlnorm), to find earlier clips.
entry_urls = sa.Table(
    "entry_urls",
    metadata,
    sa.Column(
        "entry_id",
        sa.Integer,
        sa.ForeignKey("entries.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.Column("url_key", sa.Text, nullable=False),
    sa.Index("entry_urls_lookup", "diary_id", "url_key"),
)

# Small per-diary settings that need no column of their own (e.g. ``hatena_user``, the
# diary's old Hatena user name for old addresses).
diary_settings = sa.Table(
    "diary_settings",
    metadata,
    sa.Column(
        "diary_id", sa.Integer, sa.ForeignKey("diaries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("diary_id", "key"),
)

# Related links (clipdiary.related): one embedding per entry, kept compact (float16), with
# the model that made it, so that a change of model is seen and ``relink`` recomputes.
related_vectors = sa.Table(
    "related_vectors",
    metadata,
    sa.Column(
        "entry_id",
        sa.Integer,
        sa.ForeignKey("entries.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.Column("model", sa.String(64), nullable=False),
    sa.Column("model_version", sa.String(64), nullable=False),
    sa.Column("title_vector", sa.LargeBinary, nullable=False),
    sa.Column("lead_vector", sa.LargeBinary, nullable=False),
    # Numbers the text names ("26750", "5-3"), a cheap signal that crosses languages.
    sa.Column("numbers", sa.Text, nullable=False, server_default=""),
    # A copy of the entry's created_at: "earlier" is decided without a join.
    sa.Column("created_at", sa.BigInteger, nullable=False),
    # Grows with every write, so a long-lived in-memory index can catch up cheaply.
    sa.Column("seq", sa.BigInteger, nullable=False),
    # The relink run that last computed this entry's links (for resuming).
    sa.Column("linked_run", sa.BigInteger, nullable=False, server_default="0"),
    # The language, and the sound keys of the names (clipdiary.related.names).
    sa.Column("lang", sa.String(16), nullable=False, server_default=""),
    sa.Column("names", sa.Text, nullable=False, server_default=""),
    sa.Index("related_vectors_seq", "diary_id", "seq"),
)

# entry -> an earlier entry about the same story; computed, never typed by hand.
related_links = sa.Table(
    "related_links",
    metadata,
    sa.Column(
        "entry_id", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "target_id", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("method", sa.String(128), nullable=False),
    sa.PrimaryKeyConstraint("entry_id", "target_id"),
    sa.Index("related_links_target", "target_id"),
)

# A story: entries about one developing news event, across days and languages. ``number``
# is its public id within the diary (/story/s17); ``title`` is the owner's, when given.
stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "diary_id", sa.Integer, sa.ForeignKey("diaries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("title", sa.Text),
    # The owner joined stories into this one: later passes do not split it.
    sa.Column("owner_merged", sa.Boolean, nullable=False, server_default=sa.false()),
    # The owner set an entry on its own here: nothing joins it but by the owner's hand.
    sa.Column("alone", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.UniqueConstraint("diary_id", "number", name="stories_diary_number"),
)

# Which story each entry is in. ``pinned``: the owner put it there, so it stays.
story_members = sa.Table(
    "story_members",
    metadata,
    sa.Column(
        "entry_id", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.Column(
        "story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("story_members_story", "story_id"),
    sa.Index("story_members_diary", "diary_id", "story_id"),
)

# The owner said these two entries are not the same story (entry_a < entry_b).
story_apart = sa.Table(
    "story_apart",
    metadata,
    sa.Column(
        "entry_a", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "entry_b", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("entry_a", "entry_b"),
    sa.Index("story_apart_diary", "diary_id"),
)

# An unfinished ``clipdiary relink``, so that the next one resumes it.
related_runs = sa.Table(
    "related_runs",
    metadata,
    sa.Column("diary_id", sa.Integer, primary_key=True),
    sa.Column("run", sa.BigInteger, nullable=False),
    sa.Column("since", sa.BigInteger),
)

# Goes up by one with every write transaction of the diary, from any process: a page built
# at one revision is still right while the revision has not moved (web/pagecache.py).
diary_revisions = sa.Table(
    "diary_revisions",
    metadata,
    sa.Column(
        "diary_id",
        sa.Integer,
        sa.ForeignKey("diaries.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("revision", sa.BigInteger, nullable=False),
)

# Images kept with clips (clipdiary.clip.images), content-addressed like the snapshots: kept
# in the database on both backends, so a backup of the diary holds them and a clip's entry,
# page and images land in one transaction.
media = sa.Table(
    "media",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("diary_id", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("media_type", sa.String(32), nullable=False),  # read from the bytes
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.UniqueConstraint("diary_id", "sha256", name="media_content"),
)

# The images a clip found, in order: kept (media_id) or failed (error, for the owner).
entry_images = sa.Table(
    "entry_images",
    metadata,
    sa.Column(
        "entry_id", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("media_id", sa.Integer, sa.ForeignKey("media.id")),
    sa.Column("alt", sa.Text, nullable=False),
    sa.Column("caption", sa.Text, nullable=False),
    sa.Column("lead", sa.Boolean, nullable=False),
    sa.Column("after_paragraph", sa.Integer, nullable=False),  # how many paragraphs precede it
    sa.Column("error", sa.Text),
    sa.PrimaryKeyConstraint("entry_id", "position"),
    sa.Index("entry_images_media", "media_id"),
)

# What ``clipdiary check-links`` last found at a clip's source (clipdiary.clip.linkcheck).
source_checks = sa.Table(
    "source_checks",
    metadata,
    sa.Column(
        "entry_id",
        sa.Integer,
        sa.ForeignKey("entries.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("state", sa.String(16), nullable=False),  # ok, gone, moved, changed, unreachable
    sa.Column("since", sa.BigInteger, nullable=False),  # first check that saw this state
    sa.Column("checked_at", sa.BigInteger, nullable=False),
    sa.Column("http_status", sa.Integer),
    sa.Column("detail", sa.Text, nullable=False),  # the new address, or what went wrong
)

schema_version = sa.Table(
    "clipdiary_schema",
    metadata,
    sa.Column("version", sa.Integer, nullable=False),
)
