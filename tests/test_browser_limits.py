"""Issue #20 written as the attacks, in the real app and real Chromium: one set of limits for what arrives.

- The 30-note restore: 30 notes of 200 kB in this browser's IndexedDB and matching records in the
  progress (localStorage), then a reload.  At most the session's limits come back (2 MB: ten notes
  of 200 kB, the first added), a notice on the Notes page names every other note and why, the page
  works, another visitor's page loads meanwhile, and afterwards IndexedDB and localStorage still hold
  all 30 notes untouched (nothing deleted).
- The 50-link paste: 50 long share links (notes and names, about 75 kB) pasted into the workshop are
  all combined; a paste beyond the box's cap says how many links were not read and leaves them in
  the box, and a second Combine adds them.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.e2e_util import PageWatch, goto, new_context, profile, wait_for_app

pytestmark = pytest.mark.browser

LS_KEY = "mlops-explorer/store"
SEED = """async ([container, blobs]) => {
  localStorage.setItem('mlops-explorer/store', container);
  const db = await new Promise((ok, bad) => { const r = indexedDB.open('mlops-explorer/store', 1);
    r.onupgradeneeded = () => { if (!r.result.objectStoreNames.contains('blobs')) r.result.createObjectStore('blobs'); };
    r.onsuccess = () => ok(r.result); r.onerror = () => bad(r.error); });
  await new Promise((ok, bad) => { const tx = db.transaction('blobs', 'readwrite'); const st = tx.objectStore('blobs');
    for (const [k, v] of Object.entries(blobs)) st.put(v, k); tx.oncomplete = ok; tx.onerror = () => bad(tx.error); });
  db.close(); return true; }"""
READ_IDB = """async () => {
  const db = await new Promise((ok, bad) => { const r = indexedDB.open('mlops-explorer/store'); r.onsuccess = () => ok(r.result); r.onerror = () => bad(r.error); });
  const tx = db.transaction('blobs', 'readonly'); const s = tx.objectStore('blobs');
  const [keys, values] = await Promise.all([s.getAllKeys(), s.getAll()].map((q) => new Promise((ok) => { q.onsuccess = () => ok(q.result); })));
  db.close();
  return Object.fromEntries(keys.map((k, i) => [k, values[i].length]));
}"""


@pytest.fixture(scope="module")
def server(app_server):
    """The session's shared server (``tests/conftest.py``): each test has a browser of its own."""
    return app_server


