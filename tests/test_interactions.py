"""AppTest journeys: the interactions each issue names, driven like a user would."""

from __future__ import annotations

import pytest

from explorer.assess import sharecode
from explorer.assess.scoring import evaluate
from tests.apptest_util import html_bodies, no_exception, open_page, plotly_specs, search_hit_links, texts


def button(at, label):
    return next(b for b in at.button if b.label == label)


# ------------------------------------------------------------------ breakdown
def test_select_quarter_shows_details_and_related_items():
    at = open_page("pages/4_Breakdown.py")
    at.segmented_control(key="quarter").set_value("data").run()
    no_exception(at)
    body = texts(at)
    assert "Examples" in body
    assert at.query_params["quarter"] == ["data"] or at.query_params["quarter"] == "data"
    links = [p.proto.label for p in at.get("page_link")]
    assert any("DEA-C01" in x or "Data Engineer" in x for x in links)


def test_quarter_deep_link_pulls_slice():
    at = open_page("pages/4_Breakdown.py", {"quarter": "models"})
    no_exception(at)
    donut = plotly_specs(at)[0]["data"][0]
    pull = donut.get("pull")
    assert pull is not None


def test_your_split_names_largest_imbalance():
    at = open_page("pages/4_Breakdown.py")
    for q, v in (("devops", 10.0), ("data", 60.0), ("models", 20.0), ("business", 10.0)):
        at.number_input(key=f"split_{q}").set_value(v)
    button(at, "Compare with the even split").click().run()
    no_exception(at)
    body = texts(at)
    assert "35" in body and "Data" in body  # data is 35 points above the even split
    assert at.query_params["split"] in ("10,60,20,10", ["10,60,20,10"])


def test_bad_split_link_shows_notice():
    at = open_page("pages/4_Breakdown.py", {"split": "a,b,c"})
    no_exception(at)
    assert any("split" in w.value for w in at.warning)


# ------------------------------------------------------------------ maturity ladders
def test_rung_deep_link_shows_details_and_diff():
    at = open_page("pages/5_Maturity_Ladders.py", {"rung": "azure-2"})
    no_exception(at)
    body = texts(at)
    assert "Level 2" in body and "Automated" in body
    assert "What changes from the rung below" in body
    assert "Azure's four dimensions" in body
    assert at.table, "the Azure cells table is drawn"


def _rung_box(at):
    return next(s for s in at.selectbox if s.label == "Rung")


def test_a_link_is_the_widgets_default_and_the_readers_choice_stays_until_the_url_changes():
    """ui.urlstate: a link's value is the widget's own default (the browser draws it from the widget, with nothing
    set from code to re-assert); the reader's choice goes into the URL and later runs keep it; a new URL
    (Back/Forward, a link) draws the widget afresh with the new value."""
    at = open_page("pages/5_Maturity_Ladders.py", {"rung": "azure-2"})
    box = _rung_box(at)
    assert box.value == "azure-2" and box.proto.options[box.proto.default] == box.format_func("azure-2")
    assert not box.proto.set_value  # nothing put into session state from code
    box.set_value("google-1").run()
    assert at.query_params["rung"] in ("google-1", ["google-1"])
    for _ in range(2):  # e.g. the browser store answering: the choice stays
        at.run()
        assert _rung_box(at).value == "google-1"
    assert "Google Cloud" in texts(at) and not at.warning
    at.query_params["rung"] = "azure-2"  # Back: the address bar holds the first link again
    at.run()
    no_exception(at)
    box = _rung_box(at)
    assert box.value == "azure-2" and box.key != "rung" and "Azure's four dimensions" in texts(at)


def test_scored_marks_are_read_back_from_the_url(content):
    """After Score the marks go into the URL; the next runs read them from there: the result stays while the
    reader changes the form, until Score again."""
    at = open_page("pages/7_ML_Test_Score.py")
    first = content.ml_test_score.sections[0].tests[0].id
    at.radio(key=f"t_{first}").set_value(1.0)
    button(at, "Score").click().run()
    points = [m for m in at.metric if m.label == "Points over all sections"][0].value
    assert points == "1"
    at.radio(key=f"t_{first}").set_value(0.5)  # changed, not scored yet (a form: no run until Score)
    at.run()
    assert [m for m in at.metric if m.label == "Points over all sections"][0].value == points
    no_exception(at)


