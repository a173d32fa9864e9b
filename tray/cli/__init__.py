"""The `pointbreak` command.

    pointbreak                      start the tray (or ask the running one to show itself)
    pointbreak status | history | settings | plan ...
    pointbreak now | snooze [MIN] | skip | pause [DURATION] | resume | quit

Exit status: 0 done, 1 refused or not possible now, 2 bad command-line use.

This module stays small: `pointbreak` alone goes straight to the tray, whose icon shows before
the command line's parser, the break rules or the store are imported (tray/shell/app.py). Every
other use goes to the parser (parser.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from tray import APP_NAME
from tray.base import i18n
from tray.base.dates import use_locale
from tray.base.exits import Exit
from tray.base.i18n import _


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments in ([], ["--no-welcome"]):  # the tray: its icon first, the rest after it shows
        use_locale()  # the clock in the tooltip and menu (12 or 24 hours), as the commands'
        i18n.use()  # the environment's, until the tray reads its settings
        return start_tray(show_welcome=not arguments)
    from tray.cli import parser

    if arguments[:1] == ["--run-module"] and len(arguments) >= 2:
        return parser.run_module(arguments[1], arguments[2:])
    return parser.run_command_line(arguments)


def main_gui() -> int:
    """The windowless entry point (start at login on Windows): the tray, nothing else."""
    return main([])


def start_tray(show_welcome: bool = True) -> int:
    if not has_display():
        print(_("{app} needs a desktop session: neither DISPLAY nor WAYLAND_DISPLAY is set. "
                "Run `pointbreak` from a desktop; `pointbreak status` and `pointbreak plan` "
                "work anywhere.").format(app=APP_NAME), file=sys.stderr)
        return Exit.REFUSED
    from tray.shell.app import run_tray

    return run_tray(show_welcome=show_welcome)


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
