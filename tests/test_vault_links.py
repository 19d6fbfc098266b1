"""Obsidian links (#23): the resolver, every wikilink and embed form, CommonMark edge cases, callouts,
highlights, comments, tags, the recursion guard, backlinks with their context and validate's warnings.

The vault is tests/fixtures/vault (30 notes in three levels of folders, images in sibling Images/ folders).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from explorer.notes.backlinks import build_backlinks, update
from explorer.notes.note import parse_note
from explorer.notes.render import ImageRoots, render_note
from explorer.notes.vault_check import link_problems
from explorer.notes.vault_links import NoteRef, Vault, VaultIndex, image_paths, note_refs

VAULT = Path(__file__).parent / "fixtures" / "vault"


# --------------------------------------------------------------------------- the resolver
def index(*paths: str, images=()) -> VaultIndex:
    return VaultIndex([NoteRef(p, Path(p).stem.lower().replace(" ", "-").replace("_", "-")) for p in paths], images)


def test_resolves_by_name_path_case_and_underscores():
    ix = index("a/Gradient Descent.md", "b/Bias_Variance.md", "c/d/Notes.md")
    assert ix.resolve("Gradient Descent").path == "a/Gradient Descent.md"
    assert ix.resolve("gradient_descent").path == "a/Gradient Descent.md"
    assert ix.resolve("GRADIENT   DESCENT.md").path == "a/Gradient Descent.md"
    assert ix.resolve("bias variance").path == "b/Bias_Variance.md"
    assert ix.resolve("d/Notes").path == "c/d/Notes.md"
    assert ix.resolve("c/d/Notes").path == "c/d/Notes.md"
    assert ix.resolve("x/Notes").found is False  # a path must match whole folders
    assert ix.resolve("Nowhere").found is False


def test_ambiguous_name_picks_the_nearest_and_names_the_others():
    ix = index("L1/Overview.md", "L2/Overview.md", "L2/Notes/Topic.md", "Overview.md")
    same = ix.resolve("Overview", "L2/Topic2.md")
    assert same.path == "L2/Overview.md" and same.ambiguous
    assert set(same.candidates) == {"L1/Overview.md", "L2/Overview.md", "Overview.md"}
    assert ix.resolve("Overview", "L2/Notes/Topic.md").path == "L2/Overview.md"  # one step up
    assert ix.resolve("Overview", "Home.md").path == "Overview.md"  # same folder (the root)
    assert ix.resolve("L1/Overview", "L2/Notes/Topic.md").path == "L1/Overview.md"  # a path chooses
    assert not ix.resolve("L1/Overview").ambiguous


def test_relative_and_root_paths_and_images_anywhere():
    ix = index("L1/Notes/A.md", "L1/B.md", images=["L1/Images/fig.png", "Images/loss.png", "Other/Images/fig.png"])
    assert ix.resolve("../B", "L1/Notes/A.md").path == "L1/B.md"
    assert ix.resolve("/L1/B").path == "L1/B.md"
    assert ix.resolve_image("loss.png", "L1/Notes/A.md").path == "Images/loss.png"
    assert ix.resolve_image("fig.png", "L1/Notes/A.md").path == "L1/Images/fig.png"  # the nearest of two
    assert ix.resolve_image("../Images/fig.png", "L1/Notes/A.md").path == "L1/Images/fig.png"
    assert ix.resolve_image("nope.png").found is False


def test_index_is_built_from_metadata_only():
    class Light:  # no text, no tokens: only what a listing knows
        def __init__(self, path, id, title):
            self.path, self.id, self.title, self.filename = path, id, title, path.rsplit("/", 1)[-1]

    ix = VaultIndex(note_refs([Light("w/Topic.md", "topic", "Topic")]))
    assert ix.resolve("topic").note_id == "topic"
    more = ix.with_more([NoteRef("Upload.md", "upload")])
    assert more.resolve("Upload").found and not ix.resolve("Upload").found  # the shared index is untouched


# --------------------------------------------------------------------------- rendering
def note(text: str, path: str):
    return parse_note(text, path.rsplit("/", 1)[-1], path=path)


@pytest.fixture(scope="module")
def vault():
    from explorer.content.loader import load_notes

    notes, _ = load_notes(VAULT, VAULT.parent)
    by_id = {n.id: n for n in notes}
    return notes, Vault(VaultIndex(note_refs(notes), image_paths(VAULT)), by_id.get, "v")


class Links(HTMLParser):
    """Every <a> (href, text) and every missing link's text, from rendered HTML."""

    def __init__(self):
        super().__init__()
        self.links, self.missing, self._a, self._m = [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self._a = [a.get("href"), "", a.get("class")]
        elif tag == "span" and a.get("class") == "wikilink-missing":
            self._m = ""

    def handle_endtag(self, tag):
        if tag == "a" and self._a:
            self.links.append(tuple(self._a))
            self._a = None
        elif tag == "span" and self._m is not None:
            self.missing.append(self._m)
            self._m = None

    def handle_data(self, data):
        if self._a:
            self._a[1] += data
        if self._m is not None:
            self._m += data


def links_of(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def render_vault(notes, vault, title):
    n = next(x for x in notes if x.title == title)
    return render_note(n, vault=vault, roots=ImageRoots(VAULT, (VAULT,), VAULT))


def test_every_link_form_in_the_home_note(vault):
    notes, v = vault
    html = render_vault(notes, v, "Vault home")
    got = {(href, text) for href, text, cls in links_of(html).links if cls == "wikilink"}
    assert ("?note=gradient-descent", "Gradient Descent") in got
    assert ("?note=bias-variance", "Bias and variance") in got  # [[path|alias]]
    assert ("?note=bias-variance&section=decomposition", "bias variance › Decomposition") in got  # [[note#Heading]]
    assert ("?note=well-posed-problems", "Basic Examples") in got
    assert ("?note=overview-4", "Lectures/4/Overview") in got
    assert ("#reading-order", "Reading order") in got  # [[#Heading]]
    assert ("?note=learning-rate", "LEARNING RATE") in got
    assert ("https://example.org/ref", "[REF]") in {(h, t) for h, t, _ in links_of(html).links}  # CommonMark wins
    assert links_of(html).missing == ["Missing Note"]
    assert "[[" not in re.sub(r"<code>.*?</code>", "", html, flags=re.S)  # no raw brackets outside code
    assert "<code>[[not a link]]</code>" in html and "[[also not a link]]" in html


def test_missing_link_is_focusable_and_described(vault):
    notes, v = vault
    html = render_vault(notes, v, "Vault home")
    m = re.search(r'<span class="wikilink-missing" tabindex="0" aria-describedby="([^"]+)">Missing Note</span>'
                  r'<span class="gloss-tip" id="([^"]+)" role="tooltip"[^>]*>([^<]+)</span>', html)
    assert m and m.group(1) == m.group(2) and "not in your notes" in m.group(3)


def test_preview_has_title_folder_and_first_paragraph(vault):
    notes, v = vault
    html = render_vault(notes, v, "Vault home")
    tip = re.search(r'<span class="gloss-tip note-preview"[^>]*><strong class="preview-title">Gradient Descent</strong>'
                    r'<span class="preview-folder">([^<]*)</span><span class="preview-text">([^<]*)</span>', html)
    assert tip and tip.group(1) == "Lectures/2/Notes" and tip.group(2).startswith("Gradient descent walks downhill")


def test_embeds_one_level_deep_images_with_width(vault):
    notes, v = vault
    html = render_vault(notes, v, "Vault home")
    assert html.count('class="note-embed"') == 2  # a section and a whole note
    assert "Embedded: Gradient Descent › Update rule" in html
    assert "Each step moves the weights against the gradient" in html
    assert "Stochastic variants" not in html  # only the section
    imgs = re.findall(r"<img [^>]*>", html)
    assert any('width="300"' in i and "data:image/png" in i for i in imgs)
    assert any("data:image/svg+xml" in i for i in imgs)
    assert "no-such-image.png" in html and "Figure not available" in html


def test_embeds_never_recurse(vault):
    notes, v = vault
    html = render_vault(notes, v, "Loop A")
    assert html.count('class="note-embed"') == 1  # Loop B inline, once
    inner = html.split('class="note-embed"', 1)[1]
    assert ('?note=loop-a', "Loop A") in {(h, t) for h, t, _ in links_of(inner).links}  # B's embed of A: a link
    assert "Loop B&#x27;s own words" in html or "Loop B's own words" in html


def test_glossary_terms_work_inside_embedded_notes():
    from explorer.content.loader import load_content
    from explorer.notes.glossary_links import build_matcher

    c = load_content(Path(__file__).resolve().parent.parent / "content")
    matcher = build_matcher(c.glossary)
    term = c.glossary[0]
    a = note("# A\n\n![[B]]\n", "A.md")
    b = note(f"# B\n\nThis note mentions {term.term}.\n", "B.md")
    v = Vault(VaultIndex(note_refs([a, b])), {"a": a, "b": b}.get)
    html = render_note(a, vault=v, glossary=matcher)
    assert 'class="note-embed"' in html and 'class="gloss"' in html.split('class="note-embed"', 1)[1]


def test_commonmark_edge_cases():
    n = note("# T\n\n[[REF]](https://x.org) `[[a]]` [not [[b]] link](https://y.org)\n\n    [[indented]]\n", "T.md")
    html = render_note(n, vault=Vault(VaultIndex([]), lambda i: None))
    assert '<a href="https://x.org" rel="noopener noreferrer">[REF]</a>' in html
    assert "<code>[[a]]</code>" in html and "[[indented]]" in html
    assert [link.target for link in n.links] == ["b"]


def test_hostile_brackets_stay_cheap():
    import time

    text = "[[" * 40_000 + "\n\n" + "![[x" * 20_000 + "\n\n" + "==a" * 30_000 + "\n\n" + "%%" + "a" * 50_000
    t = time.perf_counter()
    n = note(text, "H.md")
    render_note(n, vault=Vault(VaultIndex([]), lambda i: None))
    assert time.perf_counter() - t < 5  # a guard against quadratic scans, far from the measured ~0.3 s


# --------------------------------------------------------------------------- callouts, marks, comments, tags
def test_callouts_fold_nest_and_keep_github_alerts(vault):
    notes, v = vault
    html = render_vault(notes, v, "Callouts")
    assert '<div class="callout callout-tip">' in html and '<p class="callout-title">A tip with a title</p>' in html
    assert '<details class="callout callout-warning">' in html  # "-": closed
    assert '<details class="callout callout-example" open="">' in html or '<details class="callout callout-example" open>' in html
    assert '<summary class="callout-title">Folded warning</summary>' in html
    nested = html.split("callout-example", 1)[1]
    assert '<div class="callout callout-note">' in nested.split("</details>", 1)[0]
    assert 'class="markdown-alert markdown-alert-note"' in html  # > [!NOTE] alone: GitHub's alert
    assert '<p class="callout-title">Question</p>' in html  # no title: the type


def test_highlight_comments_and_tags(vault):
    notes, v = vault
    html = render_vault(notes, v, "Vault home")
    assert "<mark>highlighted</mark>" in html
    assert "hidden comment" not in html and "A hidden block" not in html
    assert '<a class="note-tag" href="/Search?q=%23mlops"' in html
    assert "#42" in html and "%2342" not in html
    assert 'href="https://example.org/page#anchor"' in html
    n = note("# Title #notatag\n\n`#code` [x #no](https://z.org) ==**b**==\n", "T.md")
    out = render_note(n)
    assert "note-tag" not in out and "<mark><strong>b</strong></mark>" in out


def test_comments_are_not_searchable_text():
    n = note("# T\n\nseen %%secret one%% seen\n\n%%\nsecret two\n%%\n\nafter\n", "T.md")
    assert "secret" not in n.intro_text and "after" in n.intro_text


# --------------------------------------------------------------------------- backlinks and validate
def test_backlinks_with_context(vault):
    notes, v = vault
    back = build_backlinks(notes, v.index)
    gd = back["gradient-descent"]
    sources = {b.source_id for b in gd}
    assert {"home", "batch-size", "week-2-quiz", "overview-2"} <= sources
    assert "gradient-descent" not in sources
    ctx = {b.context for b in gd if b.source_id == "week-2-quiz"}
    assert "What does Gradient Descent mean?" in ctx  # a list item
    assert any(b.context.startswith("Start with Gradient Descent") for b in gd if b.source_id == "home")
    assert any(b.embed for b in back["well-posed-problems"])


def test_backlinks_update_one_note(vault):
    notes, v = vault
    back = build_backlinks(notes, v.index)
    home = next(n for n in notes if n.id == "home")
    gone = update(back, home, v.index, removed=True)
    assert "home" not in {b.source_id for b in gone["gradient-descent"]}
    again = update(gone, home, v.index)
    assert {b.source_id for b in again["gradient-descent"]} == {b.source_id for b in back["gradient-descent"]}


def test_validate_warns_missing_and_ambiguous_with_line(vault):
    notes, v = vault
    problems = list(link_problems(notes, v.index))
    home = [(line, msg) for path, line, msg in problems if path == "Home.md"]
    assert (12, "link [[Missing Note]]: no note of that name in your notes") in home
    assert any(line == 10 and "[[Overview]] is ambiguous" in msg for line, msg in home)
    assert any("![[no-such-image.png]]" in msg for _, msg in home)


def test_validate_command_lists_link_warnings(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    content = tmp_path / "content"
    shutil.copytree(root / "content", content)
    shutil.copytree(VAULT, content / "notes" / "vault")
    out = subprocess.run([sys.executable, "-m", "explorer", "validate"], cwd=root, capture_output=True, text=True,
                         env={**__import__("os").environ, "EXPLORER_CONTENT_DIR": str(content)}, timeout=120)
    assert "warning: notes/vault/Home.md:12: link [[Missing Note]]: no note of that name in your notes" in out.stdout


def test_a_view_parses_a_bounded_number_of_linked_notes():
    """Notes are parsed lazily: a note linking to many notes not parsed yet parses at most MAX_PARSES of them
    (for headings and previews); links to the rest still go to the note, with its title."""
    from explorer.notes.note_links import MAX_PARSES

    real = [note(f"# Topic {i}\n\nFirst paragraph {i}.\n", f"t/Topic {i}.md") for i in range(MAX_PARSES + 10)]
    parsed: list[str] = []

    class Unparsed:
        def __init__(self, n):
            self._n, self.parsed = n, False
            self.id, self.title, self.path, self.summary = n.id, n.title, n.path, ""

        def __getattr__(self, name):  # anything from the body is a parse
            parsed.append(self.id)
            return getattr(self._n, name)

    lazy = {n.id: Unparsed(n) for n in real}
    hub = note("# Hub\n\n" + "\n".join(f"- [[Topic {i}]]" for i in range(len(real))) + "\n", "Hub.md")
    v = Vault(VaultIndex(note_refs([hub, *real])), lambda i: lazy.get(i))
    html = render_note(hub, vault=v)
    assert len(set(parsed)) == MAX_PARSES
    assert html.count('class="wikilink"') == len(real)  # every link still goes to its note
    assert html.count('class="preview-text"') == MAX_PARSES
