"""The reader's "Read: x of y sections" total over a vault (#22): counted once, then again only for the notes parsed
since (a head's estimate becomes the real count) and the notes an edit replaced; always the sum over every note."""

from __future__ import annotations

from explorer.notes.note import Note, scan_note
from ui.note_tree_view import _Known


def _note(i: int, sections: int, extra: str = ""):
    body = "".join(f"\n## Part {k}\n\nText {k}.\n" for k in range(sections))
    return scan_note(f"# Note {i}\n{body}{extra}", f"n{i}.md", path=f"v/n{i}.md")


def _truth(notes) -> int:
    return sum(len(n.known_sections()) for n in notes)


def test_the_total_follows_parses_and_edits_without_counting_every_note_again(monkeypatch):
    notes = tuple(_note(i, i % 4) for i in range(30))
    known = _Known()
    assert known.total(notes) == _truth(notes)
    notes[3].lazy.get()  # opened: its real sections
    notes[7].lazy.get()
    assert known.total(notes) == _truth(notes)
    edited = list(notes)
    edited[5] = _note(5, 9)  # an edit: a new object with more sections
    edited = tuple(edited)
    calls: list[str] = []
    real = Note.known_sections

    def counted(self):
        calls.append(self.path)
        return real(self)

    monkeypatch.setattr(Note, "known_sections", counted)
    got = known.total(edited)
    assert calls == ["v/n5.md"], "only the edited note was counted again"
    assert got == _truth(edited)
    calls.clear()
    assert known.total(edited) == got and not calls, "nothing changed: nothing counted"
