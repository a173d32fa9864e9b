"""The settings window's do-not-disturb checkboxes come from the quiet port's capabilities: a
real Tk form on the test display, with the port answering as it would on each system."""

from __future__ import annotations

import tkinter as tk

import pytest

from tray.adapters import quiet
from tray.config.paths import folders

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_the_checkboxes_say_what_the_port_can_see(platform, desktop, profile,
                                                  monkeypatch) -> None:
    from tray.ui.settings_window import SettingsWindow

    for name, value in desktop.env.items():
        monkeypatch.setenv(name, value)
    can = quiet.capabilities(platform)
    monkeypatch.setattr(quiet, "capabilities", lambda: can)
    root = tk.Tk()
    try:
        window = SettingsWindow(root, folders(), send=lambda _command: {"ok": True})
        root.update()
        for name, text in (("fullscreen", "a window is fullscreen"),
                           ("system", "the desktop's do not disturb is on"),
                           ("calls", "the microphone or camera is in use")):
            box = window.widgets[("do_not_disturb", name)]
            detection = getattr(can, name)
            assert box.cget("text") == detection.label(text)
            assert ("disabled" in box.state()) is not detection.can_detect
    finally:
        root.destroy()
