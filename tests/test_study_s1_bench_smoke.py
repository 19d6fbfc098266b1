"""The bench's ``study`` section (#24 memory) runs end to end on a small learner: every row measured, none failed."""

from __future__ import annotations

from bench.common import Results


def test_study_section_runs():
    from bench.study_bench import run_study

    r = Results()
    run_study(r, reruns=2, sims=1, fits=1, cards=200)
    rows = [x for x in r.rows if x.section == "study"]
    assert rows and not [x.error for x in rows if x.error]
    names = " | ".join(x.name for x in rows)
    for part in ("?tab=memory warm rerun", "help me decide", "optimizer: fit in this process", "the page's job",
                 "while a fit runs in its child process", "what-if"):
        assert part in names
    ratio = next(x for x in rows if "page time / unloaded" in x.name)
    assert ratio.value is not None and ratio.value > 0
