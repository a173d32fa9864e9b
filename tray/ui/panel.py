"""The control window: every action of the tray menu, for desktops where the tray has no menu
(pystray's xorg backend) or shows no icon at all. Its own process (`python -m tray.ui.panel`); it
talks to the running tray over the control channel like `pointbreak` does.
"""

from __future__ import annotations

import sys
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any

from tray.base import testhooks
from tray.base.i18n import N_, _
from tray.base.words import duration, pause_label
from tray.config.paths import folders
from tray.config.welcome import mark_welcomed
from tray.core.choices import PAUSE_CHOICES, SNOOZE_MINUTES, Snooze
from tray.ipc import client, protocol
from tray.ipc.children import open_window
from tray.ipc.commands import Command, Reply, Request
from tray.ui.single import language_setting, listen_for_raise, open_root, raise_on_request

# First thing on import, before Tk loads: a raise request that came early must not kill us.
listen_for_raise()

REFRESH_MS = 30_000
WELCOME = N_("Welcome to Pointbreak")
NOT_ADVICE = N_("Pointbreak is not medical advice. If your back pain is significant, see a "
                "doctor soon.")


def actions() -> list[tuple[str, list[tuple[str, Request]]]]:
    """The buttons, under their headings, in the language shown."""
    return [
        ("", [(_("Start a session now"), Request(Command.NOW))]),
        (_("Snooze"), [(duration(m), Request(Command.SNOOZE, Snooze(m))) for m in SNOOZE_MINUTES]),
        ("", [(_("Skip next break"), Request(Command.SKIP))]),
        (_("Pause"), [(pause_label(p), Request(Command.PAUSE, p)) for p in PAUSE_CHOICES]),
        ("", [(_("Resume"), Request(Command.RESUME))]),
    ]


def _on_key(action: Callable[[], None]) -> Callable[[Any], None]:
    return lambda _event: action()


class Panel:
    def __init__(self, root: tk.Tk, send: Callable[[Request], Reply]):
        self.root = root
        self.send = send
        root.title("Pointbreak")  # the name alone, in every language
        root.resizable(False, False)
        root.bind("<Escape>", lambda _e: root.destroy())
        frame = ttk.Frame(root, padding=14)
        frame.pack(fill="both", expand=True)
        self.status = tk.StringVar(value="…")
        ttk.Label(frame, textvariable=self.status, justify="left", wraplength=380).pack(
            anchor="w", pady=(0, 10))
        first: ttk.Button | None = None
        rows = actions()
        # The headings' column fits the longest in the language shown ("Aufschieben:").
        heading_width = max(len(heading) for heading, _buttons in rows if heading) + 2
        for heading, buttons in rows:
            row = ttk.Frame(frame)
            row.pack(fill="x", pady=2)
            if heading:
                # TRANSLATORS: a heading before its buttons in the control window: "Snooze:".
                ttk.Label(row, text=_("{heading}:").format(heading=heading),
                          width=heading_width).pack(
                    side="left")
            for label, request in buttons:
                action = self._doer(request)
                button = ttk.Button(row, text=label, command=action)
                button.bind("<Return>", _on_key(action))
                button.pack(side="left", padx=(0, 4))
                first = first or button
        self.message = tk.StringVar(value="")
        ttk.Label(frame, textvariable=self.message, foreground="#444").pack(anchor="w", pady=6)
        row = ttk.Frame(frame)
        row.pack(fill="x")
        ttk.Button(row, text=_("Settings…"),
                   command=lambda: open_window("tray.ui.settings_window")).pack(
            side="left")
        ttk.Button(row, text=_("History…"),
                   command=lambda: open_window("tray.ui.history_window")).pack(
            side="left", padx=4)
        ttk.Button(row, text=_("Quit Pointbreak"), command=self._quit).pack(side="right")
        ttk.Button(row, text=_("Close"), command=root.destroy).pack(side="right", padx=4)
        if first is not None:
            first.focus_set()
        self.refresh()

    def _doer(self, request: Request) -> Callable[[], None]:
        return lambda: self.act(request)

    def act(self, request: Request) -> None:
        self.message.set(self._send(request).text)
        self.refresh(reschedule=False)

    def _send(self, request: Request) -> Reply:
        try:
            return self.send(request)
        except protocol.TrayNotRunning:
            return Reply.refused(_("Pointbreak is not running. Start it with `pointbreak`."))

    def refresh(self, reschedule: bool = True) -> None:
        self.status.set(self._send(Request(Command.STATUS)).text)
        if reschedule:
            self.root.after(REFRESH_MS, self.refresh)

    def _quit(self) -> None:
        self._send(Request(Command.QUIT))
        self.root.destroy()


