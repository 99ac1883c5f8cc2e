"""Story numbers (the ``s17`` of /story/s17): each diary's next one, never given twice.

The highest number in use is not enough: when the newest story is merged away, its number
would come back for another story and an old link would lead there. The last number given
is kept in the diary's settings and only grows.
"""

from __future__ import annotations

import sqlalchemy as sa

from clipdiary.store import schema

S = schema.stories
D = schema.diary_settings
KEY = "story_numbers_given"


def next_story_number(conn: sa.Connection, diary_id: int) -> int:
    """The number for a new story of the diary, recorded as given."""
    given = conn.execute(
        sa.select(D.c.value).where(D.c.diary_id == diary_id, D.c.key == KEY)
    ).scalar()
    top = conn.execute(sa.select(sa.func.max(S.c.number)).where(S.c.diary_id == diary_id)).scalar()
    number = max(int(given or 0), int(top or 0)) + 1
    if given is None:
        conn.execute(sa.insert(D).values(diary_id=diary_id, key=KEY, value=str(number)))
    else:
        conn.execute(
            sa.update(D).where(D.c.diary_id == diary_id, D.c.key == KEY).values(value=str(number))
        )
    return number
