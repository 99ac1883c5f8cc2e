"""The one JSON shape of an entry: ``--json`` output, the API, and JSON Lines exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from clipdiary.model import Diary, Entry, EntryImage, RelatedLink, SourceStatus, Story, StoryRef
from clipdiary.render import entry_text
from clipdiary.urls import Urls


def entry_to_json(
    entry: Entry,
    diary: Diary,
    *,
    urls: Urls | None = None,
    related: list[RelatedLink] | None = None,
    story: StoryRef | None = None,
    derived: bool = True,
    images: Sequence[EntryImage] = (),
    source_status: SourceStatus | None = None,
) -> dict[str, Any]:
    """The entry as DESIGN.md spells it; ``derived=False`` leaves out url, text, related,
    images and source_status (what the diary computed or fetched, not what was written)."""
    urls = urls or Urls()
    data: dict[str, Any] = {
        "day": entry.day.isoformat(),
        "name": entry.name,
    }
    if derived:
        data["url"] = urls.entry(entry.day, entry.name)
    data.update(
        {
            "title": entry.title,
            "categories": list(entry.categories),
            "format": entry.format,
            "body": entry.body,
            "visibility": entry.visibility,
            "created": entry.created.isoformat(),
            "updated": entry.updated.isoformat(),
            "source": _source(entry),
            "aliases": list(entry.aliases),
            "comments": [
                {"author": c.author, "body": c.body, "created": c.created.isoformat()}
                for c in entry.comments
            ],
        }
    )
    if derived:
        data["text"] = entry_text(entry, diary)
        data["related"] = related_json(related or [], urls)
        data["story"] = story_json(story, urls)
        data["images"] = images_json(images, urls)
        data["source_status"] = source_status_json(source_status)
    return data


def images_json(images: Sequence[EntryImage], urls: Urls) -> list[dict[str, Any]]:
    """The images a clip kept: where the page had each, where the diary serves it."""
    return [
        {
            "url": image.url,
            "src": urls.base_path + path,
            "alt": image.alt,
            "caption": image.caption,
            "lead": image.lead,
            "width": image.width,
            "height": image.height,
        }
        for image in images
        if (path := image.path) is not None
    ]


def source_status_json(status: SourceStatus | None) -> dict[str, Any] | None:
    """What the last link check found at the source, or None before any check."""
    if status is None:
        return None
    return {
        "state": status.state,
        "since": status.since.isoformat(),
        "checked": status.checked.isoformat(),
        "http_status": status.http_status,
        "detail": status.detail,
    }


def story_json(story: StoryRef | None, urls: Urls) -> dict[str, Any] | None:
    """An entry's ``story``: id, title, url and size, or None for an entry in none."""
    if story is None:
        return None
    return {
        "id": story.key,
        "title": story.title,
        "url": urls.story(story.number),
        "size": story.size,
    }


def related_json(links: list[RelatedLink], urls: Urls) -> list[dict[str, Any]]:
    """Related links as the ``related`` list of an entry (and the API's …/related)."""
    return [
        {
            "day": link.day.isoformat(),
            "name": link.name,
            "url": urls.entry(link.day, link.name),
            "title": link.title,
            "lang": link.lang,
            "score": round(link.score, 4),
        }
        for link in links
    ]


def _source(entry: Entry) -> dict[str, Any] | None:
    source = entry.source
    if source is None:
        return None
    return {
        "url": source.url,
        "site": source.site,
        "lang": source.lang,
        "published": _iso(source.published),
        "author": source.author,
    }


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def story_to_json(story: Story, urls: Urls | None = None) -> dict[str, Any]:
    """A story with its entries, as DESIGN.md spells it (the API and ``clipdiary story``)."""
    urls = urls or Urls()
    return {
        "id": story.key,
        "title": story.title,
        "url": urls.story(story.number),
        "size": story.size,
        "first_day": story.first_day.isoformat(),
        "last_day": story.last_day.isoformat(),
        "langs": list(story.langs),
        "entries": [
            {
                "day": e.day.isoformat(),
                "name": e.name,
                "url": urls.entry(e.day, e.name),
                "title": e.title,
                "lang": e.lang,
            }
            for e in story.entries
        ],
    }