def about(root: tk.Tk) -> None:
    """About Pointbreak: the version, the safety note, where data is kept."""
    from tray import __version__

    where = folders()
    root.title(_("About Pointbreak"))
    frame = ttk.Frame(root, padding=16)
    frame.pack(fill="both", expand=True)
    ttk.Label(frame, text=f"Pointbreak {__version__}", font=("TkDefaultFont", 14, "bold")).pack(
        anchor="w")  # the name and the version, in every language
    text = "\n\n".join((
        _("Short posture breaks with hands-only acupressure for the upper back, up to five "
          "times a day."),
        _(NOT_ADVICE),
        # TRANSLATORS: where Pointbreak keeps its files, one path a line.
        _("Settings: {settings}\nHistory: {history}\nLog: {log}").format(
            settings=where.settings, history=where.store, log=where.log)))
    ttk.Label(frame, text=text, wraplength=420, justify="left").pack(anchor="w", pady=8)
    close = ttk.Button(frame, text=_("Close"), command=root.destroy)
    close.pack(anchor="e")
    close.focus_set()
    root.bind("<Escape>", lambda _e: root.destroy())
    root.bind("<Return>", lambda _e: root.destroy())


def welcome(root: tk.Tk) -> None:
    """The first run: what Pointbreak does, the safety note, and start at login (Yes first)."""
    from tray.adapters import autostart

    where = folders()
    root.title(_(WELCOME))
    frame = ttk.Frame(root, padding=18)
    frame.pack(fill="both", expand=True)
    ttk.Label(frame, text=_(WELCOME), font=("TkDefaultFont", 14, "bold")).pack(anchor="w")
    text = "\n\n".join((
        _("A few times a day, when you have worked for a while, Pointbreak offers a short "
          "break: a few minutes of firm fingertip pressure on the sore spot of your upper "
          "back, one step at a time. Never more than five prompts a day; snooze, skip and "
          "pause are one click away in the tray icon."), _(NOT_ADVICE)))
    ttk.Label(frame, text=text, wraplength=440, justify="left").pack(anchor="w", pady=10)
    ttk.Label(frame, text=_("Start Pointbreak when you log in?"),
              font=("TkDefaultFont", 11, "bold")).pack(anchor="w")
    ttk.Label(frame, text=_("You can change this later in the tray menu (Start at login) or "
                            "with `pointbreak autostart on|off`."), wraplength=440,
              justify="left").pack(anchor="w", pady=(2, 10))

    def answer(start_at_login: bool) -> None:
        if start_at_login:
            try:
                autostart.turn(True)
            except OSError as error:
                print(_("Start at login could not be turned on: {why}").format(why=error),
                      file=sys.stderr)
        mark_welcomed(where.config, start_at_login)
        root.destroy()

    row = ttk.Frame(frame)
    row.pack(anchor="e")
    # TRANSLATORS: the answers to "Start Pointbreak when you log in?".
    yes = ttk.Button(row, text=_("Yes"), command=lambda: answer(True))
    no = ttk.Button(row, text=_("No"), command=lambda: answer(False))
    no.pack(side="right")
    yes.pack(side="right", padx=6)

    def chooser(choice: bool) -> Callable[[], None]:
        return lambda: answer(choice)

    yes.bind("<Return>", _on_key(chooser(True)))
    no.bind("<Return>", _on_key(chooser(False)))
    yes.focus_set()  # Yes is preselected
    root.protocol("WM_DELETE_WINDOW", lambda: answer(False))
    root.bind("<Escape>", lambda _e: answer(False))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    where = folders()
    root = open_root(language_setting(where))
    if root is None:
        return 1
    if "--about" in argv:
        about(root)
        name = "about"
    elif "--welcome" in argv:
        welcome(root)
        name = "welcome"
    else:
        Panel(root, lambda request: client.ask(where.runtime, request))
        name = "panel"
    testhooks.record_texts(root, name)
    raise_on_request(root)
    root.update_idletasks()
    x = (root.winfo_screenwidth() - root.winfo_reqwidth()) // 2
    y = (root.winfo_screenheight() - root.winfo_reqheight()) // 3
    root.geometry(f"+{x}+{y}")
    root.lift()
    root.attributes("-topmost", True)
    root.after(500, lambda: root.attributes("-topmost", False))
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
