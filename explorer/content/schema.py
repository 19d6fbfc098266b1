"""Typed schema of every YAML file under ``content/``.

Every model forbids unknown keys and is frozen (content is shared between
sessions through one cached object, so nothing may mutate it).  Cross-file
references (ids that point into another file) are checked by
:mod:`explorer.content.validate`, not here: a model only knows its own file.

Conventions used by the fields below:

* ``Id``: lower-case slug (``aws-initial``, ``feature-store``).
* ``NoteRef``: ``"<note-id>"`` or ``"<note-id>#<section-id>"``; note ids come
  from the note's front matter (or its file name), section ids are the GitHub ids
  of its headings (see :mod:`explorer.notes.note`).
* ``source_url`` + ``last_verified`` travel with every vendor level,
  certification and trend, and with the hierarchy, workflows, breakdown, platforms
  and analogy files and every glossary term.  For the latter the fields are optional
  here (so tests can build small models) and required by :mod:`explorer.content.validate`
  (rules in :mod:`explorer.content.sources`).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NOTEREF_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:#[\w-]+)?$")  # section ids are GitHub heading ids


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError(f"{value!r} is not a valid id (lower-case letters, digits and single hyphens)")
    return value


def _check_noteref(value: str) -> str:
    if not _NOTEREF_RE.match(value):
        raise ValueError(f"{value!r} is not a note reference ('note-id' or 'note-id#section-id')")
    return value


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _date_to_text(value: object) -> object:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return value


def _check_partial_date(value: str) -> str:
    if not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
NoteRef = Annotated[str, AfterValidator(_check_noteref)]
Url = Annotated[str, AfterValidator(_check_url)]
Text = Annotated[str, Field(min_length=1)]
PartialDate = Annotated[str, BeforeValidator(_date_to_text), AfterValidator(_check_partial_date)]


class Strict(BaseModel):
    # defer_build: a model's validator is built the first time it validates a file of its kind, not at
    # import: a page that needs no YAML (the home page needs two small files) skips building the rest.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Sourced(Strict):
    source_url: Url
    last_verified: _dt.date


class SourceChecked(Strict):
    """A source the validator requires (its message names the file and says what to add), so that a
    file without one still loads and the app can show everything else."""

    source_url: Url | None = None
    last_verified: _dt.date | None = None


class Named(Strict):
    """An item with an id (its URL key), a name and a one-line summary."""

    id: Id
    name: Text
    summary: Text


class Linked(Strict):
    """Links to the notes that teach an item and to the glossary terms it uses."""

    notes: list[NoteRef] = []
    glossary: list[Id] = []


# --------------------------------------------------------------------------- breakdown
class Quarter(Linked):
    id: Id
    name: Text
    short: Text  # label on a chart slice, e.g. "DevOps"
    share: float = Field(gt=0, le=100)
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    description: Text
    examples: list[Text] = Field(min_length=1)


class Breakdown(SourceChecked):
    title: Text
    summary: Text
    attribution: Text
    quarters: list[Quarter] = Field(min_length=2)

    @model_validator(mode="after")
    def _shares_sum_to_100(self) -> Breakdown:
        total = sum(q.share for q in self.quarters)
        if abs(total - 100) > 1e-6:
            raise ValueError(f"quarter shares must add up to 100, they add up to {total:g}")
        return self


# --------------------------------------------------------------------------- maturity ladders
class AzureCells(Strict):
    people: Text
    model_creation: Text
    model_release: Text
    application_integration: Text


class Requirement(Strict):
    """A rung needs the answer to ``question`` to be at index ``at_least`` or higher.

    ``basis`` cites the vendor's own description of the rung that the requirement is derived
    from (a short quotation plus where it comes from).  It is optional in the schema so that
    synthetic ladders in tests stay short; the shipped ladders give one for every requirement
    (tests/test_placement_truth.py checks that).

    ``na_ok``: the vendor's own text makes this capability optional for the rung, so a team that
    marks the question "does not apply" still meets the requirement.  Without it (the default), an
    N/A answer never meets a requirement (see :data:`explorer.assess.scoring.NA_RULE`).  It may only be
    set on a question that allows N/A (checked by :mod:`explorer.content.validate`).
    """

    question: Id
    at_least: int = Field(ge=0)
    basis: str = ""
    na_ok: bool = False


class Level(Sourced, Linked):
    id: Id
    rank: int = Field(ge=0)
    name: Text
    tagline: str = ""
    summary: Text
    details: list[Text] = Field(min_length=1)
    automation: float = Field(ge=0, le=1)  # position on the common manual -> automated axis
    changes: list[Text] = []  # what changes from the rung below
    still_manual: list[Text] = []  # what this rung still leaves manual / its open challenges
    cells: AzureCells | None = None  # Azure: People / Model creation / Model release / App integration
    components: list[Text] = []  # Google: components present at this level
    triggers: list[Text] = []  # Google: what starts a training run
    accounts: list[Text] = []  # AWS: accounts / environments
    capabilities: list[Text] = []  # AWS: capabilities gained
    technology: list[Text] = []
    requires: list[Requirement] = []  # self-assessment: answers this rung needs


class Vendor(Sourced):
    id: Id
    name: Text
    model_name: Text
    level_word: Literal["Phase", "Level", "Stage"]
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    summary: Text
    caveats: list[Text] = []
    levels: list[Level] = Field(min_length=2)

    @model_validator(mode="after")
    def _ranks_are_a_ladder(self) -> Vendor:
        ranks = [lv.rank for lv in self.levels]
        if ranks != sorted(ranks) or len(set(ranks)) != len(ranks):
            raise ValueError(f"levels must be listed by strictly increasing rank, got ranks {ranks}")
        autos = [lv.automation for lv in self.levels]
        if autos != sorted(autos):
            raise ValueError(f"automation must not decrease up the ladder, got {autos}")
        return self


class CrosswalkRow(Strict):
    id: Id
    stage: Text  # plain-language name of the shared stage
    levels: dict[Id, list[Id]]  # vendor id -> level ids that sit at this stage
    rationale: Text


class Crosswalk(Strict):
    summary: Text
    caveat: Text
    rows: list[CrosswalkRow] = Field(min_length=1)


# --------------------------------------------------------------------------- certifications
class ExamFacts(Strict):
    code: str | None = None
    questions: str | None = None
    duration: str | None = None
    passing: str | None = None
    price: str | None = None
    format: str | None = None
    validity: str | None = None
    domains: list[Text] = []


class Certification(Sourced):
    id: Id
    name: Text
    course_name: Text  # how the course notes name it
    issuer: Text
    kind: Literal["certification", "framework"] = "certification"
    level: Text
    domain: Text
    status: Literal["active", "retired", "not-a-certification"]
    status_note: str = ""
    retired_on: PartialDate | None = None
    successor: Id | None = None
    summary: Text
    exam: ExamFacts | None = None
    unconfirmed: list[Text] = []
    quarters: list[Id] = Field(min_length=1)  # breakdown quarters it serves
    glossary: list[Id] = []

    @model_validator(mode="after")
    def _status_consistent(self) -> Certification:
        if self.status == "retired" and (self.retired_on is None or self.successor is None):
            raise ValueError("a retired certification needs both retired_on and successor")
        if self.status != "retired" and self.retired_on is not None:
            raise ValueError(f"retired_on is set but status is {self.status!r}")
        if (self.kind == "framework") != (self.status == "not-a-certification"):
            raise ValueError("kind 'framework' goes with status 'not-a-certification' (and only with it)")
        return self


class Certifications(Strict):
    certifications: list[Certification] = Field(min_length=1)


# --------------------------------------------------------------------------- trends
class Trend(Named, Sourced, Linked):
    why_it_matters: Text
    confirmed: bool = True
    caveat: str = ""
    quarters: list[Id] = []

    @model_validator(mode="after")
    def _caveat_when_unconfirmed(self) -> Trend:
        if not self.confirmed and not self.caveat:
            raise ValueError("an unconfirmed trend needs a caveat saying what is not confirmed")
        return self


class Trends(Strict):
    intro: Text
    trends: list[Trend] = Field(min_length=1)


# --------------------------------------------------------------------------- hierarchy, workflows, analogy, platforms
class Tier(Named, Linked):
    examples: list[Text] = Field(min_length=1)


class Hierarchy(Strict):
    title: Text
    summary: Text
    source_url: Url
    last_verified: _dt.date | None = None  # required by the validator
    tiers: list[Tier] = Field(min_length=2)  # bottom (foundation) first


class WorkflowComponent(Strict):
    id: Id
    name: Text
    description: Text
    group: Text  # e.g. "build", "data-centric", "model-centric"


class Workflow(Named):
    spectrum: Text  # e.g. "DevOps -> MLOps"
    pipeline: bool  # components form an ordered flow (light) or a platform of services (heavy)
    components: list[WorkflowComponent] = Field(min_length=2)
    when_to_use: list[Text] = []


class Workflows(Strict):
    summary: Text
    source_url: Url
    last_verified: _dt.date | None = None  # required by the validator
    workflows: list[Workflow] = Field(min_length=2)


class AnalogyRow(Strict):
    id: Id
    food: Text
    ml: Text
    effort: int = Field(ge=1, le=5)
    control: int = Field(ge=1, le=5)
    explanation: Text


class Analogy(SourceChecked):
    title: Text
    attribution: Text
    confirmed: bool
    caveat: str = ""
    rows: list[AnalogyRow] = Field(min_length=2)


class PlatformRole(Named):
    criteria: list[Text] = Field(min_length=1)
    examples: list[Text] = []


class Platforms(SourceChecked):
    summary: Text
    roles: list[PlatformRole] = Field(min_length=2)
    advice: list[Text] = []


# --------------------------------------------------------------------------- glossary
class Term(SourceChecked):
    id: Id
    term: Text
    aliases: list[Text] = []
    definition: Text
    related: list[Id] = []
    notes: list[NoteRef] = []


class Glossary(Strict):
    terms: list[Term] = Field(min_length=1)


# --------------------------------------------------------------------------- self-assessment (issue 4)
class Answer(Strict):
    label: Text
    description: Text


class Question(Strict):
    id: Id
    quarter: Id
    capability: Text
    text: Text
    help: str = ""
    answers: list[Answer] = Field(min_length=2, max_length=6)
    learn: list[NoteRef] = []
    glossary: list[Id] = []
    # "does not apply to us": only where skipping the question is legitimate, with a one-line reason
    allow_na: bool = False
    na_reason: str = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _na_reason_goes_with_allow_na(self) -> Question:
        if self.allow_na and not self.na_reason:
            raise ValueError("a question with allow_na: true needs a one-line na_reason saying when it does not apply")
        if not self.allow_na and self.na_reason:
            raise ValueError("na_reason is set but allow_na is false")
        if "\n" in self.na_reason:
            raise ValueError("na_reason must be one line")
        return self


class Assessment(Strict):
    version: int = Field(ge=1)
    title: Text
    intro: Text
    questions: list[Question] = Field(min_length=1)


class MLTest(Strict):
    id: Id
    text: Text
    explanation: Text


class MLTestSection(Strict):
    id: Id
    name: Text
    tests: list[MLTest] = Field(min_length=1)


class ScoreBand(Strict):
    above: float  # band applies when score > above (the lowest band uses -1 to include 0)
    up_to: float | None  # ... and score <= up_to (None: no upper bound)
    label: Text
    meaning: Text


class MLTestScore(Sourced):
    title: Text
    summary: Text
    scoring_note: Text
    sections: list[MLTestSection] = Field(min_length=1)
    bands: list[ScoreBand] = Field(min_length=1)
