"""The indexer keeps each note's glossary uses (#22): after an edit, its group's uses search the edited note alone,
and give what searching every note of the group gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import explorer.notes.glossary_links as GL
from explorer import ROOT
from explorer.content.loader import load_content
from explorer.notes.generated_vault import write_vault
from explorer.notes.indexer import Indexer


def _touch(path: Path, text: str) -> None:
    old = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, max(st.st_mtime_ns, old + 1_000_000)))


def test_an_edit_searches_the_glossary_terms_of_the_edited_note_alone(tmp_path: Path, monkeypatch):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    write_vault(root / "notes" / "vault", 12, seed=4, avg_bytes=1_000)
    content = load_content(root, parse_all=False)
    ix = Indexer(group_size=4)
    ix.follow(content)
    ix.run_until_idle()
    assert ix.held()["terms"] == len(content.notes)
    searched: list[list[str]] = []
    real = GL.backlinks
    monkeypatch.setattr(GL, "backlinks", lambda notes, m: searched.append([n.id for n in notes]) or real(notes, m))
    note = next(n for n in content.notes if n.path.startswith("vault/"))
    term = content.glossary[0].term
    _touch(root / "notes" / note.path, note.text + f"\n## Added\n\nA line about {term}.\n")
    content = load_content(root, parse_all=False)
    ix.follow(content)
    ix.run_until_idle()
    assert searched == [[note.id]]  # the edited note alone, not its group
    uses, cover = ix.glossary_backlinks(content)
    assert (note.id, "added") in uses[content.glossary[0].id]
    fresh = Indexer(group_size=4)
    fresh.follow(content)
    fresh.run_until_idle()
    assert fresh.glossary_backlinks(content)[0] == uses  # the same uses, in the same order, as a fresh index
    assert ix.held()["terms"] == len(content.notes)  # the edited note's old uses are gone once idle
