"""AppTest: the self-assessment's "does not apply", notes, name and plan editor, and the team workshop page (issue 12)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from explorer import CONTENT_DIR
from explorer.assess import plan as plan_mod
from explorer.assess import sharecode
from explorer.assess.scoring import evaluate
from explorer.content.loader import load_content
from tests.apptest_util import no_exception, open_page, plotly_specs, texts

ASSESS = "pages/6_Self_Assessment.py"
WORKSHOP = "pages/12_Workshop.py"
_C = load_content(CONTENT_DIR)
A, V = _C.assessment, _C.vendors
Q = {q.id: q for q in A.questions}


def button(at, label):
    return next(b for b in at.button if b.label == label)


def param(at, name):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def stand_on(at, label="You stand on"):
    return [m.value for m in at.metric if m.label == label]


def short(result):
    return [f"{p.level_word} {p.current.rank}" if p.current else "Below the first rung" for p in result.placements]


# ------------------------------------------------------------------ self-assessment: N/A, notes, name
def test_na_notes_and_name_travel_in_the_link_and_come_back():
    at = open_page(ASSESS)
    assert not at.text_input(key="participant_name").value and not [t for t in at.text_input if (t.key or "").startswith("note_")]
    at.toggle(key="show_notes").set_value(True).run()  # note fields on request
    for q in A.questions:
        at.radio(key=f"q_{q.id}").set_value(2)
    at.radio(key="q_collaboration").set_value(-1)  # "does not apply to us"
    at.text_input(key="note_code-ci").input("GitHub Actions on every push, see https://example.com/ci")
    at.text_input(key="note_collaboration").input("One person does everything")
    at.text_input(key="participant_name").input("Ana <b>")
    button(at, "Show my result").click().run()
    no_exception(at)
    code = param(at, "a")
    d = sharecode.decode(code, A)
    assert code.startswith("v2.") and d.version == 2
    assert d.na == {"collaboration"} and "collaboration" not in d.answers
    assert d.notes == {"code-ci": "GitHub Actions on every push, see https://example.com/ci", "collaboration": "One person does everything"}
    assert d.name == "Ana <b>"
    expected = evaluate(A, V, {q.id: 2 for q in A.questions if q.id != "collaboration"}, ["collaboration"])
    assert stand_on(at) == short(expected)

    # a new visitor opens the link: the same result, the N/A and the notes shown, the form filled in
    other = open_page(ASSESS, {"a": code})
    no_exception(other)
    assert stand_on(other) == short(expected)
    body = texts(other)
    assert "Result of Ana \\<b\\>" in body  # the name is shown literally, never as HTML
    assert "GitHub Actions on every push" in body and "One person does everything" in body
    assert "Does not apply to us" in body and Q["collaboration"].na_reason[:40] in body
    other.toggle(key="edit_answers").set_value(True).run()
    assert other.radio(key="q_collaboration").value == -1
    assert other.radio(key="q_code-ci").value == 2
    assert other.text_input(key="note_code-ci").value.startswith("GitHub Actions")
    assert other.text_input(key="participant_name").value == "Ana <b>"
    # hiding the note fields and submitting again keeps the notes
    other.toggle(key="show_notes").set_value(False).run()
    other.radio(key="q_iac").set_value(3)
    button(other, "Show my result").click().run()
    d2 = sharecode.decode(param(other, "a"), A)
    assert d2.notes == d.notes and d2.answers["iac"] == 3 and d2.na == d.na


def test_na_on_a_required_question_is_a_blocker_that_says_so():
    # AWS Repeatable needs data scientists and engineers to work together (collaboration); N/A never meets it
    answers = {q.id: 3 for q in A.questions if q.id != "collaboration"}
    result = evaluate(A, V, answers, ["collaboration"])
    blocked = [p for p in result.placements if any(b.question_id == "collaboration" and b.not_applicable for b in p.blockers)]
    assert blocked, "pick a question that some ladder's next rung requires"
    at = open_page(ASSESS, {"a": sharecode.encode(A, answers, na=["collaboration"])})
    no_exception(at)
    body = texts(at)
    assert "you marked it *does not apply*; this rung expects *Data science and data engineering together*" in body
    assert "1 question(s) marked “does not apply”" in body


@pytest.mark.parametrize("code", ["v1.13031331130002333103323.m5tw", "v1.23xxxxxxxxxxxxxxxxxxxxx.imtk"])
def test_old_version_1_links_still_open_and_stay_version_1(code):
    from tests.test_sharecode_v2 import LEGACY

    at = open_page(ASSESS, {"a": code})
    no_exception(at)
    assert not at.warning
    assert stand_on(at) == short(evaluate(A, V, LEGACY[code]))
    at.toggle(key="edit_answers").set_value(True).run()
    button(at, "Show my result").click().run()
    assert param(at, "a") == code  # nothing new to carry: the same version-1 code


def test_notes_are_cleaned_and_long_notes_are_cut_in_the_link():
    at = open_page(ASSESS)
    at.toggle(key="show_notes").set_value(True).run()
    import random

    rng = random.Random(5)  # varied text: deflate cannot squeeze 23 full notes into one link
    for q in A.questions:
        words = " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(60))
        at.text_input(key=f"note_{q.id}").input(words[:280])  # the widget stops at 280
    at.text_input(key="note_iac").input("line one\nline\u202etwo")
    button(at, "Show my result").click().run()
    no_exception(at)
    d = sharecode.decode(param(at, "a"), A)
    assert d.notes["iac"] == "line one line two"  # control and bidi characters cleaned
    assert d.notes_cut and all(len(n) < 280 for n in d.notes.values())
    assert "too long to fit in a link together" in texts(at)


# ------------------------------------------------------------------ the improvement plan and its editor
def _editor(at):
    if not at.toggle(key="plan_editor_show").value:  # the editor opens on request
        at.toggle(key="plan_editor_show").set_value(True).run()
    eds = [e for e in at.data_editor if (e.key or "").startswith("plan_editor_")]
    assert len(eds) == 1, [e.key for e in at.data_editor]
    return eds[0]


def test_plan_lists_each_blocker_with_guidance_source_and_notes():
    answers = {q.id: 1 for q in A.questions}
    result = evaluate(A, V, answers)
    plan = plan_mod.build_plan(result, A, V, resolve=plan_mod.note_resolver(_C))
    at = open_page(ASSESS, {"a": sharecode.encode(A, answers)})
    no_exception(at)
    table = _editor(at).value
    assert list(table["key"]) == list(plan.keys)
    assert list(table["step"]) == list(range(1, len(plan) + 1))
    body = texts(at)
    for s in plan.steps:
        assert f"({s.guidance.source_url})" in body  # one source link per rung, every step's rung is there
    from explorer.routes import note_ref_link

    for s in plan.steps:  # each step links the notes that teach it (its first note at least)
        assert f"]({note_ref_link(s.learn[0].ref).url})" in body


def test_plan_editor_owner_and_date_go_into_the_link_and_come_back():
    answers = {q.id: 1 for q in A.questions}
    code = sharecode.encode(A, answers)
    at = open_page(ASSESS, {"a": code})
    ed = _editor(at)
    keys = list(ed.value["key"])
    at.session_state[ed.key] = {"edited_rows": {0: {"owner": "Ana", "target": "2031-03-31"}, 2: {"owner": "Bo"}},
                                "added_rows": [], "deleted_rows": []}
    at.run()
    no_exception(at)
    link = param(at, "plan")
    assert link and link.startswith("p2.")
    assert plan_mod.decode_edits(link) == {keys[0]: {"owner": "Ana", "target": "2031-03-31"}, keys[2]: {"owner": "Bo", "target": ""}}
    assert param(at, "a") == code

    other = open_page(ASSESS, {"a": code, "plan": link})
    no_exception(other)
    assert other.toggle(key="plan_editor_show").value  # a plan with owners opens its editor
    table = _editor(other).value
    assert table["owner"].tolist()[:3] == ["Ana", "", "Bo"]
    assert str(table["target"].tolist()[0])[:10] == "2031-03-31"


def test_plan_editor_past_date_is_kept_with_a_warning():
    at = open_page(ASSESS, {"a": sharecode.encode(A, {q.id: 1 for q in A.questions})})
    ed = _editor(at)
    at.session_state[ed.key] = {"edited_rows": {1: {"target": "2001-01-01"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    no_exception(at)
    assert "Step 2: the target date 2001-01-01 is already past" in texts(at).replace("\\", "")
    assert plan_mod.decode_edits(param(at, "plan")) == {ed.value["key"][1]: {"owner": "", "target": "2001-01-01"}}


def test_damaged_plan_link_gives_a_notice_and_an_empty_plan():
    at = open_page(ASSESS, {"a": sharecode.encode(A, {}), "plan": "p1.zzzz!"})
    no_exception(at)
    assert any("damaged" in w.value for w in at.warning)
    assert set(_editor(at).value["owner"]) == {""}


# ------------------------------------------------------------------ over time: the movement chart from uploaded files
def _result_file(answers, when, team):
    from explorer.assess import results_io

    r = evaluate(A, V, answers)
    return results_io.export_json(r, A, V, team=team, when=when).encode()


def test_compare_over_time_draws_the_rung_movement():
    at = open_page(ASSESS)
    files = [
        ("jan.json", _result_file({q.id: 1 for q in A.questions}, dt.datetime(2026, 1, 5, tzinfo=dt.UTC), "Jan"), "application/json"),
        ("jun.json", _result_file({q.id: 3 for q in A.questions}, dt.datetime(2026, 6, 5, tzinfo=dt.UTC), "Jun"), "application/json"),
    ]
    at.file_uploader(key="compare_files").set_value(files)
    at.run()
    no_exception(at)
    movement = [s for s in plotly_specs(at) if s.get("layout", {}).get("meta", {}).get("description", "").startswith("Rungs over")]
    assert len(movement) == 1
    desc = movement[0]["layout"]["meta"]["description"]
    low, high = evaluate(A, V, {q.id: 1 for q in A.questions}), evaluate(A, V, {q.id: 3 for q in A.questions})
    for p_low, p_high in zip(low.placements, high.placements):
        assert f"{p_low.vendor_name}: from {p_low.current_label} to {p_high.current_label}" in desc


def test_movement_helper_skips_codes_it_cannot_read():
    """ui.assessment_view.movement is what the browser store will feed: dated codes in, a chart out, bad records reported."""
    from streamlit.testing.v1 import AppTest

    def script():
        import datetime as dt

        import streamlit as st

        from explorer.assess import sharecode
        from ui.assessment_view import movement
        from ui.caches import get_content

        c = get_content()
        a = c.assessment
        items = [
            (dt.datetime(2026, 3, 1), sharecode.encode(a, {q.id: 2 for q in a.questions}), "March"),
            (dt.datetime(2026, 1, 1), sharecode.encode(a, {}), "January"),
            (dt.datetime(2026, 2, 1), "v1.garbage.abcd"),
            ("not a date", sharecode.encode(a, {})),
        ]
        for msg in movement(a, c.vendors, items):
            st.caption(msg)

    at = AppTest.from_function(script).run()
    no_exception(at)
    captions = [c.value for c in at.caption]
    assert captions[0].startswith("result 3: ") and captions[1] == "result 4: no date"
    spec = plotly_specs(at)[0]
    assert spec["layout"]["meta"]["description"].startswith("Rungs over 2 result(s)")
    assert [x[:10] for x in spec["data"][0]["x"]] == ["2026-01-01", "2026-03-01"]  # oldest first, whatever the order given


def test_movement_chart_is_kept_by_the_session_while_its_results_are_unchanged(monkeypatch):
    """Building the figure is most of a results view's rerun: a rerun with the same results draws the one the
    session kept; new results (or another key) build a new one; the figure is never shared between sessions."""
    from streamlit.testing.v1 import AppTest

    from explorer.charts import movement as mvc

    built = []
    real = mvc.movement_figure
    monkeypatch.setattr(mvc, "movement_figure", lambda series: built.append(1) or real(series))

    def script():
        import datetime as dt

        import streamlit as st

        from explorer.assess import sharecode
        from ui.assessment_view import movement
        from ui.caches import get_content

        c = get_content()
        a = c.assessment
        n = st.session_state.get("n", 1)
        items = [(dt.datetime(2026, 1, d + 1), sharecode.encode(a, {q.id: d % 4 for q in a.questions})) for d in range(n)]
        movement(a, c.vendors, items, key="k")

    at = AppTest.from_function(script).run()
    first = plotly_specs(at)[0]
    at.run()
    at.run()
    assert len(built) == 1 and plotly_specs(at)[0] == first
    at.session_state["n"] = 2
    at.run()
    assert len(built) == 2 and len(plotly_specs(at)[0]["data"][0]["x"]) == 2
    other = AppTest.from_function(script).run()  # another session builds its own
    assert len(built) == 3
    no_exception(at)
    no_exception(other)


# ------------------------------------------------------------------ workshop
BASE = {q.id: 2 for q in A.questions}
# Hand-worked: code-ci answers 0, 3, 2 -> lower median 2, range 3 of 3 steps (1.0): the top disagreement.
# environments 2, 3, 2 -> median 2, range 1/3; feature-store 0, 0, N/A -> median 0, range 1/3 (N/A is one below 0);
# ties on range and IQR keep questionnaire order, so environments comes second.
ANA = ({**BASE, "code-ci": 0, "feature-store": 0}, (), "Ana")
BO = ({**BASE, "code-ci": 3, "environments": 3, "feature-store": 0}, (), "")
CY = ({**{k: v for k, v in BASE.items() if k != "feature-store"}, "code-ci": 2}, ("feature-store",), "")
CONSENSUS = {**BASE, "feature-store": 0}


def member(answers, na, name):
    return sharecode.encode(A, answers, na=na, name=name)


def paste_box(at):
    """The workshop's paste box (its key changes each time the page refills it: ui.urlstate.widget_key)."""
    (box,) = [t for t in at.text_area if t.label == "Share links or codes, one per line"]
    return box


