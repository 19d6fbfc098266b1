"""components/browser_store in real Chromium; each learner's browser is a context of its own
(``tests/e2e_util.profile``: its localStorage and IndexedDB last as long as it does).

The probe app (tests/apps/store_probe.py) keeps a counter (one slot per tab, merged by maximum) and
one blob through the component.  Journeys: write -> reload, new tab, restarted server (same origin:
same port) all keep it; a second, empty browser sees nothing; "Forget this browser" empties
localStorage and IndexedDB; a corrupted container, a full quota and disabled storage (or IndexedDB alone) give a notice
and the app keeps working; two tabs incrementing at the same moment lose nothing (the browser
refuses the second write, compare-and-swap, and the page merges); in a two-page app, switching
pages neither restores again nor loses a write.  Every page is watched for
console errors, uncaught errors and requests to other hosts (tests/e2e_util.PageWatch).
"""

from __future__ import annotations

import contextlib
import json
import time

import pytest

from tests.e2e_util import PageWatch, goto, profile, require_browser, start_server, wait_for_app

pytestmark = pytest.mark.browser

PROBE = "tests/apps/store_probe.py"
LS_KEY = "mlops-explorer/store"
BACKUPS_KEY = LS_KEY + ".backups"
BLOB = "blob text {n} \u00e9\u4e2d"
READ_IDB = """async () => {
  const dbs = await indexedDB.databases();
  if (!dbs.some((d) => d.name === 'mlops-explorer/store')) return null;
  const db = await new Promise((ok, bad) => { const r = indexedDB.open('mlops-explorer/store'); r.onsuccess = () => ok(r.result); r.onerror = () => bad(r.error); });
  if (!db.objectStoreNames.contains('blobs')) { db.close(); return {}; }
  const tx = db.transaction('blobs', 'readonly'); const s = tx.objectStore('blobs');
  const [keys, values] = await Promise.all([s.getAllKeys(), s.getAll()].map((q) => new Promise((ok) => { q.onsuccess = () => ok(q.result); })));
  db.close();
  return Object.fromEntries(keys.map((k, i) => [k, values[i]]));
}"""
DISABLE_STORAGE = """
Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
Object.defineProperty(window, 'indexedDB', { configurable: true, get() { return undefined; } });
"""


@pytest.fixture(scope="module")
def server():
    require_browser()
    s = start_server(app=PROBE)
    yield s
    s.stop()


def state(page) -> dict:
    """The probe's ``STATE {json}`` line (ignoring a stale copy left by the previous run or page)."""
    fresh = page.locator("[data-testid='stElementContainer']:not([data-stale='true'])").filter(has_text="STATE {")
    return json.loads(fresh.last.inner_text(timeout=5000).strip()[len("STATE "):])


def wait_state(page, pred, timeout=20.0, what="") -> dict:
    """Poll the probe's STATE line until ``pred(state)``; the restore arrives one rerun later."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            wait_for_app(page, timeout=5000)
            last = state(page)
            if pred(last):
                return last
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what or pred}: last state {last}")


def open_probe(page, url: str) -> dict:
    goto(page, url)
    return wait_state(page, lambda s: s["status"] != "pending", what="the browser's first answer")


def click(page, name: str) -> None:
    """Click and wait for the page run it causes (two clicks on one button during one run would
    count once: Streamlit coalesces them)."""
    before = state(page)["runs"]
    page.get_by_role("button", name=name).click()
    wait_state(page, lambda s: s["runs"] > before, what=f"the run after clicking {name!r}")


def stored(page) -> dict | None:
    raw = page.evaluate(f"localStorage.getItem({LS_KEY!r})")
    return None if raw is None else json.loads(raw)


def stored_count(page) -> int | None:
    """The counter held in localStorage, None when absent or not (yet) the probe's container."""
    try:
        return sum(json.loads(stored(page)["text"])["counts"].values())
    except (TypeError, ValueError, KeyError):
        return None


