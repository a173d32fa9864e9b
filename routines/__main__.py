"""`python -m routines`: the routine window, in its own process.

    python -m routines card [--seq N] [--no-snooze] [--timeout-seconds S] [--today N --cap C]
    python -m routines session ...     straight into the guided routine (Start a session now)
    python -m routines --demo          alone: a session recorded directly in the store

The tray passes `--report-fd` (or `--report-handle` on Windows) and records what the window
reports. Without it (run alone, or `pointbreak now` with no tray) the window records the
session in the store itself.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime

from tray.base import i18n, testhooks
from tray.base.i18n import _
from tray.ipc.children import open_report
from tray.ipc.reports import Ended, parse_report_line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m routines")
    parser.add_argument("what", nargs="?", choices=("card", "session"), default=None)
    parser.add_argument("--demo", action="store_true", help="a session, recorded in the store")
    parser.add_argument("--seq", type=int, default=0)
    parser.add_argument("--no-snooze", action="store_true")
    parser.add_argument("--timeout-seconds", type=float, default=300.0)
    parser.add_argument("--today", type=int, default=None, help="routines completed today")
    parser.add_argument("--cap", type=int, default=None)
    parser.add_argument("--report-fd", type=int, default=None)
    parser.add_argument("--report-handle", type=int, default=None)
    args = parser.parse_args(argv)
    if args.what is None and not args.demo:
        parser.error("say card, session or --demo")
    report = open_report(args.report_fd, args.report_handle)
    is_alone = report is None
    if sys.platform == "win32":
        _declare_dpi_awareness()

    import tkinter as tk

    from routines.options import KEY_GUARD_SECONDS, Options
    from routines.window import RoutineWindow
    from tray.config.profile import load_profile

    profile = load_profile()
    # The language the tray shows: the window reads the same settings (language = "auto"
    # follows the system, as the tray's does). The routine's own texts come in it too.
    language = i18n.use(profile.settings.language.value)
    routine = profile.routine.in_language(language)
    for problem in [*profile.problems, *routine.problems]:
        print(problem, file=sys.stderr)
    today = args.today
    if today is None:
        today = _completed_today(profile) if is_alone else 0
    options = Options(rounds=profile.settings.rounds, theme=profile.settings.theme.value,
                      font_scale=profile.settings.font_scale,
                      is_sound_on=profile.settings.sound, volume=profile.settings.volume,
                      is_voice_on=_is_voice_on(profile.settings.voice), language=language,
                      can_snooze=not args.no_snooze,
                      card_timeout_seconds=args.timeout_seconds, completed_today=today,
                      daily_cap=args.cap or profile.settings.daily_cap,
                      start_in_routine=args.demo or args.what == "session",
                      key_guard_seconds=testhooks.seconds_or("KEY_GUARD", KEY_GUARD_SECONDS))
    try:
        root = tk.Tk(className="Pointbreak")
    except tk.TclError as error:
        print(_("Pointbreak cannot open a window: {error}").format(error=error), file=sys.stderr)
        return 1
    _tk_language(root, language)
    started = datetime.now(UTC)
    capture = _Capture() if is_alone else None
    window = RoutineWindow(root, routine, options, report or capture, time.monotonic)
    testhooks.record_texts(root, "routine")
    root.mainloop()
    window.guide.close()  # the voice stops; what the sounds left behind is cleared
    if capture is not None and capture.outcome is not None:
        _record_alone(profile, started, capture)
    return window.exit_code


def _tk_language(root: object, language: str) -> None:
    """Tk's own words (its dialogs, a text field's menu) in the language shown too."""
    import tkinter as tk

    try:
        root.tk.call("::msgcat::mclocale", language)  # type: ignore[attr-defined]
    except tk.TclError as error:  # a Tk without msgcat: its few words stay English
        print(f"Pointbreak: Tk's msgcat cannot be set to {language} ({error})", file=sys.stderr)


def _is_voice_on(voice: object) -> bool:
    """`voice = "auto"` speaks while a screen reader runs."""
    from tray.config.schema import Voice

    if voice is not Voice.AUTO:
        return voice is Voice.ON
    from tray.adapters.speech import screen_reader

    found = screen_reader()
    if found:
        # TRANSLATORS: {reader} names the screen reader ("Orca"); voice = "auto" is a setting.
        print(_('Pointbreak: {reader} runs, so the voice speaks the routine (voice = "auto")')
              .format(reader=found), file=sys.stderr)
    return found is not None


class _Capture:
    """Stands in for the tray's pipe when the window runs alone: keeps the outcome."""

    def __init__(self) -> None:
        self.outcome: Ended | None = None

    def write(self, line: str) -> int:
        report = parse_report_line(line.encode())
        if isinstance(report, Ended):
            self.outcome = report
        return len(line)

    def flush(self) -> None:
        pass


def _completed_today(profile: object) -> int:
    from tray.store import Store

    zone = profile.zone  # type: ignore[attr-defined]
    store = Store(profile.folders.store)  # type: ignore[attr-defined]
    return store.day_count(datetime.now(UTC).astimezone(zone).date()).completed


def _record_alone(profile: object, started: datetime, capture: _Capture) -> None:
    """No tray: record the session straight into the store (under its lock)."""
    from dataclasses import replace

    from tray.core.model import Kind, Record, State
    from tray.store import Store, StoreWriteError

    assert capture.outcome is not None
    zone = profile.zone  # type: ignore[attr-defined]
    store = Store(profile.folders.store)  # type: ignore[attr-defined]
    state = store.load_state() or State()
    day = started.astimezone(zone).date()
    seq = max([state.seq, *(r.seq for r in store.records(day, day))]) + 1
    record = Record(seq=seq, kind=Kind.SESSION, day=day, shown_at=started, started_at=started,
                    ended_at=datetime.now(UTC), outcome=capture.outcome.outcome,
                    step=capture.outcome.step)
    try:
        store.save(replace(state, seq=seq), [record])
    except StoreWriteError as error:
        print(_("The session could not be recorded: {error}").format(error=error),
              file=sys.stderr)


def _declare_dpi_awareness() -> None:
    try:
        import ctypes

        ctypes.windll.shcore.SetProcessDpiAwareness(1)  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        pass


if __name__ == "__main__":
    sys.exit(main())
