"""The hostile inputs of section ``abuse`` (``bench/abuse_bench.py``): notes whose shape costs the Markdown engine
the most, a .zip at the import's limits, progress at the store's cap, the longest links, codes and query, and the
browser store's restore report as ``store.js`` makes it.  Each is made when an action first needs it."""

from __future__ import annotations

import datetime as _dt
import functools
import random


# --------------------------------------------------------------------------- hostile inputs
def hostile_note(shape: str, size: int = 200_000) -> bytes:
    """A note of ``size`` bytes whose shape costs the Markdown engine the most."""
    if shape == "headings":  # 8,000 headings of 25 bytes
        text = "".join(f"## Section {i:04d} text\n\n" for i in range(size // 25))
    elif shape == "brackets":
        text = "[" * (size // 2) + "]" * (size // 2)
    elif shape == "table":
        head = "|a" * 10 + "|\n" + "|-" * 10 + "|\n"
        text = head + ("|a" * 10 + "|\n") * ((size - len(head)) // 22)
    elif shape == "emphasis":
        text = "*a* " * (size // 4)
    elif shape == "list":
        text = "- a\n" * (size // 4)
    else:
        raise ValueError(shape)
    return text.encode()[:size]


SHAPES = ("headings", "brackets", "table", "emphasis", "list")


def under_budget(shape: str = "table") -> bytes:
    """The costliest note of ``shape`` that the parse budget still parses in full (the worst note to open)."""
    from explorer.notes.md.parse_budget import estimate

    text = hostile_note(shape).decode()
    while estimate(text).over:
        text = text[: int(len(text) * 0.97)]
    return text.encode()


def vault_zip(limits) -> bytes:
    """A .zip at the import's limits: notes filling a session (2 MB: 20 notes of 100 kB, each just under the parse
    budget) in three levels of folders, and images of the largest size up to the session's images total."""
    import io
    import os
    import zipfile

    note = under_budget("emphasis")[: limits.session_bytes // limits.notes]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(limits.notes):
            zf.writestr(f"Vault/Week {i % 4}/Lecture {i % 3}/note-{i:02d}.md", b"# Note %d\n\n" % i + note)
        for i in range(limits.images_bytes // limits.image_bytes):
            zf.writestr(f"Vault/Images/img-{i:02d}.png", b"\x89PNG\r\n\x1a\n" + os.urandom(limits.image_bytes - 8))
    return buf.getvalue()


def big_progress(target_bytes: int, *, as_file: bool, notes: dict[str, int] | None = None) -> str:
    """A learner's progress just under ``target_bytes``: as a progress file (``export_text``, indented) or as
    the text the browser keeps (``dump``, compact); ``notes``: note id -> size of uploaded notes it lists
    (added in that order)."""
    from explorer.study import store as S

    from .store_bench import make_store

    write = S.export_text if as_file else S.dump
    room = 200 * len(notes or {})  # each listed note adds about this much
    store, now = make_store(max(200, target_bytes // (900 if as_file else 560)), 365)
    for i, (nid, size) in enumerate((notes or {}).items()):
        store = S.add_note(store, nid, f"{nid.removeprefix('upload-')}.md", size, now + _dt.timedelta(minutes=i))
    text = write(store)
    while len(text.encode()) > target_bytes - room:
        keep = int(len(store.cards) * (target_bytes - room) / len(text.encode()) * 0.995)
        store = store.model_copy(update={"cards": dict(list(store.cards.items())[:keep])})
        text = write(store)
    return text


def store_js_blobs(blobs: dict[str, str]) -> tuple[dict[str, str], dict[str, int]]:
    """(texts sent, id -> length of each text not sent) as ``store.js``'s ``readBlobs`` makes them: in key order
    (IndexedDB's), a text over a note's limit or beyond ``MAX_SENT_BLOB_CHARS`` in all is named, not sent."""
    from components.browser_store.wire import MAX_BLOB_CHARS, MAX_SENT_BLOB_CHARS

    sent: dict[str, str] = {}
    omitted: dict[str, int] = {}
    total = 0
    for key in sorted(blobs):
        text = blobs[key]
        if len(text) > MAX_BLOB_CHARS or total + len(text) > MAX_SENT_BLOB_CHARS:
            omitted[key] = len(text)
        else:
            sent[key] = text
            total += len(text)
    return sent, omitted


def longest_share_link(assessment, seed: int = 3) -> str:
    from explorer.assess import sharecode

    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(300)]
    answers = {q.id: rng.randrange(len(q.answers)) for q in assessment.questions}
    notes = {q.id: " ".join(rng.choice(words) for _ in range(60))[:270] for q in assessment.questions}
    return sharecode.encode(assessment, answers, notes=notes, name=f"Participant {seed:05d} of the workshop")


def longest_plan_code() -> str:
    from explorer.assess.plan import MAX_EDITS
    from explorer.assess.plan_link import encode_edits

    edits = {f"vendor-{i % 7}/step-{i:03d}": {"owner": f"Owner number {i % 13} of the platform team", "target": "2031-03-31"}
             for i in range(MAX_EDITS)}
    return encode_edits(edits)


def longest_query() -> str:
    from explorer.notes.search import MAX_QUERY_CHARS

    words = ['"continuous integration pipeline"', '"model registry versions"', '"feature store serving"',
             '"data drift monitoring"', '"experiment tracking"', '"infrastructure as code"', "kubernetes",
             "deployment", "observability", "reproducibility", "orchestration", "containerization"]
    return " ".join(words)[:MAX_QUERY_CHARS]


class Inputs:
    """The hostile inputs, each made when an action first needs it (the big ones take seconds)."""

    def __init__(self, paste_n: int, note_bytes: int | None = None, progress_bytes: int | None = None) -> None:
        from explorer.limits import LIMITS

        self.limits = LIMITS
        self.paste_n = paste_n
        self.note_bytes = note_bytes or LIMITS.note_bytes
        self.progress_bytes = progress_bytes or LIMITS.store_bytes

    @functools.cached_property
    def assessment(self):
        from explorer import CONTENT_DIR
        from explorer.content.loader import load_content

        return load_content(CONTENT_DIR).assessment

    @functools.cached_property
    def uploads(self) -> list[tuple[str, bytes]]:
        return [(f"hostile-{i:02d}.md", hostile_note(SHAPES[i % len(SHAPES)], self.note_bytes)) for i in range(self.limits.notes)]

    @functools.cached_property
    def headings(self) -> bytes:
        """The note with the most headings that is still laid out (8,000 are over the parse budget: plain text)."""
        return under_budget("headings")

    @functools.cached_property
    def heavy_note(self) -> bytes:
        return under_budget("table")

    @functools.cached_property
    def vault(self) -> bytes:
        return vault_zip(self.limits)

    @functools.cached_property
    def progress(self) -> bytes:
        return big_progress(self.progress_bytes, as_file=True).encode()

    @functools.cached_property
    def restore_blobs(self) -> dict[str, str]:
        return {f"upload-hostile-{i:02d}": hostile_note(SHAPES[i % len(SHAPES)], self.note_bytes).decode() for i in range(30)}

    @functools.cached_property
    def restore_text(self) -> str:
        return big_progress(self.progress_bytes, as_file=False, notes={k: len(v) for k, v in self.restore_blobs.items()})

    @functools.cached_property
    def table_blobs(self) -> dict[str, str]:
        """The session's 20 notes, each a table just under the parse budget (its first block: the whole note)."""
        note = under_budget("table")[: self.note_bytes].decode()
        return {f"upload-table-{i:02d}": note for i in range(self.limits.notes)}

    @functools.cached_property
    def table_text(self) -> str:
        return big_progress(self.progress_bytes, as_file=False, notes={k: len(v) for k, v in self.table_blobs.items()})

    @functools.cached_property
    def paste(self) -> str:
        from explorer.assess import sharecode

        return "\n".join(sharecode.share_url("https://mlops-explorer.streamlit.app/Self_Assessment",
                                             longest_share_link(self.assessment, seed=i)) for i in range(self.paste_n))

    @functools.cached_property
    def share(self) -> str:
        return longest_share_link(self.assessment)

    @functools.cached_property
    def plan(self) -> str:
        return longest_plan_code()

    @functools.cached_property
    def query(self) -> str:
        return longest_query()
