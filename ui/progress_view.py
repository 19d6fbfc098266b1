"""The study page's "Progress & files" view: reading and quiz progress, the scheduling settings, the learner's
data (download, Anki export, forget, load a file), the backups of progress that could not be read (issue #20),
and the study pack.  Everything here is kept in the learner's browser (:mod:`ui.progress`), never on the server."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import streamlit as st

from explorer.content.loader import Content
from explorer.routes import PAGES
from explorer.study import scheduling as sch
from explorer.study import store as S
from explorer.study.cards import anki_tsv
from explorer.study.cloze import anki_cloze_tsv, cloze_cards

from . import pagestate, progress
from .notes_view import study_pack
from .study_view import Deck
from .widgets import literal


def reading(deck: Deck) -> None:
    st.subheader("Reading")
    r_all = S.reading_progress(progress.learner(), deck.notes)
    st.progress(r_all.fraction, text=f"{r_all.read} of {r_all.total} sections marked read")
    notes = {x.id: x for x in deck.notes}
    for r in r_all.notes:
        note = notes[r.note_id]
        cols = st.columns([3, 1])
        cols[0].page_link(PAGES["notes"].file, label=literal(note.title, 200), icon=":material/article:", query_params={"note": note.id})
        cols[1].progress(r.fraction, text=f"{r.read}/{r.total}")


def quizzes() -> None:
    st.subheader("Quizzes")
    history = S.quiz_history(progress.learner())
    if history:
        st.dataframe([{"Date": h.at.date().isoformat(), "Quiz": h.seed, "Score": f"{h.score}/{h.total}"} for h in history[-20:]],
                     hide_index=True, width="stretch")
    else:
        st.caption("No quiz taken yet.")


def _set(key: str, widget: str) -> None:
    progress.update(lambda s: S.set_setting(s, key, st.session_state[widget], dt.datetime.now(dt.UTC)))


def scheduling() -> None:
    """The desired retention and new cards per day; the widgets show what the learner's progress holds."""
    st.subheader("Scheduling")
    store = progress.learner()
    st.session_state["set_retention"] = float(S.setting(store, "desired_retention"))
    st.slider("Desired retention", sch.MIN_RETENTION, sch.MAX_RETENTION, step=0.01, key="set_retention",
              on_change=_set, args=("desired_retention", "set_retention"), format="%.2f",
              help="The chance of remembering a card when it comes back. Higher means more frequent reviews.")
    st.session_state["set_new_per_day"] = int(S.setting(store, "new_per_day"))
    st.number_input("New cards per day", min_value=0, max_value=200, step=5, key="set_new_per_day",
                    on_change=_set, args=("new_per_day", "set_new_per_day"))


def _load_file() -> None:
    up = st.session_state.get("progress_upload")
    if up is not None:
        progress.import_text(up.getvalue(), up.name)


@dataclass
class _Export:
    """The progress file of one store value, kept in the session (its own data: never shared between sessions)."""

    store: Any = None
    text: str = ""


def _export(store: Any) -> str:
    memo = pagestate.held("_progress_export", _Export)
    if memo.store is not store:
        memo.store, memo.text = store, S.export_text(store)
    return memo.text


def your_data(deck: Deck) -> None:
    """What this browser keeps, to download, export for Anki, forget, or load from a file."""
    st.subheader("Your data")
    store, now = progress.learner(), dt.datetime.now(dt.UTC)
    st.markdown(" · ".join(f"{v} {k}" for k, v in S.summary(store).items()))
    st.caption("All of this lives in this browser (localStorage and IndexedDB), never on the server. "
               "Download it to move to another browser or to keep a copy.")
    cols = st.columns(3)
    # the progress file is made once per store value (a year of reviews is megabytes of JSON; a rerun that changes
    # nothing makes it again no more); the Anki files when their button is clicked (Streamlit runs the callable then)
    cols[0].download_button("Download progress (JSON)", _export(store), file_name=f"mlops-study-progress-{now:%Y%m%d}.json",
                            mime="application/json", icon=":material/download:")
    cols[1].download_button("Export cards for Anki (TSV)", lambda: anki_tsv(deck.all), file_name="mlops-explorer-cards.txt",
                            mime="text/tab-separated-values", icon=":material/style:",
                            help="In Anki: File > Import, then pick this file (front, back and tags are set by its header).")
    with cols[2].popover("Forget this browser", icon=":material/delete_forever:"):
        st.markdown("This empties everything the app keeps in this browser: reading marks, cards, quizzes, "
                    "assessment results and uploaded notes. Download it first if you want a copy.")
        st.button("Forget everything", type="primary", on_click=progress.forget, key="forget")
    if cloze_cards(deck.all):  # {{c1::answer}} cards in the notes: Anki's Cloze note type, one note per paragraph
        st.download_button("Export cloze cards for Anki (TSV)", lambda: anki_cloze_tsv(deck.all),
                           file_name="mlops-explorer-cloze.txt", mime="text/tab-separated-values", icon=":material/style:",
                           help="In Anki: File > Import, then pick this file: one Cloze note per paragraph of your notes.")
    st.file_uploader("Load a progress file (also files from the earlier SM-2 version)", type=["json"], key="progress_upload",
                     on_change=_load_file)


def backups() -> None:
    """The texts this browser kept before replacing progress it could not read in full: download or restore each."""
    kept, untouched = progress.backups(), progress.untouched_text()
    if not (kept or untouched):
        return
    st.subheader("Backups of unreadable progress")
    st.caption(f"When the progress saved in this browser cannot be read in full, the text as it was is kept here "
               f"before anything is saved over it (the {progress.KEPT_BACKUPS} newest). Restoring one adds what can be read "
               "of it to your progress, like loading a progress file. “Forget this browser” deletes them too.")
    for b in reversed(kept):
        label = progress.backup_label(b)
        row = st.columns([3, 1, 1], vertical_alignment="center")
        row[0].markdown(f"**{label}** · {len(b.text.encode('utf-8', 'surrogatepass')) / 1000:,.1f} kB"
                        + (" · not in this app's storage format" if b.raw else ""))
        row[1].download_button("Download", b.text, file_name=f"mlops-progress-backup-{b.at[:19].replace(':', '')}.json",
                               mime="application/json", icon=":material/download:", key=f"backup_download::{b.id}")
        row[2].button("Restore", icon=":material/restore:", key=f"backup_restore::{b.id}",
                      on_click=progress.restore_backup, args=(b.id,), help=f"Merge the backup of {label} into your progress")
    if untouched:
        st.download_button("Download the progress stored in this browser (left untouched)", untouched,
                           file_name=f"mlops-progress-stored-{dt.datetime.now(dt.UTC):%Y%m%d}.json", mime="application/json",
                           icon=":material/download:", key="untouched_download")


def outcome() -> None:
    """What came of the last import or restore (once)."""
    result = st.session_state.pop(progress.RESULT, None)
    if result:
        kind, text, notices = result
        for notice in notices:
            st.info(literal(notice, 600), icon=":material/info:")
        (st.error if kind == "error" else st.success)(literal(text, 800), icon=":material/error:" if kind == "error" else ":material/check:")


def pack(c: Content) -> None:
    st.subheader("Study pack")
    st.markdown("One self-contained HTML file with every note, its figures, the contents and the glossary: readable offline and printable.")
    st.download_button("Download study pack (HTML)", lambda: study_pack(c), file_name="mlops-study-pack.html",
                       mime="text/html", icon=":material/menu_book:")
