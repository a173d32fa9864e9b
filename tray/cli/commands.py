"""The bodies of the `pointbreak` commands other than history and plan: starting the tray, the
commands sent to the running tray (now, snooze, skip, pause, resume, quit), status, settings,
autostart and doctor, and the helpers they share (the profile, the store, opening a window)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tray import APP_NAME
from tray.base.dates import day_and_clock
from tray.base.exits import Exit
from tray.base.i18n import _, ngettext
from tray.cli import has_display
from tray.core.model import Kind
from tray.ipc.commands import Command, Reply, Request

if TYPE_CHECKING:
    from tray.config.profile import Profile
    from tray.store import Store


def run_doctor(args: argparse.Namespace) -> int:
    import logging

    from tray.cli.doctor import examine

    logging.basicConfig(level=logging.CRITICAL)  # the report says it all
    report = examine()
    print(report.text())
    return Exit.REFUSED if report.problems else Exit.OK


def run_autostart(args: argparse.Namespace) -> int:
    from tray.adapters import autostart
    entry = autostart.backend()
    if args.action == "on":
        try:
            where = autostart.turn(True)
        except OSError as error:
            print(_("Start at login could not be turned on: {error}").format(error=error),
                  file=sys.stderr)
            return Exit.REFUSED
        print(_("Start at login is on ({where}).").format(where=where))
        _tell_tray(Command.RELOAD)  # the running tray's menu shows the change
    elif args.action == "off":
        try:
            autostart.turn(False)
        except OSError as error:
            print(_("Start at login could not be turned off: {error}").format(error=error),
                  file=sys.stderr)
            return Exit.REFUSED
        print(_("Start at login is off."))
        _tell_tray(Command.RELOAD)
    else:
        command = entry.command()
        if entry.is_enabled():
            print(_("Start at login is on: {command}").format(command=" ".join(command or [])))
        else:
            print(_("Start at login is off."))
    return Exit.OK


def run_tray_command(args: argparse.Namespace) -> int:
    try:
        reply = _ask_tray(Request(Command(args.command), args.command_args))
    except _NoAnswer as error:
        print(error, file=sys.stderr)
        return Exit.REFUSED
    if reply is None and args.command == Command.NOW and has_display():
        return _session_alone()  # no tray at all (its lock is free): never a second session
    if reply is None:
        # TRANSLATORS: {command} is the command as typed: snooze, skip, pause, resume, quit.
        print(_("{app} is not running, so there is nothing to {command}. Start it with "
                "`pointbreak`.").format(app=APP_NAME, command=args.command), file=sys.stderr)
        return Exit.REFUSED
    return _print_reply(reply)


def _session_alone() -> int:
    """`pointbreak now` with no tray: the routine window alone, which records the session."""
    import subprocess

    from tray.ipc import children

    try:
        code = subprocess.run(children.command("routines", ["session"])).returncode
    except OSError as error:
        print(_("The routine window cannot start: {error}").format(error=error),
              file=sys.stderr)
        return Exit.REFUSED
    return Exit.OK if code in (0, 3) else Exit.REFUSED  # completed, or stopped by the person


def _tell_tray(command: Command) -> None:
    """A request whose answer nobody waits for (a tray that does not answer learns later)."""
    with contextlib.suppress(_NoAnswer):
        _ask_tray(Request(command))


class _NoAnswer(Exception):
    """A tray runs but did not answer: busy, starting or quitting (it may still act)."""


def _ask_tray(request: Request) -> Reply | None:
    """The running tray's reply, or None when no tray runs. Raises _NoAnswer when one runs
    but did not answer."""
    from tray.config.paths import folders
    from tray.ipc import client, protocol

    try:
        return client.ask(folders().runtime, request)
    except protocol.TrayNotAnswering as error:
        raise _NoAnswer(_("{app} is running but did not answer: it may be busy, starting or "
                          "quitting; try again in a moment. ({error})").format(
                              app=APP_NAME, error=error)) from None
    except protocol.TrayNotRunning:
        return None


def _print_reply(reply: Reply) -> int:
    if reply.is_ok:
        if reply.text:
            print(reply.text)
        return Exit.OK
    print(reply.text, file=sys.stderr)
    return Exit.REFUSED


def open_store(profile: Profile) -> Store:
    from tray.store import Store

    return Store(profile.folders.store)


def tell_notices(store: Store) -> None:
    """What the store met while opening and reading (after the reads: a damaged record is
    found by reading it)."""
    for notice in store.notices:
        print(notice, file=sys.stderr)


def read_profile() -> Profile:
    from tray.config.profile import load_profile

    profile = load_profile()  # switches to the file's language: it wins over the environment
    for problem in profile.problems:
        print(problem, file=sys.stderr)
    return profile


def run_status(args: argparse.Namespace) -> int:
    try:
        reply = _ask_tray(Request(Command.STATUS))
    except _NoAnswer as error:
        print(error, file=sys.stderr)
        return Exit.REFUSED
    if reply is not None:
        return _print_reply(reply)
    from tray.core import engine
    from tray.shell.texts import prompts_line, today_line

    profile = read_profile()
    store = open_store(profile)
    now = datetime.now(UTC)
    today = now.astimezone(profile.zone).date()
    from tray.core.model import State
    from tray.store import count_day

    records = store.records(today, today)
    state = engine.with_recorded(store.load_state() or State(), [count_day(today, records)])
    status = engine.status(state, now, profile.rules)
    print(_("{app} is not running: no breaks are offered until it starts (`pointbreak`).")
          .format(app=APP_NAME))
    print(today_line(status))
    print(prompts_line(records, profile.zone))
    sessions = [r for r in records if r.kind is Kind.SESSION]
    if sessions:
        print(_("Sessions started by hand: {n}").format(n=len(sessions)))
    if state.is_paused and state.paused_until is None:
        print(_("Paused until resumed."))
    elif state.is_paused and state.paused_until is not None:
        print(day_and_clock(state.paused_until, now, profile.zone,
                            today=_("Paused until {time}."),
                            this_week=_("Paused until {weekday} {time}."),
                            later=_("Paused until {date} {time}.")))
    tell_notices(store)
    return Exit.OK


def open_window(module: str) -> int:
    """Run a window in this process until it is closed (one at a time: a second one brings
    the first to the front)."""
    import importlib

    result: int = importlib.import_module(module).main([])
    return result


def run_settings(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from tray.config import schema
    from tray.config import settings as settings_file
    from tray.config.paths import folders

    path = folders().settings
    if args.action is None and has_display():
        return open_window("tray.ui.settings_window")
    if args.action == "path":
        print(path)
        return Exit.OK
    problem = settings_file.ensure_file(path)
    if problem is not None:
        print(problem, file=sys.stderr)
    profile = read_profile()
    values = replace(profile.settings, routine=profile.routine.id)  # the routine in use
    # TRANSLATORS: a comment line above the listing of the settings file (TOML).
    print("# " + _("{path}: every setting in use, with what may be given").format(path=path))
    print("\n".join(schema.listing(values)))
    print("\n# " + ngettext('The routine "{name}": {n} round, {length}',
                            'The routine "{name}": {n} rounds, {length}', values.rounds).format(
        name=profile.routine.id, n=values.rounds,
        length=_minutes(profile.routine.length(values.rounds))))
    return Exit.OK


def _minutes(length: timedelta) -> str:
    seconds = int(length.total_seconds())
    # TRANSLATORS: a length of minutes and seconds, 6:30 min.
    return _("{minutes}:{seconds} min").format(minutes=seconds // 60,
                                              seconds=f"{seconds % 60:02d}")
