"""The view layer: what every page shares (pages stay thin: ``c = ui.frame(...)``, then draw).

* :mod:`ui.frame` -- page config, styles, the grouped sidebar, content error boxes;
* :mod:`ui.urlstate` -- the URL <-> state binder (the URL is the state of what a page shows);
* :mod:`ui.caches` -- live content and everything computed once per content version (bounded);
* :mod:`ui.notes_view` -- note rendering, the reader's lists, uploads kept per session, the study pack;
* :mod:`ui.progress` -- the learner's progress, kept in their own browser;
* :mod:`ui.assessment_view` -- the improvement plan, report downloads, movement over time (imported on
  first use of one of its names: the home page, where most visits start, does not need it);
* :mod:`ui.widgets` -- small drawing helpers.

Everything that is not drawing lives in the ``explorer`` package.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from .caches import cards, evaluation, figure, get_content, glossary_backlinks, search_index, table, term_matcher
from .frame import APP_NAME, frame, need, page_index
from .notes_view import (
    all_notes,
    note_html,
    notes_nav_html,
    remove_upload,
    session_search_index,
    show_messages,
    show_note,
    study_pack,
    toc_html,
    upload_messages,
    upload_widget,
    uploaded_notes,
)
from .progress import forget as forget_browser
from .progress import learner, mark_read_toggle, read_sections, update
from .urlstate import bind, on_chart_select, push, push_many, push_state
from .widgets import (
    bullets,
    figure_image,
    glossary_links,
    html,
    literal,
    note_link_target,
    note_links,
    plotly,
    related_links,
    source_line,
    titled_bullets,
    warm_up_charts,
)

if TYPE_CHECKING:
    from .assessment_view import movement, plan_view, report_download

__all__ = [
    "APP_NAME", "all_notes", "bind", "bullets", "cards", "evaluation", "figure", "figure_image", "forget_browser",
    "frame", "get_content", "page_index", "glossary_backlinks", "glossary_links", "html", "learner", "literal", "mark_read_toggle",
    "movement", "need", "note_html", "note_link_target", "note_links", "notes_nav_html", "on_chart_select",
    "plan_view", "plotly", "push", "push_many", "push_state", "read_sections", "related_links", "remove_upload",
    "report_download", "search_index", "session_search_index", "show_messages", "show_note", "source_line",
    "study_pack", "table", "term_matcher", "titled_bullets", "toc_html", "update", "upload_messages",
    "upload_widget", "uploaded_notes", "warm_up_charts",
]

# name -> module: imported when a page first asks for the name (PEP 562), not with ``ui``.
_LAZY = {"movement": "assessment_view", "plan_view": "assessment_view", "report_download": "assessment_view"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
