"""The one view helper every page calls first: page config, theme CSS, sidebar, content access.

Pages stay thin: ``c = ui.frame("Title", icon)`` then ``ui.need(c, "part", ...)`` and draw.
Everything that is not drawing lives in the ``explorer`` package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import streamlit as st

from explorer import CONTENT_DIR
from explorer.loader import Content, ContentUnavailable, load_content

APP_NAME = "MLOps course-notes explorer"
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"

# (group heading, [(page file, label, material icon)])
NAV: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("Start", [("app.py", "Home", ":material/home:")]),
    (
        "Read",
        [
            ("pages/1_Notes.py", "Notes reader", ":material/menu_book:"),
            ("pages/2_Search.py", "Search", ":material/search:"),
            ("pages/3_Glossary.py", "Glossary", ":material/dictionary:"),
        ],
    ),
    (
        "Explore",
        [
            ("pages/4_Breakdown.py", "25/25/25/25 breakdown", ":material/donut_large:"),
            ("pages/5_Maturity_Ladders.py", "Maturity ladders", ":material/stairs:"),
            ("pages/8_Concepts.py", "Hierarchy, workflows, analogy", ":material/schema:"),
        ],
    ),
    (
        "Assess",
        [
            ("pages/6_Self_Assessment.py", "Self-assessment", ":material/fact_check:"),
            ("pages/7_ML_Test_Score.py", "ML Test Score", ":material/rule:"),
        ],
    ),
    ("Study", [("pages/11_Study.py", "Cards & quizzes", ":material/school:")]),
    (
        "Browse",
        [
            ("pages/9_Certifications.py", "Certifications", ":material/workspace_premium:"),
            ("pages/10_Trends.py", "Trends", ":material/trending_up:"),
        ],
    ),
]

_CSS = """
<style>
.note-body h1 { font-size: 1.9rem; } .note-body h2 { font-size: 1.45rem; padding-top: 0.8rem; }
.note-body h3 { font-size: 1.2rem; } .note-body h4 { font-size: 1.05rem; }
.note-body table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
.note-body th, .note-body td { border: 1px solid rgba(128,128,128,0.35); padding: 0.35rem 0.7rem; }
.note-body img.note-figure { max-width: 100%; height: auto; border-radius: 6px; background: #fff; padding: 4px; }
/* Pygments colours are chosen for a light background: code blocks stay a light card in both themes. */
.note-body pre { background: #eef1f5 !important; color: #1f2328; padding: 0.8rem 1rem; border-radius: 6px;
  overflow-x: auto; font-family: "Source Code Pro", ui-monospace, monospace; font-size: 0.85rem; line-height: 1.45;
  border: 1px solid rgba(128,128,128,0.3); }
.note-body blockquote { border-left: 4px solid #8b5cf6; margin: 0.6rem 0; padding: 0.3rem 0.9rem;
  background: rgba(139,92,246,0.08); border-radius: 0 6px 6px 0; }
.missing-figure { display: inline-block; border: 2px dashed #d97706; border-radius: 6px;
  padding: 0.6rem 0.9rem; color: #b45309; background: rgba(217,119,6,0.08); }
a.gloss { text-decoration: underline dotted; text-underline-offset: 3px; color: inherit; cursor: help; }
/* Pie slices cannot be selected in Plotly; the donut carries invisible click targets underneath
   (explorer.charts.breakdown_donut), so let clicks and hovers pass through the pie layer. */
[data-testid="stPlotlyChart"] .pielayer, [data-testid="stPlotlyChart"] .pielayer * { pointer-events: none !important; }
mark { background: rgba(250, 204, 21, 0.45); color: inherit; padding: 0 1px; border-radius: 2px; }
</style>
"""


@st.cache_resource(show_spinner=False)
def get_content() -> Content:
    """All content, parsed and validated once per server process (shared, read-only)."""
    return load_content(CONTENT_DIR)


@st.cache_resource(show_spinner=False, max_entries=512)
def _figure(name: str, key: str, _builder, _args, _kwargs):
    return _builder(*_args, **_kwargs)


def figure(name: str, builder, *args, key: str = "", **kwargs):
    """A chart (or table) built once per process for the same content and selection, then reused.

    Positional ``args`` are content models (they change only with the content object);
    keyword arguments (selections) and ``key`` (for anything else that varies) make the cache key.
    The returned figure is shared: never mutate it.
    """
    stamp = f"{id(get_content())}|{key}|{sorted((k, repr(v)) for k, v in kwargs.items())}"
    return _figure(name, stamp, builder, args, kwargs)


table = figure  # the same cache serves DataFrames built from content (never mutate what it returns)


def frame(title: str, icon: str, *, wide: bool = True) -> Content:
    """Page config, shared CSS and sidebar; returns the content."""
    # A local image as favicon: a Material icon here would be fetched from Google's font CDN.
    st.set_page_config(page_title=f"{title} · {APP_NAME}", page_icon=str(FAVICON), layout="wide" if wide else "centered")
    st.html(_CSS)
    _sidebar()
    return get_content()


def _sidebar() -> None:
    with st.sidebar:
        st.markdown(f"**:material/neurology: {APP_NAME}**")
        with st.form("sidebar_search", clear_on_submit=False, border=False):
            q = st.text_input("Search everything", placeholder='e.g. feature store or "model registry"', max_chars=200)
            if st.form_submit_button("Search", icon=":material/search:", width="stretch") and q.strip():
                st.switch_page("pages/2_Search.py", query_params={"q": q.strip()})
        for heading, links in NAV:
            st.caption(heading.upper())
            for page, label, icon in links:
                st.page_link(page, label=label, icon=icon)
        st.divider()
        st.caption("Nothing you enter is stored on the server: answers live in your browser session, the URL and the files you download.")


def need(content: Content, *parts: str, stop: bool = True) -> bool:
    """Show a clear error box (no traceback) when a part this page needs is broken.

    Returns True when everything is available.  With ``stop`` the page ends there.
    """
    try:
        content.need(*parts)
        return True
    except ContentUnavailable as exc:
        names = ", ".join(exc.parts)
        st.error(
            f"**This view needs content that could not be loaded ({names}).** "
            "Fix the file(s) below and run `python -m explorer validate` to check; other pages keep working.",
            icon=":material/error:",
        )
        shown = [str(p) for p in exc.problems[:12]]
        if len(exc.problems) > 12:
            shown.append(f"... and {len(exc.problems) - 12} more")
        st.code("\n".join(shown), language=None)
        if stop:
            st.stop()
        return False


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def literal(text: str, limit: int = 80) -> str:
    """Untrusted text made inert for ``st.markdown``: truncated, Markdown syntax escaped."""
    text = text.replace("\n", " ").replace("\r", " ")
    if len(text) > limit:
        text = text[:limit] + "…"
    return _MD_SPECIAL.sub(r"\\\1", text)


def param(name: str, valid: Iterable[str] | None = None, *, what: str = "item", limit: int = 200) -> str | None:
    """Read one query parameter safely.

    Returns the value when it is in ``valid`` (or any short value when ``valid`` is None);
    otherwise shows a notice naming what was asked for and returns None.
    """
    raw = st.query_params.get(name)
    if raw is None or raw == "":
        return None
    if len(raw) > limit:
        st.warning(f"The link's `{name}` parameter is too long ({len(raw)} characters) and was ignored.", icon=":material/link_off:")
        return None
    if valid is not None and raw not in set(valid):
        st.warning(f"The link asks for {what} “{literal(raw)}”, which does not exist here. Showing the default view instead.", icon=":material/link_off:")
        return None
    return raw


def state_from_param(name: str, state_key: str, valid: Iterable[str], *, what: str = "item") -> None:
    """Copy a (validated) query parameter into session state when the URL brings a new value.

    Later widget changes write back with :func:`set_param`, so a deep link opened on a fresh
    server and a link followed inside the app both land on the same state.
    """
    raw = st.query_params.get(name)
    seen = f"_param_seen::{name}"
    value = param(name, valid, what=what)
    if raw != st.session_state.get(seen):
        st.session_state[seen] = raw
        if value is not None:
            st.session_state[state_key] = value


def set_param(name: str, value: str | None) -> None:
    """Mirror a selection into the URL (so the address bar is always a shareable link)."""
    if value is None:
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = value
    st.session_state[f"_param_seen::{name}"] = value


def on_chart_select(chart_key: str, state_key: str, param_name: str, valid: Iterable[str]):
    """Callback for ``st.plotly_chart(on_select=...)``: the clicked mark's customdata id becomes the selection.

    Chart builders put the id of what a mark shows in ``customdata``; the selection is stored in
    session state and mirrored into the URL so the view stays shareable.
    """
    allowed = set(valid)

    def _callback() -> None:
        event = st.session_state.get(chart_key)
        for point in (event or {}).get("selection", {}).get("points", []):
            data = point.get("customdata")
            value = data[0] if isinstance(data, (list, tuple)) else data
            if value in allowed:
                st.session_state[state_key] = value
                set_param(param_name, value)
                return

    return _callback


def link_to_note(ref: str, content: Content) -> tuple[str, str, dict[str, str]] | None:
    """(page, label, query params) for a note reference ``note-id#section-id``."""
    note_id, _, section = ref.partition("#")
    note = content.note(note_id)
    if note is None:
        return None
    label = note.title
    params = {"note": note_id}
    if section:
        s = note.section(section)
        if s is not None:
            label = f"{note.title} › {s.title}"
            params["section"] = section
    return "pages/1_Notes.py", label, params


def note_links(refs: Iterable[str], content: Content, icon: str = ":material/menu_book:") -> None:
    """Draw a page link for each note reference (silently skipping unknown ones)."""
    for ref in refs:
        target = link_to_note(ref, content)
        if target:
            page, label, params = target
            st.page_link(page, label=label, icon=icon, query_params=params)


def glossary_links(ids: Iterable[str], content: Content) -> None:
    """Glossary terms as a row of links (hover shows the definition)."""
    if not content.ok("glossary"):
        return
    terms = [t for t in (content.term(i) for i in ids) if t is not None]
    if terms:
        with st.container(horizontal=True, gap="small"):
            for t in terms:
                st.page_link("pages/3_Glossary.py", label=t.term, icon=":material/dictionary:",
                             query_params={"term": t.id}, help=t.definition, width="content")


def plotly(fig, *, alt: str | None = None, key: str | None = None, on_select: str = "ignore", selection_mode=("points",)):
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


def source_line(source_url: str, last_verified) -> None:
    st.caption(f"Source: [{literal(source_url, 120)}]({source_url}) · last verified {last_verified}")


# --------------------------------------------------------------------------- notes: uploads, progress, rendering
def all_notes(content: Content) -> list:
    """Shipped notes followed by the notes uploaded in this browser session."""
    uploaded = st.session_state.get("uploaded_notes", {})
    return [*content.notes, *uploaded.values()]


def progress():
    """This session's study progress (cards, quizzes, sections read): a Progress, replaced on each change."""
    from explorer.study import Progress

    if "progress" not in st.session_state:
        st.session_state["progress"] = Progress()
    return st.session_state["progress"]


def read_sections() -> dict[str, list[str]]:
    """Sections marked read in this session: note id -> section ids."""
    return progress().sections_read


def _toggle_read(note_id: str, section_ids: list[str], key: str) -> None:
    from explorer.study import mark_read

    p = progress()
    for sid in section_ids:
        p = mark_read(p, note_id, sid, bool(st.session_state.get(key)))
    st.session_state["progress"] = p


def mark_read_toggle(note, sections) -> None:
    ids = [s.id for s in sections]
    if not ids:
        return
    key = f"read::{note.id}::{ids[0]}::{len(ids)}"
    done = set(read_sections().get(note.id, []))
    st.session_state[key] = all(i in done for i in ids)
    label = "Mark this section as read" if len(ids) == 1 else f"Mark these {len(ids)} sections as read"
    st.checkbox(label, key=key, on_change=_toggle_read, args=(note.id, ids, key))


@st.cache_resource(show_spinner=False)
def _term_matcher(_content: Content, stamp: int):
    from explorer.glossary_links import build_matcher

    return build_matcher(_content.glossary) if _content.ok("glossary") else None


@st.cache_resource(show_spinner=False, max_entries=2048)
def _rendered_note(key: str, _note, section_id: str | None, part: str, stamp: int) -> str:
    from explorer.glossary_links import link_terms
    from explorer.render import render_note

    matcher = _term_matcher(get_content(), stamp)
    # glossary links open in a new tab so this tab keeps its session (uploads, progress)
    transform = None if matcher is None else (lambda h: link_terms(h, matcher, target="_blank"))
    return render_note(_note, section_id, part=part, transform=transform)


def render_note_part(note, section_id: str | None = None, part: str = "all") -> None:
    """Draw a note (or one section: part "all" with its subsections, "own" alone; or the "intro")
    as sanitised HTML: figures inline (or a placeholder), glossary terms linked, heading ids = section ids.
    Rendered once per process per note version and part."""
    key = f"{note.source}:{note.id}:{hash(note.body)}:{section_id}:{part}"
    st.markdown(_rendered_note(key, note, section_id, part, id(get_content())), unsafe_allow_html=True)


def upload_notes_widget() -> None:
    from explorer.uploads import MAX_UPLOAD_BYTES, MAX_UPLOADS, read_uploads

    st.caption(
        f"Upload Markdown files (.md) to read, search and study them for the rest of this browser session "
        f"(up to {MAX_UPLOADS} files of {MAX_UPLOAD_BYTES // 1000} kB each). Raw HTML and scripts are removed. "
        "Nothing is written to the server's disk."
    )
    files = st.file_uploader("Markdown files", type=["md", "markdown", "txt"], accept_multiple_files=True, key="note_uploads")
    store = st.session_state.setdefault("uploaded_notes", {})
    seen_ids = st.session_state.setdefault("_upload_ids", set())
    fresh = [(f.name, f.getvalue()) for f in files or [] if f.file_id not in seen_ids]
    if fresh:
        notes, errors = read_uploads(fresh, existing_ids=[*store, *(n.id for n in get_content().notes)])
        seen_ids.update(f.file_id for f in files)
        messages = [("error", str(err)) for err in errors]
        for note in notes:
            store[note.id] = note
            messages.append(("success", f"Added “{note.title}” ({len(note.sections)} sections)."))
        st.session_state["_upload_messages"] = messages  # shown after the rerun below
        if notes:
            st.rerun()  # so the notes list (drawn above) shows the new notes
    for kind, text in st.session_state.get("_upload_messages", []):
        if kind == "error":
            st.error(literal(text, 300), icon=":material/error:")
        else:
            st.success(literal(text, 300), icon=":material/check:")


@st.cache_resource(show_spinner=False)
def _backlinks(_content: Content, stamp: int) -> dict[str, list[tuple[str, str]]]:
    from explorer.glossary_links import backlinks

    return backlinks(_content.notes, _content.glossary)


def glossary_backlinks(content: Content) -> dict[str, list[tuple[str, str]]]:
    """Where each glossary term occurs in the shipped notes (computed once per process)."""
    if not content.ok("glossary"):
        return {}
    return _backlinks(content, id(content))


@st.cache_resource(show_spinner=False, max_entries=512)
def _evaluate(key: str, _assessment, _vendors, _answers):
    from explorer.assessment import evaluate

    return evaluate(_assessment, _vendors, _answers)


def cached_evaluation(assessment, vendors, answers: dict[str, int]):
    """Self-assessment result for an answer set (pure; computed once per distinct answer set)."""
    key = f"{id(get_content())}|{sorted(answers.items())}"
    return _evaluate(key, assessment, vendors, dict(answers))


KIND_ICONS = {
    "note": ":material/menu_book:", "term": ":material/dictionary:", "quarter": ":material/donut_large:",
    "vendor": ":material/stairs:", "level": ":material/stairs:", "crosswalk": ":material/compare_arrows:",
    "tier": ":material/change_history:", "workflow": ":material/account_tree:", "analogy": ":material/local_pizza:",
    "platform": ":material/cloud:", "certification": ":material/workspace_premium:", "trend": ":material/trending_up:",
}


@st.cache_resource(show_spinner=False)
def _search_index(_content: Content, stamp: int):
    from explorer.search import SearchIndex

    return SearchIndex.build(_content)


def search_index(content: Content):
    """The search index over shipped content, built once per process (shared, read-only)."""
    return _search_index(content, id(content))


def session_search_index(content: Content):
    """The shipped index plus a small shard for this session's uploads (rebuilt only when they change)."""
    uploads = tuple(st.session_state.get("uploaded_notes", {}).values())
    base = search_index(content)
    if not uploads:
        return base
    key = (id(base), tuple((n.id, hash(n.body)) for n in uploads))
    cached = st.session_state.get("_search_index")
    if cached is None or cached[0] != key:
        cached = (key, base.with_notes(uploads))
        st.session_state["_search_index"] = cached
    return cached[1]


@st.cache_resource(show_spinner=False)
def _cards(_content: Content, stamp: int):
    from explorer.study import generate_cards

    return generate_cards(_content)


def cards(content: Content):
    """Every flashcard the content supports (built once per process)."""
    return _cards(content, id(content))


@st.cache_resource(show_spinner=False, max_entries=64)
def _study_pack(_content: Content, _notes, key: str) -> str:
    from explorer.export import build_study_pack

    return build_study_pack(_content, notes=list(_notes))


def study_pack(content: Content, notes) -> str:
    """The offline HTML study pack for the shipped plus this session's uploaded notes (built once per note set)."""
    key = f"{id(content)}|{'|'.join(f'{n.id}:{hash(n.body)}' for n in notes)}"
    return _study_pack(content, notes, key)
