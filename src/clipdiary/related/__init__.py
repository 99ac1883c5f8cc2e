"""Related clips: each entry linked to the earlier entries about the same story.

``text`` chooses what is embedded, ``embed`` turns it into vectors (offline, multilingual),
``score`` combines the vectors with cheap signals, ``index`` keeps the vectors of a diary
in memory, ``link`` decides and writes the links, ``query`` reads them for pages and the API,
``relink`` recomputes them all.

The package itself imports nothing, so that ``text``, ``figures`` and ``names`` can be
used where the store (SQLAlchemy) is not loaded, as the static build does.
"""
