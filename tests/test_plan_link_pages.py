"""``?plan=`` on the pages (issue 20): a retyped link gives a notice and loses nothing else in the URL;
an old link without a check opens with a notice that it could not be checked."""

from __future__ import annotations

from explorer import CONTENT_DIR
from explorer.assess import plan as plan_mod
from explorer.assess import sharecode
from explorer.assess.plan_link import MISTYPED, UNCHECKED, read_edits
from explorer.assess.scoring import evaluate
from explorer.content.loader import load_content
from tests.apptest_util import no_exception, open_page
from tests.test_codecheck import substitutions

ASSESS = "pages/6_Self_Assessment.py"
WORKSHOP = "pages/12_Workshop.py"
_C = load_content(CONTENT_DIR)
A, V = _C.assessment, _C.vendors
ANSWERS = {q.id: 1 for q in A.questions}
CODE = sharecode.encode(A, ANSWERS)


def _plan_keys() -> list[str]:
    return list(plan_mod.build_plan(evaluate(A, V, ANSWERS), A, V).keys)


def _link() -> str:
    keys = _plan_keys()
    return plan_mod.encode_edits({keys[0]: {"owner": "Ana", "target": "2031-03-31"}, keys[1]: {"owner": "Bo", "target": ""}})


def _editor_owners(at) -> list[str]:
    if not at.toggle(key="plan_editor_show").value:
        at.toggle(key="plan_editor_show").set_value(True).run()
    (ed,) = [e for e in at.data_editor if (e.key or "").startswith("plan_editor_")]
    return ed.value["owner"].tolist()


def _param(at, name):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def _retyped(link: str) -> str:
    """The first substitution of the link's body that the old format (no check) would have read as other data."""
    head, body, check = link.split(".")
    for typo in substitutions(body, "abcdefghijklmnopqrstuvwxyz234567"):
        try:
            edits = read_edits(f"p1.{typo}").edits
        except ValueError:
            continue
        if edits != read_edits(link).edits:
            return f"{head}.{typo}.{check}"
    raise AssertionError("no silent typo found")


def test_a_retyped_plan_link_shows_a_notice_and_keeps_the_result_and_the_url():
    link = _link()
    assert _editor_owners(open_page(ASSESS, {"a": CODE, "plan": link}))[:2] == ["Ana", "Bo"]  # the link as sent

    typo = _retyped(link)
    at = open_page(ASSESS, {"a": CODE, "plan": typo})
    no_exception(at)
    assert [w.value for w in at.warning if "check out" in w.value] == [MISTYPED]
    assert [m.value for m in at.metric if m.label == "You stand on"], "the result from ?a= is shown"
    assert set(_editor_owners(at)) == {""}, "no owner from a link that does not check out"
    assert (_param(at, "a"), _param(at, "plan")) == (CODE, typo), "nothing else in the URL is lost or rewritten"


def test_an_old_plan_link_without_a_check_opens_with_a_notice():
    old = "p1." + _link().split(".")[1]  # the version-1 format: the same body, no check characters
    at = open_page(ASSESS, {"a": CODE, "plan": old})
    no_exception(at)
    assert UNCHECKED in [i.value for i in at.info]
    assert _editor_owners(at)[:2] == ["Ana", "Bo"]
    assert not [w.value for w in at.warning if "owners and target dates" in w.value]


def test_a_retyped_plan_link_on_the_workshop_page_shows_a_notice():
    w = sharecode.encode_workshop([CODE, sharecode.encode(A, {q.id: 2 for q in A.questions})])
    at = open_page(WORKSHOP, {"w": w, "plan": _retyped(_link())})
    no_exception(at)
    assert MISTYPED in [x.value for x in at.warning]
    assert _param(at, "w") == w
