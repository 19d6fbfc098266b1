"""The Streamlit facts the app relies on (ui/streamlit_facts.py), pinned to the version in requirements.txt."""

from __future__ import annotations

import inspect
import re

import streamlit as st

from tests.apptest_util import ROOT


def _required_version() -> str:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    return re.search(r"^streamlit==([\w.]+)$", text, re.M).group(1)


def test_the_facts_are_about_the_streamlit_in_requirements_and_installed():
    from ui.streamlit_facts import STREAMLIT_VERSION

    assert STREAMLIT_VERSION == _required_version() == st.__version__


def test_the_apis_the_app_uses_exist_with_the_arguments_it_passes():
    assert "query_params" in inspect.signature(st.switch_page).parameters
    assert "query_params" in inspect.signature(st.page_link).parameters
    for widget in (st.selectbox, st.radio, st.text_input, st.segmented_control, st.pills, st.toggle):
        assert "bind" in inspect.signature(widget).parameters, widget.__name__
    assert {"html", "css", "js", "isolate_styles"} <= set(inspect.signature(st.components.v2.component).parameters)


def test_a_bound_parameter_cannot_be_set_directly():
    """Fact 2: with a widget bound to ``rung``, setting the parameter raises (so in-note links never carry a
    bound parameter; ui.frame.follow_link uses st.switch_page with the link's own parameters)."""
    from streamlit.testing.v1 import AppTest

    def app():
        import streamlit as st

        st.selectbox("Rung", ["a", "b"], key="rung", bind="query-params")
        try:
            st.query_params["rung"] = "b"
            st.write("set")
        except st.errors.StreamlitAPIException:
            st.write("refused")

    at = AppTest.from_function(app).run()
    assert [m.value for m in at.markdown] == ["refused"]


def test_a_bound_choice_widget_reads_the_options_label_not_its_id():
    """Fact 2: with ``format_func``, a bound selectbox takes ``?rung=<label>`` and ignores ``?rung=<id>`` (so the
    app's id links cannot use bound choice widgets); a bound text input keeps the first ``max_chars``."""
    from streamlit.testing.v1 import AppTest

    source = (
        "import streamlit as st\n"
        "labels = {'azure-2': 'Azure Level 2', 'aws-1': 'AWS Phase 1'}\n"
        "r = st.selectbox('Rung', list(labels), format_func=labels.get, index=None, key='rung', bind='query-params')\n"
        "q = st.text_input('Q', key='q', bind='query-params', max_chars=5)\n"
        "st.write(repr((r, q)))\n"
    )
    seen = []
    for rung in ("azure-2", "Azure Level 2"):
        at = AppTest.from_string(source)
        at.query_params["rung"] = rung
        at.query_params["q"] = "abcdefgh"
        seen.append(at.run().markdown[0].value)
    assert seen == ["(None, 'abcde')", "('azure-2', 'abcde')"]
