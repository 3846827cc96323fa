from django import template
from django.utils.safestring import mark_safe

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