def test_select_rung_with_selectbox_updates_url():
    at = open_page("pages/5_Maturity_Ladders.py")
    assert "Select a rung" in texts(at)
    at.selectbox(key="rung").set_value("google-1").run()
    no_exception(at)
    body = texts(at)
    assert "Training triggers" in body and "Components" in body
    assert at.query_params["rung"] in ("google-1", ["google-1"])


def test_first_rung_has_nothing_below():
    at = open_page("pages/5_Maturity_Ladders.py", {"rung": "aws-initial"})
    no_exception(at)
    assert "first rung" in texts(at)


def test_compare_two_rungs():
    at = open_page("pages/5_Maturity_Ladders.py", {"compare": "azure-2,google-1"})
    no_exception(at)
    table = at.dataframe[-1].value
    assert table.shape[1] == 2
    assert "further along" in texts(at) or "same place" in texts(at)


def test_crosswalk_view():
    at = open_page("pages/5_Maturity_Ladders.py")
    at.segmented_control(key="ladder_view").set_value("crosswalk").run()
    no_exception(at)
    assert len(plotly_specs(at)) == 2
    assert "interpretation" in texts(at).lower()


def test_unknown_rung_shows_notice():
    at = open_page("pages/5_Maturity_Ladders.py", {"rung": "azure-99"})
    no_exception(at)
    assert any("rung" in w.value for w in at.warning)


# ------------------------------------------------------------------ concepts
def test_hierarchy_tier_selection():
    at = open_page("pages/8_Concepts.py", {"tier": "dataops"})
    no_exception(at)
    body = texts(at)
    assert "Rests on" in body and "DevOps" in body


@pytest.mark.parametrize("view", ["workflows", "analogy", "platforms"])
def test_concept_views(view):
    at = open_page("pages/8_Concepts.py", {"view": view})
    no_exception(at)
    if view == "analogy":
        assert any("Not confirmed" in w.value for w in at.warning)


# ------------------------------------------------------------------ self-assessment
def _answer_all(at, content, index):
    for q in content.assessment.questions:
        at.radio(key=f"q_{q.id}").set_value(min(index, len(q.answers) - 1))
    return button(at, "Show my result").click().run()


def test_assessment_answer_and_share(content):
    at = open_page("pages/6_Self_Assessment.py")
    no_exception(at)
    _answer_all(at, content, 3)
    no_exception(at)
    metrics = [m.value for m in at.metric if m.label == "You stand on"]
    assert metrics == ["Phase 4", "Level 4", "Level 2"]
    code = at.query_params["a"]
    code = code[0] if isinstance(code, list) else code
    assert code.startswith("v1.")
    assert any(code in c.value for c in at.code)


def test_assessment_deep_link_reproduces_result(content):
    answers = {q.id: 2 for q in content.assessment.questions}
    code = sharecode.encode(content.assessment, answers)
    expected = evaluate(content.assessment, content.vendors, answers)
    at = open_page("pages/6_Self_Assessment.py", {"a": code})
    no_exception(at)
    shown = [m.value for m in at.metric if m.label == "You stand on"]
    assert shown == [f"{p.level_word} {p.current.rank}" for p in expected.placements]
    names = "\n".join(m.value for m in at.markdown)
    assert all(p.current.name in names for p in expected.placements)


def test_assessment_says_how_quarters_are_weighed(content):
    at = open_page("pages/6_Self_Assessment.py", {"a": sharecode.encode(content.assessment, {"code-ci": 2})})
    no_exception(at)
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "counts for 25% of the index" in captions
    assert "DevOps 7, Data 4, Models 8, Business 4" in captions


