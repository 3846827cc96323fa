"""Hostile text, as an attacker or a careless paste would type it into any field."""

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "<iframe src=javascript:alert(4)></iframe>",
    '<a href="javascript:alert(5)">click</a>',
    "&lt;script&gt;alert(6)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(7)&#62;",
    "<body onload=alert(8)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(9)>",
    "'';!--\"<XSS>=&{()}",
    "<details open ontoggle=alert(10)>",
    "[link](javascript:alert(11))",
    "![image](x onerror=alert(12))",
    "<style>@import 'http://evil.example/x.css';</style>",
    "]]><script>alert(13)</script><![CDATA[",
    "\u202e<b onmouseover=alert(14)>reversed</b>",
    '<object data="data:text/html,<script>alert(15)</script>"></object>',
    "`<input autofocus onfocus=alert(16)>`",
]
