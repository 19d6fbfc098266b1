"""Cross-file checks: duplicate ids, dangling references, missing images.

Each check yields ``(part, Problem)`` so that the loader can mark the part that
holds the bad reference as broken.  A reference into a part that is itself
broken is not reported again (the first error already explains it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import yaml

from explorer.content.problems import Problem
from explorer.content.yamlio import format_loc, line_of, yaml_files

if TYPE_CHECKING:
    from explorer.content.model import Content

Loc = tuple[Any, ...]


class _Checker:
    def __init__(self, content: Content, trees: dict[str, yaml.Node | None], files: dict[str, str]):
        self.c = content
        self.trees = trees
        self.files = files
        self.out: list[tuple[str, Problem]] = []

    def report(self, part: str, file: str, loc: Loc, message: str, severity: str = "error") -> None:
        line = line_of(self.trees.get(file), loc)
        self.out.append((part, Problem(file, format_loc(loc), message, line, severity)))

    def duplicates(self, part: str, file: str, items: Iterable[Any], prefix: Loc, what: str, attr: str = "id") -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            key = getattr(item, attr)
            if key in seen:
                self.report(part, file, (*prefix, i, attr), f"duplicate {what} id {key!r} (first used at index {seen[key]})")
            else:
                seen[key] = i

    # -- reference sets (None when the target part is broken: skip those checks)
    def note_ref_ok(self, ref: str) -> str | None:
        note_id, _, section = ref.partition("#")
        note = self.c.note(note_id)
        if note is None:
            return f"note {note_id!r} does not exist"
        if section and note.section(section) is None:
            return f"note {note_id!r} has no section {section!r}"
        return None

    def check_refs(self, part: str, file: str, loc: Loc, obj: Any) -> None:
        """Check the common reference fields of one object: notes, learn, glossary, quarters."""
        for field in ("notes", "learn"):
            for i, ref in enumerate(getattr(obj, field, []) or []):
                why = self.note_ref_ok(ref)
                if why:
                    self.report(part, file, (*loc, field, i), f"dangling note reference {ref!r}: {why}")
        if self.c.ok("glossary"):
            terms = {t.id for t in self.c.glossary}
            for i, ref in enumerate(getattr(obj, "glossary", []) or []):
                if ref not in terms:
                    self.report(part, file, (*loc, "glossary", i), f"dangling glossary reference {ref!r}: no such term")
        if self.c.ok("breakdown"):
            quarters = {q.id for q in self.c.breakdown.quarters}
            qs = getattr(obj, "quarters", None)
            if isinstance(qs, list):
                for i, ref in enumerate(qs):
                    if ref not in quarters:
                        self.report(part, file, (*loc, "quarters", i), f"dangling quarter reference {ref!r}: expected one of {sorted(quarters)}")
            q = getattr(obj, "quarter", None)
            if isinstance(q, str) and q not in quarters:
                self.report(part, file, (*loc, "quarter"), f"dangling quarter reference {q!r}: expected one of {sorted(quarters)}")

    def listed(self, part: str, items: list, key: str, what: str) -> str:
        """A list of items in one file: ids unique, and each item's note and glossary links resolve."""
        f = self.files[part]
        self.duplicates(part, f, items, (key,), what)
        for i, item in enumerate(items):
            self.check_refs(part, f, (key, i), item)
        return f

    # -- parts
    def run(self) -> list[tuple[str, Problem]]:
        c = self.c
        if c.ok("breakdown"):
            self.listed("breakdown", c.breakdown.quarters, "quarters", "quarter")
        if c.ok("maturity"):
            self.check_maturity()
        if c.ok("crosswalk") and c.ok("maturity"):
            self.check_crosswalk()
        if c.ok("certifications"):
            certs = c.certifications
            f = self.listed("certifications", certs, "certifications", "certification")
            ids = {x.id for x in certs}
            for i, cert in enumerate(certs):
                if cert.successor and cert.successor not in ids:
                    self.report("certifications", f, ("certifications", i, "successor"), f"dangling successor {cert.successor!r}: no such certification")
                if cert.successor == cert.id:
                    self.report("certifications", f, ("certifications", i, "successor"), "a certification cannot succeed itself")
        if c.ok("trends"):
            self.listed("trends", c.trends.trends, "trends", "trend")
        if c.ok("hierarchy"):
            self.listed("hierarchy", c.hierarchy.tiers, "tiers", "tier")
        if c.ok("workflows"):
            f = self.files["workflows"]
            self.duplicates("workflows", f, c.workflows.workflows, ("workflows",), "workflow")
            for i, w in enumerate(c.workflows.workflows):
                self.duplicates("workflows", f, w.components, ("workflows", i, "components"), "component")
        if c.ok("analogy"):
            self.duplicates("analogy", self.files["analogy"], c.analogy.rows, ("rows",), "row")
        if c.ok("platforms"):
            self.duplicates("platforms", self.files["platforms"], c.platforms.roles, ("roles",), "role")
        if c.ok("glossary"):
            terms = c.glossary
            f = self.listed("glossary", terms, "terms", "term")
            ids = {t.id for t in terms}
            for i, t in enumerate(terms):
                for j, rel in enumerate(t.related):
                    if rel not in ids:
                        self.report("glossary", f, ("terms", i, "related", j), f"dangling related term {rel!r}: no such term")
                    elif rel == t.id:
                        self.report("glossary", f, ("terms", i, "related", j), "a term cannot be related to itself")
        if c.ok("assessment"):
            f = self.files["assessment"]
            qs = c.assessment.questions
            self.duplicates("assessment", f, qs, ("questions",), "question")
            for i, q in enumerate(qs):
                self.check_refs("assessment", f, ("questions", i), q)
        if c.ok("ml_test_score"):
            f = self.files["ml_test_score"]
            secs = c.ml_test_score.sections
            self.duplicates("ml_test_score", f, secs, ("sections",), "section")
            seen: set[str] = set()
            for i, s in enumerate(secs):
                for j, t in enumerate(s.tests):
                    if t.id in seen:
                        self.report("ml_test_score", f, ("sections", i, "tests", j, "id"), f"duplicate test id {t.id!r}")
                    seen.add(t.id)
        self.check_notes()
        self.check_sources()
        return self.out

    def check_sources(self) -> None:
        """Missing or non-exact source_url / last_verified (rules in :mod:`explorer.content.sources`)."""
        from explorer.content.sources import source_problems

        vendor_files = [f.relative_to(self.c.root).as_posix() for f in yaml_files(self.c.root / self.files["maturity"])]
        for part, vendor_index, loc, message in source_problems(self.c):
            file = vendor_files[vendor_index] if vendor_index is not None else self.files[part]
            self.report(part, file, loc, message)

    def check_maturity(self) -> None:
        c = self.c
        files = [f.relative_to(c.root).as_posix() for f in yaml_files(c.root / self.files["maturity"])]
        seen_vendor: dict[str, str] = {}
        seen_level: dict[str, str] = {}
        questions = {q.id: q for q in c.assessment.questions} if c.ok("assessment") else None
        for f, v in zip(files, c.vendors):
            if v.id in seen_vendor:
                self.report("maturity", f, ("id",), f"duplicate vendor id {v.id!r} (also in {seen_vendor[v.id]})")
            seen_vendor[v.id] = f
            for i, lv in enumerate(v.levels):
                if lv.id in seen_level:
                    self.report("maturity", f, ("levels", i, "id"), f"duplicate level id {lv.id!r} (also in {seen_level[lv.id]})")
                seen_level[lv.id] = f
                self.check_refs("maturity", f, ("levels", i), lv)
                if questions is not None:
                    for j, req in enumerate(lv.requires):
                        q = questions.get(req.question)
                        if q is None:
                            self.report("maturity", f, ("levels", i, "requires", j, "question"), f"dangling question reference {req.question!r}: not in assessment.yaml")
                        elif req.at_least >= len(q.answers):
                            self.report("maturity", f, ("levels", i, "requires", j, "at_least"), f"question {req.question!r} has only {len(q.answers)} answers (0-{len(q.answers) - 1}), at_least is {req.at_least}")
                        if q is not None and req.na_ok and not q.allow_na:
                            self.report("maturity", f, ("levels", i, "requires", j, "na_ok"), f"na_ok is set, but question {req.question!r} does not allow 'does not apply' (allow_na is false in assessment.yaml)")

    def check_crosswalk(self) -> None:
        f = self.files["crosswalk"]
        vendors = {v.id: {lv.id for lv in v.levels} for v in self.c.vendors}
        self.duplicates("crosswalk", f, self.c.crosswalk.rows, ("rows",), "row")
        for i, row in enumerate(self.c.crosswalk.rows):
            for vid, levels in row.levels.items():
                if vid not in vendors:
                    self.report("crosswalk", f, ("rows", i, "levels", vid), f"dangling vendor reference {vid!r}: expected one of {sorted(vendors)}")
                    continue
                for j, lid in enumerate(levels):
                    if lid not in vendors[vid]:
                        self.report("crosswalk", f, ("rows", i, "levels", vid, j), f"dangling level reference {lid!r}: vendor {vid!r} has no such level")

    def check_notes(self) -> None:
        """Every local image a note references must exist inside the content or figures folders: the
        same rule the reader applies (:func:`explorer.notes.render.resolve_image`), reported as a warning.
        Not in a lazy load (the app's: ``load_content(parse_all=False)``, which shows no warnings and must cost
        one note per changed note, not the vault): ``python -m explorer validate`` checks every note."""
        if self.c.lazy:
            return
        from explorer.notes.render import ImageRoots, resolve_image

        roots = ImageRoots.for_content(self.c.root)
        for note in self.c.notes:
            if not note.parsed:
                continue
            for ref in note.images:
                res = resolve_image(ref, note.folder, roots)
                if res.kind == "missing":
                    self.out.append(("notes", Problem(f"notes/{note.path}", "", f"image {ref!r}: {res.reason}", None, "warning")))
        self.check_note_links()
        self.check_note_math()

    def check_note_links(self) -> None:
        """Every missing or ambiguous Obsidian ``[[link]]`` (:mod:`explorer.notes.vault_check`), as a warning."""
        from explorer.notes.vault_check import link_problems
        from explorer.notes.vault_links import VaultIndex, image_paths, note_refs

        index = VaultIndex(note_refs(self.c.notes), image_paths(self.c.root / "notes"))
        parsed = [n for n in self.c.notes if getattr(n, "parsed", True)]
        for path, line, message in link_problems(parsed, index):
            self.out.append(("notes", Problem(f"notes/{path}", "", message, line, "warning")))

    def check_note_math(self) -> None:
        """Every formula that cannot be typeset (:mod:`explorer.notes.md.math_check`), as a warning."""
        from explorer.notes.md.math_check import math_problems

        for path, line, message in math_problems(n for n in self.c.notes if getattr(n, "parsed", True)):
            self.out.append(("notes", Problem(f"notes/{path}", "", message, line, "warning")))


def cross_check(content: Content, trees: dict[str, yaml.Node | None], files: dict[str, str]) -> Iterator[tuple[str, Problem]]:
    """Cross-file problems as (part that holds the bad reference, problem); ``files``: part -> file name."""
    yield from _Checker(content, trees, files).run()


def format_report(content: Content) -> str:
    lines = ([f"error: {p}" for p in content.errors] + [f"warning: {p}" for p in content.warnings]
             + [f"note: {p}" for p in content.infos])
    n_e, n_w = len(content.errors), len(content.warnings)
    lines.append(f"{n_e} error(s), {n_w} warning(s) in {content.root}")
    return "\n".join(lines)
