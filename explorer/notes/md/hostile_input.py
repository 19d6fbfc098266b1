"""Plugin ``hostile_input``: the limits that keep pathological paragraphs cheap to parse.

markdown-it stays linear on hostile input, but two shapes still cost seconds per upload:

* thousands of link or tag openers (``[`` / ``<``) in one paragraph: each one scans ahead for its
  label; past :data:`MAX_OPENERS` in a paragraph they are taken as text (:func:`_guard`);
* GFM autolinks: ``mdit_py_plugins.gfm_autolink`` searches all pending text at every ``:``, which is
  quadratic on ``<http://`` repeated; here each autolink rule reads at most :data:`AUTOLINK_WINDOW`
  characters ahead and the protocol rule only the end of the pending text (:func:`_protocol_rule`).

No real note has thousands of link openers in one paragraph; a hostile upload does.  ``bench/``
gives the numbers.  (Nesting deeper than :data:`explorer.notes.md.engine.MAX_NESTING` is the
engine's own option.)
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.gfm_autolink._match import match_any_email as _gfm_match_any_email
from mdit_py_plugins.gfm_autolink._match import match_http as _gfm_match_http
from mdit_py_plugins.gfm_autolink.index import _create_autolink as _gfm_create_autolink
from mdit_py_plugins.gfm_autolink.index import _email_rule as _gfm_email_rule
from mdit_py_plugins.gfm_autolink.index import _preceding_ok as _gfm_preceding_ok
from mdit_py_plugins.gfm_autolink.index import _www_inline_rule as _gfm_www_rule

MAX_OPENERS = 2000  # "[" or "<" in one paragraph beyond which they are plain text
AUTOLINK_WINDOW = 4096  # characters an autolink rule may look at ahead (a longer bare URL is cut there)
_PROTO_TAIL_RE = re.compile(r"(https?|mailto|xmpp)$")


def _guard(state, silent: bool) -> bool:
    """Inline rule run first: in a paragraph with more than :data:`MAX_OPENERS` ``[`` (or ``<``),
    those characters cannot start links (or tags) and are taken as text.

    markdown-it stays linear on such input, but every ``[`` scans ahead for its label: 200 kB of them
    cost seconds.  No real note has thousands of link openers in one paragraph; a hostile upload does.
    """
    src, pos = state.src, state.pos
    if src[pos] not in "[<!":
        return False
    heavy = getattr(state, "_heavy", None)
    if heavy is None:
        heavy = state._heavy = ("[" if src.count("[") > MAX_OPENERS else "") + ("<" if src.count("<") > MAX_OPENERS else "")
    if not heavy:
        return False
    plain = heavy + ("!" if "[" in heavy else "")
    end = pos
    while end < state.posMax and src[end] in plain:
        end += 1
    if end == pos or (src[pos] == "!" and end == pos + 1):
        return False
    if not silent:
        state.append_pending(src[pos:end])
    state.pos = end
    return True


def _bounded(rule):
    """Run an inline rule with its look-ahead limited to :data:`AUTOLINK_WINDOW` characters."""

    def wrapped(state, silent: bool) -> bool:
        saved = state.posMax
        state.posMax = min(saved, state.pos + AUTOLINK_WINDOW)
        try:
            return rule(state, silent)
        finally:
            state.posMax = saved

    return wrapped


def _protocol_rule(state, silent: bool) -> bool:
    """GFM ``http://`` / ``mailto:`` autolinks as ``mdit_py_plugins.gfm_autolink`` recognises them, but
    reading only the end of the pending text and a bounded window ahead: the plugin's own rule
    searches all pending text at every ``:``, which is quadratic on ``<http://`` repeated."""
    if state.linkLevel > 0:
        return False
    pos = state.pos
    remaining = state.src[pos:min(state.posMax, pos + AUTOLINK_WINDOW)]
    if len(remaining) < 4 or remaining[0] != ":":
        return False
    m = _PROTO_TAIL_RE.search(state.pending[-8:])
    if m is None:
        return False
    proto = m.group(1)
    if not _gfm_preceding_ok(state, len(proto)):
        return False
    combined = proto + remaining
    if proto in ("mailto", "xmpp"):
        result = _gfm_match_any_email(combined, len(proto) + 1, proto)
    else:
        result = _gfm_match_http(combined)
    if result is None or silent:
        return False
    full_url, total_len = result
    return _gfm_create_autolink(state, len(proto), total_len, full_url, combined[:total_len])


def hostile_input_plugin(md: MarkdownIt) -> None:
    """Keep pathological paragraphs cheap (see :func:`_guard` and :func:`_protocol_rule`).  Needs the
    GFM autolink rules registered first (``gfm_plugin``): it replaces three of them by bounded ones."""
    md.inline.ruler.before("text", "opener_guard", _guard)
    md.inline.ruler.at("gfm_autolink_protocol", _protocol_rule)
    md.inline.ruler.at("gfm_autolink_www", _bounded(_gfm_www_rule))
    md.inline.ruler.at("gfm_autolink_email", _bounded(_gfm_email_rule))
