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
