"""Stories: groups of entries about one developing news event, across days and languages.

``rule`` decides, for an arriving entry, which story it joins (from its scored links),
``book`` reads and writes memberships inside a write's transaction, ``restory`` recomputes
every story with stable ids, ``owner`` carries out the owner's decisions (rename, merge,
move, apart), and ``query`` reads stories for pages, feeds and JSON.
"""
