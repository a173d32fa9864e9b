"""The `pointbreak` command line: its parser (in the language shown) and the commands run from
it. `tray.cli.main` comes here for everything but starting the tray.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from tray import APP_NAME, __version__
from tray.base import guard, i18n
from tray.base.dates import use_locale
from tray.base.exits import Exit
from tray.base.i18n import _
from tray.cli.argparse_words import VERSION_HELP, translate_argparse
from tray.core.codec import FIRST_DAY, LAST_DAY, in_range
from tray.ipc.commands import COMMANDS, NO_ARGS, BadArgument, Command, shown, whole_number

T = TypeVar("T")

WINDOW_MODULES = ("routines", "tray.ui.panel", "tray.ui.settings_window", "tray.ui.history_window")
# The commands sent to the running tray, with nothing to do without one.
TRAY_COMMANDS = tuple(c for c, spec in COMMANDS.items() if spec.help and spec.needs_tray)


def _checked(parse: Callable[[str], T]) -> Callable[[str], T]:
    """A parse that says what is allowed (BadArgument) as argparse's own message: exit 2."""
    def check(text: str) -> T:
        try:
            return parse(text)
        except BadArgument as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return check


def iso_day(text: str) -> date:
    day = None
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(text)
    if day is None:
        # TRANSLATORS: YYYY-MM-DD shows how a date is typed (2026-12-24): year, month, day.
        raise argparse.ArgumentTypeError(_("a date is YYYY-MM-DD, got {value}").format(
            value=shown(text)))
    if not in_range(day):
        raise argparse.ArgumentTypeError(_("a date is from {first} to {last}, got {value}")
                                         .format(first=FIRST_DAY, last=LAST_DAY,
                                                 value=shown(text)))
    return day


def export_path(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in (".csv", ".json"):
        raise argparse.ArgumentTypeError(
            _("the export file's name must end in .csv or .json, got {value}").format(
                value=shown(text)))
    return path


def day_count(text: str) -> int:
    return _checked(lambda t: whole_number(t, 1, 400, "--days"))(text)


def _add_command(commands: Any, command: Command) -> None:
    """A subcommand of the command table (tray.ipc.commands), with its help and argument."""
    spec = COMMANDS[command]
    parser = commands.add_parser(command.value, help=_(spec.help) if spec.help else None)
    argument = spec.argument
    if argument is None:
        parser.set_defaults(command_args=NO_ARGS)
    else:
        parser.add_argument("command_args", metavar=_(argument.name), nargs="?",
                            type=_checked(argument.parse), default=argument.default,
                            help=argument.help_text())


class _Parser(argparse.ArgumentParser):
    """argparse, with the arguments it repeats in its own messages ("invalid choice: ...",
    "unrecognized arguments: ...") cut when long; still exit status 2."""

    def error(self, message: str) -> NoReturn:
        shortened = re.sub(r"[^\s']{100,}", lambda m: guard.shorten(m.group()), message)
        super().error(shortened[:2000])


def build_parser() -> argparse.ArgumentParser:
    """The command line, in the language shown now (build it after tray.base.i18n.use)."""
    translate_argparse()
    parser = _Parser(
        prog="pointbreak",
        description=_("Short posture breaks, a few times a day, from the system tray. "
                      "With no command, starts the tray."))
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help=_(VERSION_HELP))
    parser.add_argument("--no-welcome", action="store_true",
                        help=_("start without the first-run welcome (for scripted installs)"))
    # TRANSLATORS: in --help, where the command's name goes (status, history, ...).
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    _add_command(commands, Command.STATUS)
    history = commands.add_parser("history", help=_("prompts and routines of the last days"))
    # TRANSLATORS: in --help, the value of --days (a number of days).
    history.add_argument("--days", type=day_count, default=7, metavar=_("DAYS"),
                         help=_("how many days (1-400)"))
    # TRANSLATORS: shows how a date is typed (2026-12-24): year, month, day.
    history.add_argument("--until", type=iso_day, default=None, metavar=_("YYYY-MM-DD"),
                         help=_("the last day shown (default: today)"))
    shape = history.add_mutually_exclusive_group()
    shape.add_argument("--csv", action="store_true",
                       help=_("the same numbers as CSV, one row per day, for a spreadsheet"))
    shape.add_argument("--window", action="store_true",
                       help=_("open the history window, with charts"))
    # TRANSLATORS: in --help, the value of --export (a file's name); the help after it names it.
    file = _("FILE")
    shape.add_argument("--export", type=export_path, metavar=file,
                       help=_("every prompt and session ever recorded, with its outcome, to "
                              "{file} (.csv or .json)").format(file=file))
    settings = commands.add_parser("settings", help=_(
        "the settings window (with a display), where the file is, or what it says"))
    settings_actions = ("path", "show")
    settings.add_argument("action", nargs="?", choices=settings_actions, default=None,
                          metavar=_one_of(settings_actions),
                          # TRANSLATORS: path and show are typed as they are (the actions).
                          help=_("path: where the file is; show: what it says (the default "
                                 "without a display)"))
    plan = commands.add_parser(
        "plan", help=_("the prompts a day would bring under the current settings"))
    # TRANSLATORS: in --help, the value of --date.
    plan.add_argument("--date", type=iso_day, default=None, metavar=_("DATE"),
                      # TRANSLATORS: shows how a date is typed (2026-12-24): year, month, day.
                      help=_("YYYY-MM-DD (default: today)"))
    plan.add_argument("--answer", choices=("completed", "skipped", "snoozed", "ignored"),
                      default="completed", help=_("how every prompt is answered"))
    for command in TRAY_COMMANDS:
        _add_command(commands, command)
    commands.add_parser("doctor", help=_("what is set up, what is wrong, and how to fix it"))
    autostart = commands.add_parser("autostart", help=_("start Pointbreak when you log in"))
    actions = ("on", "off", "status")
    autostart.add_argument("action", choices=actions, metavar=_one_of(actions))
    return parser


