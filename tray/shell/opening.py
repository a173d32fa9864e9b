"""The menu's doors: the settings, history and About windows (each a process of its own,
keeping itself to one at a time), the settings file in an editor when there is no Tk, and the
start-at-login switch. Called on pystray's thread; `tell` says what went wrong. And a second
start's door: the running tray's control window."""

from __future__ import annotations

import importlib.util
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tray import APP_NAME
from tray.base.exits import Exit
from tray.base.i18n import _
from tray.ipc import client, protocol
from tray.ipc.children import open_window
from tray.ipc.commands import Command, Request

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
        tell(_("Open {path} in a text editor to change the settings.").format(path=path))


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
        tell(_("Start at login could not be changed: {error}").format(error=error))


def show_the_running_one(runtime: Path) -> int:
    """A second start: ask the first to show itself, and leave."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if client.ask(runtime, Request(Command.SHOW), timeout=3).is_ok:
                print(_("{app} is already running; its control window is open.").format(
                    app=APP_NAME))
                return Exit.OK
        except protocol.TrayNotRunning:
            pass
        time.sleep(0.1)  # the first one is still starting up
    print(_("{app} is already starting.").format(app=APP_NAME))
    return Exit.OK