@pytest.mark.parametrize("bad", ["v1.zzz", "v9.123.abcd", "garbage", "v1." + "1" * 500, "<script>alert(1)</script>"])
def test_assessment_bad_code_shows_notice_and_empty_form(bad, content):
    at = open_page("pages/6_Self_Assessment.py", {"a": bad})
    no_exception(at)
    assert any("could not be read" in w.value for w in at.warning)
    assert all(at.radio(key=f"q_{q.id}").value is None for q in content.assessment.questions)
    assert not [m for m in at.metric if m.label == "You stand on"]


def test_assessment_export_then_import_gives_same_result(content):
    from explorer.assess import results_io

    answers = {q.id: (i % len(q.answers)) for i, q in enumerate(content.assessment.questions)}
    at = open_page("pages/6_Self_Assessment.py", {"a": sharecode.encode(content.assessment, answers)})
    no_exception(at)
    dl = [d for d in at.get("download_button") if "JSON" in d.proto.label][0]
    # the download's content is produced by the same export function: rebuild and re-import it
    result = evaluate(content.assessment, content.vendors, answers)
    data = results_io.export_json(result, content.assessment, content.vendors)
    back = results_io.import_json(data, content.assessment, content.vendors)
    assert back.answers == answers
    assert evaluate(content.assessment, content.vendors, back.answers) == result
    assert dl.proto.label


# ------------------------------------------------------------------ ML Test Score
def test_ml_test_score_scores_minimum_section(content):
    at = open_page("pages/7_ML_Test_Score.py")
    mts = content.ml_test_score
    for i, s in enumerate(mts.sections):
        for t in s.tests:
            at.radio(key=f"t_{t.id}").set_value(1.0 if i else 0.5)
    button(at, "Score").click().run()
    no_exception(at)
    final = [m for m in at.metric if m.label.startswith("Final score")][0]
    assert final.value.startswith("3.5")
    assert mts.sections[0].name in texts(at)
    code = at.query_params["m"]
    code = code[0] if isinstance(code, list) else code
    again = open_page("pages/7_ML_Test_Score.py", {"m": code})
    assert [m for m in again.metric if m.label.startswith("Final score")][0].value.startswith("3.5")


def test_marks_scored_in_the_session_travel_in_the_next_self_assessment_link(content):
    """Marks scored on the ML Test Score page are carried into the self-assessment's share link (a v2 code)."""
    from explorer.assess import sharecode

    at = open_page("pages/7_ML_Test_Score.py")
    mts = content.ml_test_score
    tests = [t.id for s in mts.sections for t in s.tests]
    for t in tests:
        at.radio(key=f"t_{t}").set_value(1.0)
    button(at, "Score").click().run()
    at.switch_page("pages/6_Self_Assessment.py")
    at.run()
    _answer_all(at, content, 1)
    no_exception(at)
    code = at.query_params["a"]
    code = code[0] if isinstance(code, list) else code
    decoded = sharecode.decode(code, content.assessment, mts)
    assert decoded.marks == {t: 1.0 for t in tests}


def test_ml_test_score_bad_code():
    at = open_page("pages/7_ML_Test_Score.py", {"m": "nonsense"})
    no_exception(at)
    assert any("could not be read" in w.value for w in at.warning)


# ------------------------------------------------------------------ search and glossary
def test_search_ranks_and_links():
    at = open_page("pages/2_Search.py", {"q": '"feature store"'})
    no_exception(at)
    hit_links = search_hit_links(at)
    assert hit_links, "search gave no linked hits"
    assert hit_links[0] == "/Glossary?term=feature-store"
    html = "\n".join(html_bodies(at))
    assert "<mark>" in html


def test_search_escapes_html_in_query():
    at = open_page("pages/2_Search.py", {"q": "<script>alert(1)</script>"})
    no_exception(at)
    assert "<script>" not in "\n".join(m.value for m in at.markdown) + "\n".join(html_bodies(at))


