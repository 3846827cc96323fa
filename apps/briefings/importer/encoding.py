"""Bytes of an uploaded export to text."""

from __future__ import annotations

import re

from .inline import IDEOGRAPH
from .results import NotABriefing

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes) -> str:
    """Decode an uploaded export: UTF-8 (BOM optional), UTF-16 with BOM, or GBK."""
    if not data or not data.strip():
        raise NotABriefing("The file is empty.")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data:
            raise NotABriefing("The file is binary (it contains NUL bytes), not a text export.")
        candidates = ["utf-8", "gbk"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        controls = len(_CONTROL.findall(text))
        if encoding == "gbk":
            # GBK decodes many byte strings; only believe it when it yields Chinese text.
            if controls or not IDEOGRAPH.search(text):
                continue
        elif "\x00" in text or controls > max(2, len(text) // 100):
            raise NotABriefing(
                "The file is binary (mostly control characters), not a text export."
            )
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise NotABriefing(
        "The file's text encoding could not be read (expected UTF-8, UTF-16 or GBK)."
    )
