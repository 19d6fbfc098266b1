"""Small drawing helpers shared by the pages (links to notes and terms, charts, sources, lists)."""

from __future__ import annotations

import html as _html_lib
import importlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence

import streamlit as st

from explorer.content.loader import Content
from explorer.routes import PAGES, note_ref_link

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def literal(text: str, limit: int = 80) -> str:
    """Untrusted text made inert for ``st.markdown``: truncated, Markdown syntax escaped."""
    text = str(text).replace("\n", " ").replace("\r", " ")
    if len(text) > limit:
        text = text[:limit] + "…"
    return _MD_SPECIAL.sub(r"\\\1", text)


class _Html(str):
    """Safe HTML for ``st.html``: Streamlit takes ``_repr_html_`` as is, skipping its checks of a plain
    string (is it a file path? dedent), which cost milliseconds on a long note."""

    def _repr_html_(self) -> str:
        return str(self)


def html(body: str) -> None:
    """Draw HTML that is already safe (sanitised notes, escaped lists) without a second parse."""
    st.html(_Html(body))


def bullets(items: Iterable[str], limit: int = 600) -> None:
    """A Markdown bullet list of untrusted strings, drawn as one element."""
    lines = [f"- {literal(x, limit)}" for x in items]
    if lines:
        st.markdown("\n".join(lines))


def titled_bullets(title: str, items: Sequence[str], limit: int = 600) -> None:
    if items:
        st.markdown(f"**{title}**")
        bullets(items, limit)


def note_link_target(ref: str, content: Content) -> tuple[str, str, dict[str, str]] | None:
    """(page, label, query params) for a note reference ``note-id#section-id``; None if it does not exist."""
    note_id, _, section = ref.partition("#")
    note = content.note(note_id)
    if note is None:
        return None
    label = note.title
    if section:
        s = note.section(section)
        if s is not None:
            label = f"{note.title} › {s.title}"
        else:
            section = ""
    link = note_ref_link(f"{note_id}#{section}" if section else note_id)
    return link.page, label, dict(link.params)


def note_links(refs: Iterable[str], content: Content, icon: str = ":material/menu_book:") -> None:
    """A page link for each note reference (unknown ones are skipped)."""
    for ref in refs:
        target = note_link_target(ref, content)
        if target:
            page, label, params = target
            st.page_link(page, label=literal(label, 200), icon=icon, query_params=params)  # titles are text, not Markdown


def glossary_links(ids: Iterable[str], content: Content) -> None:
    """Glossary terms as a row of links to their entries, with their definitions written out in an
    expander under the row.  A link's ``help`` tooltip opens on hover and on keyboard focus, but
    neither on a touch screen nor for a screen reader (it is not tied to the link), so it only
    repeats what the expander holds."""
    if not content.ok("glossary"):
        return
    terms = [t for t in (content.term(i) for i in ids) if t is not None]
    if terms:
        with st.container(horizontal=True, gap="small"):
            for t in terms:
                st.page_link(PAGES["glossary"].file, label=t.term, icon=":material/dictionary:",
                             query_params={"term": t.id}, help=t.definition, width="content")
        label = f"What “{literal(terms[0].term)}” means" if len(terms) == 1 else "What these terms mean"
        with st.expander(label, icon=":material/dictionary:"):
            st.markdown("\n".join(f"- **{literal(t.term)}**: {literal(t.definition, 800)}" for t in terms))


def related_links(title: str, items: Sequence, page_key: str, param: str, icon: str) -> None:
    """A titled list of links to items (anything with ``id`` and ``name``) on another page."""
    st.markdown(f"**{title}**")
    for x in items:
        st.page_link(PAGES[page_key].file, label=x.name, icon=icon, query_params={param: x.id})
    if not items:
        st.caption("None listed.")


@st.cache_resource(show_spinner=False, max_entries=16)
def _figure_file(file_name: str, version: str, manifest_mtime_ns: int):
    import explorer
    from explorer.figure_files import current_figure

    return current_figure(file_name, explorer.CONTENT_DIR, explorer.FIGURES_DIR)


def figure_image(content: Content, file_name: str, *, key: str, narrow_text: str, live: Callable[[], None]) -> None:
    """A generated figure (``figures/<file_name>``, :func:`explorer.figure_files.current_figure`) drawn as an
    image with its text alternative: no Plotly on the page.  Where its column is too narrow for the
    image's text to be read (a phone), ``narrow_text`` (Markdown) takes its place (CSS container query
    in app.css on the ``fig-`` keyed containers).  When the image is not current (content edited
    since the figures were generated), ``live()`` draws the chart instead."""
    import explorer
    from explorer.notes.render import data_uri

    try:
        stamp = (explorer.FIGURES_DIR / "manifest.json").stat().st_mtime_ns
    except OSError:
        stamp = 0
    fig = _figure_file(file_name, content.version, stamp)
    uri = data_uri(str(fig.path)) if fig is not None else None
    if fig is None or uri is None:
        live()
        return
    with st.container(key=f"fig-{key}"):
        with st.container(key=f"fig-{key}-image"):
            st.html(f'<img class="figure-image" src="{uri}" alt="{_html_lib.escape(fig.description)}" '
                    f'width="{fig.width}" height="{fig.height}">')
        with st.container(key=f"fig-{key}-text"):
            st.markdown(narrow_text)


_warmed = threading.Event()


def _import_charts_later(delay: float = 1.5) -> None:
    time.sleep(delay)  # after this page's first paint, which needs the CPU more
    importlib.import_module("explorer.charts")


def warm_up_charts() -> None:
    """For a page without charts (the home page, where most visits start): make the next page's first
    chart cost no more than when this page drew charts itself.  The server imports the chart code
    (pandas, the builders) in a background thread, once per process, without delaying this page."""
    if not _warmed.is_set():
        _warmed.set()
        threading.Thread(target=_import_charts_later, name="warm-up-charts", daemon=True).start()


def plotly(fig, *, alt: str | None = None, key: str | None = None, on_select="ignore", selection_mode=("points",)):
    """Draw a Plotly figure with the app's defaults (theme-aware, alt text, no mode bar clutter)."""
    return st.plotly_chart(
        fig,
        width="stretch",
        alt=alt,
        theme="streamlit",
        key=key,
        on_select=on_select,
        selection_mode=selection_mode,
        config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]},
    )


def source_line(source_url: str, last_verified, today=None) -> None:
    """"Source: <url> · checked <date>", and ", may be out of date" when the check is over a year old
    (``explorer.content.sources.checked_label``; ``today`` defaults to the server's date)."""
    import datetime as dt

    from explorer.content.sources import checked_label, is_stale

    today = today or dt.date.today()
    mark = ":material/history: " if is_stale(last_verified, today) else ""
    st.caption(f"Source: [{literal(source_url, 120)}]({source_url}) · {mark}{checked_label(last_verified, today)}")