def test_the_sidebar_is_streamlits_page_links_with_every_page_and_a_search_form():
    """The sidebar: a page link (Streamlit's own navigation, which marks the page being drawn) to every page
    of the route table in its order, and a plain GET form to the search page."""
    import xml.etree.ElementTree as ET

    from explorer.routes import PAGE_LIST, PAGES
    from ui.frame import _search_form_html

    at = open_page("pages/3_Glossary.py")
    no_exception(at)
    links = at.sidebar.get("page_link")
    assert [(e.proto.page or "", e.proto.label) for e in links] == [(p.path.strip("/"), p.label) for p in PAGE_LIST]
    form = ET.fromstring(_search_form_html())  # well-formed: one element, every tag closed
    assert form.get("action") == PAGES["search"].path and form.get("method") == "get"
    (q,) = form.iter("input")
    assert q.get("name") == "q" and q.get("maxlength") == "200"
    assert form.find(".//label").get("for") == q.get("id")
    assert any(_search_form_html() in b for b in html_bodies(at))
    # the search page answers the address the form builds
    at = open_page("pages/2_Search.py", {"q": "kubeflow"})
    no_exception(at)
    assert any("result" in c.value for c in at.caption)


@pytest.mark.parametrize("value", [None, "x", 3, {"path": 5}, {"path": "Notes"}, {"path": "/N\x00"},
                                   {"path": "/Notes", "query": "x" * 3000}, {"path": "/Notes", "query": 7}])
def test_a_malformed_link_report_is_ignored(value):
    from components.page_shell import parse_target

    assert parse_target(value) is None


def test_a_link_followed_in_a_note_switches_to_its_page_with_its_parameters(monkeypatch):
    """ui.frame.follow_link answers the page shell's report with st.switch_page (Streamlit's navigation)."""
    import streamlit as st

    from components.page_shell import parse_target
    from ui.frame import follow_link

    calls = []
    monkeypatch.setattr(st, "switch_page", lambda page, query_params=None: calls.append((page, query_params)))
    follow_link(parse_target({"path": "/Notes", "query": "?note=kaizen&section=why"}))
    follow_link(parse_target({"path": "/", "query": ""}))
    follow_link(parse_target({"path": "/No_Such_Page", "query": "?a=1"}))
    assert calls == [("pages/1_Notes.py", {"note": "kaizen", "section": "why"}), ("app.py", {})]


def test_glossary_term_page_links_both_ways():
    at = open_page("pages/3_Glossary.py", {"term": "feature-store"})
    no_exception(at)
    body = texts(at)
    assert "Where the notes use it" in body
    notes_links = [link for link in at.get("page_link") if link.proto.page == "Notes" and link.proto.query_string]
    assert notes_links


def test_notes_link_glossary_terms():
    at = open_page("pages/1_Notes.py", {"note": "maturity-models"})
    html = "\n".join(html_bodies(at))
    assert 'class="gloss"' in html and "Glossary?term=" in html



def test_glossary_link_rows_write_their_definitions_out_for_touch_and_screen_readers():
    """ui.glossary_links: the row of links keeps its hover help, and an expander under it holds every
    definition as text (a help tooltip cannot be opened on a touch screen nor read by a screen reader)."""
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content

    content = load_content(CONTENT_DIR)
    v, lv = next((v, lv) for v in content.vendors for lv in v.levels if len(lv.glossary) >= 2)
    at = open_page("pages/5_Maturity_Ladders.py", {"rung": lv.id})
    no_exception(at)
    terms = [content.term(i) for i in lv.glossary if content.term(i) is not None]
    box = next(e for e in at.expander if e.label == "What these terms mean")
    written = "\n".join(m.value for m in box.markdown)
    from ui.widgets import literal

    assert written.splitlines() == [f"- **{literal(t.term)}**: {literal(t.definition, 800)}" for t in terms]
    links = [pl for pl in at.get("page_link") if pl.proto.page == "Glossary"]
    assert [pl.proto.help for pl in links][:len(terms)] == [t.definition for t in terms]

# ------------------------------------------------------------------ uploads (through the real widget)
def _upload(files):
    at = open_page("pages/1_Notes.py")
    at.file_uploader(key="note_uploads").set_value(files)
    return at.run()


