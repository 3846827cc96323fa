"""`{% once %}`: a page's fixed parts rendered once per process, and only fixed parts."""

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.test import override_settings
from django.urls import clear_script_prefix, set_script_prefix

ENGINE = Engine(libraries={"briefings": "apps.briefings.templatetags.briefings"},
                builtins=["django.templatetags.static"])  # fmt: skip


def template(source):
    return Template("{% load briefings %}" + source, engine=ENGINE)


def test_it_renders_text_static_files_and_fixed_addresses_once():
    page = template("{% once %}<a href=\"{% fixed_url 'briefings:archive' %}\">Issues</a>"
                    "<link href=\"{% static 'css/site.css' %}\">{% endonce %}")  # fmt: skip
    first = page.render(Context())
    assert '<a href="/issues/">Issues</a>' in first
    assert "css/site" in first
    assert page.render(Context()) == first


@pytest.mark.parametrize(
    "inside",
    ["{{ issue.title }}", "{% if user %}x{% endif %}", "{% absolute_url %}", "{% now 'Y' %}"],
)
def test_it_refuses_what_could_differ_from_request_to_request(inside):
    with pytest.raises(TemplateSyntaxError, match="only text"):
        template("{% once %}<p>" + inside + "</p>{% endonce %}")


def test_a_site_served_under_another_prefix_gets_its_own_addresses():
    page = template("{% once %}<a href=\"{% fixed_url 'briefings:archive' %}\">{% endonce %}")
    assert page.render(Context()) == '<a href="/issues/">'
    set_script_prefix("/briefing/")
    try:
        assert page.render(Context()) == '<a href="/briefing/issues/">'
    finally:
        clear_script_prefix()
    assert page.render(Context()) == '<a href="/issues/">'


@override_settings(DEBUG=False)
def test_every_public_page_shows_the_site_header_and_footer(client, db):
    response = client.get("/issues/")
    html = response.content.decode()
    assert html.count('class="site-header"') == 1 and html.count('class="site-footer"') == 1
    assert 'href="/agencies/"' in html and 'href="/feeds/rss/"' in html
