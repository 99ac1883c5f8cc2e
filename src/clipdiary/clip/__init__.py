"""Clipping: fetch a page, extract its article, compose the entry body.

page = fetch(url, allow_private=diary.allow_private_addresses)   # FetchError
article = extract_page(page)                                      # ExtractError
clip = compose(article, note)                                     # ComposedClip
"""

from clipdiary.clip.charset import decode_html
from clipdiary.clip.compose import ComposedClip, compose
from clipdiary.clip.extract import extract, extract_page
from clipdiary.clip.fetch import DEFAULT_LIMITS, FetchedPage, FetchLimits, fetch, local_page

__all__ = [
    "DEFAULT_LIMITS",
    "ComposedClip",
    "FetchLimits",
    "FetchedPage",
    "compose",
    "decode_html",
    "extract",
    "extract_page",
    "fetch",
    "local_page",
]
