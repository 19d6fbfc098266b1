// Browser half of ui/math_view.py (Streamlit Custom Components v2, no iframe). The formulas of notes drawn with
// st.html arrive as slots (st.html's DOMPurify keeps no MathML; explorer/notes/md/math_slots.py):
// - <span class="math-slot" data-tex="..."> holds a formula's TeX: typeset here with Temml (vendored before this
//   script, temml.min.js, MIT: TEMML-LICENSE), trust off, expansions and sizes bounded; TeX that cannot be
//   typeset is shown as its source with a quiet notice, as the server shows the formulas it refuses;
// - <span class="math-slot" data-mathml="..."> holds MathML written by hand in a note (sanitised on the server).
// Either way the MathML is built detached (Temml's DOM, or an inert <template>) and inserted only when every
// element is a MathML element of the sanitiser's allow-list and every attribute is allowed there with a short
// token value (explorer/notes/md/sanitize.py: MATHML_ATTRS, MATHML_STYLE_PROPS); classes other than Temml's own
// are dropped. Slots drawn later (a rerun, another view) are filled as they appear, in slices of 50 ms; the time
// spent is recorded as performance measures named "note-math" (bench/math_bench.py reads them). Nothing here
// throws into Streamlit.

const NS = "http://www.w3.org/1998/Math/MathML";
const ALLOWED = __ALLOWED__;
const STYLE_PROPS = new Set(__STYLE_PROPS__);
const MAX_TEX = __MAX_TEX__;
const MAX_EM = 50;
const VALUE = /^[\w#.%+\- ]{0,64}$/;
const RGB = /rgba?\(\s*[\d.]+%?\s*,\s*[\d.]+%?\s*,\s*[\d.]+%?\s*(?:,\s*[\d.]+%?\s*)?\)/g; // a colour as the DOM writes it
const CLASS = /^(?:tml-[\w-]{1,30}|(?:chr|wbk)-[\w-]{1,20}|mathcal|mathscr|menclose|upstrike|downstrike|sout)$/;
const LENGTH = /(-?\d*\.?\d+)\s*(em|ex|pt|px|mu|mm|cm|in|pc|bp|dd|sp)\b/g;
const EM = { em: 1, ex: 0.5, pt: 0.1, px: 1 / 16, mu: 1 / 18, mm: 0.28, cm: 2.8, in: 7.2, pc: 1.2, bp: 0.1, dd: 0.11, sp: 1e-6 };
const NUMBERED = /\\(begin|end)\{(align|flalign\*?|eqnarray\*?|equation|gather|multline|alignat)\}/g;
const UNNUMBERED = /\\label\{[^{}]{0,200}\}|\\nonumber\b|\\notag\b/g;
const MAX_KEPT = 2000;
const SLICE_MS = 50;
const kept = new Map(); // display + TeX -> a typeset formula, cloned when the same formula comes again
const OPTIONS = { throwOnError: true, trust: false, strict: false, maxExpand: 1000, maxSize: MAX_EM, annotate: true };
let observer = null;
let queued = false;

class Refused extends Error {}

function sizeOk(value) {
  for (const m of value.matchAll(LENGTH)) {
    if (Math.abs(parseFloat(m[1]) * EM[m[2]]) > MAX_EM) throw new Refused("a size too large to draw here");
  }
}

function styleOk(value) {
  for (const part of value.split(";")) {
    if (!part.trim()) continue;
    const i = part.indexOf(":");
    const prop = part.slice(0, i).trim().toLowerCase();
    const val = part.slice(i + 1).trim();
    if (i < 0 || !STYLE_PROPS.has(prop) || !VALUE.test(val.replace(RGB, "rgb"))) return false;
    sizeOk(val);
  }
  return true;
}

// Throws Refused when an element or attribute is outside the allow-list; drops classes that are not Temml's.
function check(el) {
  if (el.namespaceURI !== NS || !Object.prototype.hasOwnProperty.call(ALLOWED, el.localName)) {
    throw new Refused(`uses <${el.localName}>, which is not drawn here`);
  }
  const allowed = ALLOWED[el.localName];
  for (const a of [...el.attributes]) {
    if (a.name === "class") {
      const kept = a.value.split(/\s+/).filter((c) => CLASS.test(c) || /^math-(?:overline|underline)$/.test(c));
      if (kept.length) el.setAttribute("class", kept.join(" "));
      else el.removeAttribute("class");
    } else if (a.name === "style") {
      if (!styleOk(a.value)) throw new Refused("uses a style that is not drawn here");
    } else if (a.name === "encoding" && el.localName === "annotation") {
      if (a.value !== "application/x-tex") throw new Refused("holds an annotation that is not TeX");
    } else if (!allowed.includes(a.name) || !VALUE.test(a.value)) {
      throw new Refused(`uses the attribute ${a.name}, which is not drawn here`);
    } else {
      sizeOk(a.value);
    }
  }
  for (const child of el.children) check(child);
}

function reason(e) {
  if (e instanceof Refused) return e.message;
  const text = String((e && e.message) || e).trim();
  if (/^Too many expansions/.test(text)) return "a macro that never stops expanding";
  if (e instanceof RangeError) return "nested too deeply to typeset here";
  const first = text.split(" at position")[0].split("\n")[0];
  const unknown = first.match(/^(?:Unsupported function name|Undefined control sequence): (\\\S+)$/);
  return unknown ? `unknown command ${unknown[1]}` : first.slice(0, 160);
}

function showSource(slot, tex, why) {
  const block = slot.getAttribute("data-display") === "block";
  const code = document.createElement("code");
  code.className = "math-source";
  code.textContent = (block ? "$$" : "$") + tex + (block ? "$$" : "$");
  const note = document.createElement("small");
  note.className = "math-notice";
  note.textContent = `Formula not typeset: ${why}.`;
  slot.replaceChildren(code, " ", note);
  slot.classList.add("math-failed");
}

function typeset(slot) {
  const tex = slot.getAttribute("data-tex");
  slot.removeAttribute("data-tex");
  const block = slot.getAttribute("data-display") === "block";
  const key = (block ? "$$" : "$") + tex;
  const done = kept.get(key);
  if (done) {
    slot.replaceChildren(done.cloneNode(true));
    slot.classList.add("math-drawn");
    return;
  }
  try {
    if (tex.length > MAX_TEX) throw new Refused("too long to typeset here");
    const prepared = tex.replace(NUMBERED, (_, be, env) => `\\${be}{${env.replace("*", "").replace(/^(?:flalign|eqnarray)$/, "align")}*}`)
      .replace(UNNUMBERED, "");
    const holder = document.createElement("span");
    temml.render(prepared, holder, { ...OPTIONS, displayMode: block });
    const math = holder.firstElementChild;
    if (!math || holder.childElementCount !== 1 || math.localName !== "math") throw new Refused("nothing to draw");
    const note = math.querySelector("annotation");
    if (note) note.textContent = tex; // the TeX as written, for screen readers and copying
    check(math);
    if (kept.size >= MAX_KEPT) kept.clear();
    kept.set(key, math.cloneNode(true));
    slot.replaceChildren(math);
    slot.classList.add("math-drawn");
  } catch (e) {
    showSource(slot, tex, reason(e));
  }
}

function fill(slot) {
  const source = slot.getAttribute("data-mathml");
  slot.removeAttribute("data-mathml");
  const tpl = document.createElement("template");
  tpl.innerHTML = source || "";
  const math = tpl.content.firstElementChild;
  if (!math || tpl.content.childElementCount !== 1 || math.localName !== "math") return;
  try {
    check(math);
  } catch (e) {
    return; // hand-written MathML with anything else: its text stays
  }
  slot.replaceChildren(math);
  slot.classList.add("math-drawn");
}

// One slice of at most SLICE_MS, then the next frame: a note of a thousand formulas never blocks the page for long.
function fillAll() {
  queued = false;
  const slots = document.querySelectorAll(".math-slot[data-tex], .math-slot[data-mathml]");
  if (!slots.length) return;
  const start = performance.now();
  let done = 0;
  for (const slot of slots) {
    if (slot.hasAttribute("data-tex")) typeset(slot);
    else fill(slot);
    done += 1;
    if (performance.now() - start > SLICE_MS) break;
  }
  performance.measure("note-math", { start, end: performance.now(), detail: { formulas: done } });
  if (done < slots.length) schedule();
}

function schedule() {
  if (queued) return;
  queued = true;
  requestAnimationFrame(fillAll);
}

export default function noteMath() {
  try {
    fillAll();
    if (!observer) {
      observer = new MutationObserver(schedule);
      observer.observe(document.body, { childList: true, subtree: true });
    }
  } catch (e) {
    // the formulas then show their TeX
  }
  return undefined;
}
