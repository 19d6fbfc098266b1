"""Everything a learner keeps in their own browser, as one versioned, mergeable JSON value.

Pure: values in, new values out; nothing is stored on the server.  The browser-side component
moves the text of :func:`dump` to ``localStorage`` and back; pages call :func:`load` on the text
they receive and the mutation helpers on every change.

What is kept (schema version :data:`SCHEMA_VERSION`)
    reading       note id -> section id -> ``[when, read]``; un-marking keeps a dated tombstone
    cards         card id -> FSRS state + its review log (``[id, when, grade 1-4, retention]``)
    folded        UTC day -> reviews whose log entries were compacted away (for the heatmap)
    quizzes       ``{id, at, score, total, seed, wrong}``
    assessments   ``{id, at, code, label}`` (``code`` is a self-assessment share code)
    notes         uploaded note id -> ``{name, size, added, at, removed}`` (the texts live in
                  IndexedDB, keyed by note id, outside this value)
    settings      key -> ``[when, value]``: desired_retention, new_per_day, quiz_questions, prefer_tables
    forgotten_at  when "Forget this browser" was last used (see :func:`merge`)
    fsrs          optional: the learner's own FSRS parameters ``{at, params, log_loss, default_log_loss, reviews}``
                  (:mod:`explorer.study.optimize`; ``params`` absent: back to the defaults, a dated change);
                  reviews and merged replays use them
    exams         optional: scope (``deck:<topic>`` / ``folder:<path>``) -> ``[when, day]`` (day null: removed);
                  absent from the text until a first exam date is set

Versions
    1 is the progress file of the SM-2 app (``"format": "mlops-explorer-progress"``): an old export
    pasted into storage, or an old value, migrates (:mod:`explorer.study.sm2_import` says what is lost).
    A value from a newer version (a newer format number, or fields this version does not know) is
    refused with a notice and :attr:`LoadResult.can_overwrite` is False, so an older replica behind a
    load balancer does not destroy a newer replica's data.

Damage (:mod:`explorer.study.store_recovery`)
    A value with invalid records is read record by record: each invalid record (a mark, a card, one
    review, a quiz or assessment result, a note listing, a setting) is left out and named in a notice,
    a card with an invalid schedule is recomputed from its log, everything else is kept (status
    ``recovered``).  :attr:`LoadResult.needs_backup` tells the caller to keep the stored text before
    anything replaces it (also for text that is not JSON at all, another program's value, a migrated one).

Merging two tabs (:func:`merge`: commutative, associative, idempotent)
    * review logs: union by review id; each card's state is recomputed by replaying its merged log
      from its base (the state its compacted reviews left), so a review made in either tab counts;
    * reading marks, note metadata, settings: per item, the latest change wins (ties broken by value);
    * quizzes and assessment results: union by id;
    * "Forget this browser" writes an empty value with a later ``forgotten_at``: merged with a value
      from before it (another open tab), the later ``forgotten_at`` wins outright, so the other tab
      cannot bring the forgotten data back.  :func:`import_merge` adds an imported file to the
      current value (adopting its ``forgotten_at``) instead.

Bounds and what happens when they are exceeded
    :data:`MAX_BYTES` (2 MB) is the budget of the dumped text in ``localStorage``.  :func:`fit`
    keeps a value under it: first it compacts the review logs of the cards reviewed longest ago
    (each card keeps its current state; the log becomes the per-day counts in ``folded``), then
    drops the oldest quiz results, assessment results, un-mark tombstones and removed-note
    records.  Card states, reading marks and settings are never dropped by :func:`fit`.  Counts are
    bounded too (:data:`MAX_CARDS`, :data:`MAX_LOG_PER_CARD`, :data:`MAX_MARKS`, ...): beyond them
    the oldest items go first.  :func:`load` refuses a text over :data:`MAX_LOAD_BYTES`.

Where each part lives (this module is the facade: it holds no code, and re-exports the public API below)
    :mod:`~explorer.study.store_model`      the records and their bounds, :class:`Store`, its canonical form and text
                                            (the bounds are read from there when a function runs: set
                                            ``store_model.MAX_...`` to change one everywhere)
    :mod:`~explorer.study.store_cards`      a card's record: invariants, replay of its log, merging two records
    :mod:`~explorer.study.store_load`       reading a stored text (and the SM-2 migration); :mod:`~explorer.study.store_result`
                                            what a read gives; :mod:`~explorer.study.store_recovery` a damaged value
    :mod:`~explorer.study.store_merge`      merging two values, an import, what a bound left out
    :mod:`~explorer.study.store_mutations`  the learner's changes
    :mod:`~explorer.study.store_fit`        fitting the text into the browser's budget
    :mod:`~explorer.study.store_queries`    reading the store: settings, marks, queue, forecast, heatmap, summaries

Public API (all times timezone-aware; ``now`` is passed in)
    SCHEMA_VERSION, FORMAT, MAX_BYTES, SETTINGS
    empty() -> Store
    load(text) -> LoadResult(store, notices, status)      # never raises
    dump(store) -> str                                    # compact, deterministic
    export_text(store) -> str                             # indented, for a downloaded file
    fit(store, max_bytes=MAX_BYTES) -> FitResult(store, text, notices)
    merge(a, b) -> Store; import_merge(current, imported) -> Store
    merge_cuts(a, b, merged) -> {what: count left out by a bound}
    mark_read(store, note_id, section_id, read, now) -> Store
    mark_many(store, note_id, section_ids, read, now) -> (Store, count not marked: a bound was reached)
    review(store, card_id, grade, now, retention=None, *, review_id=None) -> Store
    record_quiz(store, *, score, total, seed, now, wrong=(), quiz_id=None) -> Store
    add_assessment_result(store, code, now, label=None, *, result_id=None) -> Store
    add_note(store, note_id, name, size, now) / remove_note(store, note_id, now) -> Store
    set_setting(store, key, value, now) -> Store; setting(store, key); settings(store) -> dict
    set_exam(store, scope, day, now, today=None) / clear_exam(store, scope, now) -> Store; exam_dates(store)
    forget(store, now) -> Store
    card_states(store); sections_read(store); is_read(store, note, section); review_history(store)
    introduced_today(store, now, tz); study_queue(store, now, deck, tz); forecast(store, now, tz)
    heatmap(store, now, weeks, tz); quiz_history(store); assessment_results(store); uploaded_notes(store)
    summary(store); reading_progress(store, notes) -> ReadingProgress; is_empty(store)
"""

