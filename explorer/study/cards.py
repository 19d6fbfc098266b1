"""Flashcards: from the content's facts, and from the learner's own notes; export for Anki.

* :func:`generate_cards` turns the YAML content into cards (the next rung of a ladder, what a
  certification covers, a trend, a quarter, a tier of the hierarchy, a glossary term), each
  linked to its page and, when the content names one, to the notes section that teaches it;
* :func:`note_cards` turns cards written in notes (``Term :: Definition``, a ``?`` block, a
  ``#card`` heading: see :func:`explorer.notes.md.note_cards.note_cards_plugin`) into the same :class:`Card`,
  linked to their section;
* :func:`anki_tsv` writes cards as a tab-separated file that Anki imports (File > Import); cloze cards
  (``{{c1::answer}}``, :mod:`explorer.notes.md.cloze`) go as cloze notes (:mod:`explorer.study.cloze`).

Scheduling is :mod:`explorer.study.scheduling` (FSRS); what the learner did is :mod:`explorer.study.store`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from explorer.assess.ladders import rung_label, rung_title
from explorer.routes import Link, link, note_ref_link


@dataclass(frozen=True)
class Card:
    id: str  # stable: "<kind>:<item id>", e.g. "rung-next:azure-2", "term-def:feature-store"
    category: str  # rungs, certifications, trends, quarters, hierarchy, glossary
    front: str
    back: str
    explanation: str
    source: Link  # the item's page + query params (same convention as search)
    note: Link | None = None  # the note section that teaches it, when the content names one
    source_label: str = ""
    cloze: str = ""  # a cloze card's paragraph as Anki cloze text (exported by explorer.study.cloze)

    @property
    def url(self) -> str:
        return self.source.url


@dataclass(frozen=True)
class Fact:
    card: Card
    mcq_prompt: str  # question text for the quiz ("" = no quiz question from this fact)
    mcq_answer: str
    primary: tuple[str, ...] = ()  # plausible wrong answers (same vendor, related terms, ...)
    secondary: tuple[str, ...] = ()  # further wrong answers of the same category


CATEGORIES = ("rungs", "certifications", "trends", "quarters", "hierarchy", "glossary", "notes")


def _note_link(refs: Sequence[str]) -> Link | None:
    return note_ref_link(refs[0]) if refs else None


def _distinct(values: Iterable[str], *exclude: str) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for v in values:
        if v and v not in exclude:
            out.setdefault(v, None)
    return tuple(out)


def _mask(text: str, names: Iterable[str]) -> str:
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?:e?s)?(?![\w])", "…", text, flags=re.IGNORECASE)
    return text


def content_facts(content: Any) -> list[Fact]:
    ok = content.ok
    facts: list[Fact] = []

    # ---- maturity ladders
    if ok("maturity"):
        vendors = list(content.vendors)
        label = {lv.id: rung_title(v, lv) for v in vendors for lv in v.levels}
        for v in vendors:
            mine = [label[lv.id] for lv in v.levels]
            others = [label[lv.id] for w in vendors if w.id != v.id for lv in w.levels if w.level_word == v.level_word]
            for n, lv in enumerate(v.levels):
                src = link("level", lv.id)
                if n + 1 < len(v.levels):
                    nxt = v.levels[n + 1]
                    changes = "; ".join(nxt.changes[:3])
                    expl = f"{label[nxt.id]} — {nxt.summary}" + (f" What changes: {changes}" if changes else "")
                    front = f"In the {v.name} maturity model, what comes after {rung_label(v, lv)} ({lv.name})?"
                    facts.append(Fact(
                        Card(f"rung-next:{lv.id}", "rungs", front, label[nxt.id], expl, link("level", nxt.id),
                             _note_link(nxt.notes), f"{v.name} {label[nxt.id]}"),
                        front, label[nxt.id], _distinct(mine, label[nxt.id], label[lv.id]), _distinct(others),
                    ))
                if lv.tagline:
                    front = f"Which {v.level_word.lower()} of the {v.name} model is summed up as “{lv.tagline}”?"
                    facts.append(Fact(
                        Card(f"rung-which:{lv.id}", "rungs", front, label[lv.id], lv.summary, src,
                             _note_link(lv.notes), f"{v.name} {label[lv.id]}"),
                        front, label[lv.id], _distinct(mine, label[lv.id]), _distinct(others),
                    ))
            order = " → ".join(f"{lv.rank} {lv.name}" for lv in v.levels)
            front = f"Put the {len(v.levels)} {v.level_word.lower()}s of the {v.name} model in order, lowest first."
            rng = random.Random(f"order:{v.id}")
            wrong: list[str] = []
            ranks = [lv.rank for lv in v.levels]
            for _ in range(20):
                perm = [lv.name for lv in v.levels]
                rng.shuffle(perm)
                text = " → ".join(f"{r} {p}" for r, p in zip(ranks, perm))
                if text != order and text not in wrong:
                    wrong.append(text)
            facts.append(Fact(
                Card(f"rung-order:{v.id}", "rungs", front, order, v.summary, link("vendor", v.id), None,
                     f"{v.name}: {v.model_name}"),
                front, order, tuple(wrong[:6]), (),
            ))

    # ---- certifications
    if ok("certifications"):
        certs = list(content.certifications)
        by_id = {c.id: c for c in certs}
        issuers = _distinct(c.issuer for c in certs)

        def status_text(c: Any) -> str:
            if c.status == "retired":
                succ = by_id.get(c.successor)
                return f"Retired; replaced by {succ.name if succ else c.successor}"
            if c.status == "not-a-certification":
                return "Not a certification: it is a framework"
            return "Active"

        for c in certs:
            src = link("certification", c.id)
            verb = "is behind" if c.kind == "framework" else "issues"
            front = f"Who {verb} “{c.name}”?"
            facts.append(Fact(
                Card(f"cert-issuer:{c.id}", "certifications", front, c.issuer, c.summary, src, None, c.name),
                front, c.issuer, (), _distinct(issuers, c.issuer),
            ))
            status = status_text(c)
            front = f"What is the current status of “{c.name}”?"
            expl = c.status_note or c.summary
            if c.status == "retired" and c.retired_on and str(c.retired_on) not in expl:
                expl = f"Retired on {c.retired_on}. {expl}"
            wrong_status = ["Active", "Not a certification: it is a framework"]
            wrong_status += [f"Retired; replaced by {d.name}" for d in certs if d.id != c.id and d.issuer == c.issuer][:2]
            wrong_status += ["Announced, not yet available"]
            facts.append(Fact(
                Card(f"cert-status:{c.id}", "certifications", front, status, expl, src, None, c.name),
                front, status, _distinct(wrong_status, status), (),
            ))
            if c.status == "retired" and c.successor in by_id:
                succ = by_id[c.successor]
                front = f"Which exam replaces the retired “{c.name}”?"
                same = [d.name for d in certs if d.issuer == c.issuer and d.id not in (c.id, succ.id)]
                facts.append(Fact(
                    Card(f"cert-successor:{c.id}", "certifications", front, succ.name,
                         c.status_note or f"{c.name} was retired on {c.retired_on}.", src, None, c.name),
                    front, succ.name, _distinct(same), _distinct(d.name for d in certs if d.id not in (c.id, succ.id)),
                ))

    # ---- trends
    if ok("trends"):
        trends = list(content.trends.trends)
        for t in trends:
            front = f"What does the trend “{t.name}” predict?"
            expl = t.why_it_matters + (f" (Caveat: {t.caveat})" if not t.confirmed and t.caveat else "")
            facts.append(Fact(
                Card(f"trend:{t.id}", "trends", front, t.summary, expl, link("trend", t.id), _note_link(t.notes), t.name),
                front, t.summary, (), _distinct((u.summary for u in trends), t.summary),
            ))
            masked = _mask(t.summary, [t.name, *re.findall(r"\(([^)]+)\)", t.name)])
            front = f"Which trend is this: “{masked}”?"
            facts.append(Fact(
                Card(f"trend-name:{t.id}", "trends", front, t.name, expl, link("trend", t.id),
                     _note_link(t.notes), t.name),
                front, t.name, (), _distinct((u.name for u in trends), t.name),
            ))

    # ---- the four quarters
    if ok("breakdown"):
        bd = content.breakdown
        names = [q.name for q in bd.quarters]
        for q in bd.quarters:
            src = link("quarter", q.id)
            front = f"{bd.title}: what does the “{q.name}” quarter cover?"
            facts.append(Fact(
                Card(f"quarter:{q.id}", "quarters", front, q.description, f"It takes about {q.share:g}% of the work. "
                     + bd.summary, src, _note_link(q.notes), q.name),
                "", "",
            ))
            for n, example in enumerate(q.examples):
                front = f"{bd.title}: which quarter does “{example}” belong to?"
                facts.append(Fact(
                    Card(f"quarter-example:{q.id}:{n}", "quarters", front, q.name, q.description, src,
                         _note_link(q.notes), q.name),
                    front, q.name, (), _distinct(names, q.name),
                ))

    # ---- hierarchy of needs
    if ok("hierarchy"):
        h = content.hierarchy
        tiers = list(h.tiers)
        names = [t.name for t in tiers]
        front = f"{h.title}: which tier is the foundation everything else rests on?"
        facts.append(Fact(
            Card("tier-foundation", "hierarchy", front, tiers[0].name, tiers[0].summary, link("tier", tiers[0].id),
                 _note_link(tiers[0].notes), tiers[0].name),
            front, tiers[0].name, _distinct(names, tiers[0].name), (),
        ))
        for n, t in enumerate(tiers[:-1]):
            above = tiers[n + 1]
            front = f"{h.title}: which tier sits directly above “{t.name}”?"
            facts.append(Fact(
                Card(f"tier-above:{t.id}", "hierarchy", front, above.name, above.summary, link("tier", above.id),
                     _note_link(above.notes), above.name),
                front, above.name, _distinct(names, above.name, t.name), (),
            ))
        order = " → ".join(names)
        front = f"{h.title}: name the tiers from the bottom (foundation) up."
        rng = random.Random("order:hierarchy")
        wrong = []
        for _ in range(20):
            perm = names[:]
            rng.shuffle(perm)
            text = " → ".join(perm)
            if text != order and text not in wrong:
                wrong.append(text)
        facts.append(Fact(
            Card("tier-order", "hierarchy", front, order, h.summary, link("tier", tiers[0].id), None, h.title),
            front, order, tuple(wrong[:6]), (),
        ))

    # ---- glossary
    if ok("glossary"):
        terms = list(content.glossary)
        by_id = {t.id: t for t in terms}
        for t in terms:
            src = link("term", t.id)
            related = [by_id[r] for r in t.related if r in by_id]
            front = f"What is “{t.term}”?"
            facts.append(Fact(
                Card(f"term-def:{t.id}", "glossary", front, t.definition,
                     ("Also called: " + ", ".join(t.aliases) + ".") if t.aliases else "", src, _note_link(t.notes),
                     t.term),
                f"Which definition fits “{t.term}”?", t.definition,
                _distinct((r.definition for r in related), t.definition),
                _distinct((u.definition for u in terms), t.definition),
            ))
            masked = _mask(t.definition, [t.term, *t.aliases])
            front = f"Which term is this: “{masked}”?"
            facts.append(Fact(
                Card(f"term-name:{t.id}", "glossary", front, t.term, t.definition, src, _note_link(t.notes), t.term),
                front, t.term, _distinct((r.term for r in related), t.term), _distinct((u.term for u in terms), t.term),
            ))
    # a card always explains something: fall back to the answer itself
    return [f if f.card.explanation else replace(f, card=replace(f.card, explanation=f.card.back)) for f in facts]


def generate_cards(content: Any, categories: Iterable[str] | None = None) -> list[Card]:
    """Every flashcard the content supports (parts that failed to load are skipped), in a stable order."""
    wanted = set(categories) if categories else None
    return [f.card for f in content_facts(content) if wanted is None or f.card.category in wanted]


def note_cards(notes: Iterable[Any]) -> list[Card]:
    """Cards written in the notes (shipped or uploaded), in reading order, linked to their section."""
    out: list[Card] = []
    for note in notes:
        for c in note.cards:
            where = link("note", note.id, section=c.section)
            out.append(Card(c.id, "notes", c.front, c.back, "", where, where, note.title, getattr(c, "cloze", "")))
    return out


def anki_field(text: str) -> str:
    """One Anki field: tabs and line breaks would split fields and notes; HTML is off (see the header)."""
    return re.sub(r"[\t\r\n]+", " ", text).strip()


def anki_tags(c: Card) -> str:
    return " ".join(t for t in ("mlops-explorer", c.category, re.sub(r"[^\w-]+", "-", c.source_label).strip("-")) if t)


def anki_tsv(cards: Sequence[Card]) -> str:
    """Cards as a tab-separated file for Anki (front, back, tags), with Anki's file headers.  Cloze cards are
    left out: they go to Anki as cloze notes (:func:`explorer.study.cloze.anki_cloze_tsv`)."""
    lines = ["#separator:tab", "#html:false", "#columns:Front\tBack\tTags", "#tags column:3"]
    for c in cards:
        if c.cloze:
            continue
        tags = anki_tags(c)
        back = c.back if not c.explanation or c.explanation == c.back else f"{c.back} — {c.explanation}"
        lines.append("\t".join((anki_field(c.front), anki_field(back), tags)))
    return "\n".join(lines) + "\n"