def combine(at, text):
    paste_box(at).input(text)
    return button(at, "Combine").click().run()


def test_workshop_three_links_give_the_median_and_the_top_disagreement():
    at = open_page(WORKSHOP)
    no_exception(at)
    links = [sharecode.share_url("http://team.example/Self_Assessment", member(*p)) for p in (ANA, BO, CY)]
    combine(at, "\n".join(links))
    no_exception(at)
    assert stand_on(at, "Team consensus") == short(evaluate(A, V, CONSENSUS))
    body = texts(at)
    assert "The team: 3 answer sets" in body
    assert "Named: Ana; 2 anonymous." in body
    assert f"**1. {Q['code-ci'].text}**" in body.replace("\\", "")
    assert f"**2. {Q['environments'].text}**" in body.replace("\\", "")
    assert f"**1** × {Q['code-ci'].answers[0].label} (Ana)" in body.replace("\\", "")  # names only where given
    assert f"Consensus: {Q['code-ci'].answers[2].label}" in body.replace("\\", "")
    code = param(at, "w")
    assert code.startswith("w1_") and sharecode.decode_workshop(code) == [member(*p) for p in (ANA, BO, CY)]


def test_workshop_link_reproduces_the_view():
    code = sharecode.encode_workshop([member(*p) for p in (ANA, BO, CY)])
    at = open_page(WORKSHOP, {"w": code})
    no_exception(at)
    assert not at.warning
    assert stand_on(at, "Team consensus") == short(evaluate(A, V, CONSENSUS))
    assert f"**1. {Q['code-ci'].text}**" in texts(at).replace("\\", "")
    assert paste_box(at).value.split("\n") == [member(*p) for p in (ANA, BO, CY)]
    assert any(sharecode.share_url("x", code, "w")[1:] in c.value for c in at.code)


