"""The Study page's card browser (``?tab=browse``): find a card, open its source section, suspend, bury, reset,
and see its review history.

Every choice is in the URL: ``?text=`` (the search text, bound by Streamlit), ``?deck=``, ``?notes_folder=``,
``?state=``, ``?due=``, ``?page=`` and the open card, ``?card=``.  The rows and filters are
:mod:`explorer.study.card_browser`; the changes are the store's ``suspend`` / ``bury`` / ``reset_card``
(:mod:`ui.progress` keeps them in the learner's browser).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from explorer.notes.tree import folder_parts
from explorer.study import card_browser as cb
from explorer.study import scheduling as sch
from explorer.study import store as S

from . import pagestate, urlstate
from .progress import learner, now, update
from .study_view import LABELS, Deck
from .widgets import literal

STATE_LABELS = {"new": "New", "learning": "Learning", "review": "In review", "relearning": "Relearning",
                "suspended": "Suspended", "buried": "Buried until tomorrow"}
_TABLE = "browse_table"


@dataclass
class BrowseState:
    """The ids of the rows on screen (the table's selection names a row by its position), and the rows of the
    last run with what they were made from (a search or a filter reuses them: no pass over 2,000 cards)."""

    page_ids: list[str] = field(default_factory=list)
    made_from: tuple = ()
    rows: list[cb.Row] = field(default_factory=list)

    def all_rows(self, deck: Deck, store: S.Store, t, folders: dict[str, str]) -> list[cb.Row]:
        key = (store, len(deck.all), deck.coverage, t.replace(second=0, microsecond=0))
        if len(self.made_from) != 4 or self.made_from[0] is not store or self.made_from[1:] != key[1:]:
            self.rows, self.made_from = cb.rows(deck.all, store, t, folders), key
        return self.rows


def state() -> BrowseState:
    return pagestate.held("_browse", BrowseState)


def _folder_label(folder: str) -> str:
    return " › ".join(folder.split("/")) if folder else "—"


def _choice(param: str, label: str, options: list[str], labels: dict[str, str], what: str, col) -> str:
    """A filter: a selectbox whose choice is ``?param=`` ("" = all)."""
    value = urlstate.follow(param, choices=options, default=None, what=what)
    shown = ["", *options]
    col.selectbox(label, shown, index=urlstate.index(shown, value) or 0,
                  format_func=lambda v: labels.get(v, v) if v else "All", **urlstate.widget(param, f"browse_{param}"))
    return value or ""


def _page_number(raw: str) -> int:
    if not (raw.isdigit() and len(raw) <= 6):
        raise ValueError(f"The link's page “{literal(raw)}” is not a page number; showing the first page.")
    return int(raw)


def _open_selected() -> None:
    """The table's row selection: the card goes into the URL."""
    event = st.session_state.get(_TABLE)
    picked = (event or {}).get("selection", {}).get("rows", [])
    ids = state().page_ids
    if picked and picked[0] < len(ids):
        urlstate.push("card", ids[picked[0]], redraw=True)


def browse(deck: Deck) -> None:
    store, t = learner(), now()
    folders = {n.id: "/".join(folder_parts(n)) for n in deck.notes}
    all_rows = state().all_rows(deck, store, t, folders)
    urlstate.check("text", what="search text", max_chars=cb.MAX_QUERY, cuts=True)
    st.text_input("Search cards (front or back)", key="text", bind="query-params", max_chars=cb.MAX_QUERY,
                  placeholder="e.g. canary, feature store")
    cols, choices = st.columns(4), cb.folder_choices(folders.values())
    query = cb.Query(
        text=st.session_state.get("text") or "",
        deck=_choice("deck", "Deck", deck.topics, LABELS, "the deck", cols[0]),
        folder=_choice("notes_folder", "Folder of notes", choices, {f: _folder_label(f) for f in choices}, "the folder",
                       cols[1]),
        state=_choice("state", "State", list(cb.STATES), STATE_LABELS, "the card state", cols[2]),
        due=_choice("due", "Due", list(cb.DUE), cb.DUE_LABELS, "the due filter", cols[3]),
    )
    found = cb.search(all_rows, query)
    number = urlstate.follow("page", parse=_page_number, default=1, what="the page")
    rows, number, pages = cb.page(found, number)
    st.caption(f"{len(found):,} of {len(all_rows):,} cards · page {number} of {pages}")
    state().page_ids = [r.id for r in rows]
    table = {
        "Front": [r.front[:140] for r in rows],
        "Deck": [LABELS.get(r.deck, r.deck) for r in rows],
        "Folder": [_folder_label(r.folder) for r in rows],
        "State": [STATE_LABELS[r.state] for r in rows],
        "Due": [r.due.strftime("%Y-%m-%d %H:%M") if r.due else "new" for r in rows],
        "Reviews": [r.reviews for r in rows],
        "Lapses": [r.lapses for r in rows],
    }
    st.dataframe(table, hide_index=True, width="stretch", on_select=_open_selected, selection_mode="single-row",
                 key=_TABLE, column_config={"Front": st.column_config.TextColumn(width="large")})
    nav = st.columns(2)
    nav[0].button("Previous", icon=":material/chevron_left:", disabled=number <= 1, key="browse_prev",
                  on_click=urlstate.push, args=("page", str(number - 1) if number > 2 else None))
    nav[1].button("Next", icon=":material/chevron_right:", disabled=number >= pages, key="browse_next",
                  on_click=urlstate.push, args=("page", str(number + 1)))
    card_id = urlstate.follow("card", choices=deck.by_id, default=None, what="the card")
    ids = [r.id for r in rows]
    if card_id and card_id not in ids:
        ids = [card_id, *ids]
    by_id = {r.id: r for r in all_rows}
    st.selectbox("Open a card", ["", *ids], index=urlstate.index(["", *ids], card_id or "") or 0,
                 format_func=lambda i: literal(by_id[i].front, 100) if i else "Choose a card of this page",
                 **urlstate.widget("card", "browse_card", lambda v: v or None))
    if card_id:
        _card(deck, by_id[card_id], store, t)


def _card(deck: Deck, row: cb.Row, store: S.Store, t) -> None:
    card = deck.by_id[row.id]
    with st.container(border=True):
        st.markdown(f"**{literal(card.front, 600)}**")
        st.markdown(literal(card.back, 800))
        due = f" · due {row.due:%Y-%m-%d %H:%M} UTC" if row.due else ""
        st.caption(f"{LABELS.get(row.deck, row.deck)} · {STATE_LABELS[row.state]}{due} · {row.reviews} review(s), "
                   f"{row.lapses} lapse(s)")
        where = card.note if card.note is not None else card.source
        st.page_link(where.page, label="Open its section in the notes" if card.note else "Open its source",
                     icon=":material/menu_book:", query_params=dict(where.params))
        flag = (store.card_flags or {}).get(row.id)
        cols = st.columns(3)
        suspended = bool(flag and flag.suspended)
        cols[0].button("Unsuspend" if suspended else "Suspend", icon=":material/pause_circle:", key="browse_suspend",
                       on_click=update, args=(lambda s: S.suspend(s, row.id, not suspended, now()),),
                       help="A suspended card leaves the study queue and the forecast until you unsuspend it.")
        buried = row.state == "buried"
        cols[1].button("Unbury" if buried else "Bury until tomorrow", icon=":material/event_busy:", key="browse_bury",
                       on_click=update, args=(lambda s: S.bury(s, row.id, None if buried else cb.bury_until(now()),
                                                                now()),),
                       help="A buried card leaves today's study queue and comes back tomorrow.")
        with cols[2].popover("Reset to new", icon=":material/restart_alt:", disabled=row.id not in store.cards):
            st.markdown("The card starts again as a new card. Its reviews so far stay in its history below, "
                        "but no longer set when it comes back.")
            st.button("Reset this card", type="primary", key="browse_reset",
                      on_click=update, args=(lambda s: S.reset_card(s, row.id, now()),))
        _history(store, row.id)


def _history(store: S.Store, card_id: str) -> None:
    steps, folded = cb.history(store, card_id)
    if not steps:
        st.caption("No reviews yet.")
        return
    st.markdown("**Review history** (the interval is how long each review set until the card came back)")
    table = {
        "Reviewed (UTC)": [s.at.strftime("%Y-%m-%d %H:%M") for s in steps],
        "Grade": [s.grade.capitalize() for s in steps],
        "Interval": [sch.format_interval(s.interval) for s in steps],
        "Phase": [s.phase for s in steps],
    }
    if any(s.before_reset for s in steps):
        table["Reset"] = ["before the reset" if s.before_reset else "after" for s in steps]
    st.dataframe(table, hide_index=True, width="stretch")
    if folded:
        st.caption(f"{folded} older review(s) were compacted and are not listed.")
