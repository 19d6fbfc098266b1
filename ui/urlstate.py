"""The URL is the state of what a page shows: one binder between query parameters and session state.

A page declares each selection it keeps in the URL::

    rung = ui.bind("rung", "rung", choices=levels, what="the rung")       # before the widget
    st.selectbox("Rung", levels, key="rung", on_change=ui.push_state("rung", "rung"))

* When the URL's value differs from the one seen on the previous run (first visit, a deep link, a
  link clicked inside the app, Back/Forward), the URL wins: its value is checked (``choices`` or
  ``parse``) and put into ``st.session_state[key]``; an invalid value shows a notice and falls back
  to ``default`` -- never a traceback.
* When the user changes the selection (widget ``on_change``, chart click), :func:`push` writes the
  new value into the URL, which adds a browser history entry: Back returns to the previous view,
  reload and a copied link reproduce this one.
* Streamlit does not update the address bar when a link leads to the page that is already open
  with other parameters; the binder re-sends the parameters once in that case, so the address bar
  always shows the view.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import streamlit as st

from .widgets import literal

_SEEN = "_url_seen"  # param -> raw value seen on the previous run
_ERROR = "_url_error"  # param -> message about its invalid value (while the URL holds it)
_HOLD = "_url_hold"  # param -> runs left in which the value the URL brought is re-asserted
HOLD_RUNS = 2
"""A value the URL brought is put into session state again on the next runs too.  Streamlit tells the
browser to show a value set from code only in the run that set it; when another rerun arrives before
the browser has drawn the widget (on a fresh server the browser store's first report does: 7
deep links out of 13 in one measurement), that rerun's widget shows its default, so the rung's heading says "Azure
Level 2" above a box that says "AWS Phase 1".  Re-asserting on a couple of runs closes that window; a
change the reader makes (``push``) ends it at once, so text being typed is never overwritten later."""
MAX_PARAM_CHARS = 2000


def _seen() -> dict[str, str | None]:
    return st.session_state.setdefault(_SEEN, {})


def bind(
    param: str,
    key: str,
    *,
    choices: Collection[str] | None = None,
    parse: Callable[[str], Any] | None = None,
    default: Any = None,
    what: str = "item",
    max_chars: int = 200,
    apply: Callable[[Any], None] | None = None,
) -> Any:
    """Keep ``st.session_state[key]`` in step with the query parameter ``param``; return the value.

    ``choices``: the valid values (ids); ``parse``: turns the raw text into the value, raising
    ``ValueError`` with a readable message when it cannot.  Call before drawing the widget bound to
    ``key``; give the widget ``on_change=push_state(param, key)``.  ``apply(value)`` runs whenever the
    URL brings a value (e.g. to fill several widgets from one parameter).
    """
    raw = st.query_params.get(param)
    if raw == "":
        raw = None
    seen = _seen()
    errors = st.session_state.setdefault(_ERROR, {})
    # re-read the URL when it changed, when the widget's state is gone, or when a value refused
    # before is valid now (a note restored from the browser, a file added under content/)
    recovered = param in errors and raw is not None and choices is not None and raw in choices
    holds = st.session_state.setdefault(_HOLD, {})
    if param not in seen or seen[param] != raw or key not in st.session_state or recovered:
        holds[param] = HOLD_RUNS
        first = param not in seen
        navigated = not first and seen[param] != raw
        seen[param] = raw
        errors.pop(param, None)
        value = default
        if raw is not None:
            try:
                value = _parse(raw, choices, parse, what, max_chars)
            except ValueError as exc:
                errors[param] = str(exc)
                value = default
        st.session_state[key] = value
        if apply is not None:
            apply(value)
        if navigated:
            _resync()
    elif choices is not None and st.session_state.get(key) is not None and st.session_state[key] not in choices:
        st.session_state[key] = default  # what the URL named has gone (e.g. a note file was deleted)
        errors[param] = f"{what[:1].upper()}{what[1:]} “{literal(str(raw))}” is no longer available. Showing the default view instead."
    elif holds.get(param) and key in st.session_state:
        holds[param] -= 1
        st.session_state[key] = st.session_state[key]  # re-assert it (see HOLD_RUNS)
    if param in errors:
        st.warning(errors[param], icon=":material/link_off:")
    return st.session_state.get(key, default)


def _parse(raw: str, choices, parse, what: str, max_chars: int) -> Any:
    if len(raw) > max_chars:
        raise ValueError(f"The link's value for {what} is too long ({len(raw)} characters) and was ignored.")
    if parse is not None:
        return parse(raw)
    if choices is not None and raw not in choices:
        raise ValueError(f"The link asks for {what} “{literal(raw)}”, which does not exist here. Showing the default view instead.")
    return raw


def _resync() -> None:
    """Re-send the query parameters so the browser's address bar shows them (see the module doc)."""
    if not st.session_state.get("_url_resynced"):
        st.session_state["_url_resynced"] = True
        st.query_params.from_dict(st.query_params.to_dict())


def reset_run_flags() -> None:
    st.session_state["_url_resynced"] = False


def push(param: str, value: str | None, *, keep_notice: bool = False) -> None:
    """Put a selection into the URL (a new browser history entry); ``None`` removes the parameter.

    ``keep_notice``: the page itself replaces a value the link had wrong (e.g. draws a new quiz for a
    bad quiz number); the notice about the link stays until the reader moves on."""
    value = None if value in (None, "") else str(value)
    current = st.query_params.get(param)
    if value is None:
        if current is not None:
            del st.query_params[param]
    elif current != value:
        st.query_params[param] = value
    _seen()[param] = value
    st.session_state.setdefault(_HOLD, {}).pop(param, None)
    if not keep_notice:
        st.session_state.setdefault(_ERROR, {}).pop(param, None)


def push_many(values: dict[str, str | None]) -> None:
    """Several parameters in one history entry."""
    params = st.query_params.to_dict()
    for k, v in values.items():
        if v in (None, ""):
            params.pop(k, None)
        else:
            params[k] = str(v)
        _seen()[k] = None if v in (None, "") else str(v)
        st.session_state.setdefault(_ERROR, {}).pop(k, None)
        st.session_state.setdefault(_HOLD, {}).pop(k, None)
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)


def push_state(param: str, key: str, to_text: Callable[[Any], str | None] = lambda v: v) -> Callable[[], None]:
    """An ``on_change`` callback that mirrors ``st.session_state[key]`` into the URL."""

    def _callback() -> None:
        push(param, to_text(st.session_state.get(key)))

    return _callback


def on_chart_select(chart_key: str, state_key: str, param: str, valid: Collection[str]) -> Callable[[], None]:
    """``st.plotly_chart(on_select=...)`` callback: the clicked mark's ``customdata`` id becomes the selection.

    Chart builders put the id of what a mark shows in ``customdata``.
    """
    allowed = set(valid)

    def _callback() -> None:
        event = st.session_state.get(chart_key)
        for point in (event or {}).get("selection", {}).get("points", []):
            data = point.get("customdata")
            value = data[0] if isinstance(data, (list, tuple)) else data
            if value in allowed:
                st.session_state[state_key] = value
                push(param, value)
                return

    return _callback
