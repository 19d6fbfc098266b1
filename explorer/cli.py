"""Command line: ``python -m explorer <command>`` (validate, export, figures, check-sources).

The CLI sits on top of the logic modules: it imports them, they never import it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer import CONTENT_DIR, FIGURES_DIR


def _validate(args: argparse.Namespace) -> int:
    from explorer.content.loader import load_content
    from explorer.content.validate import format_report

    content = load_content(Path(args.content_dir))
    print(format_report(content))
    failed = bool(content.errors) or (args.strict and bool(content.warnings))
    return 1 if failed else 0


def _export(args: argparse.Namespace) -> int:
    from explorer.content.loader import load_content
    from explorer.notes.export import build_study_pack
    from explorer.notes.render import ImageRoots

    content = load_content(Path(args.content_dir))
    if not content.notes:
        print(f"error: no notes could be read from {args.content_dir}/notes", file=sys.stderr)
        for p in content.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    if content.errors:
        print(f"warning: {len(content.errors)} content problem(s); run `python -m explorer validate` for details",
              file=sys.stderr)
    doc = build_study_pack(content, title=args.title, roots=ImageRoots.for_content(Path(args.content_dir)))
    if args.output == "-":
        sys.stdout.write(doc)
        return 0
    out = Path(args.output)
    out.write_text(doc, encoding="utf-8")
    print(f"wrote {out} ({len(doc.encode('utf-8')) / 1000:.0f} kB, {len(content.notes)} notes)")
    return 0


def _figures(args: argparse.Namespace) -> int:
    from explorer.figures import expected_files, generate, stale_figures

    if args.check:
        stale = stale_figures(args.content, args.out)
        for line in stale:
            print(f"stale: {line}")
        if not stale:
            print(f"all {len(expected_files())} figures are up to date")
        return 1 if stale else 0
    written, problems = generate(args.content, args.out, force=args.force, only=args.only)
    for name in written:
        print(f"wrote figures/{name}")
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    if not written and not problems:
        print("nothing to do: every figure is up to date (use --force to re-render)")
    remaining = stale_figures(args.content, args.out)
    for line in remaining:
        print(f"still stale: {line}", file=sys.stderr)
    return 1 if problems or remaining else 0


def _check_sources(args: argparse.Namespace) -> int:
    import datetime as dt

    from explorer.content import check_sources as cs
    from explorer.content.loader import load_content

    content = load_content(Path(args.content))
    items = cs.content_sources(content)
    if args.notes:
        items += cs.note_links(content.notes)
    today = args.today or dt.date.today()
    stale = cs.stale_facts(items, today)
    checks = [] if args.stale_only else cs.check_sources(items, timeout=args.timeout, delay=args.delay, workers=args.workers)
    if args.json:
        print(cs.as_json(checks, stale, today))
    else:
        print(cs.format_report(checks, stale, today, fetched=not args.stale_only))
    return cs.exit_code(checks)


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m explorer", description="MLOps course-notes explorer tools")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check every content file against the schema and cross-references")
    v.add_argument("content_dir", nargs="?", default=str(CONTENT_DIR), help="content folder (default: %(default)s)")
    v.add_argument("--strict", action="store_true", help="treat warnings as errors")
    v.set_defaults(run=_validate)

    e = sub.add_parser("export", help="write the study pack: one offline HTML file with every note, figure and the glossary")
    e.add_argument("-o", "--output", default="study-pack.html", help="file to write, '-' for standard output (default: %(default)s)")
    e.add_argument("--content-dir", default=str(CONTENT_DIR), help="content folder (default: %(default)s)")
    e.add_argument("--title", default="MLOps course notes: study pack", help="title of the pack")
    e.set_defaults(run=_export)

    f = sub.add_parser("figures", help="render the static figures into figures/ (or --check that they are up to date)")
    f.add_argument("--check", action="store_true", help="only report missing or stale figures (exit 1 if any)")
    f.add_argument("--force", action="store_true", help="re-render every figure, not only the stale ones")
    f.add_argument("--only", nargs="+", metavar="NAME", help="render only these figures (file stems)")
    f.add_argument("--content", default=str(CONTENT_DIR), help="content folder (default: %(default)s)")
    f.add_argument("--out", default=str(FIGURES_DIR), help="figures folder (default: %(default)s)")
    f.set_defaults(run=_figures)


    c = sub.add_parser("check-sources", help="fetch every source_url and report dead, moved and unreachable ones and "
                                             "facts checked more than a year ago (exit 1 if a source is dead; edits nothing)")
    c.add_argument("--content", default=str(CONTENT_DIR), help="content folder (default: %(default)s)")
    c.add_argument("--notes", action="store_true", help="also check the http(s) links and images in the notes")
    c.add_argument("--timeout", type=_positive, default=10.0, help="seconds to wait for each answer (default: %(default)s)")
    c.add_argument("--delay", type=_positive, default=1.0, help="seconds between two requests to the same host (default: %(default)s)")
    c.add_argument("--workers", type=int, default=4, help="hosts checked at the same time (default: %(default)s)")
    c.add_argument("--today", type=_date, help="the date to judge 'more than a year ago' against (default: today)")
    c.add_argument("--stale-only", action="store_true", help="only list old check dates, fetch nothing")
    c.add_argument("--json", action="store_true", help="print the results as JSON")
    c.set_defaults(run=_check_sources)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
