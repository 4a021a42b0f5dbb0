"""Script-injection payloads: a generator of texts a hostile member could type anywhere.

Each payload, if it ever ran, would set ``window.__pwned`` or open a dialog; the tests check
neither happens and that the text is shown as typed. Families: script elements, event
attributes, ``javascript:`` URLs, SVG and MathML, template and JavaScript-string breakouts,
attribute breakouts, CSS, and Unicode tricks (full-width brackets, zero-width and
direction marks, escapes that decode only if something decodes twice).
"""

from __future__ import annotations

import itertools

ACTIONS = ("window.__pwned=1", "alert(1)", "confirm(1)", "window['__pw'+'ned']=1")

TEMPLATES = (
    "<script>{a}</script>",
    "<ScRiPt>{a}</sCrIpT>",
    "<script src=data:text/javascript,{a}></script>",
    '"><script>{a}</script>',
    "'><script>{a}</script>",
    "</title><script>{a}</script>",
    "</textarea><script>{a}</script>",
    "</script><script>{a}</script>",
    "<img src=x onerror={a}>",
    '<img src="x" onerror="{a}">',
    "<img/src/onerror={a}>",
    "<body onload={a}>",
    "<input autofocus onfocus={a}>",
    "<details open ontoggle={a}>",
    "<video><source onerror={a}></video>",
    "<iframe src=javascript:{a}></iframe>",
    "<iframe srcdoc='<script>parent.{a}</script>'></iframe>",
    "<a href=javascript:{a}>click</a>",
    "javascript:{a}",
    "JaVaScRiPt:{a}",
    "java\tscript:{a}",
    "<svg onload={a}>",
    "<svg><script>{a}</script></svg>",
    "<svg><animate onbegin={a} attributeName=x dur=1s>",
    "<svg><a xlink:href=javascript:{a}><text y=20>x</text></a></svg>",
    "]]><svg onload={a}>",
    "<math><mtext><table><mglyph><style><img src=x onerror={a}>",
    "<math href=javascript:{a}>x</math>",
    "{{{{constructor.constructor('{a}')()}}}}",
    "${{{a}}}",
    "`+{a}+`",
    "';{a};//",
    '";{a};//',
    "\\';{a};//",
    "</script><img src=x onerror={a}>",
    "<style>@import 'javascript:{a}';</style>",
    '<div style="background:url(javascript:{a})">x</div>',
    "<object data=javascript:{a}></object>",
    "<embed src=javascript:{a}>",
    "<form><button formaction=javascript:{a}>x</button></form>",
    "&lt;script&gt;{a}&lt;/script&gt;",
    "&#60;script&#62;{a}&#60;/script&#62;",
    "%3Cscript%3E{a}%3C/script%3E",
    "\uff1cscript\uff1e{a}\uff1c/script\uff1e",
    "<scr\u200bipt>{a}</scr\u200bipt>",
    "\u202e<img src=x onerror={a}>",
    "<img src=x onerror=\u0061lert(1)>",
    '<noscript><p title="</noscript><img src=x onerror={a}>">',
    "<template><script>{a}</script></template>",
    "<!--<img src=x onerror={a}>-->",
    '<meta http-equiv="refresh" content="0;url=javascript:{a}">',
    "<base href=javascript:{a}//>",
    "{{{{7*7}}}}<img src=x onerror={a}>",
    "<x contenteditable onblur={a}>lose focus</x>",
)


def payloads(n: int = 1000) -> list[str]:
    """``n`` distinct payloads (each template with each action, numbered to stay distinct)."""
    out: list[str] = []
    for i, (template, action) in enumerate(itertools.product(TEMPLATES, ACTIONS)):
        out.append(f"{template.format(a=action)} #{i}")
        if len(out) == n:
            break
    return out
