"""The response headers the app is served with (issue 20): one list for every place that serves it.

Streamlit 1.67 sends none of them and has no documented option to add response headers (its
``[server]`` options cover CORS, XSRF, allowed hosts, upload and message sizes, static files, cookies:
``streamlit config show``), and Streamlit Community Cloud does not let an app set them.  So they are
set where the app is served:

* the HAProxy front ends of ``deploy/local_cluster.py`` (``http-response set-header``), which also
  front the container: ``python -m deploy.local_cluster --backend-port 8501``;
* the Kubernetes Ingress: ``deploy/k8s/configmap.yaml`` holds the same headers, and the Ingress names
  it with ingress-nginx's ``custom-headers`` annotation (the controller must list the header names in
  its ``global-allowed-response-headers``; see deploy/README.md).

``tests/test_security_headers.py`` checks that both carry exactly :data:`HEADERS`, and, in Chromium
through HAProxy, that every page loads with no CSP violation and that another site cannot frame the app.

The Content-Security-Policy, directive by directive (what Streamlit's frontend and the app need):

* ``script-src 'self' blob: 'wasm-unsafe-eval' 'sha256-...'``: Streamlit's bundles; ``blob:`` for the
  Custom Components v2 modules (``components/``: their JavaScript is loaded from a blob URL);
  ``'wasm-unsafe-eval'`` lets Streamlit's protobuf bundle compile its WebAssembly (it allows no JavaScript
  ``eval``); the hash is Streamlit's one inline script in its index.html (``window.prerenderReady =
  false``; the test recomputes it from the served page, so a Streamlit upgrade that changes it fails the
  test instead of the page);
* ``style-src 'self' 'unsafe-inline'``: Streamlit's CSS-in-JS, style attributes and the components' CSS;
* ``img-src 'self' data: blob: https:``: figures inlined as ``data:``, and images from the web that notes
  show (with ``referrerpolicy="no-referrer"``), the Material Symbols favicon from fonts.gstatic.com;
* ``font-src 'self' data:``, ``connect-src 'self'`` (the websocket and ``/_stcore/...`` on the same origin),
  ``worker-src 'self' blob:``, ``media-src 'self' blob:``, ``manifest-src 'self'``;
* ``frame-src 'none'``, ``object-src 'none'``, ``base-uri 'self'``, ``form-action 'self'``, and
  ``frame-ancestors 'none'`` (with ``X-Frame-Options: DENY`` for older browsers): no other site can
  frame the app and get a click on "Forget this browser".
"""

from __future__ import annotations

STREAMLIT_INLINE_SCRIPT_HASH = "sha256-THxz9J9+wf7rhwR2YkXJoSZ13UCmYyC+3lNDv2+8ugA="
"""SHA-256 of the one inline ``<script>`` of Streamlit 1.67's index.html (``window.prerenderReady = false``)."""

CSP_DIRECTIVES: dict[str, str] = {
    "default-src": "'self'",
    "script-src": f"'self' blob: 'wasm-unsafe-eval' '{STREAMLIT_INLINE_SCRIPT_HASH}'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob: https:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "media-src": "'self' blob:",
    "manifest-src": "'self'",
    "frame-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{k} {v}" for k, v in CSP_DIRECTIVES.items())

HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
"""Set on every response.  ``Referrer-Policy: no-referrer``: a share link's query (answers, notes, a name)
is never sent to the sites the app links to."""

REMOVED: tuple[str, ...] = ("Server", "X-Served-By")
"""Never sent: no response names the software or the replica that answered."""
