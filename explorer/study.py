"""Flashcards with SM-2 spaced repetition, multiple-choice quizzes, and study progress as JSON.

Everything here is pure: functions take a state and return a new one, nothing is stored on the
server.  The pages keep a :class:`Progress` in ``st.session_state`` and offer it as a download.

SM-2 (SuperMemo, https://super-memory.com/english/ol/sm2.htm), as implemented by :func:`review`
    * quality ``q`` is an integer 0..5 (5 perfect, 4 after hesitation, 3 with serious difficulty,
      2/1/0 wrong);
    * ease factor ``EF`` starts at 2.5; after a successful review (``q >= 3``)
      ``EF' = EF + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))``, never below 1.3 -- so q=5 adds 0.10,
      q=4 keeps EF, q=3 subtracts 0.14.  EF is kept to 2 decimals (every step is a multiple of 0.02);
    * intervals: first successful review 1 day, second 6 days, then ``I(n) = ceil(I(n-1) * EF)``
      where EF is the ease *before* this review's update (SM-2 step 3 schedules with the item's
      current E-Factor; step 5 then modifies it).  We round **up**, as the SuperMemo text says
      ("if interval is a fraction, round it up"), so q=5,5,5 gives intervals 1, 6, 17
      (6 * 2.7 = 16.2 -> 17) and EF 2.6, 2.7, 2.8.  Intervals are capped at :data:`MAX_INTERVAL` days;
    * a failed review (``q < 3``) restarts the repetitions (interval 1 day, repetition count 0) and
      leaves EF **unchanged**, as the SuperMemo description says ("without changing the E-Factor");
      some implementations (e.g. Wikipedia's pseudo-code) lower EF on failure too -- we do not;
    * SuperMemo also repeats, within the same session, every item graded below 4:
      :func:`repeat_in_session` tells the page whether to put the card back in the queue
      (that extra in-session grade is not fed to :func:`review` again).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from .ladders import rung_label, rung_title
from .routes import Link, link, note_ref_link

# --------------------------------------------------------------------------- SM-2
INITIAL_EASE = 2.5
MIN_EASE = 1.3
MAX_INTERVAL = 36_500  # days (100 years): EF keeps growing with perfect grades, intervals must stop somewhere


def _check_key(value: str) -> str:
    if not value or len(value) > 200 or any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueError("must be 1 to 200 characters without control characters")
    return value


Key = Annotated[str, AfterValidator(_check_key)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class CardState(_Model):
    """SM-2 state of one card after at least one review."""

    repetitions: int = Field(0, ge=0, le=100_000)  # successful reviews in a row
    interval: int = Field(0, ge=0, le=MAX_INTERVAL)  # days until the next review
    ease: float = Field(INITIAL_EASE, ge=MIN_EASE, le=100.0)
    due: _dt.date  # next review date
    last_review: _dt.date | None = None
    reviews: int = Field(0, ge=0, le=1_000_000)
    lapses: int = Field(0, ge=0, le=1_000_000)  # failed reviews (q < 3)


def next_ease(ease: float, quality: int) -> float:
    """EF' = EF + (0.1 - (5-q)(0.08 + (5-q)*0.02)), at least 1.3, rounded to 2 decimals."""
    d = 5 - quality
    return max(MIN_EASE, round(ease + (0.1 - d * (0.08 + d * 0.02)), 2))


def _check_quality(quality: int) -> int:
    if isinstance(quality, bool) or not isinstance(quality, int) or not 0 <= quality <= 5:
        raise ValueError(f"quality must be an integer from 0 to 5, got {quality!r}")
    return quality


def review(state: CardState | None, quality: int, today: _dt.date) -> CardState:
    """The card's state after a review graded ``quality`` (0..5) on ``today`` (``state`` None: a new card)."""
    q = _check_quality(quality)
    reps = state.repetitions if state else 0
    interval = state.interval if state else 0
    ease = state.ease if state else INITIAL_EASE
    reviews = (state.reviews if state else 0) + 1
    lapses = state.lapses if state else 0
    if q < 3:
        reps, interval, lapses = 0, 1, lapses + 1  # restart; EF unchanged
    else:
        if reps == 0:
            interval = 1
        elif reps == 1:
            interval = 6
        else:
            interval = math.ceil(round(max(interval, 1) * ease, 6))
        interval = min(interval, MAX_INTERVAL)
        reps += 1
        ease = next_ease(ease, q)
    return CardState(
        repetitions=reps,
        interval=interval,
        ease=ease,
        due=today + _dt.timedelta(days=interval),
        last_review=today,
        reviews=reviews,
        lapses=lapses,
    )


