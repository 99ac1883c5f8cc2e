"""Inline notation as a reader sees it: footnotes, links, Hatena links, keywords."""

from __future__ import annotations

from clipdiary.notation import RenderOptions, render

from .helpers import html, squash

EXT = 'rel="nofollow noopener"'


class TestFootnotes:
    def test_numbered_with_back_links(self) -> None:
        assert html("Hatena is in Tokyo((The biggest city)).") == (
            '<p>Hatena is in Tokyo<span class="footnote"><a href="#f1" title="The biggest city"'
            ' id="fn1">*1</a></span>.</p><div class="footnote"><p class="footnote">'
            '<a href="#fn1" id="f1">*1</a>: The biggest city</p></div>'
        )

    def test_numbering_runs_through_the_entry(self) -> None:
        out = html("a((one))\n-b((two))\n|c((three))|d|")
        assert out.count('<p class="footnote">') == 3
        assert ">*3</a>: three</p>" in out

    def test_anchor_keeps_ids_of_entries_apart(self) -> None:
        out = html("x((n))", anchor="1473071774")
        assert 'href="#1473071774-f1"' in out
        assert 'id="1473071774-fn1"' in out
        assert 'id="1473071774-f1"' in out

    def test_escape_shows_the_parentheses(self) -> None:
        assert html("foo)((bar))(baz") == "<p>foo((bar))baz</p>"

    def test_triple_parentheses_stay_literal(self) -> None:
        assert html("foo(((bar)))baz") == "<p>foo(((bar)))baz</p>"

    def test_a_note_does_not_span_lines(self) -> None:
        assert html("foo((bar\nbaz))hoge") == "<p>foo((bar</p><p>baz))hoge</p>"

    def test_note_title_is_plain_text(self) -> None:
        out = html('((<a href="">foo</a>bar))')
        assert 'title="foobar"' in out


class TestUrls:
    def test_bare_url_is_linked(self) -> None:
        assert html("see http://example.com/a?b=c&d=e now") == (
            f'<p>see <a href="http://example.com/a?b=c&amp;d=e" {EXT}>'
            "http://example.com/a?b=c&amp;d=e</a> now</p>"
        )

    def test_unbalanced_closing_paren_is_left_out(self) -> None:
        assert html("(http://example.com/)") == (
            f'<p>(<a href="http://example.com/" {EXT}>http://example.com/</a>)</p>'
        )

    def test_url_stops_at_japanese_text(self) -> None:
        assert html("https://example.jp/記事") == (
            f'<p><a href="https://example.jp/" {EXT}>https://example.jp/</a>記事</p>'
        )

    def test_bracket_keeps_the_whole_url(self) -> None:
        assert html("[http://www.hatena.ne.jp/()]") == (
            f'<p><a href="http://www.hatena.ne.jp/()" {EXT}>http://www.hatena.ne.jp/()</a></p>'
        )

    def test_given_title_keeps_its_colons(self) -> None:
        assert html("[http://www.hatena.ne.jp/:title=hatena::portal]") == (
            f'<p><a href="http://www.hatena.ne.jp/" {EXT}>hatena::portal</a></p>'
        )

    def test_title_uses_a_known_title_and_never_fetches(self) -> None:
        seen: list[str] = []

        def known(url: str) -> str | None:
            seen.append(url)
            return "はてな" if url == "http://www.hatena.ne.jp/" else None

        assert html("[http://www.hatena.ne.jp/:title]", known_title=known) == (
            f'<p><a href="http://www.hatena.ne.jp/" {EXT}>はてな</a></p>'
        )
        assert html("[http://unknown.example/:title]", known_title=known) == (
            f'<p><a href="http://unknown.example/" {EXT}>http://unknown.example/</a></p>'
        )
        assert seen == ["http://www.hatena.ne.jp/", "http://unknown.example/"]

    def test_title_without_lookup_is_the_url(self) -> None:
        assert html("[http://a.example/:title]") == (
            f'<p><a href="http://a.example/" {EXT}>http://a.example/</a></p>'
        )

    def test_a_failing_lookup_falls_back_to_the_url(self) -> None:
        def broken(url: str) -> str | None:
            raise RuntimeError("database down")

        assert ">http://a.example/</a>" in html("[http://a.example/:title]", known_title=broken)

    def test_bookmark_badge(self) -> None:
        assert html("[http://example.com/#x:bookmark]") == (
            '<p><a href="https://b.hatena.ne.jp/entry/http://example.com/%23x" '
            f'class="http-bookmark" {EXT}><img '
            'src="https://b.hatena.ne.jp/entry/image/http://example.com/%23x" alt="" '
            'class="http-bookmark"></a></p>'
        )

    def test_image_with_size_and_float(self) -> None:
        assert html("[http://example.com/a.jpg:image:right,w300,h200]") == (
            f'<p><a href="http://example.com/a.jpg" class="http-image" {EXT}>'
            '<img src="http://example.com/a.jpg" alt="http://example.com/a.jpg" '
            'class="http-image hatena-image-right" width="300" height="200"></a></p>'
        )

    def test_image_options_one_by_one(self) -> None:
        out = html("[http://example.com/a.png:image:w120]")
        assert 'width="120"' in out
        assert "height" not in out

    def test_unlink_stops_auto_links(self) -> None:
        assert html("[]http://example.com/ id:sample[] after") == (
            "<p>http://example.com/ id:sample after</p>"
        )

    def test_mailto(self) -> None:
        assert html("mailto:a@example.com") == (
            '<p><a href="mailto:a@example.com">mailto:a@example.com</a></p>'
        )

    def test_no_links_inside_code(self) -> None:
        assert html("<code>http://example.com/</code>") == (
            "<p><code>http://example.com/</code></p>"
        )


