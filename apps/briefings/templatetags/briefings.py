import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.base import TextNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
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


class OnceNode(template.Node):
    child_nodelists = ()  # nothing inside to find: no block, no tag with a context

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.kept = {}  # (script prefix, urlconf) -> output

    def render(self, context):
        key = (get_script_prefix(), get_urlconf())
        output = self.kept.get(key)
        if output is None:
            output = self.kept[key] = self.nodelist.render(context)
        return output


@register.tag
def once(parser, token):
    """`{% once %}…{% endonce %}`: a page's fixed part (the site's header and footer, the
    head's style sheet and feed links) rendered once per process and kept, not again on
    every page. It may hold only text, `{% static %}` and `{% fixed_url %}`, which are the
    same for every request; anything else is refused when the template is loaded."""
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    for node in nodelist:
        fixed = isinstance(node, (TextNode, StaticNode)) or (
            getattr(node, "func", None) is fixed_url
        )
        if not fixed:
            raise template.TemplateSyntaxError(
                "{% once %} holds only text, {% static %} and {% fixed_url %}, not "
                f"{node.token.contents if node.token else node!r}: what it renders is kept "
                "and shown to every request."
            )
    return OnceNode(nodelist)
