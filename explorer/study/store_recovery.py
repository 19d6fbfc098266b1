"""A damaged progress value read record by record: the slow path of :func:`explorer.study.store_load.load`.

:func:`explorer.study.store_load.load` validates the whole value at once; only when that fails does it come
here, with the decoded JSON object (right format, version :data:`explorer.study.store_model.SCHEMA_VERSION`).

Two kinds of failure, told apart by pydantic's error types:

* **Fields this version does not know** (a top-level key, a field of a card, a quiz, an uploaded
  note's listing, ..., or a setting name): the value was written by a newer version of the app.  It
  is not read at all and status ``future`` tells the caller to leave it untouched (an older replica
  behind a load balancer must not destroy a newer replica's data).
* **Invalid values in known fields**: the record that holds them is left out and everything else is
  kept.  A record is one reading mark, one card, one review in a card's log (the card's schedule is
  then recomputed from the rest of its log), one day of compacted review counts, one quiz result,
  one assessment result, one uploaded note's listing, one setting, or the date of "Forget this
  browser".  A card whose schedule is invalid is recomputed from its review log when it has one.  A
  section of the wrong type (``"cards": []``) is left out whole; a container longer than its bound
  keeps its first records (lists: the newest).  Duplicate quiz or assessment ids keep the first.

Status ``recovered``; each notice names what was left out or recomputed.  The work is a few
validations of the whole value (each pass removes every record that failed), so it stays linear.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from explorer.study import card_state as cs
from explorer.study import store_model as M
from explorer.study.store_cards import record_from_reviews
from explorer.study.store_result import IGNORED, LoadResult, finish_load, short

MAX_PASSES = 6
_DICTS = ("reading", "cards", "folded", "notes", "settings", "exams", "card_flags", "study_time")
_LISTS = ("quizzes", "assessments")
_LIMITS = {"reading": M.MAX_SECTIONS_PER_NOTE, "cards": M.MAX_CARDS, "folded": M.MAX_FOLDED_DAYS,
           "notes": M.MAX_NOTES, "quizzes": M.MAX_QUIZZES, "assessments": M.MAX_ASSESSMENTS,
           "exams": M.MAX_EXAMS, "card_flags": M.MAX_CARDS, "study_time": M.MAX_FOLDED_DAYS}
_WHAT = {"reading": "reading mark", "cards": "card", "folded": "day of compacted review counts",
         "quizzes": "quiz result", "assessments": "assessment result", "notes": "uploaded note listing",
         "settings": "setting", "forgotten_at": "date of “Forget this browser”", "exams": "exam date",
         "fsrs": "record of your own FSRS parameters"}
_WHAT["card_flags"] = "card setting (suspended, buried or reset)"
_WHAT["study_time"] = "day of answer time"
_ALL = {**{k: v + "s" for k, v in _WHAT.items()}, "folded": "days of compacted review counts",
        "forgotten_at": "date of “Forget this browser”",
        "fsrs": "record of your own FSRS parameters (the default parameters are used)"}
_SINGLE = ("forgotten_at", "fsrs")  # one record each: an error anywhere inside leaves the whole of it out
_ENTRY = TypeAdapter(cs.ReviewEntry)
_KEY = TypeAdapter(M.Key)
_PARTIAL = "Part of the saved progress in this browser could not be read; everything else was kept"


def _path(loc: tuple) -> str:
    return ".".join(short(p, 40) for p in loc)


_TUPLES = {"reading": ("time", "read"), "settings": ("time", "value"), "exams": ("time", "day"), "cards": ("id", "time", "grade", "retention")}


def _reason(section: str, inside: tuple, error: dict) -> str:
    """``due: Input should be ...``: where inside its record an error is, and what it says."""
    if inside == ("[key]",):
        where = "its name"
    elif len(inside) == 1 and isinstance(inside[0], int) and section in _TUPLES and inside[0] < len(_TUPLES[section]):
        where = _TUPLES[section][inside[0]]  # a field of a stored tuple: a mark, a setting, a review
    else:
        where = _path(inside)
    if error["type"] == "string_pattern_mismatch":
        msg = "must be 1 to 200 characters without control characters"
    else:
        msg = short(error["msg"].removeprefix("Value error, "), 120)
    return f"{where}: {msg}" if where else msg


def _unknown(errors: list[dict]) -> list[str]:
    """Paths of fields this version does not know (a newer writer)."""
    out = []
    for e in errors:
        loc = e["loc"]
        if e["type"] == "extra_forbidden" or (loc[:1] == ("settings",) and loc[-1:] == ("[key]",)):
            out.append(_path(loc[:-1] if loc[-1:] == ("[key]",) else loc))
    return out


class _Recovery:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.left_out: list[str] = []  # "card “x” (state.due: ...)"
        self.dropped: list[tuple[str, str]] = []
        self.restate: dict[Any, tuple[dict, str]] = {}  # cards whose schedule is recomputed from their log

    def note(self, section: str, name: str, reason: str, key: object = "") -> None:
        self.left_out.append(f"{_WHAT[section]} {name} ({reason})" if name else f"{_ALL[section]} ({reason})")
        self.dropped.append((section, str(key)))

    # ------------------------------------------------------------------ before validation: bounds across records
    def fix_bounds(self) -> None:
        """What the store's own cross-record check refuses, fixed per record: a setting out of range,
        a repeated quiz or assessment id, more reading marks than the store keeps."""
        d = self.data
        settings = d.get("settings")
        if isinstance(settings, dict):
            for key, value in list(settings.items()):
                spec = M.SETTINGS.get(key)
                if spec is None or not isinstance(value, list) or len(value) != 2:
                    continue  # unknown (a newer writer) or malformed: validation names it
                try:
                    spec.check(key, value[1])
                except ValueError as exc:
                    del settings[key]
                    self.note("settings", f"“{short(key)}”", short(exc, 120), key)
        for section in _LISTS:
            items = d.get(section)
            if isinstance(items, list):
                seen: set[str] = set()
                keep = []
                for item in items:
                    rid = item.get("id") if isinstance(item, dict) else None
                    if isinstance(rid, str) and rid in seen:
                        self.note(section, f"“{short(rid)}”", "its id is used twice; the first is kept", rid)
                        continue
                    if isinstance(rid, str):
                        seen.add(rid)
                    keep.append(item)
                d[section] = keep
        reading = d.get("reading")
        if isinstance(reading, dict):
            budget = M.MAX_MARKS
            for note, marks in list(reading.items()):
                if not isinstance(marks, dict):
                    continue
                if len(marks) > budget:
                    cut = list(marks)[budget:]
                    for sec in cut:
                        del marks[sec]
                    self.note("reading", "", f"{len(cut)} beyond the {M.MAX_MARKS:,} this browser keeps", note)
                budget -= len(marks)

    # ------------------------------------------------------------------ after a failed validation
    def drop(self, errors: list[dict]) -> bool:
        """Remove every record an error points at; False when nothing could be removed."""
        removals: dict[tuple, str] = {}  # record path -> reason (the first error of that record)
        for e in errors:
            loc = tuple(e["loc"])
            if loc and loc[0] in self.data:
                record = self._record(loc, e["type"])
                removals.setdefault(record, _reason(loc[0], loc[len(record):], e))
        # a record removed whole takes its parts with it; a schedule recomputed from the log checks the log itself
        whole = set(removals)
        restated = {p[1] for p in removals if len(p) == 3 and p[0] == "cards"}
        changed = False
        for path, reason in removals.items():
            if any(path[:i] in whole for i in range(1, len(path))):
                continue
            if path[0] == "cards" and len(path) == 4 and path[1] in restated:
                continue
            changed |= self._remove(path, reason)
        for section in _LISTS:
            if isinstance(self.data.get(section), list):
                self.data[section] = [x for x in self.data[section] if x is not _GONE]
        cards = self.data.get("cards")
        for rec in cards.values() if isinstance(cards, dict) else ():
            if isinstance(rec, dict) and isinstance(rec.get("log"), list) and _GONE in rec["log"]:
                rec["log"] = [x for x in rec["log"] if x is not _GONE]
        return changed

    def _record(self, loc: tuple, kind: str) -> tuple:
        """The path of the record an error at ``loc`` belongs to."""
        section = loc[0]
        if section in _SINGLE:
            return (section,)
        if len(loc) == 1:
            return (section, "*") if kind == "too_long" and section in _LIMITS else (section,)
        key = loc[1]
        if section == "reading" and len(loc) > 2 and loc[2] != "[key]":
            return (section, key, loc[2])
        if section == "reading" and len(loc) == 2 and kind == "too_long":
            return (section, key, "*")
        if section == "cards" and len(loc) > 3 and loc[2] == "log" and isinstance(loc[3], int):
            return (section, key, "log", loc[3])
        if section == "cards" and len(loc) > 2 and loc[2] == "state" and self._can_restate(key):
            return (section, key, "state")
        return (section, key)

    def _can_restate(self, cid: object) -> bool:
        cards = self.data.get("cards")
        rec = cards.get(cid) if isinstance(cards, dict) else None
        return (isinstance(rec, dict) and isinstance(rec.get("log"), list) and bool(rec["log"])
                and rec.get("base") is None and rec.get("base_id") is None)

    def _remove(self, path: tuple, reason: str) -> bool:
        d = self.data
        section = path[0]
        if len(path) == 1:
            del d[section]
            self.note(section, "", reason if section in _SINGLE else f"all of them: {reason}", "*")
            return True
        container = d.get(section)
        key = path[1]
        if key == "*":  # longer than its bound: keep the first records (lists: the newest)
            limit = _LIMITS[section]
            cut = len(container) - limit
            d[section] = container[-limit:] if isinstance(container, list) else dict(list(container.items())[:limit])
            self.note(section, "", f"{cut} beyond the {limit:,} this browser keeps", "*")
            return cut > 0
        if isinstance(container, list):
            if not isinstance(key, int) or not 0 <= key < len(container) or container[key] is _GONE:
                return False
            item = container[key]
            rid = item.get("id") if isinstance(item, dict) else None
            container[key] = _GONE
            self.note(section, f"“{short(rid)}”" if isinstance(rid, str) else f"number {key + 1}", reason,
                      rid if isinstance(rid, str) else str(key))
            return True
        if not isinstance(container, dict) or key not in container:
            return False
        if section == "reading" and len(path) == 3:
            marks = container[key]
            if path[2] == "*":
                cut = len(marks) - M.MAX_SECTIONS_PER_NOTE
                container[key] = dict(list(marks.items())[:M.MAX_SECTIONS_PER_NOTE])
                self.note(section, f"of note “{short(key)}”", f"{cut} beyond the {M.MAX_SECTIONS_PER_NOTE:,} a note keeps", key)
                return cut > 0
            del marks[path[2]]
            self.note(section, f"“{short(key)}” › “{short(path[2])}”", reason, f"{key}/{path[2]}")
            return True
        if section == "cards" and len(path) == 4:  # one review of a card's log; the schedule is recomputed
            log = container[key]["log"]
            entry = log[path[3]]
            rid = entry[0] if isinstance(entry, list) and entry and isinstance(entry[0], str) else f"number {path[3] + 1}"
            log[path[3]] = _GONE
            self.note("cards", f"“{short(key)}”, its review “{short(rid)}”", reason, f"{key}/{rid}")
            return True
        if section == "cards" and len(path) == 3:  # an invalid schedule: recomputed from the log after validation
            self.restate[key] = (container.pop(key), reason)
            return True
        del container[key]
        self.note(section, f"“{short(key)}”", reason, str(key))
        return True

    # ------------------------------------------------------------------ after validation
    def restated(self, store: M.Store) -> tuple[M.Store, list[str]]:
        """Cards whose schedule was invalid, recomputed from their valid reviews (or left out)."""
        if not self.restate:
            return store, []
        cards = dict(store.cards)
        notices = []
        for cid, (raw, reason) in self.restate.items():
            entries, bad = [], 0
            for item in raw["log"]:
                try:
                    entries.append(_ENTRY.validate_python(item))
                except ValidationError:
                    bad += 1
            rec = None
            if entries and len(cards) < M.MAX_CARDS:
                try:
                    _KEY.validate_python(cid)
                    rec = record_from_reviews(entries)
                except (ValidationError, ValueError):
                    rec = None
            if rec is None:
                self.note("cards", f"“{short(cid)}”", f"{reason}; no valid reviews to recompute it from", str(cid))
                continue
            cards[cid] = rec
            extra = f", {bad} invalid review(s) left out" if bad else ""
            notices.append(f"The schedule of card “{short(cid)}” was invalid ({reason}) and was recomputed from "
                           f"its {len(rec.log)} review(s){extra}.")
        return store.model_copy(update={"cards": dict(sorted(cards.items()))}), notices


class _Gone:
    """A list item removed in this pass (indices of later errors stay valid until the pass ends)."""


_GONE = _Gone()


def recover(raw: dict[str, Any]) -> LoadResult:
    """Read ``raw`` (a decoded JSON object of this format and version) record by record.  ``raw`` is
    edited in place (the records found invalid are taken out): pass a value nothing else holds."""
    work = _Recovery(raw)
    work.fix_bounds()
    store = None
    for _ in range(MAX_PASSES):
        try:
            store = M.Store.model_validate(work.data)
            break
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False, include_context=False)
        unknown = _unknown(errors)
        if unknown:
            shown = ", ".join(dict.fromkeys(unknown[:5])) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
            return LoadResult(
                M.empty(),
                (f"The saved progress in this browser has fields this version of the app does not know ({shown}): it "
                 "was written by a newer version. It is kept unchanged; this session is not saved.",),
                "future",
            )
        if not work.drop(errors):
            break
    if store is None:
        return LoadResult(M.empty(), (f"{IGNORED}: it has invalid content that could not be separated from the "
                                         "rest.",), "corrupt")
    store, notices = work.restated(store)
    if not all(store.reading.values()):  # a note whose every mark was left out
        store = store.model_copy(update={"reading": {k: v for k, v in store.reading.items() if v}})
    if work.left_out:
        notices.insert(0, f"{_PARTIAL}. Left out: " + "; ".join(work.left_out[:8])
                       + (f"; and {len(work.left_out) - 8} more" if len(work.left_out) > 8 else "") + ".")
    result = finish_load(store, notices, "recovered", tuple(dict.fromkeys(work.dropped)))
    # the recovered value must load as it is: a last check that nothing invalid slipped through
    M.Store.model_validate_json(M.dump(result.store))
    return result

