"""The `pointbreak` command.

    pointbreak                      start the tray (or ask the running one to show itself)
    pointbreak status | history | settings | plan ...
    pointbreak now | snooze [MIN] | skip | pause [DURATION] | resume | quit

Exit status: 0 done, 1 refused or not possible now, 2 bad command-line use.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from tray import APP_NAME, __version__
from tray.base import guard
from tray.config.localtime import clock, day_and_clock, use_locale
from tray.core.model import FIRST_DAY, LAST_DAY, SNOOZE_RANGE, Kind, Record, in_range

if TYPE_CHECKING:
    from tray.config.profile import Profile
    from tray.store import Store

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
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
        return EXIT_OK


def _run_module(module: str, arguments: list[str]) -> int:
    """A frozen build runs its window processes as `Pointbreak --run-module routines ...`
    (tray.ipc.children.command): the same code as `python -m routines ...`."""
    import runpy

    if module not in WINDOW_MODULES:
        print(f"--run-module takes {', '.join(WINDOW_MODULES)}, not {module!r}",
              file=sys.stderr)
        return EXIT_USAGE
    sys.argv = [module, *arguments]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else EXIT_OK
    return EXIT_OK


def main_gui() -> int:
    """The windowless entry point (start at login on Windows): the tray, nothing else."""
    return main([])


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        return _start_tray(show_welcome=not args.no_welcome)
    if args.command in TRAY_COMMANDS:
        return _tray_command(args)
    return {"status": _status, "history": _history, "settings": _settings,
            "plan": _plan, "autostart": _autostart, "doctor": _doctor}[args.command](args)


def _start_tray(show_welcome: bool = True) -> int:
    if not _has_display():
        print(f"{APP_NAME} needs a desktop session: neither DISPLAY nor WAYLAND_DISPLAY is set. "
              "Run `pointbreak` from a desktop; `pointbreak status` and `pointbreak plan` work "
              "anywhere.", file=sys.stderr)
        return EXIT_REFUSED
    from tray.shell.app import run_tray

    return run_tray(show_welcome=show_welcome)


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _doctor(args: argparse.Namespace) -> int:
    import logging

    from tray.cli.doctor import examine

    logging.basicConfig(level=logging.CRITICAL)  # the report says it all
    report = examine()
    print(report.text())
    return EXIT_REFUSED if report.problems else EXIT_OK


def _autostart(args: argparse.Namespace) -> int:
    from tray.adapters import autostart

    entry = autostart.backend()
    if args.action == "on":
        try:
            where = entry.enable(autostart.launch_command())
        except OSError as error:
            print(f"Start at login could not be turned on: {error}", file=sys.stderr)
            return EXIT_REFUSED
        print(f"Start at login is on ({where}).")
        _tell_tray("reload")  # the running tray's menu shows the change
    elif args.action == "off":
        try:
            entry.disable()
        except OSError as error:
            print(f"Start at login could not be turned off: {error}", file=sys.stderr)
            return EXIT_REFUSED
        print("Start at login is off.")
        _tell_tray("reload")
    else:
        command = entry.command()
        if entry.is_enabled():
            print("Start at login is on: " + " ".join(command or []))
        else:
            print("Start at login is off.")
    return EXIT_OK


def _tray_command(args: argparse.Namespace) -> int:
    payload: dict[str, object] = {}
    if args.command == "snooze":
        payload = {"minutes": args.minutes}
    elif args.command == "pause" and args.duration == "tomorrow":
        payload = {"until": "tomorrow"}
    elif args.command == "pause" and args.duration is not None:
        payload = {"minutes": int(args.duration.total_seconds() // 60)}
    try:
        reply = _ask_tray(args.command, payload)
    except _NoAnswer as error:
        print(error, file=sys.stderr)
        return EXIT_REFUSED
    if reply is None and args.command == "now" and _has_display():
        return _session_alone()  # no tray at all (its lock is free): never a second session
    if reply is None:
        print(f"{APP_NAME} is not running, so there is nothing to {args.command}. "
              "Start it with `pointbreak`.", file=sys.stderr)
        return EXIT_REFUSED
    return _print_reply(reply)


def _session_alone() -> int:
    """`pointbreak now` with no tray: the routine window alone, which records the session."""
    import subprocess

    from tray.ipc import children

    try:
        code = subprocess.run(children.command("routines", ["session"])).returncode
    except OSError as error:
        print(f"The routine window cannot start: {error}", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK if code in (0, 3) else EXIT_REFUSED  # completed, or stopped by the person


def _tell_tray(command: str) -> None:
    """A request whose answer nobody waits for (a tray that does not answer learns later)."""
    with contextlib.suppress(_NoAnswer):
        _ask_tray(command)


class _NoAnswer(Exception):
    """A tray runs but did not answer: busy, starting or quitting (it may still act)."""


def _ask_tray(command: str, payload: dict[str, object] | None = None) -> dict[str, object] | None:
    """The running tray's reply, or None when no tray runs. Raises _NoAnswer when one runs
    but did not answer."""
    from tray.config.paths import folders
    from tray.ipc import control

    try:
        return control.send(folders().runtime, command, payload)
    except control.TrayNotAnswering as error:
        raise _NoAnswer(f"{APP_NAME} is running but did not answer: it may be busy, starting "
                        f"or quitting; try again in a moment. ({error})") from None
    except control.TrayNotRunning:
        return None


def _print_reply(reply: dict[str, object]) -> int:
    if reply.get("ok"):
        message = reply.get("message")
        if message:
            print(message)
        return EXIT_OK
    print(reply.get("error") or reply.get("message") or "The tray refused.", file=sys.stderr)
    return EXIT_REFUSED


def _open_store(profile: Profile) -> Store:
    from tray.store import Store

    return Store(profile.folders.store)


def _tell_notices(store: Store) -> None:
    """What the store met while opening and reading (after the reads: a damaged record is
    found by reading it)."""
    for notice in store.notices:
        print(notice, file=sys.stderr)


def _profile() -> Profile:
    from tray.config.profile import load_profile

    profile = load_profile()
    for problem in profile.problems:
        print(problem, file=sys.stderr)
    return profile


def _status(args: argparse.Namespace) -> int:
    try:
        reply = _ask_tray("status")
    except _NoAnswer as error:
        print(error, file=sys.stderr)
        return EXIT_REFUSED
    if reply is not None:
        return _print_reply(reply)
    from tray.core import engine
    from tray.shell.texts import prompts_line, today_line

    profile = _profile()
    store = _open_store(profile)
    now = datetime.now(UTC)
    today = now.astimezone(profile.zone).date()
    from dataclasses import replace

    from tray.core.model import DayCount, State
    from tray.store import count_day

    records = store.records(today, today)
    state = store.load_state() or State()
    # The records are the truth for today (a session run alone adds to them, not to the
    # state); take the larger of both counts, as the tray does when it starts.
    recorded, kept = count_day(today, records), state.count_for(today)
    today_count = DayCount(today, max(recorded.prompts, kept.prompts),
                           max(recorded.completed, kept.completed))
    state = replace(state, counts=(*(c for c in state.counts if c.day != today), today_count))
    status = engine.status(state, now, profile.rules)
    print(f"{APP_NAME} is not running: no breaks are offered until it starts (`pointbreak`).")
    print(today_line(status))
    print(prompts_line(records, profile.zone))
    sessions = [r for r in records if r.kind is Kind.SESSION]
    if sessions:
        print(f"Sessions started by hand: {len(sessions)}")
    if state.is_paused:
        until = ("until resumed" if state.paused_until is None
                 else f"until {day_and_clock(state.paused_until, now, profile.zone)}")
        print(f"Paused {until}.")
    _tell_notices(store)
    return EXIT_OK


def has_display() -> bool:
    return sys.platform in ("win32", "darwin") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _window(module: str) -> int:
    """Run a window in this process until it is closed (one at a time: a second one brings
    the first to the front)."""
    import importlib

    result: int = importlib.import_module(module).main([])
    return result


def _history(args: argparse.Namespace) -> int:
    from tray.core import history

    if args.window:
        return _window("tray.ui.history_window")
    profile = _profile()
    store = _open_store(profile)
    if args.export is not None:
        everything = store.records(FIRST_DAY, LAST_DAY)
        _tell_notices(store)
        return _export(args.export, everything, profile.zone)
    last = args.until or datetime.now(UTC).astimezone(profile.zone).date()
    first = max(FIRST_DAY, last - timedelta(days=args.days - 1))
    records = store.records(first, last)
    _tell_notices(store)
    days = history.by_day(records, first, last, profile.settings.hours.days)
    if args.csv:
        sys.stdout.write(history.days_csv(days))
        return EXIT_OK
    print("\n".join(history.days_table(days)))
    print()
    print("\n".join(history.summary_lines(days, records, last, profile.zone)))
    return EXIT_OK


def _export(path: Path, records: list[Record], zone: tzinfo) -> int:
    from tray.store.export import export_to

    try:
        export_to(path, records, zone)
    except OSError as error:
        print(f"Cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"{len(records)} records written to {path}")
    return EXIT_OK


def _settings(args: argparse.Namespace) -> int:
    from tray.config import settings as settings_file
    from tray.config.paths import folders
    from tray.core.hours import DAY_NAMES, format_offset

    path = folders().settings
    if args.action is None and has_display():
        return _window("tray.ui.settings_window")
    if args.action == "path":
        print(path)
        return EXIT_OK
    problem = settings_file.ensure_file(path)
    if problem is not None:
        print(problem, file=sys.stderr)
    profile = _profile()
    values = profile.settings
    print(f"# {path}")
    print(f"interval_minutes = {int(values.interval.total_seconds() // 60)}")
    print(f"daily_cap = {values.daily_cap}")
    print(f'active_hours = "{format_offset(values.hours.start)}-{format_offset(values.hours.end)}"')
    print("active_days = " + ", ".join(DAY_NAMES[d] for d in sorted(values.hours.days)))
    print(f'routine = "{profile.routine.id}" ({values.rounds} rounds, '
          f"{_minutes(profile.routine.length(values.rounds))})")
    print(f"sound = {str(values.sound).lower()}")
    print(f"font_scale = {values.font_scale:g}")
    print(f'theme = "{values.theme.value}"')
    print(f'after_sleep = "{values.after_sleep.value}"')
    return EXIT_OK


def _minutes(length: timedelta) -> str:
    seconds = int(length.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d} min"


def _plan(args: argparse.Namespace) -> int:
    from tray.core.hours import format_offset
    from tray.core.plan import Answer, EndReason, plan_day
    from tray.shell.texts import outcome_text

    profile = _profile()
    rules = profile.rules
    day = args.date or datetime.now(UTC).astimezone(profile.zone).date()
    plan = plan_day(day, Answer(args.answer), rules)
    offsets = {p.record.shown_at.astimezone(rules.zone).utcoffset() for p in plan.prompts}
    with_zone = len(offsets) > 1  # a DST change inside the day: name the zone on each line

    def at(instant: datetime) -> str:
        return clock(instant, rules.zone, with_zone=with_zone)

    for number, planned in enumerate(plan.prompts, start=1):
        record = planned.record
        line = f"{at(record.shown_at)}  prompt {number}: {outcome_text(record)}"
        if len(planned.shown) > 1:
            line += " (shown again at " + ", ".join(at(t) for t in planned.shown[1:]) + ")"
        if record.ended_at is not None and record.ended_at != record.shown_at:
            line += f", ends {at(record.ended_at)}"
        print(line)
    hours = rules.hours
    reasons = {
        EndReason.NOT_ACTIVE_DAY: f"No prompts: {day:%A} is not an active day.",
        EndReason.COMPLETED_CAP: f"No more prompts: {rules.daily_cap} routines completed, the "
                                 f"daily cap (the guidance is up to 5 a day).",
        EndReason.PROMPT_CAP: f"No more prompts: the daily cap of {rules.daily_cap} prompts "
                              "is reached.",
        EndReason.END_OF_HOURS: "No more prompts: the next break would come after the end of "
                                f"active hours ({format_offset(hours.end)}).",
    }
    print(reasons[plan.end_reason])
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
