// Browser half of components/page_shell (Streamlit Custom Components v2, no iframe): one invisible element
// per page run that does three things for the page.
//
// 1. Same-session links. Links drawn with st.html (a note's in-note and glossary links, the notes
// list, the contents, the sidebar, the home page's links) are plain <a href="..."> elements.
// Followed as such, they would reload the page: a new Streamlit session, a new websocket, seconds of
// start-up. A plain click on such a link inside an element with the class "app-links" (or
// "note-body") puts the address in the browser's history (pushState) and tells Streamlit, which
// handles it exactly like Back or Forward: the page (or another page of the app) reruns with the new
// query parameters in the same session. Modified clicks (new tab, new window, download) keep the
// browser's behaviour, and so do links to other sites and plain #fragments. A #fragment after a
// navigation is scrolled to once the new content is drawn. A GET form in such an element (the
// sidebar's search) is followed the same way, and on a phone a move made from the sidebar folds it away.
// 2. The favicon: the page's icon link points at the app's icon, a data: URI (no request).
// 3. An idle-time preload: `data.preload`, a module URL (Streamlit's Plotly bundle, from the home
// page), is imported once the page has been drawn and the browser is idle, so the next chart page
// finds it loaded. A failed import is ignored (the chart page then loads it itself).
//
// Streamlit calls the default export again when `data` changes; the listeners are installed once per
// page load (module state), so repeated calls are harmless. Nothing here ever throws into Streamlit:
// it would replace the hidden element with a visible error box.

const ICON = "__ICON_URI__";
const preloading = new Set();
let installed = false;

function scrollToFragment(fragment) {
  if (!fragment) return;
  const id = decodeURIComponent(fragment);
  const started = Date.now();
  const tryScroll = () => {
    const target = document.getElementById(id) || document.querySelector(`a[name="${CSS.escape(id)}"]`);
    if (target) {
      target.scrollIntoView({ block: "start" });
      return;
    }
    if (Date.now() - started < 5000) setTimeout(tryScroll, 100);
  };
  setTimeout(tryScroll, 50);
}

function copyCode(button) {
  const code = button.closest(".code-block")?.querySelector("pre code");
  if (!code) return;
  const text = code.textContent;
  const done = (label) => {
    button.textContent = label;
    setTimeout(() => { button.textContent = "Copy"; }, 1600);
  };
  const select = () => { // no clipboard (a page served over plain http): select the code for Ctrl+C
    const range = document.createRange();
    range.selectNodeContents(code);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    done("Press Ctrl+C");
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(() => done("Copied"), select);
  } else {
    select();
  }
}

function onClick(event) {
  const copy = event.target && event.target.closest ? event.target.closest(".note-body .code-copy") : null;
  if (copy) {
    event.preventDefault();
    copyCode(copy);
    return;
  }
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
  if (!link || !link.closest(".app-links, .note-body")) return;
  if (link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
  let url;
  try {
    url = new URL(link.getAttribute("href"), window.location.href);
  } catch (e) {
    return;
  }
  if (url.origin !== window.location.origin) return;
  const samePlace = url.pathname === window.location.pathname && url.search === window.location.search;
  if (samePlace && url.hash) return; // an anchor on this page: the browser scrolls to it
  event.preventDefault();
  navigate(url, link);
}

function navigate(url, from) {
  window.history.pushState({}, "", url.pathname + url.search + url.hash);
  window.dispatchEvent(new PopStateEvent("popstate", { state: {} }));
  if (url.hash) scrollToFragment(url.hash.slice(1));
  closeSidebarOnPhone(from);
}

// On a phone the sidebar covers the page: after a move made from it, fold it away so the new view
// shows (Streamlit's own page list does the same). Wider screens keep it open.
function closeSidebarOnPhone(from) {
  if (!from.closest('[data-testid="stSidebar"]') || !window.matchMedia("(max-width: 767px)").matches) return;
  const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (button) button.click();
}

// A search form in an "app-links" element (the sidebar's): a GET to a page of this app becomes the
// same history entry and rerun as a link to that address. Blank queries go nowhere.
function onSubmit(event) {
  const form = event.target;
  if (event.defaultPrevented || !form || !form.closest || !form.closest(".app-links")) return;
  if ((form.getAttribute("method") || "get").toLowerCase() !== "get") return;
  let url;
  try {
    url = new URL(form.getAttribute("action") || window.location.pathname, window.location.href);
  } catch (e) {
    return;
  }
  if (url.origin !== window.location.origin) return;
  event.preventDefault();
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    const text = typeof value === "string" ? value.trim() : "";
    if (!text) return; // nothing to search for
    params.append(name, text);
  }
  url.search = params.toString();
  navigate(url, form);
}

function setFavicon() {
  let link = document.querySelector("link[rel='shortcut icon']");
  if (!link) {
    link = document.createElement("link");
    link.rel = "shortcut icon";
    document.head.appendChild(link);
  }
  if (link.getAttribute("href") !== ICON) link.setAttribute("href", ICON);
}

function preload(url) {
  if (typeof url !== "string" || !url || preloading.has(url)) return;
  preloading.add(url);
  const load = () => import(new URL(url, document.baseURI).href).catch(() => preloading.delete(url));
  const whenIdle = window.requestIdleCallback
    ? (f) => window.requestIdleCallback(f, { timeout: 3000 })
    : (f) => setTimeout(f, 200);
  setTimeout(() => whenIdle(load), 1500); // after the page's own first paint
}

export default function pageShell(component) {
  try {
    if (!installed) {
      document.addEventListener("click", onClick);
      document.addEventListener("submit", onSubmit);
      installed = true;
    }
  } catch (e) {
    // links then simply load the page
  }
  try {
    setFavicon();
  } catch (e) {
    // the tab keeps Streamlit's default icon
  }
  try {
    preload(component && component.data && component.data.preload);
  } catch (e) {
    // the chart page loads the module itself
  }
  return undefined;
}
