// Browser half of ui/math_view.py (Streamlit Custom Components v2, no iframe): the formulas of notes drawn
// with st.html arrive as <span class="math-slot" data-mathml="..."> (st.html's DOMPurify keeps no MathML).
// Each slot gets its MathML back, parsed in an inert <template> and inserted only when every element is a
// MathML element of the allow-list and every attribute is allowed there (the server sanitised it already:
// explorer/notes/md/sanitize.py; this is the same list again). Slots drawn later (a rerun, another view)
// are filled as they appear. Nothing here throws into Streamlit.

const NS = "http://www.w3.org/1998/Math/MathML";
const ALLOWED = __ALLOWED__;
let observer = null;
let queued = false;

function safe(el) {
  if (el.namespaceURI !== NS || !Object.prototype.hasOwnProperty.call(ALLOWED, el.localName)) return false;
  const attrs = ALLOWED[el.localName];
  for (const a of el.attributes) {
    if (!attrs.includes(a.name) && a.name !== "class") return false;
  }
  for (const child of el.children) {
    if (!safe(child)) return false;
  }
  return true;
}

function fill(slot) {
  const source = slot.getAttribute("data-mathml");
  slot.removeAttribute("data-mathml");
  const tpl = document.createElement("template");
  tpl.innerHTML = source || "";
  const math = tpl.content.firstElementChild;
  if (!math || tpl.content.childElementCount !== 1 || math.localName !== "math" || !safe(math)) return;
  slot.replaceChildren(math);
  slot.classList.add("math-drawn");
}

function fillAll() {
  queued = false;
  for (const slot of document.querySelectorAll(".math-slot[data-mathml]")) fill(slot);
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
