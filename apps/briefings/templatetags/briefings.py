import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from apps.addresses import slug_address

from ..markdown import render_inline, render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render an editor's Markdown as sanitised HTML."""
    return mark_safe(render_markdown(text or ""))


@register.filter
def markdown_inline(text):
    """Render one line of an editor's Markdown as sanitised HTML, without a paragraph."""
    return mark_safe(render_inline(text or ""))


@register.filter
def json_ld(data):
    """A <script type="application/ld+json"> block that cannot break out of its tag."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    # str.replace, not str.translate: translate is slow on text beyond ASCII.
    for character, escaped in _JSON_ESCAPES:
        text = text.replace(character, escaped)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


_JSON_ESCAPES = [("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026")]


@register.simple_tag
def fixed_url(name):
    """`{% url name %}` for an address without arguments (the site's navigation, its
    feeds), reversed once per process rather than on every page."""
    return slug_address(name)


@register.simple_tag(takes_context=True)
def absolute_url(context, path=None):
    """The absolute address of a path, or of the current page without its query."""
    request = context["request"]
    return request.build_absolute_uri(path or request.path)
