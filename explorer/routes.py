"""The route table: every page of the app, and where each kind of item is shown.

One place to change when a page is added or renamed.  Pages are file-based (``pages/N_Name.py``,
served at ``/Name``); an item kind maps to the page that shows it and the query parameter that
selects it, so search hits, cards, glossary links and the sidebar all build the same links::

    link("level", "azure-2").url            -> "/Maturity_Ladders?rung=azure-2"
    link("note", "kaizen", section="x").url -> "/Notes?note=kaizen&section=x"

Each page also lists the query parameters it reads (``Page.params``): the one place for their names (a
widget bound to the URL has its parameter's name as its key; tests/test_house_rules.py checks the pages).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Page:
    key: str
    file: str  # relative to the app root
    label: str  # sidebar label
    icon: str  # Material icon for st.page_link
    group: str  # sidebar group heading
    params: tuple[str, ...] = ()  # the query parameters the page reads (a bound widget's key is its parameter)

    @property
    def path(self) -> str:
        """The URL path Streamlit serves the page at (``pages/3_Glossary.py`` -> ``/Glossary``)."""
        return page_path(self.file)


@dataclass(frozen=True)
class Route:
    kind: str  # item kind, e.g. "level"
    page: str  # key of the page that shows it
    param: str  # query parameter that selects it there
    label: str  # what to call the kind next to a search hit
    icon: str


PAGE_LIST: tuple[Page, ...] = (
    Page("home", "app.py", "Home", ":material/home:", "Start"),
    Page("notes", "pages/1_Notes.py", "Notes reader", ":material/menu_book:", "Read", ("note", "section")),
    Page("search", "pages/2_Search.py", "Search", ":material/search:", "Read", ("q", "kinds")),
    Page("glossary", "pages/3_Glossary.py", "Glossary", ":material/dictionary:", "Read", ("term", "filter")),
    Page("breakdown", "pages/4_Breakdown.py", "25/25/25/25 breakdown", ":material/donut_large:", "Explore",
         ("quarter", "split")),
    Page("ladders", "pages/5_Maturity_Ladders.py", "Maturity ladders", ":material/stairs:", "Explore",
         ("rung", "vendor", "view", "stage", "compare")),
    Page("concepts", "pages/8_Concepts.py", "Hierarchy, workflows, analogy", ":material/schema:", "Explore",
         ("view", "tier", "workflow", "component", "analogy", "platform")),
    Page("assessment", "pages/6_Self_Assessment.py", "Self-assessment", ":material/fact_check:", "Assess", ("a", "plan")),
    Page("workshop", "pages/12_Workshop.py", "Team workshop", ":material/groups:", "Assess", ("w", "view", "plan")),
    Page("mlts", "pages/7_ML_Test_Score.py", "ML Test Score", ":material/rule:", "Assess", ("m",)),
    Page("study", "pages/11_Study.py", "Cards & quizzes", ":material/school:", "Study",
         ("tab", "seed", "text", "deck", "notes_folder", "state", "due", "page", "card", "folder", "note", "exam",
          "period", "group")),
    Page("certifications", "pages/9_Certifications.py", "Certifications", ":material/workspace_premium:", "Browse",
         ("cert", "issuer", "domain", "level", "status", "find")),
    Page("trends", "pages/10_Trends.py", "Trends", ":material/trending_up:", "Browse", ("trend", "focus")),
)
PAGES: dict[str, Page] = {p.key: p for p in PAGE_LIST}

ROUTES: dict[str, Route] = {r.kind: r for r in (
    Route("note", "notes", "note", "Note", ":material/menu_book:"),
    Route("term", "glossary", "term", "Glossary", ":material/dictionary:"),
    Route("quarter", "breakdown", "quarter", "25% rule", ":material/donut_large:"),
    Route("vendor", "ladders", "vendor", "Maturity model", ":material/stairs:"),
    Route("level", "ladders", "rung", "Maturity rung", ":material/stairs:"),
    Route("crosswalk", "ladders", "stage", "Crosswalk", ":material/compare_arrows:"),
    Route("tier", "concepts", "tier", "Hierarchy of needs", ":material/change_history:"),
    Route("workflow", "concepts", "workflow", "Workflow", ":material/account_tree:"),
    Route("analogy", "concepts", "analogy", "Analogy", ":material/local_pizza:"),
    Route("platform", "concepts", "platform", "Platform", ":material/cloud:"),
    Route("certification", "certifications", "cert", "Certification", ":material/workspace_premium:"),
    Route("trend", "trends", "trend", "Trend", ":material/trending_up:"),
    Route("query", "search", "q", "Search", ":material/search:"),
)}


def page_path(file: str) -> str:
    name = re.sub(r"\.py$", "", file.rsplit("/", 1)[-1])
    if name == "app":
        return "/"
    return "/" + (re.sub(r"^\d+[_ -]*", "", name) or name)


def page_for_path(path: str) -> Page | None:
    """The page served at a URL path (``/Glossary`` -> the glossary page), or None."""
    path = "/" + path.strip("/") if path.strip("/") else "/"
    return next((p for p in PAGE_LIST if p.path == path), None)


def page_url(file: str, params: Mapping[str, str] | None = None) -> str:
    query = urlencode(dict(params or {}))
    return page_path(file) + (f"?{query}" if query else "")


def nav_groups() -> list[tuple[str, list[Page]]]:
    """Pages grouped for the sidebar, in table order."""
    groups: dict[str, list[Page]] = {}
    for p in PAGE_LIST:
        groups.setdefault(p.group, []).append(p)
    return list(groups.items())


@dataclass(frozen=True)
class Link:
    """Where an item lives: a page file and the query parameters of its deep link."""

    page: str
    params: Mapping[str, str]

    @property
    def url(self) -> str:
        """Relative URL as Streamlit routes it: ``pages/3_Glossary.py`` + {term: x} -> ``/Glossary?term=x``."""
        return page_url(self.page, self.params)


def link(kind: str, item_id: str, **extra: str | None) -> Link:
    """Deep link to one item, e.g. ``link("level", "azure-2")`` or ``link("note", "kaizen", section="x")``."""
    route = ROUTES[kind]
    params = {route.param: item_id}
    params.update({k: v for k, v in extra.items() if v})
    return Link(PAGES[route.page].file, params)


def note_ref_link(ref: str) -> Link:
    """Link for a content reference ``note-id`` or ``note-id#section-id``."""
    note_id, _, section = ref.partition("#")
    return link("note", note_id, section=section or None)


def kind_label(kind: str) -> str:
    return ROUTES[kind].label if kind in ROUTES else kind


def kind_icon(kind: str) -> str:
    return ROUTES[kind].icon if kind in ROUTES else ":material/article:"