def wait_stored_count(page, n: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while stored_count(page) != n:
        assert time.monotonic() < deadline, f"localStorage holds {stored_count(page)}, expected {n}"
        page.wait_for_timeout(100)


def wait_blobs(page, expected, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while (got := page.evaluate(READ_IDB)) != expected:
        assert time.monotonic() < deadline, f"IndexedDB holds {got}, expected {expected}"
        page.wait_for_timeout(100)


def test_progress_stays_across_reload_tab_and_restart_and_forget_empties_it(pw):
    srv = start_server(app=PROBE)
    port = srv.port
    try:
        with profile(pw) as ctx:
            page = ctx.new_page()
            watch = PageWatch().attach(page)
            s = open_probe(page, srv.url)
            assert (s["status"], s["count"], s["rev"], s["reason"], s["blobs"]) == ("ready", 0, None, "restore", {})
            assert s["blobs_persistent"] is True and stored(page) is None
            # the component takes no room: its element container and the fragment's wrapper are hidden
            hidden = page.evaluate("""() => { const el = document.querySelector('.st-key-browser_store_store');
                const wrap = el.closest('[data-testid="stLayoutWrapper"]');
                return [getComputedStyle(el).display, wrap ? getComputedStyle(wrap).display : 'no wrapper', el.getBoundingClientRect().height]; }""")
            assert hidden == ["none", "none", 0]

            for _ in range(3):
                click(page, "Increment")
            wait_state(page, lambda s: s["count"] == 3, what="count 3 on screen")
            wait_stored_count(page, 3)
            click(page, "Put blob")
            wait_blobs(page, {"note-1": BLOB.format(n=3)})

            page.reload(wait_until="domcontentloaded")
            s = wait_state(page, lambda s: s["status"] == "ready" and s["count"] == 3, what="count 3 after reload")
            assert s["blobs"] == {"note-1": BLOB.format(n=3)} and s["reason"] == "restore"

            tab = ctx.new_page()
            tab_watch = PageWatch().attach(tab)
            s = open_probe(tab, srv.url)
            assert (s["count"], s["blobs"]) == (3, {"note-1": BLOB.format(n=3)})
            assert watch.problems() == [] and tab_watch.problems() == []

            # nothing the learner stored reaches the server's log
            log = srv.log()
            assert "blob text" not in log and "counts" not in log

            # The server restarts on the same origin (same port).  An open tab reconnects but Streamlit
            # does not rerun it: its next interaction runs in a new, empty session, which restores from
            # the browser and merges: 3 stored + 1 new.  A fresh navigation restores too.
            srv.stop()
            srv = start_server(app=PROBE, port=port)
            tab.get_by_role("button", name="Increment").click()
            s = wait_state(tab, lambda s: s["status"] == "ready" and s["count"] == 4, timeout=30,
                           what="the reconnected tab restored on the new server and kept its click")
            assert s["blobs"] == {"note-1": BLOB.format(n=3)}
            wait_stored_count(tab, 4)
            s = open_probe(page, srv.url)
            assert (s["count"], s["blobs"]) == (4, {"note-1": BLOB.format(n=3)})

            with profile(pw) as other:
                p2 = other.new_page()
                s = open_probe(p2, srv.url)
                assert (s["status"], s["count"], s["rev"], s["blobs"]) == ("ready", 0, None, {})
                assert stored(p2) is None

            click(page, "Forget this browser")
            wait_state(page, lambda s: s["count"] == 0, what="count 0 after forget")
            wait_blobs(page, {})
            assert stored(page) is None
            # the other open tab is told (storage event) and empties its copy too
            # (count 0 can only come from the "cleared" snapshot: merging never lowers a count; a later storage
            # event, e.g. the other tab's next report, may leave "external" as the last reason)
            wait_state(tab, lambda s: s["count"] == 0 and s["rev"] is None and s["reason"] in ("cleared", "external"),
                       what="the other tab saw the forget")
            page.reload(wait_until="domcontentloaded")
            s = wait_state(page, lambda s: s["status"] == "ready", what="ready after forget")
            assert (s["count"], s["blobs"], s["rev"]) == (0, {}, None)
            assert stored(page) is None
    finally:
        srv.stop()


def test_corrupted_container_gives_a_notice_and_is_replaced(pw, server):
    with profile(pw) as ctx:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        open_probe(page, server.url)
        page.evaluate(f"localStorage.setItem({LS_KEY!r}, '{{not json at all')")
        page.reload(wait_until="domcontentloaded")
        s = wait_state(page, lambda s: s["status"] == "ready", what="ready with a corrupt container")
        assert (s["notice"], s["count"]) == ("corrupt", 0)
        assert s["rev"].startswith("!corrupt-")
        assert page.get_by_text("could not be read").is_visible()
        click(page, "Increment")
        wait_stored_count(page, 1)
        assert stored(page)["v"] == 1
        (kept,) = json.loads(page.evaluate(f"localStorage.getItem({BACKUPS_KEY!r})"))["items"]
        assert (kept["text"], kept["raw"], kept["rev"]) == ("{not json at all", True, s["rev"])  # set aside first
        assert wait_state(page, lambda s: s["backups"] == 1, what="the backup reported")["backups"] == 1
        page.reload(wait_until="domcontentloaded")
        s = wait_state(page, lambda s: s["status"] == "ready" and s["count"] == 1, what="count 1 after replacing garbage")
        assert s["notice"] is None
        # a well-formed JSON value of another shape is ignored the same way
        page.evaluate(f"localStorage.setItem({LS_KEY!r}, JSON.stringify({{v: 99, rev: 1, text: 5}}))")
        page.reload(wait_until="domcontentloaded")
        s = wait_state(page, lambda s: s["status"] == "ready", what="ready with a foreign container")
        assert (s["notice"], s["count"]) == ("corrupt", 0)
        # an entry too long to keep a backup of is not replaced at all: the write is refused with a notice
        page.evaluate(f"localStorage.setItem({LS_KEY!r}, 'x'.repeat(2000001))")
        page.reload(wait_until="domcontentloaded")
        wait_state(page, lambda s: s["status"] == "ready" and s["notice"] == "corrupt", what="the long entry seen")
        click(page, "Increment")
        s = wait_state(page, lambda s: s["notice"] == "backup-failed", what="the backup-failed notice")
        assert s["count"] == 1 and page.get_by_text("cannot keep a copy of it").is_visible()
        assert page.evaluate(f"localStorage.getItem({LS_KEY!r}).length") == 2000001
        assert watch.problems() == []


def test_full_quota_gives_a_notice_and_the_session_keeps_working(pw, server):
    with profile(pw) as ctx:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        open_probe(page, server.url)
        # fill this origin's localStorage to the brim (Chromium: about 10 MB per origin)
        page.evaluate("""() => { let size = 1 << 22; let i = 0;
            while (size > 16) { try { localStorage.setItem('filler-' + i, 'x'.repeat(size)); i += 1; } catch (e) { size = size >> 1; } } }""")
        click(page, "Increment")
        s = wait_state(page, lambda s: s["notice"] == "quota", what="the quota notice")
        assert s["count"] == 1 and s["status"] == "ready"
        assert page.get_by_text("storage for this site is full").is_visible()
        assert stored(page) is None
        click(page, "Increment")
        wait_state(page, lambda s: s["count"] == 2, what="count 2 in the session")
        page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('filler-')).forEach((k) => localStorage.removeItem(k))")
        click(page, "Increment")
        wait_stored_count(page, 3)
        wait_state(page, lambda s: s["notice"] is None and s["count"] == 3, what="the notice gone after a successful save")
        assert watch.problems() == []


def test_disabled_storage_falls_back_to_the_session_with_a_notice(pw, server):
    with profile(pw, init_script=DISABLE_STORAGE) as ctx:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        s = open_probe(page, server.url)
        assert (s["status"], s["notice"], s["blobs_persistent"]) == ("unavailable", "unavailable", False)
        assert page.get_by_text("does not let this site store data").is_visible()
        click(page, "Increment")
        click(page, "Increment")
        click(page, "Put blob")
        s = wait_state(page, lambda s: s["blobs"] != {}, what="the blob in the session")
        assert (s["count"], s["blobs"], s["status"], s["saving"]) == (2, {"note-1": BLOB.format(n=2)}, "unavailable", False)
        assert watch.problems() == []


def test_without_indexeddb_the_text_persists_and_blobs_stay_in_the_session(pw, server):
    no_idb = "Object.defineProperty(window, 'indexedDB', { configurable: true, get() { return undefined; } });"
    with profile(pw, init_script=no_idb) as ctx:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        s = open_probe(page, server.url)
        assert (s["status"], s["blobs_persistent"]) == ("ready", False)
        click(page, "Increment")
        click(page, "Put blob")
        s = wait_state(page, lambda s: s["notice"] == "blobs-unavailable", what="the blobs notice")
        assert s["blobs"] == {"note-1": BLOB.format(n=1)}
        assert page.get_by_text("cannot store uploaded notes").is_visible()
        wait_stored_count(page, 1)
        page.reload(wait_until="domcontentloaded")
        s = wait_state(page, lambda s: s["status"] == "ready" and s["count"] == 1, what="count 1 after reload")
        assert s["blobs"] == {}
        assert watch.problems() == []


def test_two_tabs_writing_at_once_lose_nothing(pw, server):
    with profile(pw) as ctx:
        a, b = ctx.new_page(), ctx.new_page()
        watches = [PageWatch().attach(a), PageWatch().attach(b)]
        url = server.url + "/?debounce=600"
        open_probe(a, url)
        open_probe(b, url)
        rounds = 3
        for i in range(1, rounds + 1):
            # click in both tabs before either write is flushed: both writes start from the same revision
            runs = {t: state(t)["runs"] for t in (a, b)}
            a.get_by_role("button", name="Increment").click()
            b.get_by_role("button", name="Increment").click()
            for t in (a, b):
                wait_state(t, lambda s, t=t, runs=runs: s["runs"] > runs[t], what="the run after the click")
            wait_stored_count(a, 2 * i, timeout=15)
        for tab in (a, b):
            wait_state(tab, lambda s: s["count"] == 2 * rounds, what="both tabs converged")
        conflicts = sum(state(t)["conflicts"] for t in (a, b))
        externals = sum(state(t)["externals"] for t in (a, b))
        assert conflicts >= 1, "the compare-and-swap refusal path was not exercised"
        assert externals >= 1
        a.reload(wait_until="domcontentloaded")
        assert wait_state(a, lambda s: s["status"] == "ready")["count"] == 2 * rounds
        assert all(w.problems() == [] for w in watches)


HIDDEN = """() => { const el = document.querySelector('.st-key-browser_store_store');
    const wrap = el.closest('[data-testid="stLayoutWrapper"]');
    return [getComputedStyle(el).display, wrap ? getComputedStyle(wrap).display : 'no wrapper', el.getBoundingClientRect().height]; }"""
MOUNT_MARKS = "() => [...document.querySelectorAll('[data-browser-store]')].map((e) => e.dataset.mark || 'unmarked')"


def test_a_confirmation_reruns_only_the_component_which_stays_mounted_as_it_changes_place(pw, server):
    """While a write awaits the browser's confirmation the component sits in a fragment, so the confirmation
    reruns only the fragment, not the page; with nothing queued it sits in a plain container of the same
    shape. The browser keeps the same element (and the JS state bound to it) across every switch, and it
    stays hidden in both places."""
    with profile(pw) as ctx:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        open_probe(page, server.url)
        page.evaluate("() => { document.querySelector('[data-browser-store]').dataset.mark = 'first'; }")
        for i in range(1, 4):
            click(page, "Increment")  # this run queued the write: the component is in the fragment
            s = state(page)
            assert s["saving"] is True and s["count"] == i
            assert page.evaluate(HIDDEN) == ["none", "none", 0]
            wait_stored_count(page, i)  # written; the confirmation follows at once
            page.wait_for_timeout(1000)  # time enough for a page run, were the confirmation to cause one
            assert state(page)["runs"] == s["runs"], "the confirmation reran the page"
            click(page, "Rerun")  # nothing queued: a plain container
            s = state(page)
            assert s["saving"] is False and s["count"] == i
            assert page.evaluate(HIDDEN) == ["none", "none", 0]
        assert page.evaluate(MOUNT_MARKS) == ["first"], "the component was mounted again"
        page.reload(wait_until="domcontentloaded")
        assert wait_state(page, lambda s: s["status"] == "ready")["count"] == 3
        assert watch.problems() == []


def test_a_quiet_page_runs_once_for_an_empty_browser_and_again_for_a_stored_value(pw, server):
    """``quiet_if_empty``: the first report of an empty, usable browser reruns only the component, so a first
    visitor's page runs once; the next run (a click) takes the report in.  With a value stored, the first
    report reruns the page as before."""
    with profile(pw) as ctx:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        reports = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda p: reports.append(p) if b'"report"' in (
            p if isinstance(p, bytes) else p.encode()) else None))
        goto(page, server.url + "/?quiet=1")
        deadline = time.monotonic() + 20
        while not reports:  # the browser's first report went to the server
            assert time.monotonic() < deadline, "the store never reported"
            page.wait_for_timeout(50)
        page.wait_for_timeout(1000)  # time enough for a page run, were the report to cause one
        wait_for_app(page)
        s = state(page)
        assert (s["runs"], s["status"], s["snapshot_id"]) == (1, "pending", 0), s  # the page ran once
        click(page, "Rerun")
        s = state(page)
        assert (s["runs"], s["status"], s["snapshot_id"], s["count"], s["saving"]) == (2, "ready", 1, 0, False), s
        click(page, "Increment")
        wait_stored_count(page, 1)
        page.reload(wait_until="domcontentloaded")  # a new session, something stored: the report reruns the page
        s = wait_state(page, lambda s: s["status"] == "ready", what="the restore")
        assert (s["runs"], s["count"]) == (2, 1), s
        assert watch.problems() == []


