"""The store: the engine's state and the history, in a folder of small TinyDB files in the
per-user data folder (`history/`), so that its cost does not grow with the history.

- `state.json`: the engine's state and the records of the last two days that have any ("recent").
  Every change of the engine is one atomic write of this file alone (tray.store.files: a
  temporary file, fsync, replace), under a lock shared by every process of the user.
- `2026-11.json`, one per month: the older records. Once a day has two younger days with
  records, its records are filed into their month. The order makes a crash harmless: the month
  file is written first, then the state file without them; a crash in between leaves them in
  both, a read takes the state file's copy, and the next filing writes them again (by number,
  so never twice). The state's `filed_through` says up to which day months can hold anything,
  so the tray, asking only for today and yesterday, reads no month at all.
- Forgetting the past is said first (the state file records `forgotten_before`, so a read
  hides those days from then on), then done (the month files go); a crash in between is
  finished by the next write.
- `history.json`, the single file of earlier versions, is taken over once and left unchanged
  (tray.store.legacy).
- A file that cannot be read is moved aside (kept, never deleted), the person is told once
  (`notices`), and the store goes on without it.

Not thread-safe: the tray writes from its engine thread only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tinydb.table import Document

from tray.base.i18n import _
from tray.base.lockfile import FileLock, LockTimeout
from tray.core.codec import record_from_dict, record_to_dict, state_from_dict, state_to_dict
from tray.core.model import DayCount, Kind, Outcome, Record, State
from tray.store import legacy, months
from tray.store.files import STATE, StoreFile, Unreadable, reason_of

__all__ = ["KEEP_DAYS", "Store", "StoreWriteError", "Unreadable", "count_day"]

KEEP_DAYS = 400
LOCK_TIMEOUT_SECONDS = 10.0
STATE_FILE = "state.json"
LOCK_FILE = "store.lock"
RECENT = legacy.RECENT
_STATE_ID = legacy.STATE_ID
_RECENT_DAYS = 2  # the days that stay in the state file: the newest with records and the one before


class StoreWriteError(Exception):
    """A change could not be saved; it is kept in memory and saved with the next change."""


class Store:
    def __init__(self, folder: Path, legacy_file: Path | None = None, *,
                 step: Callable[[str], None] = lambda _what: None) -> None:
        """The store in `folder`; `legacy_file` (by default `history.json` beside the folder)
        is taken over on first use. `step` hears each step of that take-over and of forgetting
        (the crash tests stop there)."""
        self.folder = folder
        self.path = folder / STATE_FILE
        self.legacy = legacy_file or folder.with_name(folder.name + ".json")
        self.notices: list[str] = []
        self._lock = FileLock(folder / LOCK_FILE, timeout=LOCK_TIMEOUT_SECONDS)
        self._state = StoreFile(self.path, STATE, self._tell)
        self._step = step
        self._swept = False
        self._seq_floor = 0  # the highest number the months hold, when the state was lost
        self._filed_floor: str | None = None
        self._overlay: tuple[list[dict[str, Any]], dict[str, Any] | None] | None = None
        self._load()

    @property
    def is_writable(self) -> bool:
        return self._state.is_writable

    # --- reading ---------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._tell(_("The data folder {folder} cannot be created ({error}); today's "
                         "history is kept in memory only.").format(folder=self.folder,
                                                                    error=error.strerror))
        self._read_state()
        if legacy.is_pending(self.legacy, self._state.meta):
            self._take_over_legacy()

    def _read_state(self) -> None:
        self._state.load()
        self._seq_floor, self._filed_floor = 0, None
        if not self._state.existed:  # new, or lost: what the months hold still counts
            for month in reversed(months.months_in(self.folder)):
                docs = months.read(self.folder, month, self._tell)
                if docs:
                    self._seq_floor = max(_seq(doc) for doc in docs)
                    self._filed_floor = max(months.day_of(doc) or "" for doc in docs) or None
                    break

    def _take_over_legacy(self) -> None:
        try:
            self._lock.acquire()
        except (LockTimeout, OSError):
            self._overlay = legacy.read(self.legacy, self._tell)  # shown now, taken over later
            return
        try:
            self._take_over_locked()
        finally:
            self._lock.release()

    def _take_over_locked(self) -> None:
        try:
            if self._state.is_stale():
                self._read_state()  # another process may have taken it over just now
            if legacy.is_pending(self.legacy, self._state.meta):
                legacy.take_over(self.legacy, self.folder, self._state, self._tell, self._step)
            self._overlay = None
        except OSError as error:
            self._tell(_("The history in {path} cannot be taken over yet ({error}); it is "
                         "shown as it is, and taken over once it can be.").format(
                             path=self.legacy, error=error.strerror or error))
            self._read_state()  # nothing half-done stays in memory
            self._overlay = legacy.read(self.legacy, self._tell)

    def _tell(self, message: str) -> None:
        if message not in self.notices:  # a damaged record is met at every read of its month
            self.notices.append(message)

    def refresh(self) -> None:
        """Read the state file again if another process replaced it (and nothing here is
        unsaved)."""
        if self._state.is_stale():
            self._read_state()

    def load_state(self) -> State | None:
        saved = self._state.table("state").get(doc_id=_STATE_ID)
        doc = dict(saved) if saved is not None else None
        if doc is None and self._overlay is not None:
            doc = self._overlay[1]
        top = max([self._seq_floor, *(_seq(d) for d in self._state.table(RECENT).all())])
        if doc is None:
            return State(seq=top) if top else None
        state = state_from_dict(dict(doc))
        return state if state.seq >= top else replace(state, seq=top)

    def records(self, first: date, last: date) -> list[Record]:
        """Records of the local days first..last, oldest first. Bad records are skipped."""
        docs: dict[int, tuple[str, dict[str, Any]]] = {}
        if self._overlay is not None:
            for doc in self._overlay[0]:
                docs[_seq(doc)] = (str(self.legacy), doc)
        filed = self._filed_through
        if filed is not None and first.isoformat() <= filed:
            end = min(last.isoformat(), filed)
            for month in months.months_in(self.folder):
                if months.month_of(first) <= month <= end[:7]:
                    where = str(months.path_of(self.folder, month))
                    for doc in months.read(self.folder, month, self._tell):
                        docs[_seq(doc)] = (where, doc)
        for doc in self._state.table(RECENT).all():
            docs[doc.doc_id] = (str(self.path), dict(doc))
        hidden = self._state.meta.get("forgotten_before") or ""
        found: list[Record] = []
        for number, (where, doc) in docs.items():
            try:
                record = record_from_dict(doc)
            except (KeyError, TypeError, ValueError) as error:
                self._tell(_("A history record in {path} ({table} #{number}) is damaged "
                             "and was left out: {reason}").format(
                                 path=where, table="records", number=number,
                                 reason=reason_of(error)))
                continue
            if first <= record.day <= last and record.day.isoformat() >= hidden:
                found.append(record)
        return sorted(found, key=lambda r: (r.shown_at, r.seq))

    def day_count(self, day: date) -> DayCount:
        return count_day(day, self.records(day, day))

    @property
    def _filed_through(self) -> str | None:
        filed = self._state.meta.get("filed_through")
        return max(filter(None, [filed if isinstance(filed, str) else None,
                                 self._filed_floor]), default=None)

    # --- writing ---------------------------------------------------------------------------

    def save(self, state: State | None = None, records: Iterable[Record] = ()) -> None:
        """Apply a state and records as one atomic write. Raises StoreWriteError."""
        with self._writing():
            if state is not None:
                self._state.table("state").upsert(Document(state_to_dict(state),
                                                           doc_id=_STATE_ID))
            recent = self._state.table(RECENT)
            for record in records:
                recent.upsert(Document(record_to_dict(record), doc_id=record.seq))

    def prune(self, today: date, keep_days: int = KEEP_DAYS) -> int:
        """Drop the months whose every day is more than `keep_days` before today; returns how
        many months."""
        cutoff = today - timedelta(days=keep_days)
        old = [m for m in months.months_in(self.folder) if months.last_day(m) < cutoff]
        if not old:
            return 0
        with self._writing():
            try:
                for month in old:
                    months.path_of(self.folder, month).unlink(missing_ok=True)
            except OSError as error:
                raise StoreWriteError(_("{path} cannot be saved: {error}").format(
                    path=months.path_of(self.folder, month), error=error.strerror)) from error
        return len(old)

    def forget_before(self, day: date, state: State | None = None) -> int:
        """Delete every record of the days before `day` (and save `state` with them, in the
        same write); returns how many. No copy of them is kept. Without the lock nothing
        changes, not even in memory (StoreWriteError)."""
        was_saved = not self._state.has_unsaved
        try:
            with self._writing(strict=True):
                dropped = len(self.records(date.min, day - timedelta(days=1)))
                if state is not None:
                    self._state.table("state").upsert(Document(state_to_dict(state),
                                                               doc_id=_STATE_ID))
                hidden = max(day.isoformat(), self._state.meta.get("forgotten_before") or "")
                self._state.set_meta(forgotten_before=hidden)
            self._step("forgotten")
            with self._writing(strict=True):
                pass  # the marker is written; now the files go (see _finish_forgetting)
        except StoreWriteError:
            if was_saved:  # what did not reach the disk is not kept in memory either
                self._read_state()
            raise
        return dropped

    def _finish_forgetting(self) -> None:
        """Inside _writing: remove what `forgotten_before` hides, then the marker."""
        hidden = self._state.meta.get("forgotten_before")
        if not isinstance(hidden, str) or not hidden:
            return
        recent = self._state.table(RECENT)
        gone = [doc.doc_id for doc in recent.all() if (months.day_of(doc) or "") < hidden]
        if gone:
            recent.remove(doc_ids=gone)
        try:
            for month in months.months_in(self.folder):
                if month <= hidden[:7]:
                    self._step(month)
                if month < hidden[:7]:
                    months.path_of(self.folder, month).unlink(missing_ok=True)
                elif month == hidden[:7]:
                    months.write(self.folder, month, self._tell,
                                 keep=lambda doc: (months.day_of(doc) or "") >= hidden)
        except OSError:
            return  # the marker stays: the next write tries again, and reads hide them still
        self._state.set_meta(forgotten_before=None)

    def _file_old_days(self) -> None:
        """Inside _writing: move the records of days older than the recent ones into their
        months, month file first (see the module's docstring)."""
        recent = self._state.table(RECENT)
        docs = [(doc.doc_id, dict(doc)) for doc in recent.all()]
        days = sorted({day for _, doc in docs if (day := months.day_of(doc))})
        if len(days) <= _RECENT_DAYS:
            return
        keep_from = days[-_RECENT_DAYS]
        groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for number, doc in docs:
            day = months.day_of(doc)
            if day is not None and day < keep_from:
                groups.setdefault(day[:7], []).append((number, doc))
        filed = self._filed_through
        for month, group in sorted(groups.items()):
            try:
                months.write(self.folder, month, self._tell, [doc for _, doc in group])
            except OSError:
                return  # they stay in the state file and are filed with a later change
            recent.remove(doc_ids=[number for number, _ in group])
            last = max(months.day_of(doc) or "" for _, doc in group)
            filed = max(filter(None, [filed, last]))
            self._state.set_meta(filed_through=filed)

    def aside(self) -> list[Path]:
        """Files of the store moved aside because they could not be read, oldest first."""
        found = [*self.folder.glob("*.unreadable-*"),
                 *self.legacy.parent.glob(f"{self.legacy.name}.unreadable-*")]
        return sorted(found, key=lambda path: (path.name.rpartition(".unreadable-")[2],
                                               path.name))

    @contextmanager
    def _writing(self, strict: bool = False) -> Iterator[None]:
        """Apply changes to the state file's tables, then write it out at once under the lock.

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
                if self._overlay is not None or legacy.is_pending(self.legacy,
                                                                  self._state.meta):
                    self._take_over_locked()
                self._finish_forgetting()
            yield
            if problem is not None:
                raise StoreWriteError(problem)
            try:
                if self._filed_floor and not self._state.meta.get("filed_through"):
                    self._state.set_meta(filed_through=self._filed_floor)
                self._file_old_days()
                self._state.flush()
            except OSError as error:
                raise StoreWriteError(_("{path} cannot be saved: {error}").format(
                    path=self.path, error=error.strerror or error)) from error
        finally:
            if problem is None:
                self._lock.release()

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by a writer that died mid-write (we hold the lock: none is live)."""
        if self._swept:
            return
        self._swept = True
        for stale in self.folder.glob(".*.tmp"):
            with suppress(OSError):
                stale.unlink()

    @property
    def has_unsaved(self) -> bool:
        return self._state.has_unsaved

    def close(self) -> None:
        """Save what is unsaved if it can be saved; never raises (a quit must quit)."""
        with suppress(StoreWriteError):
            if self.has_unsaved:
                with self._writing():
                    pass
        self._state.close()


def count_day(day: date, records: Iterable[Record]) -> DayCount:
    """The prompts and completed routines of `day` among `records`."""
    prompts = completed = 0
    for record in records:
        if record.day == day:
            prompts += record.kind is Kind.PROMPT
            completed += record.outcome is Outcome.COMPLETED
    return DayCount(day, prompts=prompts, completed=completed)


def _seq(doc: Any) -> int:
    seq = doc.get("seq") if isinstance(doc, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0 else 0