def repeat_in_session(quality: int) -> bool:
    """SM-2: an item graded below 4 is asked again in the same session."""
    return _check_quality(quality) < 4


def due_cards(
    states: Mapping[str, CardState],
    today: _dt.date,
    cards: Iterable[Any] | None = None,
    *,
    new_limit: int | None = None,
) -> list[str]:
    """Card ids to study today: due cards first (most overdue first), then new cards.

    ``cards`` (Card objects or ids) gives the deck: due cards outside it are dropped and cards of it
    without a state are "new", in deck order (at most ``new_limit`` of them).  Without ``cards`` only
    the due cards of ``states`` are returned.  Ties are broken by card id, so the order is stable.
    """
    deck = None if cards is None else [c if isinstance(c, str) else c.id for c in cards]
    allowed = None if deck is None else set(deck)
    due = sorted(
        (st.due, cid) for cid, st in states.items() if st.due <= today and (allowed is None or cid in allowed)
    )
    out = [cid for _, cid in due]
    if deck is not None:
        new = [cid for cid in dict.fromkeys(deck) if cid not in states]
        out += new if new_limit is None else new[: max(0, new_limit)]
    return out


# --------------------------------------------------------------------------- facts -> cards and questions
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

    @property
    def url(self) -> str:
        return self.source.url


@dataclass(frozen=True)
class _Fact:
    card: Card
    mcq_prompt: str  # question text for the quiz ("" = no quiz question from this fact)
    mcq_answer: str
    primary: tuple[str, ...] = ()  # plausible wrong answers (same vendor, related terms, ...)
    secondary: tuple[str, ...] = ()  # further wrong answers of the same category


CATEGORIES = ("rungs", "certifications", "trends", "quarters", "hierarchy", "glossary")


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


