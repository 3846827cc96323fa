from apps.briefings.markdown import plain_text, render_inline, render_markdown


def test_paragraphs_lists_links_and_emphasis_are_rendered():
    html = render_markdown(
        "First *paragraph* with a [link](https://example.org/).\n\n"
        "- one\n- two\n\n1. first\n2. second"
    )
    assert "<p>First <em>paragraph</em> with a " in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">link</a>' in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>" in html


def test_script_typed_into_a_comment_comes_out_as_inert_text():
    html = render_markdown('Before <script>alert("x")</script> after')
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_javascript_link_is_not_a_link():
    html = render_markdown("[click me](javascript:alert(1)) and [x](JaVaScRiPt:alert(1))")
    assert "<a" not in html
    assert "href" not in html


def test_raw_html_attributes_never_survive():
    html = render_markdown('<img src=x onerror="alert(1)"> <a href="javascript:x">y</a>')
    assert "<img" not in html
    assert "<a " not in html


def test_headings_images_and_code_are_not_part_of_the_subset():
    html = render_markdown("# Title\n\n![alt](https://example.org/a.png)\n\n    code")
    assert "<h1>" not in html
    assert "<img" not in html
    assert "<pre>" not in html


def test_inline_rendering_has_no_paragraph():
    assert render_inline("MIIT *issues* notice") == "MIIT <em>issues</em> notice"


def test_plain_text_keeps_only_the_words():
    assert plain_text("A [link](https://example.org/) and *emphasis*") == ("A link and emphasis")
