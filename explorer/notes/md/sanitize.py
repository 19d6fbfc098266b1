"""The one HTML sanitiser for everything rendered from Markdown (nh3, an allow-list).

Scripts, event handlers, styles other than table alignment, ``javascript:``/``data:`` URLs and
unknown tags never survive.  Classes are limited to the ones the renderer itself produces, so a
note cannot restyle the app; ``id``/``name`` values (and what points at them: the ``#fragment`` of
links, ``aria-describedby``, ``popovertarget``) get ``id_prefix`` -- uploads use one, so they cannot
clobber the app's own anchors.  Glossary previews (:func:`.glossary_terms.glossary_anchor`) need a
``<button popovertarget>`` and a ``<span popover>``: buttons are always ``type="button"`` (and there
are no forms), and ``popover`` is always ``auto`` (closed by Esc or a click elsewhere).  Images
get their ``src`` from the caller's ``image_src`` callback (our own files inlined as ``data:``
URIs, which the allow-list would otherwise drop); returning None removes the source.

Form controls (issue 20): only the engine makes them -- the glossary's and the code blocks' buttons and
GitHub's task-list checkboxes.  Raw HTML in a note is balanced and cleaned first with
:data:`RAW_HTML_TAGS`, which has none (:mod:`.rawhtml`), and here every ``<input>`` that is left is a
disabled checkbox and every ``<button>`` a plain ``type="button"``, whatever it said.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

import nh3

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "button", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
})
ALLOWED_ATTRS = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "name", "aria-label", "aria-describedby"},
    "img": {"src", "alt", "width", "height", "loading", "referrerpolicy"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "style"},
    "ol": {"start"},
    "input": {"type", "checked", "disabled"},  # type="checkbox" and disabled are set on every input (FORCED_ATTRS)
    "div": {"data-lang", "aria-hidden"},
    "pre": {"tabindex"},
    "span": {"role", "aria-label", "popover", "tabindex", "aria-describedby"},  # tabindex: always "0"
    "section": {"aria-label"},
    "button": {"type", "popovertarget", "aria-label"},  # type="button" on every button (FORCED_ATTRS)
    "details": {"open"},
}
MATHML_ATTRS: dict[str, frozenset[str]] = {
    tag: frozenset(attrs | {"displaystyle", "scriptlevel", "mathvariant", "mathcolor", "mathbackground"}) for tag, attrs in {
        "math": {"display"}, "semantics": set(), "annotation": {"encoding"},
        "mrow": {"lspace", "rspace"}, "mi": set(), "mn": set(), "ms": set(), "mtext": set(),
        "mspace": {"width", "height", "depth"},
        "mo": {"stretchy", "fence", "form", "separator", "lspace", "rspace", "minsize", "maxsize", "largeop",
               "movablelimits", "symmetric", "accent", "linebreak"},
        "msub": set(), "msup": set(), "msubsup": set(), "mmultiscripts": set(), "mprescripts": set(),
        "munder": {"accentunder"}, "mover": {"accent"}, "munderover": {"accent", "accentunder"},
        "mfrac": {"linethickness"}, "msqrt": set(), "mroot": set(),
        "mtable": {"columnalign", "rowspacing", "columnspacing", "rowlines", "columnlines", "frame"},
        "mtr": {"columnalign"}, "mtd": {"columnalign", "columnspan", "rowspan"},
        "mstyle": {"mathsize", "mathcolor"}, "mpadded": {"width", "height", "depth", "lspace", "voffset"},
        "mphantom": set(), "menclose": {"notation"},
    }.items()
}
"""MathML (issue 23): the MathML Core elements (and ``menclose``) with the attributes kept on each, for the
typeset formulas (:mod:`.math_tex` writes only these) and for MathML written by hand in a note alike.  No
``href``, ``style``, event handler, ``mglyph``, ``maction`` or ``annotation-xml`` (the mutation-XSS shapes
``<math><mglyph><style>`` and ``<annotation-xml encoding="text/html">`` have nothing to grow from); values
are short tokens (:data:`MATH_VALUE_RE`), ``display`` is block or inline, an ``annotation`` is TeX text.
The browser checks what it typesets (Temml, ``components/note_math``) and the hand-written MathML it puts back
against this same list before inserting it."""
MATH_VALUE_RE = re.compile(r"^[\w#.%+\- ]{0,64}$")
MATHML_STYLE_PROPS = frozenset({
    "display", "width", "height", "padding", "padding-left", "padding-right", "padding-top", "padding-bottom",
    "margin-left", "margin-right", "text-align", "justify-content",
    "math-depth", "math-style", "color", "background-color", "border", "border-top", "border-bottom", "border-left",
    "border-right", "border-color", "border-style", "border-width",
})
"""What Temml itself writes in a ``style`` attribute (cell padding and alignment, ``\\color``, array rules, negative
spaces, ``\\mathclap``), which the browser accepts on the MathML it typesets, each value a short token
(:data:`MATH_VALUE_RE`: no ``url()``, no function at all).  Never kept from a note's own HTML: the sanitiser drops
every ``style`` in MathML."""
ALLOWED_TAGS = ALLOWED_TAGS | frozenset(MATHML_ATTRS)
ALLOWED_ATTRS.update({tag: set(attrs) for tag, attrs in MATHML_ATTRS.items()})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
FORCED_ATTRS = {"input": {"type": "checkbox", "disabled": "disabled"}, "button": {"type": "button"}}
ENGINE_ONLY_TAGS = frozenset({"button", "input"})
"""Made by the engine alone (glossary previews, copy buttons, task-list checkboxes), never kept from a note's HTML."""
RAW_HTML_TAGS = ALLOWED_TAGS - ENGINE_ONLY_TAGS
"""What a note's own HTML may use: no form control (``form``, ``input``, ``button``, ``select``, ``option``,
``textarea`` ... were never allowed; the two the engine needs are kept out here)."""
RAW_HTML_ATTRS = {k: v for k, v in ALLOWED_ATTRS.items() if k not in ENGINE_ONLY_TAGS}
_CLASS_RE = re.compile(
    r"^(?:tok-[A-Za-z0-9]{1,8}|language-[\w#+.-]{1,40}|note-figure|missing-figure|remote-figure|figure-fallback"
    r"|gloss(?:-term|-tip|-more)?|code-block|code-lang|code-copy|highlight|dead-anchor|contains-task-list|task-list-item(?:-checkbox)?"
    r"|markdown-alert(?:-(?:note|tip|important|warning|caution|title))?"
    r"|footnote-ref|footnotes(?:-sep|-list)?|footnote-item|footnote-backref"
    r"|math-(?:source|notice|block|overline|underline)"
    r"|wikilink(?:-missing)?|note-link|note-preview|preview-(?:title|folder|text)|note-embed(?:-body)?|embed-title"
    r"|callout(?:-(?:title|content|fold)|-[a-z][a-z0-9-]{0,30})?|note-tag|cloze)$"
)