class TestHatenaLinks:
    def test_id_of_another_user_points_to_hatena(self) -> None:
        assert html("id:jkondo") == (
            f'<p><a href="http://d.hatena.ne.jp/jkondo/" class="hatena-id" {EXT}>id:jkondo</a></p>'
        )

    def test_id_of_this_diary_stays_inside(self) -> None:
        assert html("id:d1021", diary_name="d1021", base_path="/d1021") == (
            '<p><a href="/d1021/" class="hatena-id">id:d1021</a></p>'
        )

    def test_id_after_japanese_but_not_after_a_letter(self) -> None:
        out = html("あid:jkondo社長 aid:onishi")
        assert ">id:jkondo</a>社長" in out
        assert "aid:onishi" in out
        assert out.count("<a ") == 1

    def test_day_and_section_links(self) -> None:
        opts = {"diary_name": "d1021", "base_path": "/d1021"}
        assert html("d:id:d1021:20160905", **opts) == (
            '<p><a href="/d1021/20160905" class="hatena-id">d:id:d1021:20160905</a></p>'
        )
        assert 'href="/d1021/20160905/1473071774"' in html("d:id:d1021:20160905:1473071774", **opts)
        assert 'href="/d1021/20160905#p1"' in html("d:id:d1021:20160905#p1", **opts)

    def test_day_link_of_another_diary(self) -> None:
        assert 'href="http://d.hatena.ne.jp/onishi/20061214/hoge"' in html(
            "d:id:onishi:20061214:hoge"
        )
        assert 'href="http://d.hatena.ne.jp/onishi/200612"' in html("d:id:onishi:200612")

    def test_keyword_links_to_the_diary_search(self) -> None:
        assert html("[[はてな]]", base_path="/d1021") == (
            '<p><a href="/d1021/search?q=%E3%81%AF%E3%81%A6%E3%81%AA" class="keyword">'
            "はてな</a></p>"
        )

    def test_tex_keeps_its_source_for_a_math_renderer(self) -> None:
        assert html(r"[tex:e^{i\pi}=-1 \[x\]]") == (
            r'<p><span class="tex">\(e^{i\pi}=-1 [x]\)</span></p>'
        )

    def test_google(self) -> None:
        assert html("[google:はてな]") == (
            '<p><a href="https://www.google.com/search?q=%E3%81%AF%E3%81%A6%E3%81%AA'
            f'&amp;ie=utf-8&amp;oe=utf-8" {EXT}>google:はてな</a></p>'
        )
        assert 'href="https://news.google.com/search?q=x"' in html("[google:news:x]")

    def test_fotolife_image(self) -> None:
        out = html("f:id:hatenadiary:20041007101545j:image:w50")
        assert 'href="https://f.hatena.ne.jp/hatenadiary/20041007101545"' in out
        assert (
            'src="https://cdn-ak.f.st-hatena.com/images/fotolife/h/hatenadiary/20041007/'
            '20041007101545.jpg"'
        ) in out
        assert 'width="50"' in out


class TestPlainText:
    def test_notation_is_removed(self) -> None:
        r = render("*[cat]見出し\n-item [http://x.example/:title=Title]((note))\n>>\nq\n<<")
        assert r.text == "見出し\nitem Title\nq\n*1: note"

    def test_to_text_matches_render(self) -> None:
        from clipdiary.notation import to_text

        source = "a ((b)) [[c]]\n>||\n<code>\n||<"
        assert to_text(source) == render(source).text

    def test_entities_are_decoded(self) -> None:
        assert render("a &amp; b &lt;").text == "a & b <"

    def test_summary_text_is_the_whole_body(self) -> None:
        r = render("a\n====\nb", RenderOptions())
        assert r.text == "a\n\nb"
        assert "b" in squash(r.html)
