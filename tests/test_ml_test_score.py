"""ML Test Score (2017 paper): arithmetic against worked examples, bands at their boundaries."""

from __future__ import annotations

import pytest

from explorer import CONTENT_DIR
from explorer.assess.scoring import band_for, ml_test_score
from explorer.charts.assessment import mlts_bar_figure, mlts_table
from explorer.content.loader import load_content


@pytest.fixture(scope="module")
def mts():
    c = load_content(CONTENT_DIR)
    return c.ml_test_score


def section_tests(mts, section_id):
    return [t.id for s in mts.sections if s.id == section_id for t in s.tests]


def all_marked(mts, value):
    return {t.id: value for s in mts.sections for t in s.tests}


# --------------------------------------------------------------------------- the rubric itself
def test_rubric_shape(mts):
    assert [s.id for s in mts.sections] == ["data", "model", "infrastructure", "monitoring"]
    assert [len(s.tests) for s in mts.sections] == [7, 7, 7, 7]
    ids = [t.id for s in mts.sections for t in s.tests]
    assert len(set(ids)) == 28
    assert str(mts.last_verified) == "2026-11-26"
    assert "2016" in mts.scoring_note and "minimum" in mts.scoring_note


def test_bands_cover_every_score_once(mts):
    bands = mts.bands
    assert bands[0].above == -1 and bands[0].up_to == 0
    for lower, upper in zip(bands, bands[1:]):
        assert upper.above == lower.up_to  # contiguous, no gap, no overlap
    assert bands[-1].up_to is None
    assert [(b.above, b.up_to) for b in bands] == [(-1, 0), (0, 1), (1, 2), (2, 3), (3, 5), (5, None)]


# --------------------------------------------------------------------------- worked examples
def test_all_automated_is_seven(mts):
    r = ml_test_score(mts, all_marked(mts, 1))
    assert [s.total for s in r.sections] == [7, 7, 7, 7]
    assert r.final == 7
    assert r.band_label == "Exceptional"
    assert r.weakest == ("data", "model", "infrastructure", "monitoring")  # a four-way tie
    assert r.unmarked == ()
    assert all(s.n_automated == 7 for s in r.sections)


def test_one_section_all_manual_is_three_and_a_half(mts):
    marks = all_marked(mts, 1)
    marks.update({t: 0.5 for t in section_tests(mts, "monitoring")})
    r = ml_test_score(mts, marks)
    assert [s.total for s in r.sections] == [7, 7, 7, 3.5]
    assert r.final == 3.5
    assert r.band_label == "Strong automation"  # (3, 5]
    assert r.weakest == ("monitoring",)
    assert r.weakest_names == ("Monitoring",)
    assert r.sections[3].n_manual == 7


def test_all_manual_everywhere(mts):
    r = ml_test_score(mts, all_marked(mts, 0.5))
    assert r.final == 3.5 and r.band_label == "Strong automation"


def test_nothing_marked_is_zero(mts):
    r = ml_test_score(mts, {})
    assert r.final == 0 and r.band_label == "Research project"
    assert len(r.unmarked) == 28
    assert all(s.n_none == 7 for s in r.sections)


def test_mixed_worked_example(mts):
    """data: 3 automated + 2 manual = 4; model: 1 automated + 4 manual = 3;
    infrastructure: 7 automated = 7; monitoring: 2 manual + explicit 0s = 1 -> final 1, band (0,1]."""
    d, m, i, mon = (section_tests(mts, s) for s in ("data", "model", "infrastructure", "monitoring"))
    marks = {**{t: 1 for t in d[:3]}, **{t: 0.5 for t in d[3:5]}}
    marks.update({m[0]: 1, **{t: 0.5 for t in m[1:5]}})
    marks.update({t: 1 for t in i})
    marks.update({mon[0]: 0.5, mon[1]: 0.5, mon[2]: 0, mon[3]: 0})
    r = ml_test_score(mts, marks)
    assert [s.total for s in r.sections] == [4, 3, 7, 1]
    assert r.final == 1
    assert r.band_label == "Not entirely untested"
    assert r.weakest == ("monitoring",)
    assert r.sections[0].n_automated == 3 and r.sections[0].n_manual == 2 and r.sections[0].n_none == 2
    assert r.sections[3].n_none == 5  # two explicit zeros + three unmarked
    assert set(r.unmarked) == set(d[5:]) | set(m[5:]) | set(mon[4:])
    assert r.marks_total == 15