def test_workshop_bad_entries_give_notices_and_the_rest_is_combined():
    good = [member(*p) for p in (ANA, BO)]
    damaged = good[1][:-1] + ("a" if good[1][-1] != "a" else "b")
    at = open_page(WORKSHOP)
    combine(at, "\n".join([good[0], "garbage", damaged, good[1], good[0], "v9.123.abcdef"]))
    no_exception(at)
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Entry 2 (garbage) could not be read") for w in warnings)
    assert any("Entry 3" in w and "does not check out" in w for w in warnings)
    assert any("Entry 6" in w and "version 9" in w for w in warnings)
    assert any("Entry 5" in i.value and "repeats entry 1" in i.value for i in at.info)
    assert "The team: 2 answer sets" in texts(at)
    assert sharecode.decode_workshop(param(at, "w")) == good
    # the unreadable lines stay in the list so they can be fixed; the repeat is gone
    assert paste_box(at).value.split("\n") == [*good, "garbage", damaged, "v9.123.abcdef"]


def test_workshop_paste_of_50_long_share_links_combines_all_50():
    from tests.test_workshop import long_links

    at = open_page(WORKSHOP)
    combine(at, "\n".join(long_links(A, 50)))
    no_exception(at)
    assert "The team: 50 answer sets" in texts(at)
    assert len(sharecode.decode_workshop(param(at, "w"))) == 50
    assert not [w.value for w in at.warning if "not read" in w.value or "could not be read" in w.value]


