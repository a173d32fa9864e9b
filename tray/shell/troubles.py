"""What stops working while the tray runs (a detector, a thread, saving history): told to the
person once, and listed by `status` and `doctor` until it works again."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from tray import APP_NAME
from tray.base.i18n import _

log = logging.getLogger(__name__)

# The detectors' ports: their modules' loggers propagate here, and an ERROR from one of them
# means that detector stopped watching.
DETECTOR_LOGGERS = ("tray.adapters.idle", "tray.adapters.quiet", "tray.adapters.session")


class Troubles:
    """Written from any thread (detectors, the engine's), read by `status`."""

    def __init__(self, tell: Callable[[str], None]) -> None:
        self._tell = tell  # a notification; must not raise
        self._listed: dict[str, str] = {}
        self._lock = threading.Lock()

    def report(self, key: str, message: str | None) -> None:
        """`message` is what stopped working, told once; None: it works again."""
        with self._lock:
            is_new = message is not None and key not in self._listed
            if message is None:
                self._listed.pop(key, None)
            elif is_new:
                self._listed[key] = message
        if is_new:
            log.error("%s", message)
            self._tell(str(message))

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._listed

    def listed(self) -> list[str]:
        with self._lock:
            return list(self._listed.values())

    def on_save_problem(self, problem: str | None) -> None:
        self.report("store", None if problem is None else (
            _("History is not being saved: {problem}. Today's count is kept while {app} runs, "
              "and it tries again every minute.").format(problem=problem, app=APP_NAME)))

    def watch_threads(self) -> None:
        """An error that ends a thread of the tray (a detector's, say) is logged with its
        traceback and told once; the tray goes on without that thread. A detector that logs an
        error at its edge is told the same way."""
        def hook(args: threading.ExceptHookArgs) -> None:
            name = args.thread.name if args.thread is not None else "a thread"
            log.error("%s stopped", name, exc_info=args.exc_value or True)
            # TRANSLATORS: {thread} is a thread's name, such as "pointbreak-voice".
            self.report(f"thread:{name}", _("{app}'s {thread} stopped after an error ({error}); "
                                            "see the log.").format(
                app=APP_NAME, thread=name, error=args.exc_type.__name__))

        threading.excepthook = hook
        detectors = _DetectorErrors(self.report)
        for name in DETECTOR_LOGGERS:
            logging.getLogger(name).addHandler(detectors)


class _DetectorErrors(logging.Handler):
    """A detector that logs an error at its thread's edge has stopped watching: tell once."""

    def __init__(self, report: Callable[[str, str | None], None]) -> None:
        super().__init__(logging.ERROR)
        self._report = report

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._report(f"log:{record.name}", _("A detector stopped ({name}: {message}); "
                                                 "prompts still come.").format(
                name=record.name, message=record.getMessage()))
        except Exception:
            self.handleError(record)
