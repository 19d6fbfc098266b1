"""The URL is the state of what a page shows: Streamlit's own binding where it fits, one small binder for the rest.

**Text inputs** that map to one query parameter (``?q=``, ``?filter=``, ``?find=``) are bound by Streamlit
(``bind="query-params"``; the key is the parameter's name): they fill from a deep link, write each change
into the address bar, drop the parameter when empty, and Back/Forward restore them.  A value longer than
the input's ``max_chars`` is cut short silently, so the page calls :func:`check` first, which says so::

    urlstate.check("q", what="search text", max_chars=200, cuts=True)
    st.text_input("Search", key="q", bind="query-params", max_chars=200)

**Everything else** goes through :func:`follow`:

* choice widgets (selectbox, radio, segmented control, pills, multiselect): Streamlit 1.67 writes a bound
  choice widget's value into the URL as the option's *label* (what ``format_func`` shows: "Azure · Level
  2: ..."), not its id, so ``?rung=azure-2`` -- the links the route table builds and every link already
  shared -- would open nothing (``ui/streamlit_facts.py``, fact 2);
* share codes and other values that must be parsed (``?m=``, ``?split=``, ``?compare=``), comma lists
  (``?issuer=AWS,Google``), and a ``view`` that names a different thing on several pages (Streamlit keeps
  a bound value across pages by its key);
* ``note``/``section``/``term``, where links inside the app lead on the page that is open: Streamlit updates
  a bound widget from such a link but not the address bar, and ``st.switch_page`` refuses a bound parameter.

When the URL brings a new value (a deep link, a link inside the app, Back/Forward), :func:`follow` checks
it once (a notice for an unusable one, never a traceback) and returns it.  A widget shows it as its
*default* under a key that changes with each new value (:func:`widget`)::

    rung = urlstate.follow("rung", choices=levels, what="the rung")
    st.selectbox("Rung", ids, index=urlstate.index(ids, rung), **urlstate.widget("rung"))

so the browser draws the link's value from the widget itself: nothing is put into ``st.session_state`` and
re-asserted, and a run that comes before the browser drew the widget (the browser store's first report on
a fresh page) cannot lose it.  The reader's change goes into the URL (:func:`push`, one history entry) and
is read back from there; the widget keeps its key, so nothing is drawn again.

What the binder remembers lives in one object in the session (:class:`UrlState`); ``ui.frame`` starts
each run with :func:`start_run`.  The parameter names come from the route table (``explorer.routes``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from .widgets import literal

MAX_PARAM_CHARS = 2000
"""The longest value any parameter may bring (explorer.limits.url_param_chars); each use has its own, lower limit."""
LINK_OFF = ":material/link_off:"  # every notice about a link's value carries this icon (the browser tests look for it)
_KEY = "_urlstate"
_PUSHED = object()  # a value this app put into the URL itself: read again from the URL


@dataclass
class _Link:
    raw: str | None  # the parameter's text when it was last read (or pushed)
    value: Any  # what it means (``_PUSHED`` until it is read again)
    error: str | None = None  # the notice about it, while the URL holds it
    gen: int = 0  # how many new values the URL brought on this page (part of the widgets' keys)


@dataclass
class _Notice:
    message: str
    raws: tuple[str | None, ...]  # the URL's values under which it stays (the link's, and what Streamlit left)


@dataclass
class UrlState:
    """What the binder remembers in one session (one object under one ``st.session_state`` key), per page."""

    page: str = ""
    links: dict[str, dict[str, _Link]] = field(default_factory=dict)  # page -> param -> link
    notices: dict[str, dict[str, _Notice]] = field(default_factory=dict)  # page -> param -> notice
    resynced: bool = False


def _state() -> UrlState:
    s = st.session_state.get(_KEY)
    if not isinstance(s, UrlState):
        s = st.session_state[_KEY] = UrlState()
    return s


def _links() -> dict[str, _Link]:
    s = _state()
    return s.links.setdefault(s.page, {})


def start_run(page: str) -> None:
    """Called by ``ui.frame`` first on every run of a page."""
    s = _state()
    s.page = page
    s.resynced = False


def raw(param: str) -> str | None:
    """The parameter's text as the URL has it now (None when absent or empty); unchecked."""
    return st.query_params.get(param) or None


def _parse(text: str, choices, parse, what: str, max_chars: int) -> Any:
    if len(text) > max_chars:
        raise ValueError(f"The link's value for {what} is too long ({len(text)} characters) and was ignored.")
    if parse is not None:
        return parse(text)
    if choices is not None and text not in choices:
        raise ValueError(f"The link asks for {what} “{literal(text)}”, which does not exist here. Showing the default view instead.")
    return text


