"""A websocket session that behaves like a browser tab, for benchmarks that act on pages (``bench/abuse_bench.py``).

It keeps its widget values from run to run (the browser sends every widget's value with each rerun),
knows the elements of its last run (to find a widget's id and what the page shows), uploads files
through the uploader's HTTP PUT, and sends the browser store's report as store.js does (the
component's trigger).  The protocol itself is ``bench/load.py``'s :class:`~bench.load.Session`.
"""

from __future__ import annotations

import asyncio
import json
import time

from .load import Session, Visit
from .uploads_bench import _put


class Driver(Session):
    """A websocket session that keeps its widget values from run to run, as the browser does, and knows
    the elements of its last run (to find a widget's id)."""

    def __init__(self, server) -> None:
        super().__init__(server)
        self.states: dict[str, object] = {}  # widget id -> WidgetState sent with every run
        self.elements: list[tuple[str, object]] = []  # (element type, proto) of the last run

    async def go(self, visit: Visit, triggers: list | None = None):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        assert self.ws is not None
        t0 = time.perf_counter()
        self.elements = []
        await self.ws.send(self._backmsg(visit, [*self.states.values(), *(triggers or [])]))
        errors = []
        async with asyncio.timeout(120):
            while True:
                m = ForwardMsg()
                m.ParseFromString(await self.ws.recv())
                kind = m.WhichOneof("type")
                if kind == "new_session" and m.new_session.initialize.session_id:
                    self.session_id = m.new_session.initialize.session_id
                if kind in ("navigation", "new_session"):
                    pages = m.navigation.app_pages if kind == "navigation" else m.new_session.app_pages
                    self.hashes.update({p.url_pathname: p.page_script_hash for p in pages if p.url_pathname})
                elif kind == "delta" and m.delta.WhichOneof("type") == "new_element":
                    el = m.delta.new_element
                    name = el.WhichOneof("type")
                    self.elements.append((name, getattr(el, name)))
                    if name == "exception":
                        errors.append(f"{el.exception.type}: {el.exception.message}"[:200])
                elif kind == "script_finished" and m.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    break
        if errors:
            raise RuntimeError("; ".join(errors))
        return time.perf_counter() - t0

    def find(self, kind: str, *, key: str | None = None, label: str | None = None, name: str | None = None):
        for k, proto in self.elements:
            if k != kind:
                continue
            if key is not None and not proto.id.endswith("-" + key) and f"-{key}" not in proto.id:
                continue
            if label is not None and getattr(proto, "label", None) != label:
                continue
            if name is not None and getattr(proto, "component_name", None) != name:
                continue
            return proto
        raise LookupError(f"no {kind} {key or label or name!r} on the page")

    async def upload(self, uploader, files: list[tuple[str, bytes]]) -> None:
        from streamlit.proto.Common_pb2 import UploadedFileInfo
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        urls = await self.upload_urls([n for n, _ in files])
        infos = []
        for (file_id, url), (name, data) in zip(urls, files):
            status = await asyncio.to_thread(_put, self.server.url + url, name, data)
            if status >= 300:
                raise RuntimeError(f"upload PUT {status}")
            infos.append(UploadedFileInfo(name=name, size=len(data), file_id=file_id, file_urls=None))
        state = WidgetState(id=uploader.id)
        state.file_uploader_state_value.uploaded_file_info.extend(infos)
        self.states[uploader.id] = state

    def text(self) -> str:
        """What the last run drew as text (Markdown, alerts, headings, HTML), Markdown escapes removed."""
        parts = [getattr(p, "body", "") for k, p in self.elements if k in ("markdown", "alert", "heading", "html")]
        return "\n".join(parts).replace("\\", "")

    def expect(self, *needles: str) -> None:
        """Raise when the last run does not show what the action should have caused."""
        text = self.text()
        missing = [n for n in needles if n not in text]
        if missing:
            raise RuntimeError(f"the page does not show {missing}")

    def set(self, proto, **value) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        self.states[proto.id] = WidgetState(id=proto.id, **value)

    @staticmethod
    def trigger(proto, **value):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        return WidgetState(id=proto.id, **value)

    def report(self, value: dict):
        """The browser store's report, as store.js sends it (the component's trigger)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        element = self.find("bidi_component", name="browser_store")
        return WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{element.id}__events",
                           json_trigger_value=json.dumps([{"event": "report", "value": value}]))

    def store_sid(self) -> str:
        return json.loads(self.find("bidi_component", name="browser_store").bytes)["sid"]
