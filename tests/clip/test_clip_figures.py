"""Which images of a page are the clip's: the lead image and the article's own figures."""

from __future__ import annotations

from clipdiary.clip.figures import MAX_IMAGES, find_images

TEXT = [
    "First paragraph of the story, long enough to be the article's own words here.",
    "Second paragraph of the story, which the figure in the middle follows on the page.",
    "Third and last paragraph of the story, after which the related stories begin.",
]


def _page(head: str = "", middle: str = "", after: str = "", article: bool = True) -> str:
    p = [f"<p>{t}</p>" for t in TEXT]
    wrap = ("<article>", "</article>") if article else ("<div>", "</div>")
    return (
        f"<html><head>{head}</head><body>{wrap[0]}<h1>Title</h1>{p[0]}{p[1]}{middle}{p[2]}"
        f"{wrap[1]}{after}</body></html>"
    )


def test_og_image_leads_and_a_figure_stands_where_the_page_has_it() -> None:
    html = _page(
        head="<meta property='og:image' content='/lead.jpg'>",
        middle="<figure><img data-src='pics/a.png' src='data:image/gif;base64,R0lGOD'>"
        "<figcaption>  A  caption </figcaption></figure>",
    )
    found = find_images(html, "https://news.example/2026/story.html", TEXT)
    assert [(f.url, f.lead, f.after_paragraph, f.caption) for f in found] == [
        ("https://news.example/lead.jpg", True, 0, ""),
        ("https://news.example/2026/pics/a.png", False, 2, "A caption"),
    ]


def test_without_og_image_the_first_figure_leads() -> None:
    html = _page(middle="<figure><img src='https://cdn.example/a.jpg' alt='a'></figure>")
    found = find_images(html, "https://news.example/s", TEXT)
    assert [(f.url, f.lead, f.alt) for f in found] == [("https://cdn.example/a.jpg", True, "a")]


def test_icons_pixels_related_stories_and_odd_addresses_are_not_figures() -> None:
    middle = (
        "<img src='/icon.png' width='16' height='16'>"
        "<img src='/share-button.png' width='300' height='200'>"
        "<img src='javascript:alert(1)' width='400' height='300'>"
        "<div class='photo'><img src='/inline.jpg'></div>"
    )
    after = "<ul><li><img src='/related1.jpg' width='300' height='200'></li></ul>"
    related = "<figure><img src='/related-figure.jpg'></figure>"
    html = _page(middle=middle, after=after).replace("</article>", related + "</article>")
    found = find_images(html, "https://news.example/s", TEXT)
    assert [f.url for f in found] == ["https://news.example/inline.jpg"]


def test_a_gallery_is_cut_at_the_limit_and_nothing_breaks_on_junk() -> None:
    many = "".join(f"<figure><img src='/g{i}.jpg'></figure>" for i in range(40))
    assert len(find_images(_page(middle=many), "https://news.example/s", TEXT)) == MAX_IMAGES
    assert find_images(b"", "https://news.example/s", TEXT) == []
    assert find_images(b"\x00\xff\xfe garbage", "https://news.example/s", TEXT) == []


def test_paragraphs_that_begin_alike_still_place_the_figure() -> None:
    same = "The council met on Tuesday and agreed the new budget after a long debate."
    text = [same * 3, same * 2, same]
    html = (
        f"<html><body><article><p>{text[0]}</p><figure><img src='/f.jpg'></figure>"
        f"<p>{text[1]}</p><p>{text[2]}</p></article></body></html>"
    )
    found = find_images(html, "https://news.example/s", text)
    assert [(f.url, f.after_paragraph) for f in found] == [("https://news.example/f.jpg", 1)]
