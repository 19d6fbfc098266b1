"""The app's own Streamlit Custom Components v2 (no iframe): ``browser_store``, ``page_shell`` and ``note_math``."""

from __future__ import annotations


def compact_source(source: str) -> str:
    """Drop blank lines, whole-line ``//`` and ``/* */`` comments and indentation.

    The component's JS and CSS travel with every rerun (Streamlit puts them in the element's
    message), so they are sent without their comments.  Safe for the components' JS and CSS because
    they have no multi-line string literals; newlines stay, so JavaScript's semicolon insertion is
    unchanged.
    """
    out: list[str] = []
    in_block = False
    for line in source.splitlines():
        s = line.strip()
        if in_block:
            in_block = "*/" not in s
            continue
        if s.startswith("/*"):
            in_block = "*/" not in s
            continue
        if s and not s.startswith("//"):
            out.append(s)
    return "\n".join(out)
