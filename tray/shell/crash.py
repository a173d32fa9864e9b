"""The record of the tray's last crash, so a crash is never silent, even at login.

The tray writes it when an unexpected error ends it (at start, in the engine's thread, in the
icon's loop); the next start tells the person once what happened, and `pointbreak doctor`
shows it with the place in the log where the traceback is.
"""

from __future__ import annotations

import json
import logging
import sys
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tray import APP_NAME
from tray.base import guard
from tray.base.atomic import write_atomically
from tray.base.dates import clock, full_date
from tray.base.exits import Exit
from tray.base.i18n import _
from tray.core.codec import in_range
from tray.shell.logs import LOG_NAME

if TYPE_CHECKING:
    from tray.adapters.notify import SafeNotifier
    from tray.config.paths import Folders

log = logging.getLogger(__name__)

FILE_NAME = "last-crash.json"


@dataclass(frozen=True)
class Crash:
    at: datetime
    where: str   # "start-up", "the break engine", "the tray icon's loop": English, N_-marked
    error: str   # "ValueError: ..."
    log: str     # the log file with the traceback
    is_told: bool = False

    def sentence(self) -> str:
        return _("Pointbreak stopped unexpectedly on {date} at {time} ({where}: {error}). The "
                 "details are in {log}.").format(
            date=full_date(self.at.astimezone().date()), time=clock(self.at), where=_(self.where),
            error=self.error, log=self.log)


def record(folder: Path, where: str, error: BaseException, log_file: Path) -> Crash:
    crash = Crash(datetime.now(UTC), where,
                  guard.shorten(f"{error.__class__.__name__}: {error}", 200), str(log_file))
    _write(folder, crash)
    return crash


def _write(folder: Path, crash: Crash) -> None:
    with suppress(OSError):  # a folder that cannot be written: the log still has it
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / FILE_NAME, json.dumps({
            "at": crash.at.isoformat(), "where": crash.where, "error": crash.error,
            "log": crash.log, "told": crash.is_told}).encode("utf-8"))


def last(folder: Path) -> Crash | None:
    """The last crash recorded, or None (also for a record that cannot be read)."""
    try:
        raw = guard.read_file(folder / FILE_NAME, limit=16 << 10)
        data = guard.parse_json(raw) if raw is not None else None
        if not isinstance(data, dict):
            return None
        at = datetime.fromisoformat(str(data["at"])[:40])
        if at.tzinfo is None or not in_range((at := at.astimezone(UTC)).date()):
            return None
        return Crash(at, guard.shorten(str(data["where"]), 80),
                     guard.shorten(str(data["error"]), 300), guard.shorten(str(data["log"]), 300),
                     data.get("told") is True)
    except (guard.Refused, KeyError, ValueError, OverflowError):
        return None


def take_untold(folder: Path) -> Crash | None:
    """The last crash if the person has not been told of it yet; marks it told."""
    crash = last(folder)
    if crash is None or crash.is_told:
        return None
    _write(folder, Crash(crash.at, crash.where, crash.error, crash.log, is_told=True))
    return crash


def tell_crash(where: Folders, what: str, error: BaseException,
               notifier: SafeNotifier | None) -> int:
    """Log the traceback, keep a record for the next start and `doctor`, tell the person (a
    notification, and stderr when there is one). Returns the tray's exit status."""
    log_file = where.log / LOG_NAME
    log.error("%s crashed in %s", APP_NAME, what, exc_info=error)
    text = record(where.data, what, error, log_file).sentence()
    if sys.stderr is not None:
        with suppress(OSError, ValueError):
            print(text, file=sys.stderr)
    try:
        if notifier is None:
            from tray.adapters import notify
            from tray.adapters.choosing import AUTO

            notifier = notify.SafeNotifier(notify.select(None, AUTO))
        notifier.notify(0, APP_NAME, text, {}, lambda _a: None)
    except Exception:  # telling is best effort here: the log and the record have it
        log.exception("the crash could not be told by a notification")
    return Exit.CRASHED
