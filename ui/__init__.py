"""The view layer: what every page shares (pages stay thin: ``c = ui.frame(...)``, then draw).

* :mod:`ui.frame` -- page config, styles, the grouped sidebar, content error boxes;
* :mod:`ui.urlstate` -- the URL <-> state binder (the URL is the state of what a page shows);
* :mod:`ui.caches` -- live content and everything computed once per content version (bounded);
* :mod:`ui.notes_view` -- note rendering, uploads kept per session, the study pack;
* :mod:`ui.progress` -- the learner's progress;
* :mod:`ui.widgets` -- small drawing helpers;
* :mod:`ui.assessment_view` -- the improvement plan and its editor, the printable report, rungs over time.

Everything that is not drawing lives in the ``explorer`` package.
"""

from .assessment_view import movement, plan_view, report_download
from .caches import cards, evaluation, figure, get_content, glossary_backlinks, search_index, table, term_matcher
from .frame import APP_NAME, frame, need
from .notes_view import (all_notes, note_html, session_search_index, show_messages, show_note, study_pack,
                         upload_messages, upload_widget, uploaded_notes)
from .progress import mark_read_toggle, progress, read_sections, set_progress
from .urlstate import bind, on_chart_select, push, push_many, push_state
from .widgets import (bullets, glossary_links, literal, note_link_target, note_links, plotly, related_links,
                      source_line, titled_bullets)

__all__ = [
    "APP_NAME", "all_notes", "movement", "plan_view", "report_download", "bind", "bullets", "cards", "evaluation", "figure", "frame", "get_content",
    "glossary_backlinks", "glossary_links", "literal", "mark_read_toggle", "need", "note_html", "note_link_target",
    "note_links", "on_chart_select", "plotly", "progress", "push", "push_many", "push_state", "read_sections",
    "related_links", "search_index", "session_search_index", "set_progress", "show_messages", "show_note",
    "source_line", "study_pack", "table", "term_matcher", "titled_bullets", "upload_messages", "upload_widget", "uploaded_notes",
]