def _facts(content: Any) -> list[_Fact]:
    ok = content.ok
    facts: list[_Fact] = []

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
                    facts.append(_Fact(
                        Card(f"rung-next:{lv.id}", "rungs", front, label[nxt.id], expl, link("level", nxt.id),
                             _note_link(nxt.notes), f"{v.name} {label[nxt.id]}"),
                        front, label[nxt.id], _distinct(mine, label[nxt.id], label[lv.id]), _distinct(others),
                    ))
                if lv.tagline:
                    front = f"Which {v.level_word.lower()} of the {v.name} model is summed up as “{lv.tagline}”?"
                    facts.append(_Fact(
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
            facts.append(_Fact(
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
            facts.append(_Fact(
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
            facts.append(_Fact(
                Card(f"cert-status:{c.id}", "certifications", front, status, expl, src, None, c.name),
                front, status, _distinct(wrong_status, status), (),
            ))
            if c.status == "retired" and c.successor in by_id:
                succ = by_id[c.successor]
                front = f"Which exam replaces the retired “{c.name}”?"
                same = [d.name for d in certs if d.issuer == c.issuer and d.id not in (c.id, succ.id)]
                facts.append(_Fact(
                    Card(f"cert-successor:{c.id}", "certifications", front, succ.name,
                         c.status_note or f"{c.name} was retired on {c.retired_on}.", src, None, c.name),
                    front, succ.name, _distinct(same), _distinct((d.name for d in certs if d.id not in (c.id, succ.id))),
                ))

    # ---- trends
    if ok("trends"):
        trends = list(content.trends.trends)
        for t in trends:
            front = f"What does the trend “{t.name}” predict?"
            expl = t.why_it_matters + (f" (Caveat: {t.caveat})" if not t.confirmed and t.caveat else "")
            facts.append(_Fact(
                Card(f"trend:{t.id}", "trends", front, t.summary, expl, link("trend", t.id), _note_link(t.notes), t.name),
                front, t.summary, (), _distinct((u.summary for u in trends), t.summary),
            ))
            masked = _mask(t.summary, [t.name, *re.findall(r"\(([^)]+)\)", t.name)])
            front = f"Which trend is this: “{masked}”?"
            facts.append(_Fact(
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
            facts.append(_Fact(
                Card(f"quarter:{q.id}", "quarters", front, q.description, f"It takes about {q.share:g}% of the work. "
                     + bd.summary, src, _note_link(q.notes), q.name),
                "", "",
            ))
            for n, example in enumerate(q.examples):
                front = f"{bd.title}: which quarter does “{example}” belong to?"
                facts.append(_Fact(
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
        facts.append(_Fact(
            Card("tier-foundation", "hierarchy", front, tiers[0].name, tiers[0].summary, link("tier", tiers[0].id),
                 _note_link(tiers[0].notes), tiers[0].name),
            front, tiers[0].name, _distinct(names, tiers[0].name), (),
        ))
        for n, t in enumerate(tiers[:-1]):
            above = tiers[n + 1]
            front = f"{h.title}: which tier sits directly above “{t.name}”?"
            facts.append(_Fact(
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
        facts.append(_Fact(
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
            facts.append(_Fact(
                Card(f"term-def:{t.id}", "glossary", front, t.definition,
                     ("Also called: " + ", ".join(t.aliases) + ".") if t.aliases else "", src, _note_link(t.notes),
                     t.term),
                f"Which definition fits “{t.term}”?", t.definition,
                _distinct((r.definition for r in related), t.definition),
                _distinct((u.definition for u in terms), t.definition),
            ))
            masked = _mask(t.definition, [t.term, *t.aliases])
            front = f"Which term is this: “{masked}”?"
            facts.append(_Fact(
                Card(f"term-name:{t.id}", "glossary", front, t.term, t.definition, src, _note_link(t.notes), t.term),
                front, t.term, _distinct((r.term for r in related), t.term), _distinct((u.term for u in terms), t.term),
            ))
    # a card always explains something: fall back to the answer itself
    return [f if f.card.explanation else replace(f, card=replace(f.card, explanation=f.card.back)) for f in facts]


def generate_cards(content: Any, categories: Iterable[str] | None = None) -> list[Card]:
    """Every flashcard the content supports (parts that failed to load are skipped), in a stable order."""
    wanted = set(categories) if categories else None
    return [f.card for f in _facts(content) if wanted is None or f.card.category in wanted]


# --------------------------------------------------------------------------- quizzes
@dataclass(frozen=True)
class QuizQuestion:
    id: str  # same id as the card the question comes from
    category: str
    prompt: str
    options: tuple[str, ...]
    answer: int  # index into options
    explanation: str
    source: Link
    note: Link | None = None

    @property
    def correct_option(self) -> str:
        return self.options[self.answer]


def _question(fact: _Fact, rng: random.Random, n_options: int) -> QuizQuestion | None:
    if not fact.mcq_prompt:
        return None
    need = n_options - 1
    primary = list(fact.primary)
    rng.shuffle(primary)
    chosen = primary[:need]
    if len(chosen) < need:
        rest = [s for s in fact.secondary if s not in chosen and s != fact.mcq_answer]
        rng.shuffle(rest)
        chosen += rest[: need - len(chosen)]
    if len(chosen) < 2:  # at least three options, or it is not a question
        return None
    options = [fact.mcq_answer, *chosen]
    rng.shuffle(options)
    c = fact.card
    expl = c.explanation if c.explanation != fact.mcq_answer else c.back
    return QuizQuestion(c.id, c.category, fact.mcq_prompt, tuple(options), options.index(fact.mcq_answer), expl,
                        c.source, c.note)


def generate_quiz(
    content: Any,
    n: int = 10,
    seed: int = 0,
    categories: Iterable[str] | None = None,
    n_options: int = 4,
) -> list[QuizQuestion]:
    """``n`` multiple-choice questions (fewer if the content has fewer), identical for the same seed.

    Wrong options come from the same category: rungs of the same ladder, issuers, other trends,
    quarters, tiers, related glossary terms first.  Questions are spread over the categories.
    """
    wanted = set(categories) if categories else None
    rng = random.Random(seed)
    pool: dict[str, list[_Fact]] = {}
    for f in _facts(content):
        if f.mcq_prompt and (wanted is None or f.card.category in wanted):
            pool.setdefault(f.card.category, []).append(f)
    for facts in pool.values():
        rng.shuffle(facts)
    questions: list[QuizQuestion] = []
    cats = sorted(pool)
    rng.shuffle(cats)
    while len(questions) < n and any(pool.values()):
        for cat in cats:
            if len(questions) >= n:
                break
            while pool[cat]:
                q = _question(pool[cat].pop(), rng, max(3, n_options))
                if q is not None:
                    questions.append(q)
                    break
    return questions


@dataclass(frozen=True)
class GradedQuestion:
    question: QuizQuestion
    chosen: int | None
    correct: bool


@dataclass(frozen=True)
class QuizResult:
    items: tuple[GradedQuestion, ...]

    @property
    def score(self) -> int:
        return sum(1 for i in self.items if i.correct)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.total if self.total else 0.0

    @property
    def wrong_ids(self) -> list[str]:
        return [i.question.id for i in self.items if not i.correct]


def grade_quiz(questions: Sequence[QuizQuestion], answers: Mapping[str, int | None]) -> QuizResult:
    """Grade chosen option indexes (question id -> index; missing / None / out of range = wrong)."""
    items = []
    for q in questions:
        chosen = answers.get(q.id)
        valid = isinstance(chosen, int) and not isinstance(chosen, bool) and 0 <= chosen < len(q.options)
        items.append(GradedQuestion(q, chosen if valid else None, bool(valid and chosen == q.answer)))
    return QuizResult(tuple(items))


# --------------------------------------------------------------------------- progress (export / import)
PROGRESS_FORMAT = "mlops-explorer-progress"
PROGRESS_VERSION = 1
MAX_PROGRESS_BYTES = 2_000_000  # 2 MB: years of reviews of every card fit in well under 1 MB
MAX_QUIZ_HISTORY = 1_000


class QuizRecord(_Model):
    taken_on: _dt.date
    seed: int = Field(0, ge=-(2**63), le=2**63)
    score: int = Field(ge=0, le=10_000)
    total: int = Field(ge=0, le=10_000)
    wrong: list[Key] = Field(default_factory=list, max_length=10_000)


class Progress(_Model):
    """Everything a learner's browser session accumulates; exported and imported as JSON."""

    format: Literal["mlops-explorer-progress"] = PROGRESS_FORMAT
    version: Literal[1] = PROGRESS_VERSION
    cards: dict[Key, CardState] = Field(default_factory=dict, max_length=50_000)
    quiz_history: list[QuizRecord] = Field(default_factory=list, max_length=MAX_QUIZ_HISTORY)
    sections_read: dict[Key, list[Key]] = Field(default_factory=dict, max_length=10_000)


class ProgressImportError(ValueError):
    """A progress file that cannot be imported; the message says why, for the learner."""


def export_progress(progress: Progress) -> str:
    """The JSON text of a progress file."""
    return progress.model_dump_json(indent=2)


def import_progress(data: bytes | str, *, max_bytes: int = MAX_PROGRESS_BYTES) -> Progress:
    """Parse and validate a progress file.  Raises :class:`ProgressImportError` (and nothing else).

    Pure: the caller's current progress is untouched; on error, keep it.
    """
    try:
        size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    except Exception:  # pragma: no cover - defensive
        raise ProgressImportError("the progress file could not be read") from None
    if size > max_bytes:
        raise ProgressImportError(
            f"the progress file is {size / 1_000_000:.1f} MB; the limit is {max_bytes / 1_000_000:g} MB"
        )
    if isinstance(data, (bytes, bytearray)):
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProgressImportError(f"the progress file is not UTF-8 text (bad byte at offset {exc.start})") from None
    elif isinstance(data, str):
        text = data.lstrip("\ufeff")
    else:
        raise ProgressImportError("the progress file must be bytes or text")
    if not text.strip():
        raise ProgressImportError("the progress file is empty")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProgressImportError(
            f"the progress file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise ProgressImportError("the progress file is not valid: its JSON is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with too many digits
        raise ProgressImportError(f"the progress file is not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise ProgressImportError(
            f"the progress file must hold a JSON object, not {type(raw).__name__ if raw is not None else 'null'}"
        )
    fmt = raw.get("format")
    if fmt != PROGRESS_FORMAT:
        raise ProgressImportError(
            f"this is not a progress file of the MLOps explorer (expected \"format\": \"{PROGRESS_FORMAT}\")"
        )
    version = raw.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > PROGRESS_VERSION:
        raise ProgressImportError(
            f"the progress file was written by a newer version (format version {version}; this app reads {PROGRESS_VERSION})"
        )
    try:
        return Progress.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        shown = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in errors[:5]
        )
        more = f" (and {len(errors) - 5} more problems)" if len(errors) > 5 else ""
        raise ProgressImportError(f"the progress file has invalid content: {shown}{more}") from None
    except RecursionError:
        raise ProgressImportError("the progress file is not valid: its JSON is nested too deeply") from None


# ---- pure updates
def record_review(progress: Progress, card_id: str, quality: int, today: _dt.date) -> Progress:
    """Progress with ``card_id`` reviewed (SM-2) on ``today``."""
    cards = dict(progress.cards)
    cards[card_id] = review(cards.get(card_id), quality, today)
    return progress.model_copy(update={"cards": cards})


def record_quiz(progress: Progress, result: QuizResult, today: _dt.date, seed: int = 0) -> Progress:
    """Progress with one more quiz in the history (the oldest records are dropped beyond the limit)."""
    rec = QuizRecord(taken_on=today, seed=seed, score=result.score, total=result.total, wrong=result.wrong_ids)
    history = [*progress.quiz_history, rec][-MAX_QUIZ_HISTORY:]
    return progress.model_copy(update={"quiz_history": history})


def mark_read(progress: Progress, note_id: str, section_id: str, read: bool = True) -> Progress:
    """Progress with a section marked read (or unread)."""
    sections = dict(progress.sections_read)
    current = list(sections.get(note_id, []))
    if read and section_id not in current:
        current.append(section_id)
    elif not read and section_id in current:
        current.remove(section_id)
    if current:
        sections[note_id] = current
    else:
        sections.pop(note_id, None)
    return progress.model_copy(update={"sections_read": sections})


@dataclass(frozen=True)
class NoteReading:
    note_id: str
    read: int
    total: int

    @property
    def fraction(self) -> float:
        return self.read / self.total if self.total else 0.0


@dataclass(frozen=True)
class ReadingProgress:
    notes: tuple[NoteReading, ...]

    @property
    def read(self) -> int:
        return sum(n.read for n in self.notes)

    @property
    def total(self) -> int:
        return sum(n.total for n in self.notes)

    @property
    def fraction(self) -> float:
        return self.read / self.total if self.total else 0.0

    def of(self, note_id: str) -> NoteReading | None:
        return next((n for n in self.notes if n.note_id == note_id), None)


def reading_progress(progress: Progress, notes: Iterable[Any]) -> ReadingProgress:
    """Sections read per note and overall; ids of sections that no longer exist are ignored."""
    rows = []
    for note in notes:
        ids = {s.id for s in note.sections}
        done = set(progress.sections_read.get(note.id, ())) & ids
        rows.append(NoteReading(note.id, len(done), len(ids)))
    return ReadingProgress(tuple(rows))


@dataclass(frozen=True)
class StudyStats:
    due: int
    new: int
    learning: int  # reviewed, repetitions < 2
    mature: int  # reviewed, interval >= 21 days


def study_stats(progress: Progress, cards: Iterable[Card], today: _dt.date) -> StudyStats:
    ids = [c.id for c in cards]
    states = progress.cards
    due = sum(1 for i in ids if i in states and states[i].due <= today)
    new = sum(1 for i in ids if i not in states)
    learning = sum(1 for i in ids if i in states and states[i].repetitions < 2)
    mature = sum(1 for i in ids if i in states and states[i].interval >= 21)
    return StudyStats(due, new, learning, mature)


__all__ = [
    "CATEGORIES", "Card", "CardState", "GradedQuestion", "INITIAL_EASE", "MAX_INTERVAL", "MAX_PROGRESS_BYTES",
    "MIN_EASE", "NoteReading", "Progress", "ProgressImportError", "QuizQuestion", "QuizRecord", "QuizResult",
    "ReadingProgress", "StudyStats", "due_cards", "export_progress", "generate_cards", "generate_quiz",
    "grade_quiz", "import_progress", "mark_read", "next_ease", "reading_progress", "record_quiz",
    "record_review", "repeat_in_session", "review", "study_stats",
]