def test_uploaded_note_is_readable_sanitised_and_searchable():
    body = b"---\ntitle: My week 2\n---\n## Containers\nDocker images <script>alert(1)</script> everywhere\n"
    at = _upload([("my-week2.md", body, "text/markdown")])
    no_exception(at)
    notes = at.session_state["uploaded_notes"]
    assert len(notes) == 1
    note_id = next(iter(notes.values())).id  # the store is keyed by the uploader's file id
    at.query_params["note"] = note_id
    at.run()
    no_exception(at)
    html = "\n".join(html_bodies(at))
    assert "Docker images" in html and "<script>" not in html
    at.switch_page("pages/2_Search.py")
    at.query_params["q"] = "docker"
    at.run()
    no_exception(at)
    assert any(note_id in href for href in search_hit_links(at))


@pytest.mark.parametrize("name,data,message", [
    ("big.md", b"# x\n" + b"a" * 300_000, "kB"),
    ("latin.md", "caf\xe9 cr\xe8me".encode("latin-1"), "UTF-8"),
    ("binary.md", b"\x00\x01\x02PK\x03\x04", "binary"),
], ids=["too-big", "not-utf8", "binary"])
def test_bad_uploads_give_clear_messages_and_keep_the_rest(name, data, message):
    at = _upload([(name, data, "text/markdown"), ("fine.md", b"## Fine\nok\n", "text/markdown")])
    no_exception(at)
    shown = [e.value.replace("\\", "") for e in at.error]  # messages are Markdown-escaped
    assert any(message.lower() in m.lower() and name in m for m in shown), shown
    assert len(at.session_state["uploaded_notes"]) == 1  # the good file of the same batch is kept


# ------------------------------------------------------------------ study
def test_flashcard_review_schedules_card():
    at = open_page("pages/11_Study.py")
    no_exception(at)
    button(at, "Show answer").click().run()
    no_exception(at)
    first = at.session_state["_study"].revealed  # the study page's state (ui.study_view.StudyState)
    easy = next(b for b in at.button if b.label.startswith("Easy · "))
    easy.click().run()
    no_exception(at)
    rec = at.session_state["learner"].cards[first]
    assert rec.state.reviews == 1 and rec.state.phase == "review" and [r[2] for r in rec.log] == [4]  # Easy = 4
    assert at.session_state["_study"].revealed is None and button(at, "Show answer")  # the next card starts hidden


def test_quiz_grades_and_explains():
    at = open_page("pages/11_Study.py", {"tab": "quiz", "seed": "42"})
    no_exception(at)
    radios = [r for r in at.radio if str(r.key).startswith("quiz::42::")]
    assert len(radios) == 10
    for r in radios:
        r.set_value(0)
    button(at, "Check answers").click().run()
    no_exception(at)
    score = [m for m in at.metric if m.label == "Score"][0]
    assert "/ 10" in score.value
    assert len(at.session_state["learner"].quizzes) == 1 and at.session_state["learner"].quizzes[0].total == 10


def test_a_bad_quiz_number_in_the_link_draws_a_new_quiz_and_its_notice_stays():
    at = open_page("pages/11_Study.py", {"tab": "quiz", "seed": "not-a-number"})
    no_exception(at)
    seed = at.query_params["seed"][0] if isinstance(at.query_params["seed"], list) else at.query_params["seed"]
    assert seed.isdigit()  # a new quiz, in the URL
    for _ in range(2):  # later runs (the browser store answering, a widget) keep telling the reader why
        assert any("is not a number" in w.value for w in at.warning), [w.value for w in at.warning]
        at.run()
        no_exception(at)
    at.select_slider(key="quiz_n").set_value(5).run()
    assert any("is not a number" in w.value for w in at.warning)
    button(at, "New quiz").click().run()  # the reader moves on: the notice has done its job
    no_exception(at)
    assert not any("is not a number" in w.value for w in at.warning)


def test_study_progress_tab_and_pack():
    at = open_page("pages/11_Study.py", {"tab": "progress"})
    no_exception(at)
    labels = [d.proto.label for d in at.get("download_button")]
    assert any("study pack" in x.lower() for x in labels) and any("progress" in x.lower() for x in labels)
