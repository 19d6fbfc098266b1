"""Helpers for AppTest: always start from app.py (file-based multipage app) and switch pages."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def open_page(page: str | None = None, params: dict[str, str] | None = None, timeout: float = 30) -> AppTest:
    """Run app.py, then (unless ``page`` is None or "app.py") switch to ``page``; query ``params`` apply to the last run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if page not in (None, "app.py"):
        at.run()
        at.switch_page(page)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def texts(at: AppTest) -> str:
    """All Markdown, captions, alerts, headings and st.html bodies of a run, joined (for assertions)."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    parts.extend(html_bodies(at))
    return "\n".join(parts)


def html_bodies(at: AppTest) -> list[str]:
    """The HTML given to st.html (notes, snippets), without the page's style sheet."""
    return [e.proto.body for e in at.get("html") if not e.proto.body.lstrip().startswith("<style")]


def search_hit_links(at: AppTest) -> list[str]:
    """The addresses of the Search page's hits, best first (plain links in ``st.html``: ``ui.search_view``)."""
    import html
    import re

    return [html.unescape(m) for body in html_bodies(at)
            for m in re.findall(r'<li class="search-hit"><a href="([^"]+)"', body)]


def plotly_specs(at: AppTest) -> list[dict]:
    import json

    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _component_data(element) -> dict:
    try:
        data = json.loads(element.proto.bytes or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def store_report(at: AppTest, msgs: list | None = None, *, settled: int = 0, value: dict | None = None) -> None:
    """Rerun ``at`` as store.js does when it reports (``setTriggerValue("report", ...)``): ``msgs`` under the session
    id of the browser store drawn in the last run (a page also draws the page shell's component), or a whole
    ``value`` for the tests of the protocol itself.  AppTest has no public way to send a component's trigger: this
    adds it to the widget states of the last run, as the browser would."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    element = next(e for e in at.get("bidi_component") if "sid" in _component_data(e))
    if value is None:
        value = {"sid": _component_data(element)["sid"], "i": "p1", "settled": settled, "msgs": msgs or []}
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{element.proto.id}__events",
                                      json_trigger_value=json.dumps([{"event": "report", "value": value}])))
    at._run(states)
