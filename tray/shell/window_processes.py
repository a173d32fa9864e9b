"""The tray's side of the window processes: start them, listen to them, notice when they die.

Each window gets a supervisor thread that turns the window's reports into engine events (it only
posts). A window that exits without saying how the prompt ended crashed; one that outlives its
time hung and is killed. Either way the prompt ends as `failed`, logged, and the tray goes on.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import assert_never

from tray.core.choices import Snooze
from tray.core.events import Event, PromptEnded, RoutineStarted, SnoozeRequested
from tray.core.model import Outcome
from tray.ipc import children
from tray.ipc.reports import Countdown, Cued, Ended, Report, Started

log = logging.getLogger(__name__)

ROUTINES_MODULE = "routines"
PANEL_MODULE = "tray.ui.panel"
PANEL_CLOSING_SECONDS = 0.5


@dataclass
class _Window:
    seq: int
    child: children.Child
    has_ended: bool = False
    is_closed_by_tray: bool = False
    timer: threading.Timer | None = field(default=None, repr=False)


class Windows:
    def __init__(self, post: Callable[[Event], None], card_timeout: timedelta,
                 routine_length: timedelta, module: str = ROUTINES_MODULE,
                 slack: timedelta = timedelta(minutes=10)) -> None:
        self._post = post
        self._module = module
        self._slack = slack
        self.card_timeout = card_timeout
        self.routine_length = routine_length
        self._lock = threading.Lock()
        self._open: dict[int, _Window] = {}
        self._panel: subprocess.Popen[bytes] | None = None

    # --- prompt card and routine -----------------------------------------------------------

    def show_prompt(self, seq: int, can_snooze: bool, completed_today: int = 0,
                    cap: int = 5) -> None:
        args = ["card", "--seq", str(seq),
                "--timeout-seconds", f"{self.card_timeout.total_seconds():g}",
                "--today", str(completed_today), "--cap", str(cap)]
        if not can_snooze:
            args.append("--no-snooze")
        self._start(seq, args)

    def start_routine(self, seq: int, completed_today: int = 0, cap: int = 5) -> None:
        with self._lock:
            window = self._open.get(seq)
        if window is not None and window.child.process.poll() is None:
            return  # the card on screen turned into the routine itself
        self._start(seq, ["session", "--seq", str(seq), "--today", str(completed_today),
                          "--cap", str(cap)])

    def close(self, seq: int) -> None:
        with self._lock:
            window = self._open.get(seq)
        if window is None:
            return
        window.is_closed_by_tray = True
        if window.child.process.poll() is None:
            window.child.process.terminate()

    def _start(self, seq: int, args: list[str]) -> None:
        self.close(seq)
        try:
            child = children.start(self._module, args)
        except OSError as error:
            log.error("cannot start the window for prompt %s: %s", seq, error)
            self._post(PromptEnded(seq, Outcome.FAILED))
            return
        window = _Window(seq, child)
        limit = self.card_timeout + 2 * self.routine_length + self._slack
        window.timer = threading.Timer(limit.total_seconds(), self._hung, args=(window,))
        window.timer.daemon = True
        window.timer.start()
        with self._lock:
            self._open[seq] = window
        threading.Thread(target=self._supervise, args=(window,), daemon=True,
                         name=f"pointbreak-window-{seq}").start()

    def _hung(self, window: _Window) -> None:
        if window.child.process.poll() is None:
            log.error("the window of prompt %s hung past its time; killing it", window.seq)
            window.child.process.kill()

    def _supervise(self, window: _Window) -> None:
        for report in window.child.read_reports():
            event = _event_for(window.seq, report)
            if event is None:
                continue  # a sound cue, a countdown tick: for the record in tests only
            if isinstance(event, PromptEnded | SnoozeRequested):
                window.has_ended = True
            self._post(event)
        code = window.child.process.wait()
        if window.timer is not None:
            window.timer.cancel()
        with self._lock:
            if self._open.get(window.seq) is window:
                del self._open[window.seq]
        if not window.has_ended and not window.is_closed_by_tray:
            log.error("the window of prompt %s ended without an outcome (exit code %s)",
                      window.seq, code)
            self._post(PromptEnded(window.seq, Outcome.FAILED))

    # --- the control window ----------------------------------------------------------------

    def open_panel(self) -> None:
        """The control window: every action of the menu, for trays without one (any thread;
        returns at once)."""
        threading.Thread(target=self._open_panel, name="pointbreak-panel", daemon=True).start()

    def _open_panel(self) -> None:
        with self._lock:
            panel = self._panel
            if panel is not None and panel.poll() is None:
                try:
                    panel.wait(PANEL_CLOSING_SECONDS)  # it may be closing right now
                except subprocess.TimeoutExpired:
                    if hasattr(signal, "SIGUSR1"):
                        panel.send_signal(signal.SIGUSR1)  # open: ask it to come to the front
                    log.info("control window: already open, raised")
                    return
            try:
                self._panel = subprocess.Popen(children.command(PANEL_MODULE),
                                               stdin=subprocess.DEVNULL)
                log.info("control window: opened (pid %s)", self._panel.pid)
            except OSError as error:
                log.error("cannot open the control window: %s", error)

    def stop_all(self) -> None:
        with self._lock:
            windows = list(self._open.values())
            panel = self._panel
        for window in windows:
            window.is_closed_by_tray = True
            if window.child.process.poll() is None:
                window.child.process.terminate()
        if panel is not None and panel.poll() is None:
            panel.terminate()


def _event_for(seq: int, report: Report) -> Event | None:
    """The engine event a window's report means (None: a cue or a tick, nothing for the
    engine). The report was checked where it came in (tray.ipc.reports)."""
    match report:
        case Started():
            return RoutineStarted(seq)
        case Snooze():
            return report.event(seq)
        case Ended(outcome, step):
            return PromptEnded(seq, outcome, step)
        case Cued() | Countdown():
            return None
        case _:
            assert_never(report)
