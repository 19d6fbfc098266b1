"""One set of limits for everything that arrives (explorer/limits.py): each path's check, the other
modules' numbers agree with it, and Streamlit's walls in .streamlit/config.toml follow from it."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest

from explorer import limits as L
from explorer.limits import LIMITS, NoteItem, Refusal

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- the numbers
def test_the_shipped_limits_are_frozen_and_named_where_they_are_used():
    with pytest.raises(AttributeError):
        LIMITS.notes = 99  # type: ignore[misc]
    from explorer.assess import plan as plan_mod
    from explorer.assess import results_io, sharecode
    from explorer.notes import search, uploads
    from explorer.study import store
    from ui import urlstate

    assert (uploads.MAX_UPLOAD_BYTES, uploads.MAX_UPLOADS, uploads.MAX_SESSION_BYTES) == (200_000, 20, 2_000_000)
    assert (LIMITS.note_bytes, LIMITS.notes, LIMITS.session_bytes) == (uploads.MAX_UPLOAD_BYTES, uploads.MAX_UPLOADS,
                                                                      uploads.MAX_SESSION_BYTES)
    # modules that keep their own constant must agree with the one set (change both together)
    assert store.MAX_LOAD_BYTES == LIMITS.store_bytes
    assert results_io.MAX_IMPORT_BYTES == LIMITS.result_file_bytes
    assert sharecode.MAX_CODE_LENGTH_V2 == LIMITS.share_code_chars
    assert sharecode.MAX_WORKSHOP_LENGTH == LIMITS.workshop_code_chars
    assert sharecode.MAX_MEMBERS == LIMITS.workshop_members
    assert plan_mod.MAX_EDITS_LINK == LIMITS.plan_code_chars
    assert search.MAX_QUERY_CHARS == LIMITS.query_chars
    assert urlstate.MAX_PARAM_CHARS == LIMITS.url_param_chars
    from components.browser_store import wire

    assert wire.MAX_BACKUPS_TOTAL_CHARS == LIMITS.backup_chars
    # a 50-person workshop of the longest share links (plus their address) fits one paste
    assert 50 * (LIMITS.share_code_chars + 200) <= LIMITS.paste_chars
    assert LIMITS.paste_entries >= 2 * LIMITS.workshop_members


def test_streamlit_config_matches_the_limits():
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    # the largest legitimate message: the restore report (the progress text at its cap and every kept note,
    # JSON-escaped) with the paste box beside it; Streamlit counts maxMessageSize in 10^6 bytes
    largest = LIMITS.largest_message_bytes()
    assert largest > LIMITS.store_bytes + LIMITS.backup_chars + LIMITS.notes * LIMITS.note_bytes + LIMITS.paste_chars
    assert server["maxMessageSize"] == LIMITS.max_message_mb() == -(-largest // 1_000_000)
    # uploads: a progress file at the store's cap is the largest file (maxUploadSize counts 2^20 bytes)
    assert server["maxUploadSize"] == LIMITS.max_upload_mb()
    assert server["maxUploadSize"] * 2**20 >= LIMITS.store_bytes > (server["maxUploadSize"] - 1) * 2**20
    assert LIMITS.note_upload_mb() * 2**20 >= LIMITS.note_bytes


def test_the_escaping_allowance_covers_real_reports():
    """The message allowance is measured, not guessed: a year of progress and a long note, escaped as
    store.js sends them (JSON inside JSON)."""
    from bench.store_bench import make_store
    from bench.uploads_bench import note_text
    from explorer.study import store as S

    text = S.dump(make_store(300, 200)[0])
    note = note_text(200, 1).decode()
    assert len(json.dumps(text, ensure_ascii=False)) <= len(text) * L.STORE_JSON_GROWTH
    assert len(json.dumps(note, ensure_ascii=False)) <= len(note) * L.NOTE_JSON_GROWTH


# --------------------------------------------------------------------------- notes: upload and restore
def test_check_notes_refuses_each_note_with_its_reason_in_order():
    items = [NoteItem(f"k{i}", f"n{i}.md", 150_000) for i in range(15)]
    items.insert(2, NoteItem("big", "big.md", LIMITS.note_bytes + 1))
    items.insert(5, NoteItem("small", "small.md", 10))
    got = L.check_notes(items)
    # 2 MB holds 13 notes of 150 kB; the small one after them still fits; the one over 200 kB never does
    assert [i.key for i in got.accepted] == ["k0", "k1", "k2", "k3", "small", *(f"k{i}" for i in range(4, 13))]
    assert [(r.key, r.reason) for r in got.refused] == [("big", "too-big"), ("k13", "session-full"), ("k14", "session-full")]
    assert str(got.refused[0]) == "big.md: it is 200 kB; a note may be at most 200 kB."
    assert "2 MB together" in got.refused[1].message and "150 kB" in got.refused[1].message
    # the count: the session's own notes count, the 21st is refused
    many = L.check_notes([NoteItem(str(i), f"{i}.md", 1) for i in range(5)], held=18, held_bytes=100)
    assert len(many.accepted) == 2 and {r.reason for r in many.refused} == {"too-many"}
    assert "at most 20 notes" in many.refused[0].message


def test_refusals_carry_a_named_reason():
    with pytest.raises(ValueError, match="unknown refusal reason"):
        Refusal("x", "because", "no")
    assert set(L.REASONS) >= {"too-big", "too-many", "session-full", "missing", "unread", "too-long", "binary"}


def test_check_blobs_keeps_the_first_added_within_the_limits():
    from explorer.study import store as S

    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    s = S.empty()
    for i, nid in enumerate(["c", "a", "b"]):  # added c, a, b
        s = S.add_note(s, nid, f"{nid}.md", 1, t0 + dt.timedelta(minutes=i))
    text = S.dump(s)
    assert L.added_order(text) == ["c", "a", "b"]
    assert L.added_order("not json") == [] and L.added_order(None) == [] and L.added_order("[1]") == []
    within = {"a": "x", "b": "y"}
    assert L.check_blobs(within, store_text="never parsed") == (within, {})
    blobs = {k: "x" * 900_000 for k in ("a", "b", "c", "z")}  # 900 kB each: over a note's limit
    assert L.check_blobs(blobs, store_text=text) == ({}, dict.fromkeys(blobs, "too-big"))
    wide = L.Limits(note_bytes=1_000_000)  # the session's 2 MB then holds two of them: c and a, added first
    kept, refused = L.check_blobs(blobs, store_text=text, limits=wide)
    assert sorted(kept) == ["a", "c"] and refused == {"b": "session-full", "z": "session-full"}
    few = L.Limits(notes=2)
    kept, refused = L.check_blobs({k: "t" for k in ("z", "b", "a", "c")}, store_text=text, limits=few)
    assert sorted(kept) == ["a", "c"] and refused == {"b": "too-many", "z": "too-many"}
    kept, refused = L.check_blobs({"a": "é" * 100_001, "b": "ok"})  # UTF-8 bytes count, not characters
    assert kept == {"b": "ok"} and refused == {"a": "too-big"}


def test_restore_plan_names_every_note_not_restored():
    from explorer.notes.uploads import restore_plan

    kept = [("upload-a", "a.md"), ("upload-gone", "gone.md"), ("upload-huge", "huge.md"), ("upload-b", "b.md"),
            ("upload-c", "c.md"), ("upload-d", "d.md"), ("upload-e", "e.md")]
    texts = {"upload-a": "# A", "upload-b": "x" * 150_000, "upload-c": "y" * 150_000, "upload-d": "z", "upload-e": "e"}
    plan = restore_plan(kept, texts, {"upload-huge": "too-big"}, held=18, held_bytes=1_900_000)
    # after 1.9 MB held: a fits, b and c would pass 2 MB, d is the 20th note, e one too many
    assert [a[0] for a in plan.accepted] == ["upload-a", "upload-d"]
    assert [(r.key, r.reason) for r in plan.refused] == [
        ("upload-gone", "missing"), ("upload-huge", "too-big"), ("upload-b", "session-full"),
        ("upload-c", "session-full"), ("upload-e", "too-many")]
    assert str(plan.refused[0]) == "gone.md: its text is not in this browser's storage (IndexedDB), or is not text."


def test_a_long_note_name_is_accepted_and_shortened_for_display():
    from explorer.notes.uploads import UploadError, read_upload

    name = "Week 3 " + "really long title " * 8 + "notes.md"
    note = read_upload(name, b"## One\ntext\n")
    assert note.source == "upload" and len(note.filename) == LIMITS.name_chars and note.filename.endswith("….md")
    with pytest.raises(UploadError, match="not a Markdown file") as err:
        read_upload("x" * 200 + ".pdf", b"text")
    assert err.value.code == "not-markdown" and len(err.value.filename) <= LIMITS.name_chars


# --------------------------------------------------------------------------- progress text, paste, links
def test_check_store_text():
    assert L.check_store_text(None) is None and L.check_store_text("x" * LIMITS.store_bytes) is None
    r = L.check_store_text("é" * (LIMITS.store_bytes // 2 + 1))  # characters under the cap, bytes over it
    assert r is not None and r.reason == "too-big" and "5 MB" in r.message
    assert L.check_store_text(b"x" * (LIMITS.store_bytes + 1)).reason == "too-big"


def test_check_paste_reads_whole_entries_and_keeps_the_rest_as_pasted():
    p = L.check_paste(" a\nb, c;d\t\n\n e ")
    assert p.entries == ("a", "b", "c", "d", "e") and p.rest == "" and p.unread == 0 and p.refusal is None
    assert L.check_paste(None).entries == ()
    lines = [f"link{i:03d}" for i in range(LIMITS.paste_entries + 7)]
    p = L.check_paste("\n".join(lines))
    assert list(p.entries) == lines[: LIMITS.paste_entries]
    assert p.rest.split("\n") == lines[LIMITS.paste_entries:] and p.unread == 7
    assert p.refusal.reason == "unread" and str(p.refusal).startswith("7 more entries: not read yet")
    assert "press Combine again" in p.refusal.message
    # by characters: a long entry that does not fit stays whole in the rest
    long = "x" * (LIMITS.paste_chars - 10)
    p = L.check_paste(f"{long}\nabcdefghijklmnop\nq")
    assert p.entries == (long,) and p.rest == "abcdefghijklmnop\nq" and p.unread == 2
    assert "240,000 characters" in p.refusal.message


def test_check_length():
    assert L.check_length("x" * 10, 10, "This link") is None
    r = L.check_length("x" * 11, 10, "This link")
    assert r.reason == "too-long" and str(r) == "This link: it is 11 characters; the limit is 10."


def test_added_order_reads_the_notes_object_alone_and_falls_back_to_the_whole_text():
    import datetime as dt

    from explorer.limits import added_order
    from explorer.study import store as S

    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    s = S.mark_read(S.empty(), "notes", "intro", True, t0)  # a shipped note whose id is "notes": its reading marks
    assert added_order(S.dump(s)) == []  # the reading marks' "notes" object is not taken for the uploads
    for i, nid in enumerate(["upload-b", "upload-a", "upload-c"]):
        s = S.add_note(s, nid, f"{nid}.md", 10, t0 + dt.timedelta(minutes=i))
    assert added_order(S.dump(s)) == ["upload-b", "upload-a", "upload-c"]
    assert added_order(json.dumps({"notes": {"upload-z": {"added": "1"}}, "x": 1})) == ["upload-z"]
    assert added_order('{"notes": {"upload-z": {"added": "1"}}') == []  # cut short: unreadable
