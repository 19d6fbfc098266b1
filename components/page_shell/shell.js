// Browser half of components/page_shell (Streamlit Custom Components v2, no iframe): one invisible element
// per page run, using only the component API (the parent element, `setTriggerValue`).
//
// 1. Links inside notes stay in the session. A plain click on a link to a page of this app inside an element
// with the class "note-body" or "app-links" puts the address in the history (pushState) and is sent to the
// server as the trigger "navigate" ({path, query}); the page answers with st.switch_page (ui/frame.py
// follow_link). A #fragment in the link is scrolled to once the new view is drawn. Links to other sites,
// plain #anchors on this view, and modified clicks (new tab, new window, download) keep the browser's own
// behaviour.
// 2. The code blocks' Copy button.
// 3. The favicon: the page's icon link points at the app's icon, a data: URI (no request).
//
// Streamlit calls the default export on every run with a fresh `setTriggerValue`; the document listener is
// installed once per page load and uses the latest one. Nothing here throws into Streamlit.

const ICON = "__ICON_URI__";
let installed = false;
let report = null;

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
  if (!link || !link.closest(".app-links, .note-body") || !report) return;
  if (link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
  let url;
  try {
    url = new URL(link.getAttribute("href"), window.location.href);
  } catch (e) {
    return;
  }
  if (url.origin !== window.location.origin) return; // another site
  if (url.pathname === window.location.pathname && url.search === window.location.search) {
    if (!url.hash) event.preventDefault(); // this very view: an anchor the browser scrolls to, or nothing to do
    return;
  }
  event.preventDefault();
  // The address first (the History API), then the server: st.switch_page finds the address already showing
  // the page and its parameters and adds no entry of its own, so the move is one history entry that Back
  // and Forward replay (checked in tests/test_browser_notes.py).
  window.history.pushState({}, "", url.pathname + url.search + url.hash);
  report("navigate", { path: url.pathname, query: url.search });
  if (url.hash) scrollToFragment(url.hash.slice(1));
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

export default function pageShell(component) {
  try {
    report = component.setTriggerValue;
    if (!installed) {
      document.addEventListener("click", onClick);
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
  return undefined;
}
