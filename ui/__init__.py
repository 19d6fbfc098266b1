"""The view layer: what every page shares (pages stay thin: ``c = ui.frame(...)``, then draw).

* :mod:`ui.frame` -- page config, styles, the grouped sidebar, content error boxes;
* :mod:`ui.urlstate` -- the URL <-> state binder (the URL is the state of what a page shows);
* :mod:`ui.caches` -- live content and everything computed once per content version (bounded);
* :mod:`ui.notes_view` -- note rendering, uploads kept per session, the study pack;
* :mod:`ui.progress` -- the learner's progress;
* :mod:`ui.widgets` -- small drawing helpers.

Everything that is not drawing lives in the ``explorer`` package.
"""

from .caches import cards, evaluation, figure, get_content, glossary_backlinks, search_index, table, term_matcher
from .frame import APP_NAME, frame, need
from .notes_view import (all_notes, note_html, session_search_index, show_messages, show_note, study_pack,
                         remove_upload, upload_messages, upload_widget, uploaded_notes)
from .progress import forget as forget_browser
from .progress import learner, mark_read_toggle, read_sections, update
from .urlstate import bind, on_chart_select, push, push_many, push_state
from .widgets import (bullets, figure_image, glossary_links, literal, note_link_target, note_links, plotly, related_links,
                      source_line, titled_bullets, warm_up_charts)

__all__ = [
    "APP_NAME", "all_notes", "bind", "bullets", "cards", "evaluation", "figure", "figure_image", "frame", "get_content",
    "forget_browser", "glossary_backlinks", "glossary_links", "literal", "learner", "mark_read_toggle", "need", "remove_upload", "update", "note_html", "note_link_target",
    "note_links", "on_chart_select", "plotly", "push", "push_many", "push_state", "read_sections",
    "related_links", "search_index", "session_search_index", "show_messages", "show_note",
    "source_line", "study_pack", "table", "term_matcher", "titled_bullets", "warm_up_charts", "upload_messages", "upload_widget", "uploaded_notes",
]
