"""Command line: ``python -m explorer <command>``.

Commands register themselves in ``COMMANDS`` so that later features add a
sub-command without touching the parser code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from . import CONTENT_DIR

COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    def register(fn: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = (help_text, configure, fn)
        return fn

    return register


def _validate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("content_dir", nargs="?", default=str(CONTENT_DIR), help="content folder (default: %(default)s)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")


@command("validate", "check every content file against the schema and cross-references", _validate_args)
def _validate(args: argparse.Namespace) -> int:
    from .loader import load_content
    from .validate import format_report

    content = load_content(Path(args.content_dir))
    print(format_report(content))
    failed = bool(content.errors) or (args.strict and bool(content.warnings))
    return 1 if failed else 0


def _load_plugins() -> None:
    """Import modules that register further commands (they may not exist yet in a partial checkout)."""
    import importlib

    for mod in ("explorer.figures", "explorer.export"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise


def main(argv: list[str] | None = None) -> int:
    _load_plugins()
    parser = argparse.ArgumentParser(prog="python -m explorer", description="MLOps course-notes explorer tools")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, configure, _) in COMMANDS.items():
        configure(sub.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    return COMMANDS[args.command][2](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
