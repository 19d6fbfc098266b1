"""Section ``workshop``: the pure work behind the workshop view, the report and share codes (issue 12).

Everything here is plain Python (no Streamlit): what a page rerun would spend on top of drawing.

* the **workshop view of 30 answer sets**, warm: read 30 pasted share codes (version 2, with N/A,
  notes and names), compute consensus, spread and disagreement, build the consensus plan and
  render the workshop HTML report; goal <= 60 ms (issue 12), and each part on its own;
* the combined workshop link (encode) and reading it back;
* ``evaluate()`` per answer set with N/A, the single-result plan and HTML report;
* share-code version 2 encode/decode with notes, and the notes budget at its worst (notes that do
  not fit, so the encoder searches the note length);

all against a baseline measured in the same run: a JSON round trip of the same 30 answer sets.
"""

from __future__ import annotations

import json
import random

from .common import Results, Row, ms_goal, timed

WORKSHOP_GOAL_MS = 60
SETS = 30
SECTION = "workshop"


def _answer_sets(assessment, n: int, seed: int = 12):
    """n answer sets like a real workshop: mostly answered, some N/A, a few notes and names."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        answers = {q.id: rng.randrange(len(q.answers)) for q in assessment.questions if rng.random() < 0.92}
        na = [q.id for q in assessment.questions if q.allow_na and q.id not in answers and rng.random() < 0.6]
        notes = {q.id: f"Today: {q.capability.lower()} handled by team {i % 5}; see https://wiki.example.com/{q.id}/{i}"
                 for q in assessment.questions if rng.random() < 0.15}
        out.append((answers, na, notes, f"Person {i}" if i % 3 == 0 else ""))
    return out


def _noisy_notes(assessment, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(300)]
    return {q.id: " ".join(rng.choice(words) for _ in range(50))[:270] for q in assessment.questions}


def run_workshop(results: Results, *, samples: int = 30) -> None:
    from explorer import CONTENT_DIR
    from explorer.assess import sharecode
    from explorer.assess.plan import build_plan, note_resolver
    from explorer.assess.report import render_report, render_workshop_report
    from explorer.assess.scoring import evaluate
    from explorer.assess.workshop import compute_workshop, read_codes, workshop_link_code
    from explorer.content.loader import load_content

    content = load_content(CONTENT_DIR)
    A, V = content.assessment, content.vendors
    resolve = note_resolver(content)
    sets = _answer_sets(A, SETS)
    codes = [sharecode.encode(A, a, na=na, notes=notes, name=name) for a, na, notes, name in sets]
    plain = [{"answers": a, "na": na, "notes": notes, "name": name} for a, na, notes, name in sets]

    base_name = f"baseline: json round trip of {SETS} answer sets"
    s, k = timed(lambda: json.loads(json.dumps(plain)), samples, min_sample=0.005)
    results.add(Row(SECTION, base_name, s, note=f"mean of {k} calls per sample"))
    base = f"{SECTION}/{base_name}"

    def add(name, fn, goal=None, min_sample=0.005):
        try:
            s, k = timed(fn, samples, min_sample=min_sample)
            results.add(Row(SECTION, name, s, baseline=base, goal=goal, note=f"mean of {k} calls per sample" if k > 1 else ""))
        except Exception as exc:  # a broken measurement is a row with an error, not a crashed suite
            results.add(Row(SECTION, name, [], baseline=base, goal=goal, error=f"{type(exc).__name__}: {exc}"[:200]))

    entries = read_codes(codes, A)
    assert entries.ok == SETS, [s.message for s in entries.problems]
    ws = compute_workshop(entries, A, V)

    def workshop_view():
        e = read_codes(codes, A)
        w = compute_workshop(e, A, V)
        plan = build_plan(w.result, A, V, resolve=resolve)
        return render_workshop_report(w, A, V, plan=plan, team="Platform team")

    add(f"workshop view of {SETS} answer sets (read codes, consensus, plan, report)", workshop_view, ms_goal(WORKSHOP_GOAL_MS))
    add(f"  read {SETS} share codes (v2, N/A, notes, names)", lambda: read_codes(codes, A))
    add(f"  consensus, spread, disagreement of {SETS}", lambda: compute_workshop(entries, A, V))
    plan = build_plan(ws.result, A, V, resolve=resolve)
    add("  consensus improvement plan", lambda: build_plan(ws.result, A, V, resolve=resolve))
    add("  workshop HTML report (Jinja2, inline SVG)", lambda: render_workshop_report(ws, A, V, plan=plan, team="Platform team"))
    link = workshop_link_code(ws, A)
    add(f"workshop link: encode {SETS} members", lambda: workshop_link_code(ws, A))
    add(f"workshop link: read back {SETS} members", lambda: read_codes([link.code], A))

    it = {"i": 0}

    def nxt() -> int:
        it["i"] = (it["i"] + 1) % SETS
        return it["i"]

    add("evaluate() per answer set (with N/A)", lambda: evaluate(A, V, sets[nxt()][0], sets[it["i"]][1]))
    one = evaluate(A, V, sets[0][0], sets[0][1])
    one_plan = build_plan(one, A, V, resolve=resolve)
    add("single-result HTML report (plan, notes)", lambda: render_report(one, A, V, plan=one_plan, notes=sets[0][2]))
    add("sharecode v2 encode (notes that fit)", lambda: sharecode.encode(A, sets[nxt()][0], na=sets[it["i"]][1], notes=sets[it["i"]][2], name="Ann"))
    add("sharecode v2 decode", lambda: sharecode.decode(codes[nxt()], A))
    noisy = _noisy_notes(A, 1)
    cut = sharecode.encode_full(A, {}, notes=noisy, version=2)
    add("sharecode v2 encode (notes cut to fit: length search)", lambda: sharecode.encode(A, {}, notes=noisy, version=2))
    add("sharecode v2 decode (full notes part)", lambda: sharecode.decode(cut.code, A))
    _page_rows(results, link.code, samples)
    results.notes.append(
        f"workshop: {SETS} codes of {min(map(len, codes))}-{max(map(len, codes))} characters; workshop link "
        f"{len(link.code)} characters{' (notes dropped)' if link.notes_dropped else ''}; the cut-notes code is "
        f"{len(cut.code)} characters (notes cut to {cut.note_limit})"
    )


WORKSHOP_PAGE = "pages/12_Workshop.py"


def _page_rows(results: Results, code: str, samples: int) -> None:
    """The workshop page itself under AppTest, warm, opened from a workshop link of 30 answer sets: the
    normal view and the facilitator view, against a hello-world rerun timed right before each sample."""
    from .apptest_bench import BASELINE, Paired, exceptions, open_page
    from .common import quiet_streamlit, timed_cpu

    quiet_streamlit()
    reruns = max(5, samples // 2)
    paired = Paired(results, reruns)
    for label, params in ((f"workshop page warm rerun ({SETS} answer sets, AppTest)", {"w": code}),
                          (f"facilitator view warm rerun ({SETS} answer sets, AppTest)", {"w": code, "view": "facilitator"})):
        try:
            at = open_page(WORKSHOP_PAGE, params)
            errors = exceptions(at)
            paired.take()
            s, cpu, _ = timed_cpu(at.run, reruns, warmup=1, between=paired.once)
            results.add(Row(SECTION, label, s, cpu_samples=cpu, base_samples=paired.take(), baseline=BASELINE,
                            goal=ms_goal(WORKSHOP_GOAL_MS), error="; ".join(errors or exceptions(at))[:200]))
        except Exception as exc:
            results.add(Row(SECTION, label, [], baseline=BASELINE, goal=ms_goal(WORKSHOP_GOAL_MS), error=f"{type(exc).__name__}: {exc}"[:200]))
