"""The checks of what a page passes to ``browser_store()``: the store key, the debounce, a write, blob
changes and flags.  Each returns the value to use or raises TypeError/ValueError with a message that
names the argument.  Plain Python, no Streamlit import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .wire import MAX_REV_CHARS

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,40}")
MAX_BLOB_ID_CHARS = 200
MAX_DEBOUNCE_MS = 5000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def validate_key(key: object) -> str:
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"browser_store key must be 1-40 letters, digits, '_' or '-', got {key!r}")
    return key


def validate_debounce(debounce_ms: object) -> int:
    if isinstance(debounce_ms, bool) or not isinstance(debounce_ms, int) or not 0 <= debounce_ms <= MAX_DEBOUNCE_MS:
        raise ValueError(f"debounce_ms must be an int from 0 to {MAX_DEBOUNCE_MS}, got {debounce_ms!r}")
    return debounce_ms


def validate_write(write: object) -> tuple[str | None, str] | None:
    """``None`` or ``(base_rev, text)``: the revision the text was derived from (None if none) and the text."""
    if write is None:
        return None
    if not isinstance(write, tuple) or len(write) != 2:
        raise TypeError(f"write must be None or a (base_rev, text) tuple, got {type(write).__name__}")
    base, text = write
    if base is not None and (not isinstance(base, str) or not base or len(base) > MAX_REV_CHARS):
        raise ValueError(f"write base_rev must be None or a revision string from StoreState.rev, got {base!r:.80}")
    if not isinstance(text, str):
        raise TypeError(f"write text must be a str (the opaque JSON text), got {type(text).__name__}")
    return base, text


def _validate_blob_id(blob_id: object, what: str) -> str:
    if not isinstance(blob_id, str) or not blob_id or len(blob_id) > MAX_BLOB_ID_CHARS or _CONTROL.search(blob_id):
        raise ValueError(f"{what} ids must be non-empty str of at most {MAX_BLOB_ID_CHARS} characters without "
                         f"control characters, got {blob_id!r:.80}")
    return blob_id


def validate_put_blobs(put_blobs: object) -> dict[str, str]:
    if put_blobs is None:
        return {}
    if not isinstance(put_blobs, Mapping):
        raise TypeError(f"put_blobs must be a mapping of id -> text, got {type(put_blobs).__name__}")
    out: dict[str, str] = {}
    for blob_id, text in put_blobs.items():
        _validate_blob_id(blob_id, "put_blobs")
        if not isinstance(text, str):
            raise TypeError(f"put_blobs[{blob_id!r}] must be a str, got {type(text).__name__}")
        out[blob_id] = text
    return out


def validate_delete_blobs(delete_blobs: object) -> list[str]:
    if delete_blobs is None:
        return []
    if isinstance(delete_blobs, (str, bytes)) or not isinstance(delete_blobs, Iterable):
        raise TypeError(f"delete_blobs must be a list of ids, got {type(delete_blobs).__name__}")
    out: list[str] = []
    for blob_id in delete_blobs:
        _validate_blob_id(blob_id, "delete_blobs")
        if blob_id not in out:
            out.append(blob_id)
    return out


def validate_flag(value: object, name: str = "clear") -> bool:
    """A True/False argument (``clear``, ``keep_backup``, ``quiet_if_empty``)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r:.80}")
    return value