def thirty_notes() -> tuple[str, dict[str, str]]:
    """The stored progress listing 30 uploaded notes (added n00 first), and their texts of 200 kB each."""
    from bench.uploads_bench import note_text
    from explorer.limits import LIMITS
    from explorer.study import store as S

    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    s, blobs = S.empty(), {}
    for i in range(30):
        nid = f"upload-n{i:02d}"
        blobs[nid] = note_text(LIMITS.note_bytes // 1000, i).decode()
        s = S.add_note(s, nid, f"n{i:02d}.md", len(blobs[nid]), t0 + dt.timedelta(minutes=i))
    container = json.dumps({"v": 1, "rev": "seeded-1", "text": S.dump(s)})
    return container, blobs


def _ten_uploads_listed(page) -> None:
    """The notice is drawn above the list of notes in the same run: wait for the list's part of that run to arrive
    (the list read at once can still be the one of the run before the restore, without the uploads)."""
    page.wait_for_function("""() => { const nav = document.querySelector('.reader-nav');
        return !!nav && nav.innerText.split('\\n').filter(t => t.startsWith('Uploaded note')).length >= 10; }""",
                           timeout=30_000, polling=50)


def test_the_30_note_restore_keeps_the_limits_names_the_rest_and_deletes_nothing(pw, browser, server):
    container, blobs = thirty_notes()
    with profile(pw, timeout_ms=60_000) as ctx:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        goto(page, f"{server.url}/Glossary")
        page.evaluate(SEED, [container, blobs])
        goto(page, f"{server.url}/Notes", timeout=60_000)
        notice = page.get_by_test_id("stAlertContentWarning").filter(has_text="kept in this browser")
        notice.wait_for(timeout=60_000)
        text = notice.inner_text()  # (after the icon's name)
        assert "\n20 notes kept in this browser were not restored. They stay in this browser, untouched" in text
        names = ", ".join(f"n{i:02d}.md" for i in range(10, 30))  # every note not restored is named, with the reason
        assert f"{names}: this session's notes may take at most 2 MB together." in text
        _ten_uploads_listed(page)
        nav = page.locator(".reader-nav")
        uploads = [t for t in nav.inner_text().splitlines() if t.startswith("Uploaded note")]
        assert uploads == [f"Uploaded note {i}" for i in range(10)]  # the ten added first: 2 MB

        # the page is usable: open a restored note and see its text
        nav.get_by_text("Uploaded note 3", exact=True).click()
        wait_for_app(page)
        page.get_by_role("heading", name="Uploaded note 3").wait_for()
        assert re.search(r"[?&]note=upload-n03", page.url)

        # another visitor's page loads meanwhile
        other = new_context(browser)
        try:
            o = other.new_page()
            goto(o, f"{server.url}/Glossary")
            o.get_by_role("heading", name="Glossary").first.wait_for()
            assert "kept in this browser" not in o.locator("[data-testid='stMain']").inner_text()
        finally:
            other.close()

        # nothing was deleted or rewritten in the browser: all 30 texts, and all 30 notes in the progress
        page.wait_for_timeout(1500)  # past the store's write debounce
        sizes = page.evaluate(READ_IDB)
        assert sizes == {k: len(v) for k, v in blobs.items()}
        stored = json.loads(json.loads(page.evaluate(f"localStorage.getItem({LS_KEY!r})"))["text"])
        assert sorted(k for k, v in stored["notes"].items() if not v.get("removed")) == sorted(blobs)

        # a new tab of the same browser: the same limits, the same notice
        tab = ctx.new_page()
        goto(tab, f"{server.url}/Notes", timeout=60_000)
        tab.get_by_test_id("stAlertContentWarning").filter(has_text="20 notes kept in this browser").wait_for(timeout=60_000)
        _ten_uploads_listed(tab)
        assert len([t for t in tab.locator(".reader-nav").inner_text().splitlines() if t.startswith("Uploaded note")]) == 10
        assert not watch.problems(), watch.problems()


def test_the_50_link_paste_combines_every_link_and_a_paste_beyond_the_cap_stays_in_the_box(browser, server):
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content
    from tests.test_workshop import long_links

    A = load_content(CONTENT_DIR).assessment
    ctx = new_context(browser)
    ctx.set_default_timeout(30_000)
    try:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        goto(page, f"{server.url}/Workshop")
        links = long_links(A, 50)
        box = page.get_by_role("textbox", name="Share links or codes, one per line")
        box.fill("\n".join(links))
        page.get_by_role("button", name="Combine").click()
        wait_for_app(page)
        page.get_by_role("heading", name="The team: 50 answer sets").wait_for()
        assert "not read" not in page.locator("[data-testid='stMain']").inner_text()

        # beyond the cap: long links (a 10,000-character tracking parameter each) fill its 240,000 characters
        from explorer.limits import check_paste

        pad = "x" * 10_000
        padded = [f"http://team.example/Self_Assessment?utm={pad}&a={link.rsplit('a=', 1)[1]}" for link in links[:30]]
        read = len(check_paste("\n".join(padded)).entries)
        assert 15 < read < 30
        page.get_by_role("button", name="Start over").first.click()
        wait_for_app(page)
        box.fill("\n".join(padded))
        page.get_by_role("button", name="Combine").click()
        wait_for_app(page)
        page.get_by_role("heading", name=f"The team: {read} answer sets").wait_for()
        warning = page.get_by_test_id("stAlertContentWarning").filter(has_text="not read yet")
        assert (f"\n{30 - read} more entries: not read yet: one paste reads at most 240,000 characters."
                in warning.inner_text())
        kept = box.input_value().split("\n")
        assert kept[-(30 - read):] == padded[read:]  # the links not read, as pasted, after the members
        page.get_by_role("button", name="Combine").click()
        wait_for_app(page)
        page.get_by_role("heading", name="The team: 30 answer sets").wait_for()
        assert not watch.problems(), watch.problems()
    finally:
        ctx.close()