def _read(text, choices, parse, default, what, max_chars) -> tuple[Any, str | None]:
    if text is None:
        return default, None
    try:
        return _parse(text, choices, parse, what, max_chars), None
    except ValueError as exc:
        return default, str(exc)


def notice(message: str) -> None:
    """A notice about a link's value (the link_off icon marks them all)."""
    st.warning(message, icon=LINK_OFF)


# --------------------------------------------------------------------------- bound text inputs
def check(param: str, *, choices: Collection[str] | None = None, parse: Callable[[str], Any] | None = None,
          what: str = "item", max_chars: int = 200, cuts: bool = False) -> str | None:
    """Before a widget bound to ``param`` is drawn: a notice when the link's value is one it cannot take.
    Returns the link's value when it is usable (what the widget shows once it is drawn), else None.

    ``cuts``: the widget is a text input that keeps the first ``max_chars`` characters of a longer value.
    The notice stays while the address bar shows the link's value or what Streamlit made of it (the
    parameter dropped, or cut short); it goes when the reader types something else or follows another link.
    """
    text = raw(param)
    s = _state()
    notices = s.notices.setdefault(s.page, {})
    kept = notices.get(param)
    if kept is None or text not in kept.raws:
        notices.pop(param, None)
        if text is not None:
            try:
                if cuts and len(text) > max_chars:
                    raise ValueError(f"The link's {what} is longer than {max_chars} characters: only its first "
                                     f"{max_chars} are used.")
                _parse(text, choices, parse, what, max_chars)
            except ValueError as exc:
                notices[param] = _Notice(str(exc), (text, text[:max_chars] if cuts else None))
    if param in notices:
        notice(notices[param].message)
        return None
    return text


# --------------------------------------------------------------------------- values that need checking
def follow(param: str, *, choices: Collection[str] | None = None, parse: Callable[[str], Any] | None = None,
           default: Any = None, what: str = "item", max_chars: int = 200, apply: Callable[[Any], None] | None = None,
           key: str | None = None) -> Any:
    """The value of ``param`` as the URL gives it (``default`` without one, or with an unusable one: a notice
    says so).  ``choices``: the valid values; ``parse``: turns the text into the value, raising ``ValueError``
    with a readable message when it cannot.  ``apply(value)`` runs once for each value the URL brings (not
    for one the page pushed itself).

    ``key``: also put the value into ``st.session_state[key]`` (read again when that state is gone).  A widget
    drawn from :func:`widget` needs none of it, and is safer: Streamlit tells the browser about a value set
    from code only in the run that set it, so a run that comes first can show the widget's default."""
    text = raw(param)
    links = _links()
    link = links.get(param)
    recovered = link is not None and link.error is not None and text is not None and choices is not None and text in choices
    state_gone = key is not None and key not in st.session_state
    if link is None or link.raw != text or recovered or state_gone:
        value, error = _read(text, choices, parse, default, what, max_chars)
        links[param] = _Link(text, value, error, 0 if link is None else link.gen + 1)
        if key is not None:
            st.session_state[key] = value
        if apply is not None:
            apply(value)
        if link is not None and link.raw != text:
            _resync()
    elif link.value is _PUSHED:
        link.value, error = _read(text, choices, parse, default, what, max_chars)
        link.error = error or link.error  # a kept notice (push(keep_notice=True)) stays
    elif choices is not None and link.value is not None and link.value not in choices:
        link.value, link.gen = default, link.gen + 1  # what the URL named has gone (e.g. a note file was deleted)
        link.error = f"{what[:1].upper()}{what[1:]} “{literal(str(text))}” is no longer available. Showing the default view instead."
        if key is not None:
            st.session_state[key] = default
    link = links[param]
    if link.error:
        notice(link.error)
    return link.value


def widget_key(param: str, key: str | None = None) -> str:
    """The key of a widget that shows ``param``'s value (``key``, default the parameter's name): it changes with
    each new value the URL brings, so the widget is drawn afresh with that value as its default."""
    link = _links().get(param)
    key = key or param
    return f"{key}~{link.gen}" if link is not None and link.gen else key


def widget(param: str, key: str | None = None, to_text: Callable[[Any], str | None] = lambda v: v) -> dict[str, Any]:
    """``key=`` and ``on_change=`` for a widget that shows ``param``: a change goes into the URL (``to_text``
    turns the widget's value into the parameter's text; None drops it)."""
    k = widget_key(param, key)
    return {"key": k, "on_change": push_state(param, k, to_text)}


