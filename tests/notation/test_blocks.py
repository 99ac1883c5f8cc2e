"""Block notation as a reader sees it: the HTML of each form."""

from __future__ import annotations

import pytest

from clipdiary.notation import RenderOptions, render

from .helpers import html, squash


class TestParagraphs:
    def test_diary_gives_each_line_its_own_paragraph(self) -> None:
        assert html("今日は晴れ\n明日は雨") == "<p>今日は晴れ</p><p>明日は雨</p>"

    def test_blog_joins_lines_with_br_in_one_paragraph(self) -> None:
        assert html("one\ntwo\n\nthree", mode="blog") == "<p>one<br>two</p><p>three</p>"

    @pytest.mark.parametrize(("blanks", "breaks"), [(1, 0), (2, 1), (3, 2), (5, 4)])
    @pytest.mark.parametrize("mode", ["diary", "blog"])
    def test_n_blank_lines_give_n_minus_one_br(self, blanks: int, breaks: int, mode: str) -> None:
        out = html("a" + "\n" * (blanks + 1) + "b", mode=mode)
        assert out == "<p>a</p>" + "<br>" * breaks + "<p>b</p>"

    def test_blank_lines_at_the_edges_give_nothing(self) -> None:
        assert html("\n\n\nx\n\n\n") == "<p>x</p>"

    def test_default_mode_is_diary(self) -> None:
        assert RenderOptions().mode == "diary"

    def test_leading_space_escapes_notation(self) -> None:
        assert html(" -not a list\n *not a heading") == "<p>-not a list</p><p>*not a heading</p>"

    def test_japanese_text_passes_unchanged(self) -> None:
        text = "プーチン大統領は５日、「シリア問題で合意に達する可能性がある」と述べた。"
        assert html(text) == f"<p>{text}</p>"

    def test_html_special_characters_are_escaped(self) -> None:
        assert html("a < b && c > d") == "<p>a &lt; b &amp;&amp; c &gt; d</p>"


class TestHeadings:
    def test_sub_headings_are_h4_and_h5(self) -> None:
        assert html("**小見出し\n***小々見出し") == "<h4>小見出し</h4><h5>小々見出し</h5>"

    def test_section_heading_with_name_and_categories(self) -> None:
        out = html("*1473071774*[Russia][政治]Putin on Syria", base_path="/d1021")
        assert out == (
            '<h3 id="1473071774">'
            '[<a class="sectioncategory" href="/d1021/category/Russia">Russia</a>]'
            '[<a class="sectioncategory" href="/d1021/category/%E6%94%BF%E6%B2%BB">政治</a>]'
            "Putin on Syria</h3>"
        )

    def test_time_heading_has_no_name_until_saved(self) -> None:
        assert html("*t*title") == "<h3>title</h3>"

    def test_four_stars_are_an_h3_keeping_three(self) -> None:
        assert html("****foobar") == "<h3>***foobar</h3>"


class TestLists:
    def test_unordered_and_ordered(self) -> None:
        assert html("-a\n-b") == "<ul><li>a</li><li>b</li></ul>"
        assert html("+a\n+b") == "<ol><li>a</li><li>b</li></ol>"

    def test_nesting_goes_inside_the_open_item(self) -> None:
        assert html("-komono\n--kyoto\n---shibuya\n--hachiyama") == (
            "<ul><li>komono<ul><li>kyoto<ul><li>shibuya</li></ul></li>"
            "<li>hachiyama</li></ul></li></ul>"
        )

    def test_mixed_list_takes_the_type_of_the_last_mark(self) -> None:
        assert html("-a\n-+b\n-c") == "<ul><li>a<ol><li>b</li></ol></li><li>c</li></ul>"

    def test_type_change_at_the_top_starts_a_new_list(self) -> None:
        assert html("+ foo\n- bar") == "<ol><li>foo</li></ol><ul><li>bar</li></ul>"

    def test_deep_start_creates_empty_parents(self) -> None:
        assert html("-- x") == "<ul><li><ul><li>x</li></ul></li></ul>"

    def test_blank_line_ends_the_list(self) -> None:
        assert html("-a\n\n-b") == "<ul><li>a</li></ul><ul><li>b</li></ul>"

    def test_a_lone_dash_is_text(self) -> None:
        assert html("-") == "<p>-</p>"


class TestDefinitionsAndTables:
    def test_definition_list(self) -> None:
        assert html(":a:b:c:d\n:e:f") == "<dl><dt>a</dt><dd>b:c:d</dd><dt>e</dt><dd>f</dd></dl>"

    def test_term_may_hold_a_bracketed_link(self) -> None:
        out = html(":[http://www.hatena.ne.jp/]:hatena")
        assert out.startswith('<dl><dt><a href="http://www.hatena.ne.jp/"')
        assert out.endswith("<dd>hatena</dd></dl>")

    def test_a_lone_colon_line_is_a_paragraph(self) -> None:
        assert html(":foo") == "<p>:foo</p>"

    def test_table_with_header_cells(self) -> None:
        assert html("|*name|*age|\n|cinnamon|3|") == (
            "<table><tbody><tr><th>name</th><th>age</th></tr>"
            "<tr><td>cinnamon</td><td>3</td></tr></tbody></table>"
        )


