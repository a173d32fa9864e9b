"""The menu's doors: the settings, history and About windows (each a process of its own,
keeping itself to one at a time), the settings file in an editor when there is no Tk, and the
start-at-login switch. Called on pystray's thread; `tell` says what went wrong."""

from __future__ import annotations

import importlib.util
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tray.ipc.children import open_window

log = logging.getLogger(__name__)

SETTINGS_WINDOW = "tray.ui.settings_window"
HISTORY_WINDOW = "tray.ui.history_window"
PANEL = "tray.ui.panel"


def open_settings(path: Path, tell: Callable[[str], None]) -> None:
    if importlib.util.find_spec("tkinter") is None or not open_window(SETTINGS_WINDOW):
        open_settings_file(path, tell)


def open_settings_file(path: Path, tell: Callable[[str], None]) -> None:
    """Without a settings window (no Tk), the file in the person's text editor."""
    opener = {"win32": None, "darwin": ["open", "-t"]}.get(sys.platform, ["xdg-open"])
    try:
        if opener is None:
            os.startfile(path)  # type: ignore[attr-defined]
        else:
            subprocess.Popen([*opener, str(path)], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as error:
        log.error("cannot open %s: %s", path, error)
        tell(f"Open {path} in a text editor to change the settings.")


def open_history() -> None:
    open_window(HISTORY_WINDOW)


def open_about() -> None:
    open_window(PANEL, ["--about"])


def toggle_autostart(tell: Callable[[str], None]) -> None:
    from tray.adapters import autostart

    try:
        autostart.turn(not autostart.backend().is_enabled())
    except OSError as error:
        log.error("cannot change start at login: %s", error)
        tell(f"Start at login could not be changed: {error}")
