"""``python -m bench``: the benchmark suite, one command, one printed table.

Sections (``--only`` takes a comma-separated list of these names):

- ``pages``       warm rerun of every page (and pages opened on a selection) under AppTest,
                  against a one-line hello-world page
- ``notes``       the Markdown engine and reader: cold render of an 87 kB note with 65 code blocks,
                  warm rerun of the Notes page on it, the live-notes check, hostile input at 50-200 kB
- ``math``        a note with 200 formulas typeset to MathML (cold and drawn again) against a plain markdown-it
                  render, one formula by kind, the worst cases (macro loop, 200x200 matrix, 10,000 braces, 5,000 formulas)
- ``diagrams``    a note with 15 Mermaid diagrams in Chromium: its text drawn before its diagrams, against the same
                  note with the sources as code blocks
- ``assessment``  self-assessment: one answer, the results view, a new answer set; pure scoring
                  and share-code functions
- ``workshop``    workshop view of 30 answer sets (read codes, consensus, plan, HTML report), the
                  workshop link, evaluate() with N/A, share-code version 2 with notes; pure Python
- ``search``      index build and queries on the shipped content and on 1,000 generated notes,
                  against a plain ``str.lower().find`` scan
- ``store``       the learner's browser store with 1,000 cards and a year of reviews: load, dump,
                  a grade click, merge of two tabs, SM-2 migration, against ``json.loads``
- ``bridge``      the browser store bridge (components/browser_store): what mounting it and restoring the
                  browser's snapshot add to a page's first run, what it adds to a warm rerun, a
                  queued write; in full runs also Chromium's first render -> restored
- ``coldstart``   ``streamlit run`` to the first page rendered in Chromium, app vs hello-world; the
                  first visit of every page (``--coldstart-compare PATH``: another checkout beside it)
- ``load``        N concurrent websocket sessions running every page in turn for S seconds
- ``uploads``     50 sessions each uploading 20 notes of 200 kB through the real uploader: server RSS
                  growth per session (bounded by the per-session limit) and after the sessions end
- ``lb``          the same load through HAProxy: one process vs ``--replicas`` processes (cookie
                  stickiness), then one process killed mid-load (its sessions reconnect to a survivor)
- ``vault``       a generated vault of 10 to 5,000 notes beside the shipped content (#22): lazy load, background
                  index, memory, first visit of a note, one note edited, fresh server to home, load test
- ``study``       the Study page's memory tab (#24) with 2,000 cards and a year of reviews: its rerun, the 90-day
                  simulation, the optimizer on 10,000 reviews and another session's page while it runs
- ``abuse``       the worst case of every action a visitor can send, at the shipped limits (hostile
                  uploads, mark-all on 8,000 headings, a 5 MB progress file, the restore of 30 notes,
                  the longest workshop paste, share link, plan code and query): the server's CPU per
                  action, and another session's page time while it runs

A full run (no ``--quick``, no ``--only``) writes ``bench/RESULTS.md``; other runs write
``bench/out/results-quick.md`` (or ``--out PATH``).  Exit status is 0 even when goals are
missed (``--strict`` makes it 1): timings are reported, not tested.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from .common import OUT_DIR, RESULTS_MD, Results, Row, write_report

SECTIONS = ("pages", "notes", "math", "diagrams", "assessment", "workshop", "search", "store", "bridge", "coldstart", "load", "uploads", "lb",
            "abuse", "vault", "study")


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="few samples, 10 sessions for 8 s: a fast check (about 1 minute)")
    p.add_argument("--only", action="append", default=[], metavar="NAME", help=f"run only these sections ({', '.join(SECTIONS)}); repeatable or comma-separated")
    p.add_argument("--skip", action="append", default=[], metavar="NAME", help="skip these sections")
    p.add_argument("--reruns", type=int, help="timed AppTest reruns per page (default 20, quick 5)")
    p.add_argument("--sessions", type=int, help="concurrent websocket sessions in the load test (default 50, quick 10)")
    p.add_argument("--seconds", type=float, help="duration of the load test (default 30, quick 8)")
    p.add_argument("--think", type=float, default=0.0, help="seconds each load session waits between pages (default 0: closed loop)")
    p.add_argument("--server-flag", action="append", default=[], metavar="OPTION=VALUE",
                   help="extra option for the load-test server, e.g. runner.postScriptGC=false (repeatable)")
    p.add_argument("--whatif", choices=("auto", "yes", "no"), default="auto",
                   help="after the load test, a shorter one with runner.postScriptGC=false (auto: in full runs, "
                        "unless the app's config already sets it)")
    p.add_argument("--replicas", type=int, default=2, help="app processes behind haproxy in the lb section (default 2)")
    p.add_argument("--coldstart-reps", type=int, help="cold starts per app (default 3, quick 1)")
    p.add_argument("--coldstart-compare", type=Path, metavar="PATH",
                   help="also measure the app checked out at PATH (e.g. a git worktree of main), interleaved: before/after")
    p.add_argument("--generated", type=int, default=1000, help="generated notes for the search benchmark (default 1000)")
    p.add_argument("--out", type=Path, help="write the Markdown report here")
    p.add_argument("--no-write", action="store_true", help="print only")
    p.add_argument("--strict", action="store_true", help="exit 1 when a goal is not met")
    return p.parse_args(argv)


def selected(args: argparse.Namespace) -> list[str]:
    only = [x.strip() for item in args.only for x in item.split(",") if x.strip()]
    skip = {x.strip() for item in args.skip for x in item.split(",") if x.strip()}
    unknown = [x for x in [*only, *skip] if x not in SECTIONS]
    if unknown:
        raise SystemExit(f"unknown section(s) {unknown}; choose from {', '.join(SECTIONS)}")
    return [s for s in (only or SECTIONS) if s not in skip]


def want_whatif(args: argparse.Namespace) -> bool:
    """The what-if load run shows what Streamlit's post-run garbage collection costs this app."""
    if args.whatif != "auto":
        return args.whatif == "yes"
    from .common import ROOT

    cfg = ROOT / ".streamlit" / "config.toml"
    already = cfg.exists() and "postScriptGC" in cfg.read_text(encoding="utf-8")
    return not args.quick and not args.server_flag and not already


