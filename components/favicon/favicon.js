// Browser half of components/favicon: point the page's favicon at the app's icon (a data: URI).
const ICON = "__ICON_URI__";

export default function favicon() {
  // Never throw into Streamlit: it would replace the (hidden) element with a visible error box.
  try {
    let link = document.querySelector("link[rel='shortcut icon']");
    if (!link) {
      link = document.createElement("link");
      link.rel = "shortcut icon";
      document.head.appendChild(link);
    }
    if (link.getAttribute("href") !== ICON) link.setAttribute("href", ICON);
  } catch (e) {
    // the tab keeps Streamlit's default icon
  }
  return undefined;
}