@pytest.mark.parametrize(
    "weakest_total, band",
    [
        (0, "Research project"),
        (0.5, "Not entirely untested"),
        (1, "Not entirely untested"),  # (0, 1]: 1 belongs to the lower band
        (1.5, "First pass at production"),
        (2, "First pass at production"),
        (2.5, "Reasonably tested"),
        (3, "Reasonably tested"),
        (3.5, "Strong automation"),
        (5, "Strong automation"),  # (3, 5]
        (5.5, "Exceptional"),
        (7, "Exceptional"),
    ],
)
def test_bands_at_boundaries(mts, weakest_total, band):
    """Build the weakest section from whole and half points; other sections are fully automated."""
    marks = all_marked(mts, 1)
    tests = section_tests(mts, "model")
    whole, half = int(weakest_total), weakest_total % 1 == 0.5
    for j, t in enumerate(tests):
        marks[t] = 1 if j < whole else (0.5 if (j == whole and half) else 0)
    r = ml_test_score(mts, marks)
    assert r.final == weakest_total
    assert r.band_label == band
    if weakest_total < 7:
        assert r.weakest == ("model",)


def test_band_for_edges(mts):
    assert band_for(mts, 0)[0] == "Research project"
    assert band_for(mts, 1e-9)[0] == "Not entirely untested"
    assert band_for(mts, 1 + 1e-9)[0] == "First pass at production"
    assert band_for(mts, 5 + 1e-9)[0] == "Exceptional"
    assert band_for(mts, -5)[0] == "Outside the bands"


@pytest.mark.parametrize("bad", [0.7, 2, -1, True, "1", float("nan")])
def test_invalid_marks_rejected(mts, bad):
    with pytest.raises(ValueError, match="0, 0.5 or 1"):
        ml_test_score(mts, {"rollback": bad})


def test_unknown_test_ids_are_listed_not_scored(mts):
    r = ml_test_score(mts, {"not-a-test": 1, "rollback": 1})
    assert r.unknown == ("not-a-test",)
    assert r.sections[2].total == 1


def test_bar_chart_highlights_the_minimum(mts):
    marks = all_marked(mts, 1)
    marks.update({t: 0.5 for t in section_tests(mts, "data")})
    r = ml_test_score(mts, marks)
    fig = mlts_bar_figure(r)
    colors = list(fig.data[0].marker.color)
    assert colors[0] != colors[1] and colors[1] == colors[2] == colors[3]
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)"
    t = mlts_table(r)
    assert list(t["Points"]) == [3.5, 7, 7, 7]
    assert list(t["Weakest"]) == [True, False, False, False]


# --------------------------------------------------------------------------- links (m1 codes)
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as hst  # noqa: E402

from explorer.assess import sharecode  # noqa: E402


def test_marks_code_round_trip_needs_only_the_rubric(mts):
    tests = [t.id for s in mts.sections for t in s.tests]
    marks = {tests[0]: 1.0, tests[1]: 0.5, tests[5]: 0.0}
    code = sharecode.encode_marks(mts, marks)
    assert code.startswith("m1.") and sharecode.decode_marks(code, mts) == marks
    damaged = code[:-1] + ("a" if code[-1] != "a" else "b")
    with pytest.raises(sharecode.ShareCodeError, match="does not check out"):
        sharecode.decode_marks(damaged, mts)


def test_older_self_assessment_links_with_marks_still_open(mts):
    c = load_content(CONTENT_DIR)
    tests = [t.id for s in mts.sections for t in s.tests]
    old = sharecode.encode(c.assessment, {}, marks={tests[2]: 1.0}, mts=mts)
    assert sharecode.decode_marks(old, mts, c.assessment) == {tests[2]: 1.0}
    with pytest.raises(sharecode.ShareCodeError, match="also needs the self-assessment"):
        sharecode.decode_marks(old, mts, None)


@settings(max_examples=150, deadline=None)
@given(hst.one_of(hst.text(max_size=80), hst.from_regex(r"m1\.[01hx]{0,40}\.[a-z2-7]{0,6}", fullmatch=True)))
def test_any_marks_link_is_read_or_refused_with_a_message(text):
    mts_ = load_content(CONTENT_DIR).ml_test_score
    try:
        sharecode.decode_marks(text, mts_)
    except sharecode.ShareCodeError as exc:
        assert str(exc)


def test_the_page_works_when_the_questionnaire_is_broken(monkeypatch, tmp_path):
    import shutil

    import ui.caches
    from tests.apptest_util import ROOT, no_exception, open_page

    dst = tmp_path / "content"
    shutil.copytree(ROOT / "content", dst)
    (dst / "assessment.yaml").write_text("questions: [broken\n", encoding="utf-8")
    monkeypatch.setattr(ui.caches, "CONTENT_DIR", dst)
    mts_ = load_content(dst).ml_test_score
    tests = [t.id for s in mts_.sections for t in s.tests]
    at = open_page("pages/7_ML_Test_Score.py", {"m": sharecode.encode_marks(mts_, {t: 1.0 for t in tests})})
    no_exception(at)
    assert not at.error and any(m.label.startswith("Final score") and m.value.startswith("7") for m in at.metric)