def run(args: argparse.Namespace, results: Results | None = None) -> Results:
    results = results or Results()
    q = args.quick
    reruns = args.reruns or (5 if q else 20)
    for name in selected(args):
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        try:
            if name == "pages":
                from .apptest_bench import run_pages

                run_pages(results, reruns=reruns)
            elif name == "notes":
                from .notes_bench import run_notes

                run_notes(results, n=5 if q else 15, reruns=reruns, hostile_n=1 if q else 3)
            elif name == "math":
                from .math_bench import run_math

                run_math(results, n=5 if q else 15, worst_n=1 if q else 3)
            elif name == "diagrams":
                from .diagrams_bench import run_diagrams

                run_diagrams(results, reps=2 if q else 5)
            elif name == "assessment":
                from .apptest_bench import run_assessment

                run_assessment(results, reruns=reruns, pure_samples=10 if q else 30)
                from .answer_browser import run_answers_in_browser

                run_answers_in_browser(results)
            elif name == "workshop":
                from .workshop_bench import run_workshop

                run_workshop(results, samples=10 if q else 30)
            elif name == "search":
                from .search_bench import run_search

                run_search(results, n=10 if q else 30, builds=2 if q else 5, generated=args.generated)
            elif name == "store":
                from .store_bench import run_store

                run_store(results, n=8 if q else 30)
            elif name == "bridge":
                from .bridge_bench import run_bridge

                run_bridge(results, reps=5 if q else 20, browser=not q)
            elif name == "coldstart":
                from .coldstart import run_coldstart

                run_coldstart(results, reps=args.coldstart_reps or (1 if q else 3), compare_root=args.coldstart_compare)
            elif name == "load":
                from .load import run_load

                sessions = args.sessions or (10 if q else 50)
                seconds = args.seconds or (8.0 if q else 30.0)
                flags = [x for kv in args.server_flag for x in (f"--{kv.split('=', 1)[0]}", kv.split("=", 1)[1])]
                run_load(results, sessions=sessions, seconds=seconds, think=args.think, flags=flags,
                         label=" ".join(args.server_flag))
                if want_whatif(args):
                    run_load(results, sessions=sessions, seconds=max(5.0, seconds / 2), think=args.think,
                             flags=["--runner.postScriptGC", "false"], label="what-if runner.postScriptGC=false", goals=False)
            elif name == "uploads":
                from .uploads_bench import run_uploads

                run_uploads(results, sessions=5 if q else 50)
            elif name == "lb":
                from .lb import run_lb

                run_lb(results, replicas=args.replicas, sessions=args.sessions or (10 if q else 50),
                       seconds=args.seconds or (8.0 if q else 30.0), think=args.think)
            elif name == "vault":
                from .vault_bench import run_vault

                run_vault(results, quick=q, sessions=args.sessions or (10 if q else 50),
                          seconds=args.seconds or (8.0 if q else 30.0))
            elif name == "study":
                from .study_bench import run_study

                run_study(results, reruns=reruns, sims=2 if q else 5, fits=1 if q else 3)
            elif name == "abuse":
                from .abuse_bench import run_abuse

                run_abuse(results, samples=1 if q else 3, contention_s=2.0 if q else 5.0)
        except Exception as exc:  # one broken section must not hide the others
            traceback.print_exc()
            results.add(Row(name, "section failed", [], error=f"{type(exc).__name__}: {exc}"[:300]))
        results.notes.append(f"section {name} took {time.perf_counter() - t0:.0f} s")
    return results


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    t0 = time.perf_counter()
    results = run(args)
    elapsed = time.perf_counter() - t0
    print()
    print(results.text_table())
    met, total, missed = results.goals_summary()
    print(f"\nGoals met: {met} of {total}")
    for r in missed:
        print(f"  not met: {r.key} ({r.goal.text})" + (f" [{r.error}]" if r.error else ""))
    if not args.no_write:
        full = not args.quick and not args.only and not args.skip and args.sessions is None and args.seconds is None
        path = args.out or (RESULTS_MD if full else OUT_DIR / "results-quick.md")
        write_report(results, path, argv, elapsed)
        print(f"\nwrote {path}")
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
