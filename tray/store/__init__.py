"""The store: history and the engine's state in one TinyDB file in the per-user data folder.

- Every change is one atomic write: TinyDB's CachingMiddleware collects the changes of one engine
  step, then `AtomicJSONStorage` writes a temporary file, flushes, fsyncs and replaces the old
  file (and fsyncs the folder), all under a lock shared by every process of the user
  (tray.base.lockfile).
- A file that cannot be read is moved aside (kept, never deleted), the reason is kept in
  `notices` for the person to be told once, and a fresh store is used.
- Records live in one table per month (`records-2026-11`), so today's counts and a month of
  history are read without walking a year of data; pruning drops whole months.

Not thread-safe: the tray writes from its engine thread only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage
from tinydb.table import Document

from tray.base import guard
from tray.base.atomic import write_atomically
from tray.base.i18n import _
from tray.base.lockfile import FileLock, LockTimeout
from tray.core.codec import (
    Damaged,
    record_from_dict,
    record_to_dict,
    state_from_dict,
    state_to_dict,
)
from tray.core.model import DayCount, Kind, Outcome, Record, State

SCHEMA = 1
KEEP_DAYS = 400
LOCK_TIMEOUT_SECONDS = 10.0
MAX_BYTES = 16 << 20  # a year of history is under 1 MB; a file this big is not ours
_RECORDS_PREFIX = "records-"
_STATE_ID = 1


class Unreadable(Exception):
    """The store file is there but cannot be used; the message says why."""


class StoreWriteError(Exception):
    """A change could not be saved; it is kept in memory and saved with the next change."""


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
    WRITE_CACHE_SIZE = 1 << 30  # never flush on its own: Store.save flushes once per change


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.notices: list[str] = []
        self.is_writable = True
        self._lock = FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
        self._stamp: tuple[int, int, int] | None = None
        self._swept = False
        self._middleware = _Batching(lambda: AtomicJSONStorage(path))  # type: ignore[no-untyped-call]
        self._db = TinyDB(storage=self._middleware)
        self._load()

    # --- reading ---------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._tell(_("The data folder {folder} cannot be created ({error}); today's "
                         "history is kept in memory only.").format(folder=self.path.parent,
                                                                    error=error.strerror))
        try:
            stamp = self._stat()
            data = self._middleware.storage.read()
            if data is not None:
                _check(data)
        except Exception as error:  # whatever a load meets, the file is kept and we go on
            reason = str(error) if isinstance(error, Unreadable) else (
                _("reading it failed: {error}").format(
                    error=f"{error.__class__.__name__}: {guard.shorten(str(error))}"))
            self._move_aside(reason)
            data = None
            stamp = None
        self._middleware.cache = data if data is not None else {"meta": {"1": {"schema": SCHEMA}}}
        self._middleware._cache_modified_count = 0
        self._db.clear_cache()
        self._stamp = stamp

    def _move_aside(self, reason: str) -> None:
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.unreadable-{stamp}-{counter}")
        try:
            os.replace(self.path, target)
        except OSError as error:
            self.is_writable = False
            self._tell(_("The history file {path} cannot be read ({reason}) and cannot be "
                         "moved aside ({error}). It is left untouched; Pointbreak runs without "
                         "saving until it is moved or fixed.").format(
                             path=self.path, reason=reason, error=error.strerror))
            return
        self._tell(_("The history file {path} could not be read ({reason}). It was kept as "
                     "{name} and Pointbreak started a fresh history.").format(
                         path=self.path, reason=reason, name=target.name))

    def _tell(self, message: str) -> None:
        if message not in self.notices:  # a damaged record is met at every read of its month
            self.notices.append(message)

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    def refresh(self) -> None:
        """Re-read the file if another process replaced it (and nothing here is unsaved)."""
        if self._middleware._cache_modified_count == 0 and self._stat() != self._stamp:
            self._load()

    def load_state(self) -> State | None:
        doc = self._db.table("state").get(doc_id=_STATE_ID)
        return None if doc is None else state_from_dict(dict(doc))

    def records(self, first: date, last: date) -> list[Record]:
        """Records of the local days first..last, oldest first. Bad records are skipped."""
        found: list[Record] = []
        for name in self._month_tables(first, last):
            for doc in self._db.table(name).all():
                try:
                    record = record_from_dict(dict(doc))
                except (KeyError, TypeError, ValueError) as error:
                    self._tell(_("A history record in {path} ({table} #{number}) is damaged "
                                 "and was left out: {reason}").format(
                                     path=self.path, table=name, number=doc.doc_id,
                                     reason=_reason(error)))
                    continue
                if first <= record.day <= last:
                    found.append(record)
        return sorted(found, key=lambda r: (r.shown_at, r.seq))

    def day_count(self, day: date) -> DayCount:
        return count_day(day, self.records(day, day))

    def _month_tables(self, first: date, last: date) -> list[str]:
        wanted = {_table_name(first), _table_name(last)}
        names = sorted(n for n in self._db.tables() if n.startswith(_RECORDS_PREFIX))
        return [n for n in names if _table_name(first) <= n <= _table_name(last) or n in wanted]

    # --- writing ---------------------------------------------------------------------------

    def save(self, state: State | None = None, records: Iterable[Record] = ()) -> None:
        """Apply a state and records as one atomic write. Raises StoreWriteError."""
        with self._writing():
            if state is not None:
                self._db.table("state").upsert(Document(state_to_dict(state), doc_id=_STATE_ID))
            for record in records:
                table = self._db.table(_table_name(record.day))
                table.upsert(Document(record_to_dict(record), doc_id=record.seq))

    def prune(self, today: date, keep_days: int = KEEP_DAYS) -> int:
        """Drop records of days more than `keep_days` before today; returns how many."""
        cutoff = today - timedelta(days=keep_days)
        if not any(n.startswith(_RECORDS_PREFIX) and n <= _table_name(cutoff)
                   for n in self._db.tables()):
            return 0
        with self._writing():
            return self._drop_before(cutoff)

    def forget_before(self, day: date, state: State | None = None) -> int:
        """Delete every record of the days before `day` (and save `state` with them, in the
        same write); returns how many. The file is replaced whole: no copy of them is kept.
        Without the lock nothing changes, not even in memory (StoreWriteError)."""
        was_saved = self._middleware._cache_modified_count == 0
        try:
            with self._writing(strict=True):
                dropped = self._drop_before(day)
                if state is not None:
                    self._db.table("state").upsert(Document(state_to_dict(state),
                                                            doc_id=_STATE_ID))
        except StoreWriteError:
            if was_saved:  # what did not reach the disk is not kept in memory either
                self._load()
            raise
        return dropped

    def _drop_before(self, day: date) -> int:
        """Inside _writing: remove the records of days before `day` (whole month tables at
        once); returns how many."""
        dropped = 0
        for name in [n for n in self._db.tables()
                     if n.startswith(_RECORDS_PREFIX) and n <= _table_name(day)]:
            table = self._db.table(name)
            if name < _table_name(day):
                dropped += len(table)
                self._db.drop_table(name)
                continue
            old = [doc.doc_id for doc in table.all() if str(doc.get("day", "")) < day.isoformat()]
            dropped += len(old)
            if old:
                table.remove(doc_ids=old)
        return dropped

    def aside(self) -> list[Path]:
        """History files moved aside because they could not be read, oldest first."""
        return sorted(self.path.parent.glob(f"{self.path.name}.unreadable-*"))

    @contextmanager
    def _writing(self, strict: bool = False) -> Iterator[None]:
        """Apply changes to the cached data, then write it all at once under the lock.

        If the write fails the changes stay in memory and go out with the next write; `strict`:
        without the lock nothing is applied (the change raises before it is made).
        """
        if not self.is_writable:
            raise StoreWriteError(_("{path} is left untouched because it could not be read")
                                  .format(path=self.path))
        problem: str | None = None
        try:
            self._lock.acquire()
        except LockTimeout:
            problem = _("{path} is locked by another process").format(path=self.path)
        except OSError as error:
            problem = _("{path} cannot be saved: {error}").format(
                path=self.path, error=error.strerror or error)
        if strict and problem is not None:
            raise StoreWriteError(problem)
        try:
            if problem is None:
                self.refresh()
                self._remove_stale_temporaries()
            yield
            if problem is not None:
                raise StoreWriteError(problem)
            try:
                self._middleware.flush()  # type: ignore[no-untyped-call]
            except OSError as error:
                raise StoreWriteError(_("{path} cannot be saved: {error}").format(
                    path=self.path, error=error.strerror or error)) from error
            self._stamp = self._stat()
        finally:
            if problem is None:
                self._lock.release()

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by a writer that died mid-write (we hold the lock: none is live)."""
        if self._swept:
            return
        self._swept = True
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with suppress(OSError):
                stale.unlink()

    @property
    def has_unsaved(self) -> bool:
        return self._middleware._cache_modified_count > 0

    def close(self) -> None:
        """Save what is unsaved if it can be saved; never raises (a quit must quit)."""
        with suppress(StoreWriteError):
            if self.has_unsaved:
                with self._writing():
                    pass
        self._middleware._cache_modified_count = 0  # TinyDB's close would try again, unguarded
        self._db.close()


