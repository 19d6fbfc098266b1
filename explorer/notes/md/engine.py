"""The one Markdown engine: CommonMark + GitHub Flavored Markdown with markdown-it-py.

:func:`parser` returns the shared, configured :class:`~markdown_it.MarkdownIt` instance:

* CommonMark core, with raw HTML allowed (it is balanced where it is written and sanitised after
  rendering, see :mod:`.rawhtml` and :mod:`.sanitize`); nesting deeper than :data:`MAX_NESTING` is
  shown as text instead of recursing;
* GFM through ``mdit_py_plugins.gfm``: tables with alignment, strikethrough, bare-URL autolinks,
  task lists, alerts (``> [!NOTE]``) and footnotes; plus YAML front matter and definition lists;
* our named plugins, one per module of this package:

  - math: :mod:`.math` (``$...$``, ``$$...$$`` and ```` ```math ```` with GitHub's rules, each formula's TeX
    checked within a budget per view and typeset where it is shown: the browser, or :mod:`.math_offline`);
  - parse time: :mod:`.rawhtml` (raw HTML balanced where it is written), :mod:`.hostile_input`
    (pathological paragraphs kept cheap), :mod:`.heading_ids` (GitHub ids on every heading;
    headings, anchors and images recorded in ``env``), :mod:`.note_cards` (flashcards written in the
    note, recorded in ``env``);
  - render time, reading the per-render context ``env["view"]`` (:mod:`.view_context`):
    :mod:`.code_blocks` (Pygments, language label, copy button), :mod:`.mermaid` (```` ```mermaid ```` diagrams:
    split markers the app draws with ``st.mermaid_chart``, the source one click away, a size budget), :mod:`.images` (resolved by the
    caller's resolver), :mod:`.links` (in-note ``#anchors`` resolved to the view or to the section
    that holds them) and :mod:`.glossary_terms` (first use of a term per section linked);
  - Obsidian: :mod:`.wikilinks` (``[[note]]`` links and ``![[embeds]]``, recorded in ``env["wikilinks"]`` at
    parse time, resolved at render time by the view's ``links``), :mod:`.callouts` (``> [!tip]- Title``,
    foldable, nested; GitHub alerts stay alerts), :mod:`.highlight` (``==mark==``), :mod:`.comments`
    (``%%hidden%%``) and :mod:`.tags` (``#tag`` -> a search for it).

Parsing is linear in practice on hostile input (``bench/`` gives the numbers).
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.gfm import gfm_plugin

from explorer.notes.md.callouts import callouts_plugin
from explorer.notes.md.cloze import cloze_plugin
from explorer.notes.md.code_blocks import code_blocks_plugin
from explorer.notes.md.comments import comments_plugin
from explorer.notes.md.glossary_terms import glossary_terms_plugin
from explorer.notes.md.heading_ids import heading_ids_plugin
from explorer.notes.md.highlight import highlight_plugin
from explorer.notes.md.hostile_input import hostile_input_plugin
from explorer.notes.md.images import images_plugin
from explorer.notes.md.links import links_plugin
from explorer.notes.md.math import math_plugin
from explorer.notes.md.mermaid import mermaid_plugin
from explorer.notes.md.note_cards import note_cards_plugin
from explorer.notes.md.rawhtml import raw_html_plugin
from explorer.notes.md.tags import tags_plugin
from explorer.notes.md.wikilinks import wikilinks_plugin

MAX_NESTING = 32


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The shared engine (configured once; parsing and rendering never mutate it).

    The order matters where plugins touch the same rules: :func:`hostile_input_plugin` replaces GFM's
    autolink rules (so it comes after ``gfm_plugin``) and :func:`note_cards_plugin` runs before
    :func:`heading_ids_plugin` (so a ``#card`` tag is not part of a heading's id).  The render plugins
    each own their render rules."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.use(gfm_plugin, front_matter=True)
    md.use(deflist_plugin)
    md.use(math_plugin)
    md.use(raw_html_plugin)
    md.use(hostile_input_plugin)
    md.use(heading_ids_plugin)
    md.use(note_cards_plugin)
    md.use(cloze_plugin)  # its cards join note_cards' in env["cards"]
    md.use(code_blocks_plugin)
    md.use(mermaid_plugin)  # after code_blocks: it wraps their fence rule
    md.use(images_plugin)
    md.use(links_plugin)
    md.use(glossary_terms_plugin)
    md.use(wikilinks_plugin)
    md.use(callouts_plugin)
    md.use(highlight_plugin)
    md.use(comments_plugin)
    md.use(tags_plugin)
    return md
