"""Where a page's warm rerun spends its time: ``python -m bench.profile_pages [PAGE] [key=value ...]``.

Profiles N warm AppTest reruns of one page (default: every page) with cProfile inside the
script thread and prints, per page, the Streamlit commands and app functions with the most
cumulative time per run.  Profiling slows everything down ~1.5-2x: compare rows, not totals.

    python -m bench.profile_pages pages/9_Certifications.py
    python -m bench.profile_pages pages/1_Notes.py note=maturity-models -n 20 --top 30
"""

from __future__ import annotations

import argparse
import cProfile
import pstats

from .common import quiet_streamlit


def profile_page(page: str, params: dict[str, str] | None = None, runs: int = 10) -> tuple[float, list[tuple[float, float, str]]]:
    """(profiled ms per run, [(ms per run, calls per run, function)]) for ``runs`` warm reruns."""
    quiet_streamlit()
    from streamlit.runtime.scriptrunner import script_runner as srm

    from .apptest_bench import open_page

    prof = cProfile.Profile()
    orig = srm.ScriptRunner._run_script
    on = {"v": False}

    def wrapped(self, rerun_data):
        if not on["v"]:
            return orig(self, rerun_data)
        prof.enable()
        try:
            return orig(self, rerun_data)
        finally:
            prof.disable()

    srm.ScriptRunner._run_script = wrapped
    try:
        at = open_page(page, params)
        at.run()
        on["v"] = True
        for _ in range(runs):
            at.run()
    finally:
        srm.ScriptRunner._run_script = orig
    st = pstats.Stats(prof)
    total = 0.0
    rows = []
    for (fn, ln, name), (_cc, nc, _tt, ct, _callers) in st.stats.items():
        if name == "_run_script":
            total = max(total, ct)
        short = fn.split("site-packages/")[-1].replace("/work/main/", "")
        interesting = ("streamlit/elements" in fn or "streamlit/commands" in fn or "/explorer/" in fn
                       or "/ui/" in fn or "/components/" in fn or "/pages/" in fn or fn.endswith("/app.py"))
        if interesting:
            rows.append((ct / runs * 1000, nc / runs, f"{short}:{ln}({name})"))
    rows.sort(reverse=True)
    return total / runs * 1000, rows


def main(argv: list[str] | None = None) -> int:
    from .apptest_bench import page_files

    p = argparse.ArgumentParser(prog="python -m bench.profile_pages", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("page", nargs="?", help="e.g. pages/9_Certifications.py (default: every page)")
    p.add_argument("params", nargs="*", help="query parameters, key=value")
    p.add_argument("-n", "--runs", type=int, default=10)
    p.add_argument("--top", type=int, default=15)
    a = p.parse_args(argv)
    params = dict(x.split("=", 1) for x in a.params)
    for page in [a.page] if a.page else page_files():
        total, rows = profile_page(page, params, a.runs)
        print(f"\n== {page} {params or ''}: {total:.1f} ms per warm rerun (profiled)")
        for ms, calls, name in rows[: a.top]:
            print(f"  {ms:7.2f} ms/run {calls:7.1f} calls/run  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