from __future__ import annotations

from explorer.study.store_cards import record_from_reviews
from explorer.study.store_fit import MAX_BYTES, FitResult, fit, fold_logs
from explorer.study.store_load import MAX_LOAD_BYTES, from_sm2, load
from explorer.study.store_merge import import_merge, merge, merge_cuts
from explorer.study.store_model import (
    FORMAT,
    MAX_ASSESSMENTS,
    MAX_CARDS,
    MAX_FOLDED_DAYS,
    MAX_LOG_PER_CARD,
    MAX_MARKS,
    MAX_NOTES,
    MAX_QUIZZES,
    MAX_SECTIONS_PER_NOTE,
    SCHEMA_VERSION,
    SETTINGS,
    AssessmentEntry,
    CardRecord,
    Mark,
    NoteMeta,
    QuizEntry,
    Setting,
    Store,
    StoreError,
    dump,
    empty,
    export_text,
    is_empty,
)
from explorer.study.store_mutations import (
    SECOND,
    add_assessment_result,
    add_note,
    bury,
    clear_exam,
    forget,
    mark_many,
    mark_read,
    record_quiz,
    remove_note,
    reset_card,
    review,
    set_exam,
    set_fsrs_params,
    set_setting,
    suspend,
)
from explorer.study.store_queries import (
    NoteReading,
    ReadingProgress,
    assessment_results,
    card_states,
    exam_dates,
    first_review,
    forecast,
    fsrs_params,
    heatmap,
    introduced_today,
    is_read,
    quiz_history,
    reading_progress,
    review_history,
    sections_read,
    set_aside,
    setting,
    settings,
    study_queue,
    summary,
    uploaded_notes,
)
from explorer.study.store_result import STATUSES, LoadResult, names

__all__ = [
    "FORMAT", "MAX_ASSESSMENTS", "MAX_BYTES", "MAX_CARDS", "MAX_FOLDED_DAYS", "MAX_LOAD_BYTES", "MAX_LOG_PER_CARD",
    "MAX_MARKS", "MAX_NOTES", "MAX_QUIZZES", "MAX_SECTIONS_PER_NOTE", "SCHEMA_VERSION", "SECOND", "SETTINGS", "STATUSES",
    "AssessmentEntry", "CardRecord", "FitResult", "LoadResult", "Mark", "NoteMeta", "NoteReading", "QuizEntry",
    "ReadingProgress", "Setting", "Store", "StoreError", "add_assessment_result", "add_note", "assessment_results",
    "card_states", "clear_exam", "dump", "exam_dates", "empty", "export_text", "first_review", "fit", "fold_logs", "forecast", "forget", "from_sm2", "fsrs_params",
    "heatmap", "import_merge", "introduced_today", "is_empty", "is_read", "load", "mark_many", "mark_read", "merge",
    "merge_cuts", "names", "quiz_history", "reading_progress", "record_from_reviews", "record_quiz", "remove_note",
    "review", "review_history", "sections_read", "set_exam", "set_fsrs_params", "set_setting", "setting", "settings", "study_queue", "summary",
    "uploaded_notes", "suspend", "bury", "reset_card", "set_aside",
]
