"""The exit statuses of `pointbreak` and of the tray, one list for all of them. (The routine
window's own statuses, which tell the tray how a session ended, are in routines/options.py.)"""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    REFUSED = 1   # the command could not do what was asked, and said why
    USAGE = 2     # bad command-line use (argparse's own status)
    CRASHED = 70  # EX_SOFTWARE: an unexpected error ended the tray, and it was told