def test_switching_pages_keeps_the_session_store_without_a_new_restore(pw):
    """Two pages both mount the store (tests/apps/store_pages): moving between them neither restores
    again nor loses a write; a deep link to the second page restores in its new session."""
    srv = start_server(app="tests/apps/store_pages/app.py")
    try:
        with profile(pw) as ctx:
            page = ctx.new_page()
            watch = PageWatch().attach(page)

            def now(pred, what):
                return wait_state(page, pred, what=what)

            def saved(text):
                """The write is in the browser and the app is idle before a page switch (the second switch always
                waited so; the first did not, and in 1 of 7 full runs that first switch never happened)."""
                deadline = time.monotonic() + 10
                while page.evaluate(f"localStorage.getItem({LS_KEY!r})") is None or stored(page)["text"] != text:
                    assert time.monotonic() < deadline, stored(page)
                    page.wait_for_timeout(100)
                wait_for_app(page)

            goto(page, srv.url)
            now(lambda s: s["status"] == "ready" and s["page"] == "first", "first page restored")
            page.get_by_role("button", name="Add one").click()
            now(lambda s: s["n"] == 1, "1 on the first page")
            saved("1")
            page.get_by_test_id("stPageLink-NavLink").click()
            s = now(lambda s: s["page"] == "second", "the second page")
            assert (s["n"], s["snapshot_id"], s["status"]) == (1, 1, "ready")
            page.get_by_role("button", name="Add one").click()
            now(lambda s: s["n"] == 2, "2 on the second page")
            saved("2")
            page.get_by_test_id("stPageLink-NavLink").click()
            s = now(lambda s: s["page"] == "first", "back on the first page")
            assert (s["n"], s["snapshot_id"]) == (2, 1)
            goto(page, srv.url + "/Second")
            s = now(lambda s: s["status"] == "ready" and s["page"] == "second", "deep link restored")
            assert (s["n"], s["snapshot_id"]) == (2, 1)
            assert watch.problems() == []
    finally:
        srv.stop()
