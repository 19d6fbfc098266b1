"""Workshop mode: consensus, spread, disagreement order, names, N/A, entries and the combined link,
hand-worked on the small fixture of tests/assessment_fixtures.py."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from explorer.assess import results_io, sharecode
from explorer.assess.evidence import AnswerSet
from explorer.assess.scoring import evaluate
from explorer.assess.workshop import (
    NA_POSITION,
    Participant,
    answer_matrix,
    combine,
    compute_workshop,
    counts_table,
    lower_median,
    quartiles,
    read_codes,
    read_files,
    read_paste,
    split_pasted,
    unique_names,
    workshop_link_code,
)
from explorer.limits import LIMITS
from tests.assessment_fixtures import mini_assessment, mini_vendors

A = mini_assessment()
V = mini_vendors()

# four people; P2 and P4 gave no name
P1 = dict(answers={"ci": 3, "deploy": 3, "store": 1, "monitor": 2, "team": 2}, name="Ann")
P2 = dict(answers={"ci": 2, "deploy": 0, "monitor": 3}, na=["store"])
P3 = dict(answers={"ci": 0, "deploy": 3, "store": 3, "monitor": 2}, na=["team"], name="Bob")
P4 = dict(answers={"ci": 2, "deploy": 1, "store": 0, "monitor": 1, "team": 3}, notes={"team": "we pair daily"})
PEOPLE = [P1, P2, P3, P4]


def code(p) -> str:
    return sharecode.encode(A, p["answers"], na=p.get("na", ()), notes=p.get("notes"), name=p.get("name", ""))


@pytest.fixture(scope="module")
def ws():
    entries = read_codes([code(p) for p in PEOPLE], A)
    assert entries.ok == 4 and not entries.problems
    return compute_workshop(entries, A, V)


# --------------------------------------------------------------------------- statistics helpers
def test_lower_median_and_quartiles_hand_worked():
    assert lower_median([3, 2, 0, 2]) == 2
    assert lower_median([0, 1, 3, 3]) == 1  # even count: the lower middle, never 2 (not an answer anyone gave)
    assert lower_median([5]) == 5
    assert quartiles([0, 2, 2, 3]) == (1.5, 2.25)
    assert quartiles([-1, 2, 3]) == (0.5, 2.5)
    assert quartiles([2]) == (2.0, 2.0)


# --------------------------------------------------------------------------- spreads
def test_spread_per_question_hand_worked(ws):
    s = {x.question_id: x for x in ws.spreads}
    ci = s["ci"]
    assert (ci.counts, ci.n_na, ci.n_unanswered, ci.consensus) == ((1, 0, 2, 1), 0, 0, 2)
    assert (ci.min, ci.max, ci.range, ci.q1, ci.q3, ci.iqr) == (0, 3, 3, 1.5, 2.25, 0.75)
    deploy = s["deploy"]  # [3, 0, 3, 1] -> sorted [0, 1, 3, 3]
    assert (deploy.consensus, deploy.q1, deploy.q3, deploy.iqr) == (1, 0.75, 3.0, 2.25)
    store = s["store"]  # [1, N/A, 3, 0] -> positions [-1, 0, 1, 3]
    assert (store.consensus, store.min, store.max, store.range) == (0, NA_POSITION, 3, 4)
    assert (store.q1, store.q3, store.n_na) == (-0.25, 1.5, 1)
    assert store.relative_range == pytest.approx(4 / 3)
    team = s["team"]  # [2, unanswered, N/A, 3] -> positions [-1, 2, 3]
    assert (team.consensus, team.n_unanswered, team.n_na, team.q1, team.q3) == (2, 1, 1, 0.5, 2.5)
    assert team.n_responses == 3
    assert s["monitor"].consensus == 2 and s["monitor"].range == 2


def test_disagreement_order(ws):
    # relative range: store 4/3 and team 4/3 (IQR 1.75 vs 2.0: team first), deploy 1 and ci 1 (IQR 2.25 vs 0.75),
    # then monitor 2/3
    assert [d.question_id for d in ws.disagreements] == ["team", "store", "deploy", "ci", "monitor"]
    assert [d.question_id for d in ws.top_disagreements(2)] == ["team", "store"]


def test_ties_keep_questionnaire_order():
    a = read_codes([sharecode.encode(A, {"ci": 0, "deploy": 0}), sharecode.encode(A, {"ci": 3, "deploy": 3})], A)
    w = compute_workshop(a, A, V)
    assert [d.question_id for d in w.disagreements] == ["ci", "deploy"]  # same range and IQR


def test_agreement_leaves_nothing_to_disagree_about():
    one = read_codes([code(P1)], A)
    w = compute_workshop(one, A, V)
    assert w.disagreements == ()
    assert w.consensus_answers.answers == P1["answers"]
    assert all(lc.agree for lc in w.ladders)


# --------------------------------------------------------------------------- consensus placements
def test_consensus_answers_and_placements_hand_worked(ws):
    assert ws.consensus_answers == AnswerSet({"ci": 2, "deploy": 1, "store": 0, "monitor": 2, "team": 2}, frozenset())
    alpha, beta = ws.ladders
    # consensus: alpha a2 needs store >= 1 (median 0) -> a1; beta b1 (ci 2, team 2) met, b2 not -> b1
    assert alpha.consensus.current.level_id == "a1" and beta.consensus.current.level_id == "b1"
    assert [b.question_id for b in alpha.consensus.blockers] == ["store"]
    # individuals: alpha [a3, a1, a1, a1] -> median a1; beta [b1, b0, b0, b1] -> lower median b0
    assert alpha.distribution == (3, 0, 1) and alpha.individual_median == 0 and alpha.agree
    assert beta.distribution == (2, 2, 0) and beta.individual_median == 0 and not beta.agree
    assert beta.individual_label == "Level 0: Rung b0"
    assert ws.result == evaluate(A, V, ws.consensus_answers.answers)


def test_na_majority_makes_the_consensus_na():
    people = [dict(answers={"ci": 1}, na=["store"]), dict(answers={"ci": 1, "store": 3}), dict(answers={"ci": 2}, na=["store"])]
    w = compute_workshop(read_codes([code(p) for p in people], A), A, V)
    assert w.consensus_answers.na == frozenset({"store"})
    assert "store" in w.result.not_applicable
    assert w.spread("store").consensus_label == "Does not apply (N/A)"
    # and the N/A consensus blocks alpha a2, which needs store (not na_ok)
    assert w.ladders[0].consensus.current.level_id == "a1"


def test_nobody_answered_stays_unanswered():
    w = compute_workshop(read_codes([sharecode.encode(A, {"ci": 1}), sharecode.encode(A, {"ci": 2})], A), A, V)
    s = w.spread("deploy")
    assert s.consensus is None and s.min is None and s.iqr == 0 and s.n_unanswered == 2
    assert "deploy" in w.result.unanswered


def test_no_participant_is_an_error():
    with pytest.raises(ValueError):
        compute_workshop([], A, V)


# --------------------------------------------------------------------------- names
def test_names_only_for_named_participants(ws):
    s = {x.question_id: x for x in ws.spreads}
    assert s["ci"].names_by_answer == ((("Bob",), (), (), ("Ann",)))  # two anonymous "2" answers are counted only
    assert s["team"].names_na == ("Bob",) and s["store"].names_na == ()
    assert s["team"].notes == (("", "we pair daily"),)  # an anonymous note is attributed to nobody
    assert ws.named == ("Ann", "Bob")
    assert ws.ladders[0].named == (("Ann", "Phase 3: Rung a3"), ("Bob", "Phase 1: Rung a1"))
    rows = answer_matrix(ws)
    assert set(rows[0]) == {"question_id", "question", "consensus", "Ann", "Bob"}
    assert rows[0]["Ann"] == "ci level 3" and rows[4]["Bob"] == "Does not apply (N/A)"
    assert counts_table(s["team"])[-1] == ("Does not apply (N/A)", 1, ("Bob",))
    assert [c for _, c, _ in counts_table(s["ci"])] == [1, 0, 2, 1]


def test_repeated_names_get_suffixes():
    people = [Participant(AnswerSet({}, name=n), f"c{i}", "") for i, n in enumerate(["Ann", "", "Ann", "Bo"])]
    assert unique_names(people) == ["Ann", "", "Ann (2)", "Bo"]


# --------------------------------------------------------------------------- entries: per-entry messages
def test_bad_duplicate_and_mismatched_entries_get_their_own_messages():
    other = A.model_copy(update={"questions": A.questions[:3]})
    texts = [
        code(P1),
        f"https://team.example/Workshop?a={code(P2)}",  # a pasted link
        "not-a-code",
        code(P1),  # the same answers again
        "v9.0000.abcd",  # a version this app does not know
        sharecode.encode(other, {"ci": 1}),  # made for another questionnaire
        code(P1)[:-2],  # cut off
    ]
    e = read_codes(texts, A)
    assert e.ok == 2
    st = [(s.position, s.status) for s in e.statuses]
    assert st == [(1, "ok"), (2, "ok"), (3, "error"), (4, "duplicate"), (5, "error"), (6, "error"), (7, "error")]
    msgs = [s.message for s in e.statuses]
    assert "repeats entry 1" in msgs[3]
    assert "version 9" in msgs[4]
    assert "3 questions" in msgs[5] and "5" in msgs[5]
    assert "incomplete" in msgs[6]
    assert e.statuses[1].participant == 1 and e.participants[1].answer_set.na == frozenset({"store"})


def test_non_text_entries_and_limits():
    e = read_codes([None, 42], A)  # type: ignore[list-item]
    assert [s.status for s in e.statuses] == ["error", "error"] and e.ok == 0
    rng = random.Random(3)
    many = [sharecode.encode(A, {q.id: rng.randrange(4) for q in A.questions}, name=f"p{i}") for i in range(62)]
    e = read_codes(many, A)
    assert e.ok == sharecode.MAX_MEMBERS
    assert [s.status for s in e.statuses[-2:]] == ["skipped", "skipped"]


def test_split_pasted():
    assert split_pasted(" a\nb, c;d\t\n\n e ") == ["a", "b", "c", "d", "e"]
    assert split_pasted(None) == []  # type: ignore[arg-type]


def long_links(assessment, n: int, seed: int = 5) -> list[str]:
    """``n`` share links as long as they get: every question answered, a long note on each, a name."""
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(300)]
    out = []
    for i in range(n):
        answers = {q.id: rng.randrange(len(q.answers)) for q in assessment.questions}
        notes = {q.id: " ".join(rng.choice(words) for _ in range(60))[:270] for q in assessment.questions}
        out.append(sharecode.share_url("https://mlops-explorer.streamlit.app/Self_Assessment",
                                       sharecode.encode(assessment, answers, notes=notes, name=f"Person number {i}")))
    return out


def test_a_paste_of_50_long_share_links_is_read_whole(content):
    """Issue #20: 50 long links (73 kB) used to be cut at 32 kB: 21 combined, one damaged, 28 dropped silently."""
    links = long_links(content.assessment, 50)
    text = "\n".join(links)
    assert len(text) > 70_000
    paste = read_paste(text)
    assert paste.entries == tuple(links) and paste.rest == "" and paste.refusal is None
    e = read_codes(paste.entries, content.assessment)
    assert e.ok == 50 and not e.problems
    link = workshop_link_code(e, content.assessment)  # the combined link drops the notes to fit, and says so
    assert link.notes_dropped and len(sharecode.decode_workshop(link.code)) == 50


