"""The one family of rung labels (explorer.assess.ladders) and the places that name rungs with it."""

from __future__ import annotations

from explorer import CONTENT_DIR
from explorer.assess.ladders import BELOW_FIRST_RUNG, rung_heading, rung_label, rung_title
from explorer.assess.scoring import evaluate
from explorer.assess.workshop import LadderConsensus
from explorer.content.loader import load_content
from explorer.notes import search
from explorer.study import cards
from tests.assessment_fixtures import mini_assessment, mini_vendors

C = load_content(CONTENT_DIR)
AWS = C.vendor("aws")
AZURE = C.vendor("azure")


def test_the_three_forms():
    second = AWS.levels[1]
    assert (second.rank, second.name) == (2, "Repeatable")
    assert rung_label(AWS, second) == "Phase 2"
    assert rung_title(AWS, second) == "Phase 2: Repeatable"
    assert rung_heading(AWS, second) == "Amazon Web Services · Phase 2: Repeatable"
    assert rung_label(AZURE, AZURE.levels[0]) == "Level 0"  # Azure counts from 0
    assert rung_title(AWS, None) == BELOW_FIRST_RUNG == "below the first rung"


def test_placements_name_rungs_with_the_family():
    a, vs = mini_assessment(), mini_vendors()
    alpha, beta = evaluate(a, vs, {"ci": 2, "store": 1}).placements  # alpha a2 (next a3), beta b0 (next b1)
    assert alpha.current_label == "Phase 2: Rung a2" and alpha.next_label == "Phase 3: Rung a3"
    assert beta.current_label == "Level 0: Rung b0" and beta.next_label == "Level 1: Rung b1"
    top = evaluate(a, vs, {"ci": 3, "store": 3, "deploy": 3, "monitor": 3, "team": 3}).placements[0]
    assert top.at_top and top.next_label == "top of the ladder"
    strict = mini_vendors()[0].model_copy(update={"levels": mini_vendors()[0].levels[1:]})  # first rung needs ci >= 2
    (below,) = evaluate(a, [strict], {}).placements
    assert below.current is None and below.current_label == BELOW_FIRST_RUNG and below.next_label == "Phase 2: Rung a2"
    ladder = LadderConsensus("alpha", "Alpha Cloud", "Phase", alpha, None, (0, 0, 0), 1, ())
    assert ladder.individual_label == BELOW_FIRST_RUNG


def test_search_and_study_cards_use_the_same_titles():
    titles = {r.title for r in search.content_records(C) if r.kind == "level"}
    assert "Amazon Web Services Phase 2: Repeatable" in titles
    assert len(titles) == sum(len(v.levels) for v in C.vendors)
    card = next(c for c in cards.generate_cards(C) if c.id == "rung-next:aws-initial")
    assert card.front == "In the Amazon Web Services maturity model, what comes after Phase 1 (Initial)?"
    assert card.back == "Phase 2: Repeatable"
