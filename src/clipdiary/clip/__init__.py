"""Clipping: fetch a page, extract its article, compose the entry body.

page = fetch(url, allow_private=diary.allow_private_addresses)   # FetchError
article = extract_page(page)                                      # ExtractError
clip = compose(article, note)                                     # ComposedClip

The modules are imported by name (``clipdiary.clip.fetch``, ``clipdiary.clip.lang``…): the
package itself imports nothing, so that asking a text's language does not load trafilatura.
"""