def test_a_paste_beyond_its_cap_reads_what_fits_and_returns_the_rest_as_pasted():
    entries = [f"v1.{i:03d}" for i in range(LIMITS.paste_entries + 30)]
    text = ", ".join(entries)
    paste = read_paste(text)
    assert list(paste.entries) == entries[: LIMITS.paste_entries] and paste.unread == 30
    assert paste.rest == ", ".join(entries[LIMITS.paste_entries:])  # as pasted, for the box to keep
    assert str(paste.refusal) == (f"30 more entries: not read yet: one paste reads at most {LIMITS.paste_entries} "
                                  "entries. They are still in the box: press Combine again to add them.")
    assert split_pasted(text) == entries[: LIMITS.paste_entries]
    many = read_codes(entries, A)  # given more than a paste reads, the rest is named, not dropped silently
    assert many.statuses[-1].status == "skipped" and "the rest were not read" in many.statuses[-1].message


def test_a_pasted_workshop_link_expands_into_its_members():
    link = workshop_link_code(read_codes([code(p) for p in PEOPLE], A), A)
    e = read_codes([f"https://x.example/Workshop?w={link.code}", code(P1)], A)
    assert e.ok == 4
    assert [s.status for s in e.statuses] == ["ok"] * 4 + ["duplicate"]
    bad = read_codes([link.code[:-1]], A)
    assert bad.ok == 0 and bad.statuses[0].status == "error"