def _one_of(choices: Sequence[str]) -> str:
    """A positional argument's choices as usage shows them, "{on,off,status}": also its name
    in argparse's errors (else the English "action" of `dest`)."""
    return "{" + ",".join(choices) + "}"


def _language_setting() -> str:
    """The settings file's language, read before the command line is parsed, so --help and a
    usage error speak it too ("auto" when the file has none or cannot be read: read_profile
    says why, where the command reads its profile)."""
    from tray.config import settings as settings_file
    from tray.config.paths import folders

    try:
        settings, _problems = settings_file.load(folders().settings)
    except Exception:  # never a reason not to run the command: the environment's language
        return "auto"
    return settings.language.value


def run_command_line(arguments: list[str]) -> int:
    """A command (anything but starting the tray): parsed, run, its exit status."""
    use_locale()
    i18n.use(_language_setting())  # the setting, or for "auto" the environment's language
    args = build_parser().parse_args(arguments)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `pointbreak history | head`
        return Exit.OK


def run_module(module: str, arguments: list[str]) -> int:
    """A frozen build runs its window processes as `Pointbreak --run-module routines ...`
    (tray.ipc.children.command): the same code as `python -m routines ...`."""
    import runpy

    if module not in WINDOW_MODULES:
        i18n.use()
        print(_("--run-module takes {modules}, not {module}").format(
            modules=", ".join(WINDOW_MODULES), module=repr(module)), file=sys.stderr)
        return Exit.USAGE
    sys.argv = [module, *arguments]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else Exit.OK
    return Exit.OK


def _run(args: argparse.Namespace) -> int:
    from tray.cli.commands import (
        run_autostart,
        run_doctor,
        run_settings,
        run_status,
        run_tray_command,
    )
    from tray.cli.history_cmd import run_history, run_plan

    if args.command is None:
        from tray.cli import start_tray

        return start_tray(show_welcome=not args.no_welcome)
    if args.command in TRAY_COMMANDS:
        return run_tray_command(args)
    return {"status": run_status, "history": run_history, "settings": run_settings,
            "plan": run_plan, "autostart": run_autostart, "doctor": run_doctor}[args.command](args)