def test_workshop_paste_beyond_its_cap_says_how_many_were_not_read_and_keeps_them_in_the_box():
    from explorer.limits import LIMITS

    codes = [member({**BASE, "code-ci": i % 4, "iac": (i // 4) % 4}, (), f"P{i}") for i in range(30)]
    pad = "x" * 10_000  # links this long (a tracking parameter) fill the paste's 240,000 characters after 23 of them
    links = [f"http://team.example/Self_Assessment?utm={pad}&a={c}" for c in codes]
    read = LIMITS.paste_chars // len(links[0])
    at = open_page(WORKSHOP)
    combine(at, "\n".join(links))
    no_exception(at)
    assert f"The team: {read} answer sets" in texts(at)
    notice = [w.value.replace("\\", "") for w in at.warning if "not read yet" in w.value]
    assert notice == [f"{30 - read} more entries: not read yet: one paste reads at most 240,000 characters. "
                      "They are still in the box: press Combine again to add them."]
    box = paste_box(at).value.split("\n")
    assert box == [*codes[:read], *links[read:]]  # the members as codes, then the links not read, as pasted
    button(at, "Combine").click().run()  # the second press reads the rest
    no_exception(at)
    assert "The team: 30 answer sets" in texts(at) and not [w for w in at.warning if "not read yet" in w.value]
    assert sharecode.decode_workshop(param(at, "w")) == codes


def test_workshop_nothing_readable_makes_no_link():
    at = open_page(WORKSHOP)
    combine(at, "nonsense\nv1.123.abcd")
    no_exception(at)
    assert len(at.warning) == 2 and param(at, "w") is None
    assert not stand_on(at, "Team consensus")


@pytest.mark.parametrize("bad", ["w1_garbage", "w1_" + "v1." + "1" * 23 + ".abcd_zzzzzz", "hello", "w9_a_b"])
def test_workshop_bad_link_gives_a_notice(bad):
    at = open_page(WORKSHOP, {"w": bad})
    no_exception(at)
    assert any("This workshop link could not be read" in w.value for w in at.warning)
    assert not stand_on(at, "Team consensus")


def test_workshop_result_files_join_the_pasted_links():
    from explorer.assess import results_io

    answers, na, _ = BO
    data = results_io.export_json(evaluate(A, V, answers, na), A, V, participant="Bo").encode()
    at = open_page(WORKSHOP)
    paste_box(at).input(member(*ANA))
    at.file_uploader(key="ws_files_0").set_value([("bo.json", data, "application/json")])
    button(at, "Combine").click().run()
    no_exception(at)
    assert "The team: 2 answer sets" in texts(at) and "Named: Ana, Bo." in texts(at)
    members = sharecode.decode_workshop(param(at, "w"))
    assert sharecode.decode(members[1], A).name == "Bo" and sharecode.decode(members[1], A).answers == answers


def test_facilitator_view_then_start_over():
    code = sharecode.encode_workshop([member(*p) for p in (ANA, BO, CY)])
    at = open_page(WORKSHOP, {"w": code, "view": "facilitator"})
    no_exception(at)
    css = [e.proto.body for e in at.get("html") if "stSidebar" in e.proto.body]
    assert css and "display: none" in css[0]
    assert stand_on(at, "Team consensus") == short(evaluate(A, V, CONSENSUS))
    assert f"**1. {Q['code-ci'].text}**" in texts(at).replace("\\", "")
    assert not at.text_area  # no entry form in the room view
    at.button(key="ws_start_over_fac").click().run()
    no_exception(at)
    assert param(at, "w") is None and param(at, "view") is None
    assert paste_box(at).value == ""
    assert not stand_on(at, "Team consensus")
    assert not [e for e in at.get("html") if "stSidebar" in e.proto.body]


def test_facilitator_toggle_puts_the_view_into_the_link():
    code = sharecode.encode_workshop([member(*p) for p in (ANA, BO)])
    at = open_page(WORKSHOP, {"w": code})
    at.toggle(key="ws_facilitator").set_value(True).run()
    no_exception(at)
    assert param(at, "view") == "facilitator" and param(at, "w") == code
    assert [e for e in at.get("html") if "stSidebar" in e.proto.body]


def test_unknown_view_gives_a_notice():
    at = open_page(WORKSHOP, {"view": "kiosk"})
    no_exception(at)
    assert any("kiosk" in w.value for w in at.warning)


def test_workshop_offers_its_report_and_plan():
    code = sharecode.encode_workshop([member(*p) for p in (ANA, BO, CY)])
    at = open_page(WORKSHOP, {"w": code})
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Printable workshop report (HTML → PDF)" in labels
    plan = plan_mod.build_plan(evaluate(A, V, CONSENSUS), A, V)
    assert not [e for e in at.data_editor if (e.key or "").startswith("ws_plan_editor_")]  # on request only
    at.toggle(key="ws_plan_editor_show").set_value(True).run()
    eds = [e for e in at.data_editor if (e.key or "").startswith("ws_plan_editor_")]
    assert len(eds) == 1 and list(eds[0].value["key"]) == list(plan.keys)


def test_workshop_json_of_a_named_member_names_them_in_the_matrix():
    code = sharecode.encode_workshop([member(*p) for p in (ANA, BO, CY)])
    at = open_page(WORKSHOP, {"w": code})
    frames = [d.value for d in at.dataframe if "Ana" in getattr(d.value, "columns", [])]
    assert len(frames) == 1
    row = frames[0][frames[0]["question"] == Q["code-ci"].text].iloc[0]
    assert row["Ana"] == Q["code-ci"].answers[0].label and row["consensus"] == Q["code-ci"].answers[2].label
    assert json.dumps(list(frames[0].columns)).count("Ana") == 1  # anonymous people get no column


def test_each_result_is_kept_in_the_browser_store_and_charted_over_time():
    at = open_page(ASSESS)
    for q in A.questions:
        at.radio(key=f"q_{q.id}").set_value(1)
    at.radio(key="q_collaboration").set_value(-1)
    button(at, "Show my result").click().run()
    no_exception(at)
    (entry,) = at.session_state["learner"].assessments
    d = sharecode.decode(entry.code, A)
    assert d.answers == {q.id: 1 for q in A.questions if q.id != "collaboration"} and d.na == {"collaboration"}
    at.toggle(key="edit_answers").set_value(True).run()
    at.radio(key="q_code-ci").set_value(3)
    button(at, "Show my result").click().run()
    no_exception(at)
    assert len(at.session_state["learner"].assessments) == 2
    assert "Your results over time" in texts(at)
    assert any(link.proto.query_string.startswith("a=") for link in at.get("page_link") if "UTC" in link.proto.label)
