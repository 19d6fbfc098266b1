"""Notes reader: every note under content/notes (plus notes uploaded in this session), with contents and deep links.

The URL is the reader's state: ``/Notes?note=<note-id>&section=<section-id>``.  Every move (a note, a
contents entry, Previous/Next) updates the address bar, so reload, Back/Forward and a copied link
reproduce the view.  Only ids of notes that were loaded can be opened: no parameter reads a file.
The page is drawn by :mod:`ui.reader_view`.
"""

from ui.frame import frame
from ui.reader_view import reader

reader(frame("Notes", ":material/menu_book:"))
