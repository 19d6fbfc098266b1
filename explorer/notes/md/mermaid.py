"""Plugin ``mermaid``: ```` ```mermaid ```` blocks become diagrams the app draws, with their source one click away.

Why this route (checked in Chromium with Streamlit 1.67.0, December 2026): Streamlit ships a Mermaid
renderer, ``st.mermaid_chart(body, width=, alt=)``, which draws an SVG in the browser after the page's
text (its Mermaid bundle loads on demand), follows the app's light and dark theme, names the diagram
for screen readers (``alt``) and shows Mermaid's own message for a syntax error ("Mermaid diagram error:
Parse error on line 2 …") instead of a blank box.  Given 5,000 edges it draws a small box "Maximum text
size in diagram exceeded"; a diagram just under Mermaid's text limit would keep the reader's browser busy
for seconds.  A note is drawn as ``st.html`` blocks, which Streamlit's Mermaid never reaches, and
vendoring the ``mermaid`` package (about 3 MB) as a component would duplicate what Streamlit keeps
up to date.  So a note's view is split at its diagrams and drawn as ``st.html`` / ``st.mermaid_chart`` /
``st.html`` … (``ui/diagram_view.py``), and this plugin decides where the splits go and what is drawn:

* every ```` ```mermaid ```` fence renders as a split marker (an empty ``<div>`` holding a secret of this
  process and the diagram's key, :func:`split_view`), then a ``<details>`` "Diagram source" holding
  the source as a code block (one click away; open, with a notice, when :func:`inspect` finds a problem
  such as an unknown diagram type, next to the error Mermaid shows);
* a diagram inside a list item, a quote or a callout is drawn where it is written: the open containers are
  closed before the marker and opened again after it (an ordered list goes on with its numbering, the
  continued item has no second bullet);
* over the budget (:data:`MAX_CHARS` characters, :data:`MAX_EDGES` links, :data:`MAX_LINES` lines, or more
  than :data:`MAX_PER_VIEW` diagrams in one view) there is no marker: the source is shown with a notice,
  and the page keeps working;
* where nobody splits the view, the empty marker draws nothing and the ``<details>`` holds the source; the
  offline study pack shows it open, with a note that the app draws it (:func:`offline`).

The markers and the source blocks go through :func:`.code_blocks.code_slot` (safe by construction: the
source is escaped), so the sanitiser leaves them as they are; when raw HTML in a note moves a code block and
the whole view is sanitised instead, the markers lose their data and the sources stay (nothing is drawn).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from html import unescape

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll

from explorer.notes.md.code_blocks import code_slot

MAX_CHARS = 20_000  # characters of one diagram's source (Mermaid's own limit is 50,000)
MAX_EDGES = 500  # links between nodes (Mermaid's default maxEdges)
MAX_LINES = 1_000  # statements
MAX_PER_VIEW = 40  # diagrams drawn in one view of a note; the rest show their source
SECRET = secrets.token_hex(8)  # per process: text in a note cannot pose as a marker
KINDS = {
    "graph": "flowchart", "flowchart": "flowchart", "flowchart-elk": "flowchart", "sequencediagram": "sequence",
    "classdiagram": "class", "classdiagram-v2": "class", "statediagram": "state", "statediagram-v2": "state",
    "erdiagram": "entity relationship", "journey": "user journey", "gantt": "gantt", "pie": "pie",
    "quadrantchart": "quadrant", "requirementdiagram": "requirement", "gitgraph": "git graph", "mindmap": "mind map",
    "timeline": "timeline", "sankey-beta": "sankey", "xychart-beta": "XY chart", "block-beta": "block",
    "packet-beta": "packet", "kanban": "kanban", "architecture-beta": "architecture", "radar-beta": "radar",
    "c4context": "C4", "c4container": "C4", "c4component": "C4", "c4dynamic": "C4", "c4deployment": "C4",
}
_EDGE_RE = re.compile(r"--|==|-\.|->|\.\.|~~~")
_MARKER_RE = re.compile(r'<div class="mermaid-slot" data-mermaid="' + SECRET + r'-([0-9a-f]{16})"></div>')
_ACC_RE = re.compile(r"^\s*accTitle\s*:", re.MULTILINE)


@dataclass(frozen=True)
class Diagram:
    """One ```` ```mermaid ```` block: its source, what kind of diagram it is, and whether it can be drawn."""

    source: str
    kind: str  # "flowchart", "sequence", ... or "" when the first statement names no diagram type
    problem: str = ""  # something that stops Mermaid for sure (shown with the source, beside Mermaid's error)
    too_big: str = ""  # over the budget: not drawn, the source is shown with this notice

    @property
    def key(self) -> str:
        return hashlib.sha1(self.source.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    @property
    def has_title(self) -> bool:
        """The source names itself for screen readers (``accTitle:``)."""
        return bool(_ACC_RE.search(self.source[:4000]))

    @property
    def alt(self) -> str:
        return f"Mermaid {self.kind or ''} diagram from the note (its source follows)".replace("  ", " ")


def _first_statement(source: str) -> str:
    lines = source.split("\n")
    i = 0
    if lines and lines[0].strip() == "---":  # YAML front matter (title, config)
        i = next((j + 1 for j in range(1, min(len(lines), 200)) if lines[j].strip() == "---"), 0)
    for line in lines[i:i + 400]:
        s = line.strip()
        if s and not s.startswith("%%"):
            return s
    return ""


def inspect(source: str) -> Diagram:
    """What a Mermaid source is and whether it fits the budget (cheap: a look at its first line and a count)."""
    if len(source) > MAX_CHARS:
        return Diagram(source, "", too_big=f"{len(source):,} characters, over the {MAX_CHARS:,} this reader draws")
    lines = sum(1 for line in source.split("\n") if line.strip()) + source.count(";")
    if lines > MAX_LINES:
        return Diagram(source, "", too_big=f"{lines:,} statements, over the {MAX_LINES:,} this reader draws")
    edges = len(_EDGE_RE.findall(source))
    if edges > MAX_EDGES:
        return Diagram(source, "", too_big=f"about {edges:,} links, over the {MAX_EDGES:,} this reader draws")
    first = _first_statement(source)
    word = re.split(r"[\s;:]", first, maxsplit=1)[0].lower() if first else ""
    kind = KINDS.get(word, "")
    if not first:
        return Diagram(source, "", problem="The diagram is empty.")
    if not kind:
        shown = escapeHtml(word[:40])
        return Diagram(source, "", problem=f"“{shown}” is not a Mermaid diagram type: the first line should name one, "
                                           "such as flowchart LR, sequenceDiagram, classDiagram, stateDiagram-v2 or gantt.")
    return Diagram(source, kind)


def is_mermaid(info: str) -> bool:
    info = unescapeAll(info or "").strip()
    return bool(info) and info.split(None, 1)[0].strip("{}.").lower() == "mermaid"


def diagrams_in(tokens) -> dict[str, Diagram]:
    """Every diagram of a token list, by key (what :func:`split_view` finds in the HTML)."""
    out: dict[str, Diagram] = {}
    for tok in tokens:
        if tok.type == "fence" and is_mermaid(tok.info):
            d = inspect(tok.content)
            out[d.key] = d
    return out


_CODE_RE = re.compile(r'<code class="language-mermaid">(.*?)</code>', re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")


def split_view(html: str) -> list[tuple[str, str]]:
    """The HTML of a rendered view cut at its diagram markers: ``("html", chunk)``, ``("diagram", source)`` and
    ``("source", the <details> that shows it)`` in order (a view without a diagram is one chunk).

    The source is read back from the code block that follows each marker and must hash to the marker's key,
    so what is drawn is exactly what the note says.  Each chunk is a run of the sanitised HTML between two
    complete elements (cutting it makes no new markup); when the view is wrapped (``<div class="note-body">``)
    every chunk gets the wrapper."""
    head = re.match(r'<div class="[\w -]{1,80}">', html)
    wrap = head.group(0) if head and html.endswith("</div>") else ""
    inner = html[len(wrap):len(html) - 6] if wrap else html
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _MARKER_RE.finditer(inner):
        code = _CODE_RE.search(inner, m.end(), m.end() + 4 * MAX_CHARS + 2000)
        source = unescape(_TAG_RE.sub("", code.group(1))) if code else None
        if source is None or inspect(source).key != m.group(1):
            continue
        out.append(("html", inner[pos:m.start()]))
        out.append(("diagram", source))
        pos = m.end()
        if inner.startswith('<details class="mermaid-source"', pos):
            end = inner.index("</details>", pos) + len("</details>")
            out.append(("source", inner[pos:end]))
            pos = end
    out.append(("html", inner[pos:]))
    return [(kind, f"{wrap}{text}</div>" if kind != "diagram" and wrap else text) for kind, text in out
            if kind == "diagram" or text.strip()]


_OFFLINE_RE = re.compile(r'<div class="mermaid-slot" data-mermaid="[0-9a-f]+-[0-9a-f]{16}"></div>'
                         r'<details class="mermaid-source"( open)?><summary>Source of this diagram \(([^()<]{0,80})\)</summary>')


def offline(html: str) -> str:
    """A rendered view for a document without the app (the study pack): each diagram's marker goes, and its source
    is shown open under a note saying it is drawn in the app."""
    return _OFFLINE_RE.sub(lambda m: f'<details class="mermaid-source" open><summary>{m[2]}: drawn in the app; '
                                     "its Mermaid source</summary>", html)


def _marker(key: str) -> str:
    return f'<div class="mermaid-slot" data-mermaid="{SECRET}-{key}"></div>'


def _open_containers(tokens, idx: int, env: dict) -> tuple[list[int], dict[int, int]]:
    """Indexes of the block tokens still open at ``idx`` (lists, items, quotes, callouts), outermost first, and the
    items each open list has so far.  One pass over a render however many diagrams it has: the walk goes on
    from the previous diagram (kept in ``env``; a render goes forward)."""
    start, stack, items = env.get("mermaid_walk", (0, [], {}))
    if start > idx:
        start, stack, items = 0, [], {}
    stack, items = list(stack), dict(items)
    for j in range(start, idx):
        t = tokens[j]
        if not t.block:
            continue
        if t.nesting == 1:
            if t.type == "list_item_open" and stack:
                items[stack[-1]] = items.get(stack[-1], 0) + 1
            stack.append(j)
        elif t.nesting == -1 and stack:
            items.pop(stack.pop(), None)
    env["mermaid_walk"] = (idx, stack, items)
    return stack, items


def _reopen(self, tokens, stack: list[int], items: dict[int, int], options, env) -> str:
    out = []
    for j in stack:
        t = tokens[j]
        if t.type == "ordered_list_open":
            start = int(t.attrGet("start") or 1)
            out.append(f'<ol start="{start + max(items.get(j, 0) - 1, 0)}">')
        elif t.type == "list_item_open":
            out.append('<li class="mermaid-cont">')
        else:
            out.append(self.renderToken(tokens, j, options, env))
    return "".join(out)


def _source_head(d: Diagram, notice: str) -> str:
    """The start of the ``<details>`` that holds a drawn diagram's source (open when there is a notice)."""
    what = f"Mermaid {d.kind} diagram" if d.kind else "Mermaid diagram"
    note = f'<p class="mermaid-notice">{notice}</p>' if notice else ""
    return (f'<details class="mermaid-source"{" open" if notice else ""}><summary>Source of this diagram ({what})</summary>'
            f"{note}")


def mermaid_plugin(md: MarkdownIt) -> None:
    """Render ```` ```mermaid ```` fences as split markers with their source (see the module doc); every other
    fence keeps the rule it had (register after :func:`.code_blocks.code_blocks_plugin`)."""
    code_rule = md.renderer.rules.get("fence")  # bound to the renderer

    def code(tokens, idx, options, env) -> str:
        if code_rule is not None:
            return code_rule(tokens, idx, options, env)
        return f"<pre><code>{escapeHtml(tokens[idx].content)}</code></pre>"

    def render_fence(self, tokens, idx, options, env) -> str:
        tok = tokens[idx]
        if not is_mermaid(tok.info):
            return code(tokens, idx, options, env)
        d = inspect(tok.content)
        drawn = env.get("mermaid_drawn", 0)
        # the pieces are set aside in document order (code_slot numbers them as they come)
        if d.too_big or drawn >= MAX_PER_VIEW:
            why = d.too_big or f"this part of the note has more than {MAX_PER_VIEW} diagrams"
            notice = f"This diagram is not drawn here ({why}): its source is shown instead."
            head = code_slot(env, f'<div class="mermaid-block"><p class="mermaid-notice">{notice}</p>')
            return head + code(tokens, idx, options, env) + code_slot(env, "</div>")
        env["mermaid_drawn"] = drawn + 1
        stack, items = _open_containers(tokens, idx, env)
        close = "".join(f"</{tokens[j].tag}>" for j in reversed(stack))
        notice = f"{d.problem} Mermaid's own message is above." if d.problem else ""
        head = code_slot(env, close + _marker(d.key) + _source_head(d, notice))
        body = code(tokens, idx, options, env)
        return head + body + code_slot(env, "</details>" + _reopen(self, tokens, stack, items, options, env))

    md.add_render_rule("fence", render_fence)
