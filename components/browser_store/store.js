// Browser half of components/browser_store (Streamlit Custom Components v2, no iframe).
//
// Keeps one opaque text in localStorage under `<ns>` (e.g. "mlops-explorer/store") as
// {"v":1,"rev":..,"text":..} and blobs in IndexedDB (database `<ns>`, object store `blobs`,
// key = blob id, value = text). Python sends `data` as UTF-8 JSON bytes (see README.md: sid,
// ops, ack); this module answers with one trigger, `report`, that carries every
// message Python has not acknowledged yet, so a report lost to Streamlit's rerun coalescing is
// repeated by the next one. Nothing is logged and nothing leaves the browser except through
// setTriggerValue to the app's own session.
//
// Streamlit calls the default export again each time `data` changes, without running the cleanup of
// the previous call (only the last call's cleanup runs, on unmount). All state therefore lives in one
// module-level Controller per namespace; the exported function only hands it the latest data and
// trigger setter.

const PROTOCOL = 1;
const MAX_WAIT_MS = 2000; // a burst of changes is written at least this often
const RESEND_MS = 1500; // an unacknowledged report is sent again after this
const MAX_RESENDS = 6;
const IDB_TIMEOUT_MS = 4000;
// Backups of stored texts the app could not read in full, kept before they are replaced (wire.py has
// the same bounds): the newest MAX_BACKUPS, each at most MAX_BACKUP_CHARS, together at most MAX_BACKUPS_TOTAL.
const MAX_BACKUPS = 3;
// Blob texts one report carries (wire.py MAX_BLOB_CHARS, MAX_SENT_BLOB_CHARS: explorer/limits.py's note limits).
const MAX_BLOB_CHARS = 200000;
const MAX_SENT_BLOB_CHARS = 4400000;
const MAX_BACKUP_CHARS = 2000000;
const MAX_BACKUPS_TOTAL = 2500000;
// When one unacknowledged snapshot replaces another, the stronger reason is kept (same order as
// wire.py): a "cleared" must not turn into an "external" that a page would merge its data into.
const REASON_RANK = { external: 0, conflict: 1, restore: 2, cleared: 3 };
const INSTANCE = randomId();
let counter = 0;
const controllers = new Map();

function randomId() {
  try {
    const a = new Uint32Array(2);
    crypto.getRandomValues(a);
    return a[0].toString(36) + a[1].toString(36);
  } catch (e) {
    return Math.random().toString(36).slice(2) + Date.now().toString(36);
  }
}

function newRev() {
  return Date.now().toString(36) + "-" + randomId();
}

function fnv(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h.toString(16);
}

function errorName(e) {
  return (e && typeof e.name === "string" && e.name) || "Error";
}

function isQuota(e) {
  const name = errorName(e);
  return name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED" || (e && e.code === 22);
}

function openDb(name) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (db) => {
      if (!done) {
        done = true;
        resolve(db);
      } else if (db) {
        db.close();
      }
    };
    setTimeout(() => finish(null), IDB_TIMEOUT_MS);
    let req;
    try {
      if (typeof indexedDB === "undefined" || !indexedDB) return finish(null);
      req = indexedDB.open(name, 1);
    } catch (e) {
      return finish(null);
    }
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("blobs")) db.createObjectStore("blobs");
    };
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => db.close();
      finish(db);
    };
    req.onerror = () => finish(null);
  });
}

// Run fn(objectStore) in one transaction; resolves with fn's result once the transaction commits.
function inTransaction(db, mode, fn) {
  return new Promise((resolve, reject) => {
    let tx;
    let result;
    try {
      tx = db.transaction("blobs", mode);
      result = fn(tx.objectStore("blobs"));
    } catch (e) {
      reject(e);
      return;
    }
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new DOMException("aborted", "AbortError"));
  });
}