class TestQuotes:
    def test_plain_and_nested(self) -> None:
        assert html(">>\na\n>>\nb\n<<\n<<") == (
            "<blockquote><p>a</p><blockquote><p>b</p></blockquote></blockquote>"
        )

    def test_quote_with_url_names_its_source(self) -> None:
        assert html(">http://example.com/>\n引用\n<<") == (
            '<blockquote cite="http://example.com/" title="http://example.com/"><p>引用</p>'
            '<cite><a href="http://example.com/" rel="nofollow noopener">'
            "http://example.com/</a></cite></blockquote>"
        )

    def test_quote_with_given_title(self) -> None:
        out = html(">http://example.com:title=Example Site>\nq\n<<")
        assert 'title="Example Site"' in out
        assert ">Example Site</a></cite>" in out

    def test_quote_title_comes_from_known_titles(self) -> None:
        known = {"http://example.com/": "Known"}.get
        out = html(">http://example.com/:title>\nq\n<<", known_title=known)
        assert ">Known</a></cite>" in out

    def test_block_forms_work_inside_a_quote(self) -> None:
        assert html(">>\n**h\n-x\n<<") == "<blockquote><h4>h</h4><ul><li>x</li></ul></blockquote>"

    def test_unclosed_quote_ends_with_the_body(self) -> None:
        assert html(">>\nstill quoted") == "<blockquote><p>still quoted</p></blockquote>"

    def test_stray_closer_is_text(self) -> None:
        assert html("<<") == "<p>&lt;&lt;</p>"


class TestPre:
    def test_pre_keeps_notation_active(self) -> None:
        assert html(">|\nsee http://example.com/\n|<") == (
            '<pre>see <a href="http://example.com/" rel="nofollow noopener">'
            "http://example.com/</a></pre>"
        )

    def test_pre_may_close_on_the_last_text_line(self) -> None:
        assert html(">|\na|<") == "<pre>a\n</pre>"

    def test_super_pre_escapes_everything(self) -> None:
        out = html(">||\n<b>html</b> http://x.example/ ((no note))\n>>\n||<")
        assert out == (
            '<pre class="hatena-super-pre">&lt;b&gt;html&lt;/b&gt; http://x.example/ '
            "((no note))\n&gt;&gt;\n</pre>"
        )

    def test_super_pre_keeps_blank_lines_and_a_fold_mark(self) -> None:
        assert html(">||\na\n\n====\n||<") == '<pre class="hatena-super-pre">a\n\n====\n</pre>'

    def test_language_is_highlighted_by_pygments(self) -> None:
        out = html(">|python|\ndef f():\n    return 1\n||<")
        assert out.startswith('<pre class="hatena-super-pre" data-lang="python">')
        assert '<span class="k">def</span>' in out
        assert '<span class="nf">f</span>' in out

    def test_unknown_language_is_shown_plain(self) -> None:
        assert html(">|nosuchlang|\na < b\n||<") == (
            '<pre class="hatena-super-pre" data-lang="nosuchlang">a &lt; b\n</pre>'
        )

    def test_ascii_art(self) -> None:
        assert html(">|aa|\n(´・ω・`)\n||<") == '<pre class="ascii-art">(´・ω・`)\n</pre>'

    def test_unclosed_super_pre_is_read_as_text(self) -> None:
        assert html(">||\n#!/usr/bin/perl") == "<p>&gt;||</p><p>#!/usr/bin/perl</p>"


class TestPStop:
    def test_single_line_has_no_p(self) -> None:
        assert html("><div>raw</div><") == "<div>raw</div>"

    def test_multi_line_keeps_notation_but_no_p(self) -> None:
        assert html("><div>\n**head\nline\n</div><") == "<div><h4>head</h4>\nline\n</div>"

    def test_wrapper_tags_around_ordinary_paragraphs(self) -> None:
        out = html('><ins datetime="2010-02-27T00:00:00Z"><\nfoobar\n></ins><')
        assert out == '<ins datetime="2010-02-27T00:00:00Z"><p>foobar</p></ins>'


class TestHidden:
    def test_comment_block_is_hidden(self) -> None:
        assert html("<!--\nsecret\n-->\nshown") == "<p>shown</p>"

    def test_inline_comment_is_hidden(self) -> None:
        assert html("foo <!-- secret --> bar") == "<p>foo  bar</p>"

    def test_a_comment_only_line_leaves_no_paragraph(self) -> None:
        assert html("<!-- secret -->\nfoobar", mode="blog") == "<p>foobar</p>"

    def test_unclosed_comment_hides_the_rest(self) -> None:
        assert html("shown\n<!-- draft\nmore") == "<p>shown</p>"

    def test_hidden_text_is_not_in_the_plain_text(self) -> None:
        assert render("a<!-- secret -->b").text == "ab"


class TestReadMore:
    source = "before((note one))\n====\nafter((note two))"

    def test_permalink_view_shows_everything(self) -> None:
        out = squash(render(self.source).html)
        assert "before" in out
        assert '<div class="seemore" id="seemore"><p>after' in out
        assert out.count('<p class="footnote">') == 2

    def test_summary_stops_at_the_fold_and_links_to_the_permalink(self) -> None:
        r = render(self.source, RenderOptions(permalink="/20160905/1473071774"))
        assert r.summary_html is not None
        summary = squash(r.summary_html)
        assert "after" not in summary
        assert '<p class="seemore"><a href="/20160905/1473071774">続きを読む</a></p>' in summary
        assert "note one" in summary
        assert "note two" not in summary

    def test_no_fold_no_summary(self) -> None:
        assert render("plain").summary_html is None

    def test_super_fold_hides_following_sections_too(self) -> None:
        out = html("a\n=====\nb\n*next\nc")
        assert (
            out == '<p>a</p><div class="seemore" id="seemore"><p>b</p><h3>next</h3><p>c</p></div>'
        )

    def test_fold_ends_at_the_next_section(self) -> None:
        out = html("a\n====\nb\n*next\nc")
        assert (
            out == '<p>a</p><div class="seemore" id="seemore"><p>b</p></div><h3>next</h3><p>c</p>'
        )

    def test_five_equals_in_text_are_not_a_fold(self) -> None:
        assert render("====a").summary_html is None