def count_day(day: date, records: Iterable[Record]) -> DayCount:
    """The prompts and completed routines of `day` among `records`."""
    prompts = completed = 0
    for record in records:
        if record.day == day:
            prompts += record.kind is Kind.PROMPT
            completed += record.outcome is Outcome.COMPLETED
    return DayCount(day, prompts=prompts, completed=completed)


def _table_name(day: date) -> str:
    return f"{_RECORDS_PREFIX}{day:%Y-%m}"


def _check(data: dict[str, Any]) -> None:
    """Raise Unreadable unless `data` has the shape this version writes."""
    for name, table in data.items():
        if not isinstance(table, dict):
            raise Unreadable(_('table "{name}" is not an object').format(
                name=guard.shorten(name)))
        for doc_id, doc in table.items():
            if not _is_doc_id(doc_id) or not isinstance(doc, dict):
                raise Unreadable(_('table "{name}" has a malformed entry {entry}').format(
                    name=guard.shorten(name), entry=guard.shorten(repr(doc_id))))
    meta = data.get("meta", {}).get("1")
    if not isinstance(meta, dict):
        raise Unreadable(_("it has no schema version (not a Pointbreak history file?)"))
    schema = meta.get("schema")
    if isinstance(schema, bool) or not isinstance(schema, int):
        raise Unreadable(_("its schema version is {value}, not a number").format(
            value=guard.shorten(repr(schema))))
    if schema > SCHEMA:
        raise Unreadable(_("it was written by a newer Pointbreak (schema {schema}; this "
                           "version reads {ours})").format(schema=schema, ours=SCHEMA))
    state = data.get("state", {}).get(str(_STATE_ID))
    if state is not None:
        try:
            state_from_dict(state)
        except (KeyError, TypeError, ValueError) as error:
            raise Unreadable(_("its saved state is damaged ({reason})").format(
                reason=_reason(error))) from error


def _is_doc_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 15


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return _("{field} is missing").format(field=error)
    if isinstance(error, Damaged):  # the core's own words, in the language shown
        return guard.shorten(_(error.template).format(**error.values), 120)
    return guard.shorten(str(error), 120)
