"""What a page remembers that is neither a widget's value nor in the URL: one typed object per page.

A page's view module declares a dataclass with methods for its transitions (a result arrives, the
reader starts over, ...) and keeps it in the session under one key::

    @dataclass
    class QuizState:
        seed: int | None = None

    def state() -> QuizState:
        return pagestate.held("_quiz", QuizState)

Widgets keep their own values under their keys; :mod:`ui.urlstate` keeps what the URL holds.
"""

from __future__ import annotations

from typing import TypeVar

import streamlit as st

T = TypeVar("T")


def held(key: str, cls: type[T]) -> T:
    """The ``cls`` object this session keeps under ``key`` (a new one the first time, or when the app's code
    was reloaded and the class is another one)."""
    value = st.session_state.get(key)
    if not isinstance(value, cls):
        value = st.session_state[key] = cls()
    return value
