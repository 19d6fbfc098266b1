// Browser half of components/preload: import one module once the page is drawn and the browser idle.
const started = new Set();

export default function preload(component) {
  // Never throw into Streamlit: it would replace the (hidden) element with a visible error box.
  try {
    const url = component && component.data && component.data.url;
    if (typeof url !== "string" || !url || started.has(url)) return undefined;
    started.add(url);
    const load = () => import(new URL(url, document.baseURI).href).catch(() => started.delete(url));
    const whenIdle = window.requestIdleCallback
      ? (f) => window.requestIdleCallback(f, { timeout: 3000 })
      : (f) => setTimeout(f, 200);
    setTimeout(() => whenIdle(load), 1500); // after the page's own first paint
  } catch (e) {
    // nothing to do: the chart page loads the module itself
  }
  return undefined;
}
