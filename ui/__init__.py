"""The view layer: what the pages draw.  A page imports what it uses from the module that owns it::

    from ui import urlstate
    from ui.frame import frame, need
    from ui.widgets import literal, plotly

* :mod:`ui.frame` -- page config, styles, the grouped sidebar, content error boxes;
* :mod:`ui.urlstate` -- the URL is the page's state: checks before widgets bound to the URL, and the
  binder for choices, share codes and other values that need checking;
* :mod:`ui.pagestate` -- what a page remembers besides its widgets and the URL: one typed object per page;
* :mod:`ui.caches` -- live content and everything computed once per content version (bounded);
* :mod:`ui.notes_view` -- note rendering, the reader's lists, uploads kept per session, the study pack;
* :mod:`ui.progress` -- the learner's progress, kept in their own browser;
* :mod:`ui.widgets` -- small drawing helpers;
* one view module per feature page (``ui.ladders_view``, ``ui.concepts_view``, ...); the self-assessment
  (``ui.self_assessment_view``, ``ui.result_view``) and the team workshop (``ui.workshop_view``,
  ``ui.team_view``) share :mod:`ui.assessment_view`; the study page has ``ui.study_view`` and ``ui.progress_view``;
  the search page ``ui.search_view`` (typo corrections, did you mean, hits by folder, the notes searched so far).

Everything that is not drawing lives in the ``explorer`` package.  This package re-exports nothing.
"""
