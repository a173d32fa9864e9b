"""The `pointbreak` command.

    pointbreak                      start the tray (or ask the running one to show itself)
    pointbreak status | history | settings | plan ...
    pointbreak now | snooze [MIN] | skip | pause [DURATION] | resume | quit

Exit status: 0 done, 1 refused or not possible now, 2 bad command-line use.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

from tray import APP_NAME, __version__
from tray.base import guard
from tray.base.exits import Exit
from tray.config.localtime import use_locale
from tray.core.codec import FIRST_DAY, LAST_DAY, in_range
from tray.core.model import SNOOZE_RANGE

WINDOW_MODULES = ("routines", "tray.ui.panel", "tray.ui.settings_window", "tray.ui.history_window")
TRAY_COMMANDS = ("now", "snooze", "skip", "pause", "resume", "quit")
SNOOZE_MINUTES = (SNOOZE_RANGE[0] // timedelta(minutes=1), SNOOZE_RANGE[1] // timedelta(minutes=1))


def _shown(text: str) -> str:
    """An argument as a message repeats it: quoted, and cut when long."""
    return repr(guard.shorten(text))


def _whole_number(text: str, low: int, high: int, what: str) -> int:
    """ASCII digits only: int() would also take "１０" or "٣"."""
    if not re.fullmatch(r"[0-9]{1,4}", text) or not low <= int(text) <= high:
        raise argparse.ArgumentTypeError(f"{what} takes {low} to {high}, got {_shown(text)}")
    return int(text)


def snooze_minutes(text: str) -> int:
    return _whole_number(text, *SNOOZE_MINUTES, "snooze")


_DURATION = re.compile(r"^(?:([0-9]{1,2})h)?(?:([0-9]{1,4})m)?$")


def pause_length(text: str) -> timedelta | str:
    """'30m', '1h', '1h30m' (up to 24 hours) or 'tomorrow'."""
    if text == "tomorrow":
        return text
    match = _DURATION.match(text.strip().lower())
    if match is None or not any(match.groups()):
        raise argparse.ArgumentTypeError(
            f"pause takes a duration such as 30m, 1h or 1h30m, or 'tomorrow'; got {_shown(text)}")
    length = timedelta(hours=int(match.group(1) or 0), minutes=int(match.group(2) or 0))
    if not timedelta(minutes=1) <= length <= timedelta(hours=24):
        raise argparse.ArgumentTypeError(f"a pause lasts 1 minute to 24 hours, got {_shown(text)}")
    return length


def iso_day(text: str) -> date:
    day = None
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"a date is YYYY-MM-DD, got {_shown(text)}")
    if not in_range(day):
        raise argparse.ArgumentTypeError(f"a date is from {FIRST_DAY} to {LAST_DAY}, "
                                         f"got {_shown(text)}")
    return day


def export_path(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in (".csv", ".json"):
        raise argparse.ArgumentTypeError(f"the export file's name must end in .csv or .json, "
                                         f"got {_shown(text)}")
    return path


def day_count(text: str) -> int:
    return _whole_number(text, 1, 400, "--days")


class _Parser(argparse.ArgumentParser):
    """argparse, with the arguments it repeats in its own messages ("invalid choice: ...",
    "unrecognized arguments: ...") cut when long; still exit status 2."""

    def error(self, message: str) -> NoReturn:
        shortened = re.sub(r"[^\s']{100,}", lambda m: guard.shorten(m.group()), message)
        super().error(shortened[:2000])


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pointbreak",
        description="Short posture breaks, a few times a day, from the system tray. "
                    "With no command, starts the tray.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--no-welcome", action="store_true",
                        help="start without the first-run welcome (for scripted installs)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("status", help="next break, today's count, pause or snooze")
    history = commands.add_parser("history", help="prompts and routines of the last days")
    history.add_argument("--days", type=day_count, default=7, help="how many days (1-400)")
    history.add_argument("--until", type=iso_day, default=None, metavar="YYYY-MM-DD",
                         help="the last day shown (default: today)")
    shape = history.add_mutually_exclusive_group()
    shape.add_argument("--csv", action="store_true",
                       help="the same numbers as CSV, one row per day, for a spreadsheet")
    shape.add_argument("--window", action="store_true",
                       help="open the history window, with charts")
    shape.add_argument("--export", type=export_path, metavar="FILE",
                       help="every prompt and session ever recorded, with its outcome, to FILE "
                            "(.csv or .json)")
    settings = commands.add_parser(
        "settings", help="the settings window (with a display), where the file is, or what it says")
    settings.add_argument("action", nargs="?", choices=("path", "show"), default=None,
                          help="path: where the file is; show: what it says (the default "
                               "without a display)")
    plan = commands.add_parser(
        "plan", help="the prompts a day would bring under the current settings")
    plan.add_argument("--date", type=iso_day, default=None, help="YYYY-MM-DD (default: today)")
    plan.add_argument("--answer", choices=("completed", "skipped", "snoozed", "ignored"),
                      default="completed", help="how every prompt is answered")
    commands.add_parser("now", help="start a session now")
    snooze = commands.add_parser("snooze", help="snooze the prompt, or move the next break")
    snooze.add_argument("minutes", nargs="?", type=snooze_minutes, default=10,
                        help="1-120 (default 10)")
    commands.add_parser("skip", help="skip the prompt on screen, or the next break")
    pause = commands.add_parser("pause", help="pause prompts")
    pause.add_argument("duration", nargs="?", type=pause_length, default=None,
                       help="30m, 1h, 1h30m or tomorrow (default: until resumed)")
    commands.add_parser("resume", help="end a pause")
    commands.add_parser("quit", help="quit the running tray")
    commands.add_parser("doctor", help="what is set up, what is wrong, and how to fix it")
    autostart = commands.add_parser("autostart", help="start Pointbreak when you log in")
    autostart.add_argument("action", choices=("on", "off", "status"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--run-module"] and len(arguments) >= 2:
        return _run_module(arguments[1], arguments[2:])
    use_locale()
    args = build_parser().parse_args(arguments)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `pointbreak history | head`
        return Exit.OK


def _run_module(module: str, arguments: list[str]) -> int:
    """A frozen build runs its window processes as `Pointbreak --run-module routines ...`
    (tray.ipc.children.command): the same code as `python -m routines ...`."""
    import runpy

    if module not in WINDOW_MODULES:
        print(f"--run-module takes {', '.join(WINDOW_MODULES)}, not {module!r}",
              file=sys.stderr)
        return Exit.USAGE
    sys.argv = [module, *arguments]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else Exit.OK
    return Exit.OK


def main_gui() -> int:
    """The windowless entry point (start at login on Windows): the tray, nothing else."""
    return main([])


def _run(args: argparse.Namespace) -> int:
    from tray.cli.commands import (
        run_autostart,
        run_doctor,
        run_settings,
        run_status,
        run_tray_command,
        start_tray,
    )
    from tray.cli.history_cmd import run_history, run_plan

    if args.command is None:
        return start_tray(show_welcome=not args.no_welcome)
    if args.command in TRAY_COMMANDS:
        return run_tray_command(args)
    return {"status": run_status, "history": run_history, "settings": run_settings,
            "plan": run_plan, "autostart": run_autostart, "doctor": run_doctor}[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
