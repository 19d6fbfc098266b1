"""Export, import and comparison of self-assessment results (issue 4): one import for the pages.

* :mod:`explorer.assess.results_export` - the result file a learner downloads: its identity (app,
  kind, format), the content version it was made with, and its JSON (:func:`export_json`);
* :mod:`explorer.assess.results_markdown` - the same result as a Markdown report (:func:`export_markdown`,
  with :func:`md_escape` for every text that came from content or a visitor);
* :mod:`explorer.assess.results_import` - reading a result file back, size-limited and checked
  (:func:`import_json`, :class:`ResultImportError`, :class:`ImportedResult`);
* :mod:`explorer.assess.results_compare` - results over time (:func:`compare_over_time`) and teams
  side by side (:func:`compare_teams`), each evaluated anew with the current content.

Nothing is written to disk or kept on the server.
"""

from __future__ import annotations

from explorer.assess.results_compare import compare_over_time, compare_teams, unique_labels
from explorer.assess.results_export import APP_NAME, MAX_TEAM_LENGTH, RESULT_KIND, content_version, export_json
from explorer.assess.results_import import MAX_IMPORT_BYTES, ImportedResult, ResultImportError, import_json
from explorer.assess.results_markdown import export_markdown, md_escape

__all__ = [
    "APP_NAME", "MAX_IMPORT_BYTES", "MAX_TEAM_LENGTH", "RESULT_KIND",
    "ImportedResult", "ResultImportError",
    "compare_over_time", "compare_teams", "content_version", "export_json", "export_markdown", "import_json",
    "md_escape", "unique_labels",
]
