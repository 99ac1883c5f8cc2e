"""Splitting a Hatena day body into sections, one per entry; naming ``*t*`` sections."""

from __future__ import annotations

from clipdiary.notation import Section, resolve_name, split_sections

DAY = """\
intro line
*1473071774*[Russia][政治]Putin: agreement on Syria
body one
**sub
*t*[hobby]time heading
body two
*t+2*later
*hobby*named
>||
*not a heading inside super-pre
||<
*plain title
"""


def test_split_sections_reads_every_heading_form() -> None:
    sections = split_sections(DAY)
    assert [(s.name, s.time_offset, s.categories, s.title) for s in sections] == [
        (None, None, (), ""),
        ("1473071774", None, ("Russia", "政治"), "Putin: agreement on Syria"),
        (None, 0, ("hobby",), "time heading"),
        (None, 2, (), "later"),
        ("hobby", None, (), "named"),
        (None, None, (), "plain title"),
    ]
    assert sections[0].body == "intro line"
    assert sections[1].body == "body one\n**sub"
    assert sections[4].body == ">||\n*not a heading inside super-pre\n||<"


def test_no_heading_gives_one_untitled_section() -> None:
    assert split_sections("just text") == [Section(None, None, (), "", "just text")]


def test_blank_preamble_is_left_out() -> None:
    assert [s.title for s in split_sections("\n\n*a\nx")] == ["a"]


def test_a_dotted_name_is_part_of_the_title() -> None:
    (section,) = split_sections("*a.b* test3")
    assert (section.name, section.title) == (None, "a.b* test3")


def test_resolve_name() -> None:
    t0, t2, named, plain = (
        split_sections("*t*a")[0],
        split_sections("*t+2*b")[0],
        split_sections("*hobby*c")[0],
        split_sections("*d")[0],
    )
    assert resolve_name(t0, 1473071774) == "1473071774"
    assert resolve_name(t2, 1473071774) == "1473071776"
    assert resolve_name(named, 1473071774) == "hobby"
    assert resolve_name(plain, 1473071774) is None