class Controller {
  constructor(ns) {
    this.ns = ns;
    this.key = ns; // localStorage key of the container, e.g. "mlops-explorer/store"
    this.sigKey = ns + ".blobs"; // changed on every blob write: other tabs get a storage event
    this.backupKey = ns + ".backups"; // {"v":1,"items":[{id, at, rev, text, raw}]}, newest last
    this.lockName = ns + ".lock";
    this.port = null;
    this.queue = Promise.resolve();
    this.dbPromise = null;
    this.debounce = 300;
    this.s = this.session(null);
    window.addEventListener("storage", (e) => {
      // key null: another tab called localStorage.clear(); our key removed: "Forget this browser"
      const removed = e.key === null || (e.key === this.key && e.newValue === null);
      if (removed || e.key === this.key || e.key === this.sigKey || e.key === this.backupKey) this.enqueue(() => this.reconcile(this.s, removed ? "cleared" : "external"));
    });
    window.addEventListener("pagehide", () => this.flushNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.flushNow();
      else this.enqueue(() => this.reconcile(this.s, "external"));
    });
  }

  session(sid) {
    return {
      sid,
      seen: 0, // highest op seq taken in
      unsettled: new Set(),
      reported: null, // {rev, sig, bk} last reported to this session, null before the first snapshot
      chain: { start: undefined, revs: [] }, // revisions this session wrote in a row
      pending: null,
      timer: null,
      firstAt: 0,
      unavailableSent: false,
      outbox: [], // messages not acknowledged by Python, ascending n, at most one per kind
      resendTimer: null,
      resends: 0,
    };
  }

  attach(port) {
    this.port = port;
  }

  detach(port) {
    if (this.port === port) this.port = null;
  }

  enqueue(task) {
    this.queue = this.queue.then(task).catch((e) => this.report(this.s, "status", { status: "error", notice: "error", detail: errorName(e) }));
    return this.queue;
  }

  update(data) {
    const d = Number(data.debounce);
    this.debounce = Number.isFinite(d) ? Math.min(Math.max(d, 0), 5000) : 300;
    if (data.sid !== this.s.sid) {
      const old = this.s;
      const w = this.takePending(old);
      if (w) this.enqueue(() => this.locked(() => this.writeNow(old, w)));
      this.s = this.session(data.sid);
      this.enqueue(() => this.reconcile(this.s, "restore"));
    }
    const S = this.s;
    if (Array.isArray(data.ack) && data.ack[0] === INSTANCE && typeof data.ack[1] === "number") {
      S.outbox = S.outbox.filter((m) => m.n > data.ack[1]);
      S.resends = 0;
      if (!S.outbox.length) {
        clearTimeout(S.resendTimer);
        S.resendTimer = null;
      }
    }
    const ops = Array.isArray(data.ops) ? data.ops : [];
    for (const op of ops) {
      if (!op || typeof op.seq !== "number" || op.seq <= S.seen) continue;
      S.seen = op.seq;
      S.unsettled.add(op.seq);
      if (op.op === "write" && typeof op.text === "string") this.scheduleWrite(S, op);
      else if (op.op === "blobs") this.enqueue(() => this.applyBlobs(S, op));
      else if (op.op === "clear") {
        const w = this.takePending(S);
        if (w) this.settle(S, w.seq);
        this.enqueue(() => this.clearAll(S, op));
      } else this.settle(S, op.seq);
    }
    if (this.port && S.outbox.length && !S.resendTimer) this.armResend(S);
  }

  // ---------------------------------------------------------------- reporting to Python
  settled(S) {
    if (!S.unsettled.size) return S.seen;
    return Math.min(...S.unsettled) - 1;
  }

  settle(S, seq) {
    S.unsettled.delete(seq);
  }

  report(S, kind, msg) {
    const m = { ...msg, kind, n: ++counter };
    const prev = S.outbox.find((x) => x.kind === kind);
    if (prev && kind === "snapshot") {
      m.external = m.external || prev.external;
      if ((REASON_RANK[prev.reason] || 0) > (REASON_RANK[m.reason] || 0)) m.reason = prev.reason;
    }
    S.outbox = S.outbox.filter((x) => x !== prev).concat([m]); // the newest message of a kind replaces the older
    this.flush(S);
  }

  flush(S) {
    if (S !== this.s || !this.port) return; // an old session, or unmounted: sent when mounted again
    const payload = { sid: S.sid, i: INSTANCE, settled: this.settled(S), msgs: S.outbox };
    try {
      this.port.send("report", payload);
    } catch (e) {
      return;
    }
    this.armResend(S);
  }

  armResend(S) {
    clearTimeout(S.resendTimer);
    S.resendTimer = null;
    if (!S.outbox.length || S.resends >= MAX_RESENDS) return;
    S.resendTimer = setTimeout(() => {
      S.resendTimer = null;
      if (S.outbox.length && S === this.s) {
        S.resends += 1;
        this.flush(S);
      }
    }, RESEND_MS * (1 + S.resends));
  }

  // ---------------------------------------------------------------- storage access
  storage() {
    try {
      const ls = window.localStorage;
      if (!ls) return null;
      ls.getItem(this.key);
      return ls;
    } catch (e) {
      return null;
    }
  }

  readContainer(ls) {
    const raw = ls.getItem(this.key);
    if (raw === null) return { rev: null, text: null, corrupt: false };
    try {
      const obj = JSON.parse(raw);
      if (obj && typeof obj === "object" && obj.v === PROTOCOL && typeof obj.rev === "string" && obj.rev && typeof obj.text === "string") {
        return { rev: obj.rev, text: obj.text, corrupt: false };
      }
    } catch (e) {
      // fall through: not our container
    }
    return { rev: "!corrupt-" + fnv(raw), text: null, corrupt: true, raw };
  }

  // ---------------------------------------------------------------- backups of texts that could not be read in full
  readBackupsRaw(ls) {
    try {
      return ls.getItem(this.backupKey);
    } catch (e) {
      return null;
    }
  }

  readBackups(ls, raw = this.readBackupsRaw(ls)) {
    if (raw === null) return [];
    try {
      const obj = JSON.parse(raw);
      if (obj && obj.v === 1 && Array.isArray(obj.items)) {
        return obj.items.filter((x) => x && typeof x.id === "string" && typeof x.at === "string" && typeof x.text === "string");
      }
    } catch (e) {
      // a damaged backup list is replaced by the next backup
    }
    return [];
  }

  // Keep what is stored now (the container's text, or the whole entry when it is not our container) before
  // it is replaced. False when it cannot be kept: then it must not be replaced.
  keepBackup(ls, cur) {
    const text = cur.corrupt ? cur.raw : cur.text;
    if (typeof text !== "string") return true;
    if (text.length > MAX_BACKUP_CHARS) return false;
    const old = this.readBackups(ls);
    if (old.some((x) => x.rev === cur.rev)) return true; // kept by an earlier attempt of this write
    let items = old.concat([{ id: newRev(), at: new Date().toISOString(), rev: cur.rev, text, raw: Boolean(cur.corrupt) }]);
    items = items.slice(-MAX_BACKUPS);
    let total = items.reduce((n, x) => n + x.text.length, 0);
    while (items.length > 1 && total > MAX_BACKUPS_TOTAL) total -= items.shift().text.length;
    for (;;) {
      try {
        ls.setItem(this.backupKey, JSON.stringify({ v: 1, items }));
        return true;
      } catch (e) {
        if (!isQuota(e) || items.length <= 1) return false;
        items = items.slice(1); // the oldest backups make room for the new one
      }
    }
  }

  readSig(ls) {
    try {
      return ls.getItem(this.sigKey);
    } catch (e) {
      return null;
    }
  }

  db() {
    if (!this.dbPromise) {
      // a failed open (no IndexedDB, blocked, timed out) is tried again at the next blob operation
      this.dbPromise = openDb(this.ns).then((db) => {
        if (!db) this.dbPromise = null;
        return db;
      });
    }
    return this.dbPromise;
  }

  async readBlobs() {
    const db = await this.db();
    if (!db) return { ok: false, blobs: {} };
    try {
      const pair = await inTransaction(db, "readonly", (store) => {
        const keys = store.getAllKeys();
        const values = store.getAll();
        return { keys, values };
      });
      // One report must stay under the server's websocket limit (server.maxMessageSize): texts over a note's
      // limit are refused by the server anyway, and beyond MAX_SENT_BLOB_CHARS the rest are named, not sent.
      const blobs = {};
      const omitted = {};
      let sent = 0;
      pair.keys.result.forEach((k, i) => {
        const v = pair.values.result[i];
        if (typeof k !== "string") return;
        if (typeof v !== "string") {
          omitted[k] = -1;
        } else if (v.length > MAX_BLOB_CHARS || sent + v.length > MAX_SENT_BLOB_CHARS) {
          omitted[k] = v.length;
        } else {
          blobs[k] = v;
          sent += v.length;
        }
      });
      return { ok: true, blobs, omitted };
    } catch (e) {
      this.dbPromise = null; // closed by another tab's upgrade or by the browser: reopen next time
      return { ok: false, blobs: {} };
    }
  }

  locked(fn) {
    try {
      if (navigator.locks && typeof navigator.locks.request === "function") {
        return navigator.locks.request(this.lockName, () => fn());
      }
    } catch (e) {
      // no Web Locks (old browser, insecure context): localStorage calls are still atomic one by one
    }
    return fn();
  }

  unavailable(S, detail) {
    S.unsettled.clear();
    S.pending = null;
    clearTimeout(S.timer);
    if (S.unavailableSent) return;
    S.unavailableSent = true;
    this.report(S, "status", { status: "unavailable", notice: "unavailable", detail });
  }

  // ---------------------------------------------------------------- snapshots
  async reconcile(S, reason) {
    if (S !== this.s || S.sid === null) return;
    const ls = this.storage();
    if (!ls) return this.unavailable(S, "localStorage");
    const cur = this.readContainer(ls);
    const sig = this.readSig(ls);
    const bk = this.readBackupsRaw(ls);
    const first = S.reported === null;
    if (!first && cur.rev === S.reported.rev && sig === S.reported.sig && bk === S.reported.bk) return;
    const why = first ? "restore" : (cur.rev === null && S.reported.rev !== null ? "cleared" : reason);
    await this.snapshot(S, why, cur, sig, { external: !first && reason !== "restore", blobs: first || sig !== S.reported.sig });
  }

  async snapshot(S, reason, cur, sig, { external = false, blobs = false, seq = undefined } = {}) {
    const msg = { reason, rev: cur.rev, text: cur.text, notice: cur.corrupt ? "corrupt" : null, external };
    if (seq !== undefined) msg.seq = seq;
    // a snapshot that replaces an unacknowledged one carrying blobs must carry a fresh read of them
    if (blobs || S.outbox.some((x) => x.kind === "snapshot" && "blobs" in x)) {
      const b = await this.readBlobs();
      msg.blobs = b.blobs;
      if (b.omitted && Object.keys(b.omitted).length) msg.omitted = b.omitted;
      msg.idb = b.ok;
    }
    const ls = this.storage();
    const bk = ls ? this.readBackupsRaw(ls) : null;
    // the backups go along when they changed since the last report (or a replaced report carried them)
    if (S.reported === null || bk !== S.reported.bk || S.outbox.some((x) => x.kind === "snapshot" && "backups" in x)) {
      msg.backups = ls ? this.readBackups(ls, bk) : [];
    }
    S.reported = { rev: cur.rev, sig, bk };
    this.report(S, "snapshot", msg);
  }

  // ---------------------------------------------------------------- writes (debounced, compare-and-swap)
  takePending(S) {
    const w = S.pending;
    S.pending = null;
    S.firstAt = 0;
    clearTimeout(S.timer);
    S.timer = null;
    return w;
  }

  scheduleWrite(S, op) {
    if (S.pending) this.settle(S, S.pending.seq); // superseded: Python's text is the whole state
    S.pending = op;
    const now = Date.now();
    if (!S.firstAt) S.firstAt = now;
    clearTimeout(S.timer);
    const wait = Math.max(0, Math.min(this.debounce, S.firstAt + MAX_WAIT_MS - now));
    S.timer = setTimeout(() => {
      const w = this.takePending(S);
      if (w) this.enqueue(() => this.locked(() => this.writeNow(S, w)));
    }, wait);
  }

  flushNow() {
    // Page is going away: write synchronously (no lock, no await) so a debounced change is not lost.
    const S = this.s;
    const w = this.takePending(S);
    if (w) {
      try {
        this.writeNow(S, w);
      } catch (e) {
        // nothing more can be done while the page unloads
      }
    }
  }

  writeNow(S, w) {
    this.settle(S, w.seq);
    const ls = this.storage();
    if (!ls) return this.unavailable(S, "localStorage");
    const cur = this.readContainer(ls);
    const chained = S.chain.revs.includes(cur.rev) && (w.base === S.chain.start || S.chain.revs.includes(w.base));
    if (cur.rev !== w.base && !chained) {
      // Another tab wrote since this session's base: do not overwrite; send what is stored to merge.
      return this.snapshot(S, "conflict", cur, this.readSig(ls), { seq: w.seq, external: true, blobs: S.reported !== null && this.readSig(ls) !== S.reported.sig });
    }
    // Nothing the app could not read in full is replaced without a backup: Python marks such a write, and an
    // entry that is not our container at all is always kept.
    const backup = cur.corrupt || (w.backup === true && cur.rev !== null && cur.rev === w.base);
    if (backup && !this.keepBackup(ls, cur)) {
      this.report(S, "status", { status: "ready", notice: "backup-failed", seq: w.seq });
      return;
    }
    const rev = newRev();
    try {
      ls.setItem(this.key, JSON.stringify({ v: PROTOCOL, rev, text: w.text }));
    } catch (e) {
      this.report(S, "status", { status: "ready", notice: isQuota(e) ? "quota" : "error", seq: w.seq, detail: errorName(e) });
      return;
    }
    if (!S.chain.revs.includes(cur.rev)) S.chain = { start: cur.rev, revs: [] };
    S.chain.revs.push(rev);
    if (S.chain.revs.length > 64) S.chain.revs.shift();
    const saved = { seq: w.seq, rev };
    const bk = this.readBackupsRaw(ls);
    if (backup || S.outbox.some((x) => x.kind === "saved" && "backups" in x)) saved.backups = this.readBackups(ls, bk);
    S.reported = { rev, sig: S.reported ? S.reported.sig : this.readSig(ls), bk: saved.backups ? bk : S.reported ? S.reported.bk : bk };
    this.report(S, "saved", saved);
  }

  // ---------------------------------------------------------------- blobs and clearing
  async applyBlobs(S, op) {
    const ls = this.storage();
    if (!ls) return this.unavailable(S, "localStorage");
    const db = await this.db();
    if (!db) {
      this.settle(S, op.seq);
      this.report(S, "status", { status: "ready", notice: "blobs-unavailable", seq: op.seq });
      return;
    }
    const sigBefore = this.readSig(ls);
    try {
      await inTransaction(db, "readwrite", (store) => {
        for (const id of Array.isArray(op.delete) ? op.delete : []) store.delete(String(id));
        for (const [id, text] of Object.entries(op.put || {})) store.put(String(text), String(id));
      });
    } catch (e) {
      this.settle(S, op.seq);
      if (errorName(e) === "InvalidStateError") this.dbPromise = null;
      this.report(S, "status", { status: "ready", notice: isQuota(e) ? "quota" : "error", seq: op.seq, detail: errorName(e) });
      return;
    }
    const sig = newRev();
    try {
      ls.setItem(this.sigKey, sig); // tells other tabs (storage event) that the blobs changed
    } catch (e) {
      // the blobs are stored; other tabs will see them on their next full read
    }
    this.settle(S, op.seq);
    const foreign = S.reported !== null && sigBefore !== S.reported.sig;
    if (S.reported) S.reported.sig = this.readSig(ls);
    if (foreign) {
      // another tab changed blobs since the last report: send the full picture
      await this.snapshot(S, "external", this.readContainer(ls), this.readSig(ls), { external: true, blobs: true });
    } else {
      this.report(S, "done", { seq: op.seq }); // only moves `settled` on
    }
  }

  clearAll(S, op) {
    return this.locked(() => this.clearNow(S, op));
  }

  async clearNow(S, op) {
    this.settle(S, op.seq);
    const ls = this.storage();
    if (!ls) return this.unavailable(S, "localStorage");
    const db = await this.db();
    let idb = Boolean(db);
    if (db) {
      try {
        await inTransaction(db, "readwrite", (store) => store.clear());
      } catch (e) {
        idb = false;
        this.dbPromise = null;
      }
    }
    // localStorage last: its storage events tell other tabs, which then find the blobs gone too
    try {
      ls.removeItem(this.key);
      ls.removeItem(this.sigKey);
      ls.removeItem(this.backupKey);
    } catch (e) {
      // removal cannot fail in practice; the snapshot below reports what is left
    }
    S.chain = { start: undefined, revs: [] };
    const cur = this.readContainer(ls);
    S.reported = { rev: cur.rev, sig: this.readSig(ls), bk: this.readBackupsRaw(ls) };
    const msg = { reason: "cleared", rev: cur.rev, text: cur.text, notice: null, external: false, blobs: {}, idb, seq: op.seq, backups: [] };
    this.report(S, "snapshot", msg);
  }
}

// Python sends UTF-8 JSON bytes (cheaper for the server than a dict): decode them here.
function decode(raw) {
  if (raw instanceof Uint8Array || raw instanceof ArrayBuffer) {
    try {
      return JSON.parse(new TextDecoder().decode(raw));
    } catch (e) {
      return null;
    }
  }
  return raw;
}

export default function browserStore(component) {
  // Never throw into Streamlit: it would replace the (hidden) component with a visible error box.
  try {
    const { setTriggerValue } = component;
    const data = decode(component.data);
    if (!data || data.v !== PROTOCOL || typeof data.ns !== "string" || typeof data.sid !== "string") return undefined;
    let ctl = controllers.get(data.ns);
    if (!ctl) {
      ctl = new Controller(data.ns);
      controllers.set(data.ns, ctl);
    }
    const port = { send: setTriggerValue };
    const wasDetached = ctl.port === null;
    ctl.attach(port);
    ctl.update(data);
    if (wasDetached && ctl.s.outbox.length) ctl.flush(ctl.s); // messages kept while no component was mounted
    return () => ctl.detach(port);
  } catch (e) {
    return undefined; // the page keeps working on the session's data (status stays pending)
  }
}