def _filter(id_prefix: str, image_src: Callable[[str], str | None] | None, local: frozenset[str] | None):
    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if tag in MATHML_ATTRS and attr != "class":
            return _math_value(tag, attr, value)
        if attr == "class":
            kept = [c for c in value.split() if _CLASS_RE.match(c)]
            return " ".join(kept) or None
        if attr in ("id", "name", "aria-describedby", "popovertarget"):  # ids, or references to them
            if not id_prefix:
                return value
            return " ".join(v if v.startswith(id_prefix) else id_prefix + v for v in value.split()) or None
        if attr == "popover":  # glossary previews: light-dismissed popovers only, never "manual" ones
            return "auto"
        if attr == "href":
            if id_prefix and "#" in value and value[0] in "#?":
                head, _, frag = value.partition("#")
                if local is None or unquote(frag) in local:  # a link to a place in this note
                    return f"{head}#{id_prefix}{frag}"
            return value
        if tag == "img" and attr == "src":
            return image_src(value) if image_src is not None else (value if re.match(r"https?://", value) else None)
        if tag == "input" and attr in ("checked", "disabled"):
            return ""  # boolean attributes
        if attr == "tabindex":
            return "0"
        return value

    return attribute_filter


def _math_value(tag: str, attr: str, value: str) -> str | None:
    if attr == "display":
        return value if value in ("block", "inline") else None
    if attr == "encoding":
        return "application/x-tex"
    if attr == "id":  # nothing in a formula is a link target
        return None
    if attr in ("title", "lang", "dir"):
        return value
    return value if MATH_VALUE_RE.match(value) else None


def sanitize(fragment: str, *, id_prefix: str = "", image_src: Callable[[str], str | None] | None = None,
             local_anchors: frozenset[str] | None = None) -> str:
    """Clean HTML made from untrusted Markdown (see the module doc).

    ``local_anchors``: the ids that exist in the document being cleaned; only links to them get
    ``id_prefix`` (a link to ``#term-x`` elsewhere in a larger page is left alone).  None: all of them.
    """
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRS.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        filter_style_properties={"text-align"},
        set_tag_attribute_values={k: dict(v) for k, v in FORCED_ATTRS.items()},
        attribute_filter=_filter(id_prefix, image_src, local_anchors),
    )