def index(options: Sequence, value) -> int | None:
    """``index=`` for a selectbox or radio that shows ``value`` (None: nothing chosen)."""
    try:
        return list(options).index(value)
    except ValueError:
        return None


def _resync() -> None:
    """A link to the page that is open changes the page but not the address bar (Streamlit 1.67): send the
    query parameters again, once per run, through one that no widget is bound to."""
    s = _state()
    if s.resynced:
        return
    s.resynced = True
    params = st.query_params.to_dict()
    if not params:
        st.query_params.clear()
    for name in params:
        try:
            values = st.query_params.get_all(name)
            st.query_params[name] = values if len(values) > 1 else values[0]
            return
        except StreamlitAPIException:  # bound to a widget: Streamlit keeps that one in the address bar itself
            continue


def push(param: str, value: str | None, *, keep_notice: bool = False, redraw: bool = False) -> None:
    """Put a change the reader made into the URL (a new browser history entry); ``None`` removes the parameter.

    ``redraw``: the widgets showing ``param`` are drawn afresh with the new value (a chart click, a reset).
    ``keep_notice``: the page itself replaces a value the link had wrong (e.g. draws a new quiz for a bad
    quiz number); the notice about the link stays until the reader moves on."""
    push_many({param: value}, keep_notice=keep_notice, redraw=redraw)


def push_many(values: dict[str, str | None], *, keep_notice: bool = False, redraw: bool = False) -> None:
    """Several parameters in one history entry."""
    links = _links()
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = dict(current)
    for param, value in values.items():
        text = None if value in (None, "") else str(value)
        if text is None:
            wanted.pop(param, None)
        else:
            wanted[param] = [text]
        old = links.get(param)
        gen = (old.gen if old is not None else 0) + (1 if redraw else 0)
        links[param] = _Link(text, _PUSHED, old.error if keep_notice and old is not None else None, gen)
    if wanted == current:
        return
    try:
        st.query_params.from_dict(wanted)  # one message, one history entry
    except StreamlitAPIException:  # another parameter of the page is bound to a widget: change only these
        for param in values:
            if param not in wanted and param in st.query_params:
                del st.query_params[param]
            elif param in wanted and wanted[param] != current.get(param):
                st.query_params[param] = wanted[param][0]


def push_state(param: str, key: str, to_text: Callable[[Any], str | None] = lambda v: v) -> Callable[[], None]:
    """An ``on_change`` callback that puts the widget ``key``'s value into the URL."""

    def _callback() -> None:
        push(param, to_text(st.session_state.get(key)))

    return _callback


def on_chart_select(chart_key: str, param: str, valid: Collection[str]) -> Callable[[], None]:
    """``st.plotly_chart(on_select=...)`` callback: the clicked mark's ``customdata`` id goes into the URL as
    ``param``, and the widgets that show it are drawn afresh.  Chart builders put ids in ``customdata``."""
    allowed = set(valid)

    def _callback() -> None:
        event = st.session_state.get(chart_key)
        for point in (event or {}).get("selection", {}).get("points", []):
            data = point.get("customdata")
            value = data[0] if isinstance(data, (list, tuple)) else data
            if value in allowed:
                push(param, value, redraw=True)
                return

    return _callback


def follow_list(param: str, options: Sequence[str], *, what: str, empty: Sequence[str] = (),
                quiet: bool = False) -> list[str]:
    """The choices of a multi-choice widget (``st.multiselect``/``st.pills``) as the URL lists them, comma-separated
    (``?issuer=AWS,Google``, which links already shared use).  ``empty``: what no parameter means (nothing, or
    every option).  ``quiet``: a link that names none of the options falls back to ``empty`` without a
    notice.  Give the widget ``default=`` this and ``**list_widget(param, key, empty)``."""
    def parse(text: str) -> list[str]:
        picked = [x for x in dict.fromkeys(text.split(",")) if x in options]
        if not picked and not quiet:
            raise ValueError(f"The link's {what} “{literal(text)}” matches nothing here; showing all.")
        return picked or list(empty)

    picked = follow(param, parse=parse, default=list(empty), what=what)
    return [x for x in picked if x in options] or list(empty)


def list_widget(param: str, key: str, empty: Sequence[str] = ()) -> dict[str, Any]:
    return widget(param, key, lambda v: None if not v or set(v) == set(empty) else ",".join(v))
