"""One file of the store: a TinyDB JSON file held in memory, written whole and atomically.

`StoreFile` reads its file once (refusing a special file, an oversized one, bad JSON or a shape
this version does not write), keeps the tables in TinyDB's cache, and `flush()` writes them out
with `write_atomically` (temporary file, fsync, replace, fsync of the folder). A file that
cannot be read is moved aside, kept and never deleted, and the reason goes to `tell`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage
from tinydb.table import Table

from tray.base import guard
from tray.base.atomic import write_atomically
from tray.base.i18n import _
from tray.core.codec import Damaged, state_from_dict

LEGACY_SCHEMA = 1  # history.json: every table in one file
SCHEMA = 2  # the folder of files: a state file and one file per month
MAX_BYTES = 16 << 20  # a year of history is under 1 MB; a file this big is not ours
META_ID = 1
STATE, MONTH, LEGACY = "state", "month", "legacy"

Stamp = tuple[int, int, int]


class Unreadable(Exception):
    """The file is there but cannot be used; the message says why."""


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file behind."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, Any] | None:
        try:
            raw = guard.read_file(self.path, limit=MAX_BYTES)
            if raw is None:
                return None
            if not raw.strip():
                raise Unreadable(_("the file is empty"))
            data = guard.parse_json(raw)
        except guard.Refused as error:
            # TRANSLATORS: "it" is the history file; {reason} says what is wrong with it, such
            # as "is not valid JSON (...)" or "is a folder, not a file".
            raise Unreadable(_("it {reason}").format(reason=error)) from None
        if not isinstance(data, dict):
            raise Unreadable(_("it holds a JSON {kind}, not an object").format(
                kind=type(data).__name__))
        return data

    def write(self, data: dict[str, Any]) -> None:
        payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        write_atomically(self.path, payload)

    def close(self) -> None:
        pass


class _Batching(CachingMiddleware):
    WRITE_CACHE_SIZE = 1 << 30  # never flush on its own: StoreFile.flush writes once per change


class StoreFile:
    """One TinyDB file of `kind` (STATE, MONTH or LEGACY), read by `load()`."""

    def __init__(self, path: Path, kind: str, tell: Callable[[str], None]) -> None:
        self.path = path
        self.kind = kind
        self.existed = False  # a readable file was there at the last load
        self.is_writable = True  # False: unreadable and cannot be moved aside (left as it is)
        self.stamp: Stamp | None = None
        self._tell = tell
        self._middleware = _Batching(lambda: AtomicJSONStorage(path))  # type: ignore[no-untyped-call]
        self.db = TinyDB(storage=self._middleware)

    def load(self) -> None:
        """Read the file (a missing one is empty); an unreadable one is moved aside."""
        try:
            stamp = stat(self.path)
            data = self._middleware.storage.read()
            if data is not None:
                check(data, self.kind)
        except Exception as error:  # whatever a load meets, the file is kept and we go on
            reason = str(error) if isinstance(error, Unreadable) else (
                _("reading it failed: {error}").format(
                    error=f"{error.__class__.__name__}: {guard.shorten(str(error))}"))
            self._move_aside(reason)
            data = None
            stamp = None
        self.existed = data is not None
        self._middleware.cache = data if data is not None else {
            "meta": {str(META_ID): {"schema": SCHEMA, "kind": self.kind}}}
        self._middleware._cache_modified_count = 0
        self.db.clear_cache()
        self.stamp = stamp

    def _move_aside(self, reason: str) -> None:
        moment = datetime.now().strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.unreadable-{moment}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.unreadable-{moment}-{counter}")
        try:
            os.replace(self.path, target)
        except OSError as error:
            self.is_writable = False
            self._tell(_("The history file {path} cannot be read ({reason}) and cannot be "
                         "moved aside ({error}). It is left untouched; Pointbreak runs without "
                         "saving until it is moved or fixed.").format(
                             path=self.path, reason=reason, error=error.strerror))
            return
        if self.kind == STATE:
            message = _("The file {path} could not be read ({reason}). It was kept as {name}; "
                        "Pointbreak goes on from a fresh state, and the history of earlier days "
                        "is unharmed.")
        elif self.kind == MONTH:
            message = _("The history of one month, {path}, could not be read ({reason}). It was "
                        "kept as {name}; the other months are unharmed.")
        else:
            message = _("The history file {path} could not be read ({reason}). It was kept as "
                        "{name} and Pointbreak started a fresh history.")
        self._tell(message.format(path=self.path, reason=reason, name=target.name))

    def table(self, name: str) -> Table:
        return self.db.table(name)

    @property
    def meta(self) -> dict[str, Any]:
        doc = self.db.table("meta").get(doc_id=META_ID)
        return dict(doc) if doc is not None else {}

    def set_meta(self, **values: Any) -> None:
        meta = self.meta
        if all(meta.get(key) == value for key, value in values.items()):
            return
        self.db.table("meta").update(values, doc_ids=[META_ID])

    @property
    def has_unsaved(self) -> bool:
        return self._middleware._cache_modified_count > 0

    def is_stale(self) -> bool:
        """Another process replaced the file since it was read (and nothing here is unsaved)."""
        return not self.has_unsaved and stat(self.path) != self.stamp

    def flush(self) -> None:
        """Write the tables out if anything changed. Raises OSError."""
        if self.has_unsaved:
            self._middleware.flush()  # type: ignore[no-untyped-call]
        self.stamp = stat(self.path)
        self.existed = True

    def forget_unsaved(self) -> None:
        self._middleware._cache_modified_count = 0  # TinyDB's close would try again, unguarded

    def close(self) -> None:
        self.forget_unsaved()
        self.db.close()


def stat(path: Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def check(data: dict[str, Any], kind: str) -> None:
    """Raise Unreadable unless `data` has the shape this version writes for `kind`."""
    for name, table in data.items():
        if not isinstance(table, dict):
            raise Unreadable(_('table "{name}" is not an object').format(
                name=guard.shorten(name)))
        for doc_id, doc in table.items():
            if not _is_doc_id(doc_id) or not isinstance(doc, dict):
                raise Unreadable(_('table "{name}" has a malformed entry {entry}').format(
                    name=guard.shorten(name), entry=guard.shorten(repr(doc_id))))
    meta = data.get("meta", {}).get(str(META_ID))
    if not isinstance(meta, dict):
        raise Unreadable(_("it has no schema version (not a Pointbreak history file?)"))
    schema = meta.get("schema")
    if isinstance(schema, bool) or not isinstance(schema, int):
        raise Unreadable(_("its schema version is {value}, not a number").format(
            value=guard.shorten(repr(schema))))
    ours = LEGACY_SCHEMA if kind == LEGACY else SCHEMA
    if schema > ours:
        raise Unreadable(_("it was written by a newer Pointbreak (schema {schema}; this "
                           "version reads {ours})").format(schema=schema, ours=ours))
    if kind != LEGACY and (schema != SCHEMA or meta.get("kind") != kind):
        raise Unreadable(_("it is not one of Pointbreak's state files") if kind == STATE
                         else _("it is not one of Pointbreak's month files"))
    state = data.get("state", {}).get("1")
    if state is not None:
        try:
            state_from_dict(state)
        except (KeyError, TypeError, ValueError) as error:
            raise Unreadable(_("its saved state is damaged ({reason})").format(
                reason=reason_of(error))) from error


def _is_doc_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 15


def reason_of(error: Exception) -> str:
    if isinstance(error, KeyError):
        return _("{field} is missing").format(field=error)
    if isinstance(error, Damaged):  # the core's own words, in the language shown
        return guard.shorten(_(error.template).format(**error.values), 120)
    return guard.shorten(str(error), 120)
