import segno
from django.utils.safestring import mark_safe


def svg(data: str):
    """`data` as a QR code, an inline SVG (no script, no style attribute)."""
    code = segno.make(data, error="m")
    return mark_safe(code.svg_inline(omitsize=True, title="QR code for your authenticator app"))