# --------------------------------------------------------------------------- files and mixing
def test_result_files_are_read_with_names_na_and_notes():
    when = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
    files = []
    for i, p in enumerate(PEOPLE):
        r = evaluate(A, V, p["answers"], p.get("na", ()))
        text = results_io.export_json(r, A, V, when=when, notes=p.get("notes"), participant=p.get("name", ""))
        files.append((f"p{i}.json", text.encode()))
    files.append(("broken.json", b"{nope"))
    e = read_files(files, A, V)
    assert e.ok == 4
    assert e.statuses[-1].status == "error" and "broken.json" in e.statuses[-1].message
    from_codes = read_codes([code(p) for p in PEOPLE], A)
    assert [p.answer_set for p in e.participants] == [p.answer_set for p in from_codes.participants]
    both = combine(from_codes, e)
    assert both.ok == 4 and [s.status for s in both.statuses[4:]] == ["duplicate"] * 4 + ["error"]


# --------------------------------------------------------------------------- the combined link
def test_workshop_link_round_trip(ws):
    link = workshop_link_code(ws, A)
    assert not link.notes_dropped
    back = read_codes([link.code], A)
    assert [p.answer_set for p in back.participants] == [p.answer_set for p in ws.participants]
    assert compute_workshop(back, A, V).consensus_answers == ws.consensus_answers


def test_workshop_link_drops_notes_when_they_do_not_fit():
    rng = random.Random(5)

    def noise():
        return " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 8))) for _ in range(60))

    people = [sharecode.encode(A, {"ci": i % 4}, notes={q.id: noise() for q in A.questions}, name=f"p{i}") for i in range(12)]
    e = read_codes(people, A)
    link = workshop_link_code(e, A)
    assert link.notes_dropped and len(link.code) <= sharecode.MAX_WORKSHOP_LENGTH
    back = read_codes([link.code], A)
    assert [p.answer_set.answers for p in back.participants] == [p.answer_set.answers for p in e.participants]
    assert [p.name for p in back.participants] == [f"p{i}" for i in range(12)]
    assert all(not p.answer_set.notes for p in back.participants)
