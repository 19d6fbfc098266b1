"""Section ``uploads``: what visitors' uploaded notes cost the server's memory (issue #14).

N websocket sessions (default 50) each upload F notes (default 20) of K kB (default 200) through the
Notes page's real file uploader (``file_urls_request``, the HTTP PUT the browser makes, then a rerun
carrying the uploader's files), open one of their notes and search it.  The server keeps
everything derived from uploads in the session (``ui/notes_view.py``) within a per-session limit
(``explorer.notes.uploads.MAX_SESSION_BYTES``: the files beyond it are refused with a message).  Rows:
server RSS before, after each quarter of the sessions and after all, the growth per session, and
RSS once every session has disconnected and ``server.disconnectedSessionTTL`` (set to 5 s here)
has passed, then the same for a second wave of new sessions: Python and the C allocator keep much of
the freed memory for reuse rather than returning it to the OS, so the second wave shows whether
memory is bounded (it reuses what the first freed) or grows.  Baseline: the RSS of the same server
after one session that uploaded nothing.
"""

from __future__ import annotations

import asyncio
import random
import time
import urllib.request
import uuid

from .common import Results, Row
from .load import Session, Visit
from .server import Server

TTL_S = 5
WORDS = ("model data pipeline feature store registry drift monitoring deployment training serving batch stream "
         "container cluster rollout canary metric alert owner review test validation schema lineage").split()


def note_text(kb: int, seed: int) -> bytes:
    """A realistic note of about ``kb`` kB: headings, paragraphs, lists and code blocks."""
    rng = random.Random(seed)
    out = [f"# Uploaded note {seed}", ""]
    n = 0
    while sum(len(x) + 1 for x in out) < kb * 1000:
        n += 1
        out += [f"## Part {n}: {rng.choice(WORDS)} {rng.choice(WORDS)}", ""]
        out.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))) + ".")
        out += ["", *(f"- {' '.join(rng.choice(WORDS) for _ in range(8))}" for _ in range(4)), ""]
        if n % 3 == 0:
            out += ["```python", *(f"step_{i} = run('{rng.choice(WORDS)}')" for i in range(8)), "```", ""]
    return "\n".join(out).encode()[: kb * 1000]


def _put(url: str, name: str, data: bytes) -> int:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: text/markdown\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(url, data=body, method="PUT",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status


async def _uploader(server: Server, i: int, files: int, kb: int) -> tuple[Session, list[str]]:
    from streamlit.proto.Common_pb2 import UploadedFileInfo
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    s = Session(server)
    await s.connect()
    errors = []
    r = await s.run(Visit("Notes"))
    if r.error or not s.uploader_ids:
        return s, [r.error or "no file uploader on the Notes page"]
    names = [f"s{i}-n{k}.md" for k in range(files)]
    urls = await s.upload_urls(names)
    infos = []
    for (file_id, url), name in zip(urls, names):
        data = note_text(kb, seed=i * 1000 + len(infos))
        status = await asyncio.to_thread(_put, server.url + url, name, data)
        if status >= 300:
            errors.append(f"PUT {status}")
        infos.append(UploadedFileInfo(name=name, size=len(data), file_id=file_id, file_urls=None))
    w = WidgetState(id=s.uploader_ids[0])
    w.file_uploader_state_value.uploaded_file_info.extend(infos)
    r = await s.run(Visit("Notes"), widgets=[w])
    errors += [r.error] if r.error else []
    for visit in (Visit("Notes", {"note": f"upload-s{i}-n0"}), Visit("Search", {"q": "pipeline drift"})):
        r = await s.run(visit)
        errors += [r.error] if r.error else []
    return s, errors


def run_uploads(results: Results, *, sessions: int = 50, files: int = 20, kb: int = 200, ttl_s: int = TTL_S,
                settle_s: float = 6.0) -> None:
    """``ttl_s``: the server's ``disconnectedSessionTTL``; ``settle_s``: how long after the TTL the RSS is
    read (the test suite's smoke run makes both short: it checks that the section runs, not the memory)."""
    from explorer.notes.uploads import MAX_SESSION_BYTES, MAX_UPLOADS

    kept = min(files, MAX_UPLOADS, MAX_SESSION_BYTES // (kb * 1000))
    flags = ["--server.enableXsrfProtection", "false", "--server.disconnectedSessionTTL", str(ttl_s),
             "--server.maxUploadSize", "1"]
    with Server(flags=flags, log_name="uploads") as server:

        async def wave(w: int, info: dict) -> None:
            """All sessions upload (in four batches), then disconnect; RSS at each step and after the TTL."""
            open_sessions = []
            step = max(1, sessions // 4)
            for start in range(0, sessions, step):
                batch = await asyncio.gather(*(_uploader(server, w * 10_000 + i, files, kb)
                                               for i in range(start, min(sessions, start + step))))
                for s, errs in batch:
                    open_sessions.append(s)
                    info["errors"] += errs
                if w == 0:
                    info["steps"].append((len(open_sessions), server.rss_mb()))
            info["peak"].append(server.rss_mb())
            for s in open_sessions:
                await s.close()
            time.sleep(ttl_s + settle_s)  # the server drops disconnected sessions after the TTL
            probe = Session(server)  # a new session's run also lets the server clean up
            await probe.connect()
            await probe.run(Visit("Notes"))
            await probe.close()
            time.sleep(min(2.0, settle_s))
            info["after"].append(server.rss_mb())

        async def go() -> dict:
            info: dict = {"errors": [], "steps": [], "peak": [], "after": []}
            first = Session(server)
            await first.connect()
            await first.run(Visit("Notes"))
            info["base"] = server.rss_mb()
            await first.close()
            for w in range(2):  # a second wave of new visitors: memory the first left is reused, not added to
                await wave(w, info)
            return info

        info = asyncio.run(go())
    base = info["base"] or 0.0
    results.add(Row("uploads", "baseline: RSS after one session without uploads", unit="MB", value=base))
    for n, rss in info["steps"]:
        results.add(Row("uploads", f"RSS with {n} sessions holding uploads", unit="MB", value=rss,
                        note=f"+{(rss - base) / max(n, 1):.1f} MB per session"))
    peak1, peak2 = (x or base for x in info["peak"])
    after1, after2 = (x or 0.0 for x in info["after"])
    per = (peak1 - base) / max(sessions, 1)
    results.add(Row("uploads", f"growth per session ({files} files of {kb} kB offered, {kept} kept by the limit)",
                    unit="MB", value=per, note=f"{sessions} sessions; the per-session limit is {MAX_SESSION_BYTES // 1_000_000} MB of notes"))
    results.add(Row("uploads", f"RSS after every session ended (TTL {ttl_s} s)", unit="MB", value=after1,
                    note=f"released {peak1 - after1:.0f} MB of {peak1 - base:.0f} MB to the OS"))
    results.add(Row("uploads", f"second wave: RSS with {sessions} new sessions holding uploads", unit="MB", value=peak2,
                    note=f"{peak2 - peak1:+.0f} MB against the first wave's peak (freed memory reused: bounded)"))
    results.add(Row("uploads", "second wave: RSS after every session ended", unit="MB", value=after2,
                    note=f"{after2 - after1:+.0f} MB against the first wave's end"))
    results.add(Row("uploads", "errors", unit="errors", value=float(len(info["errors"])),
                    error="; ".join(sorted(set(info["errors"])))[:300]))
