"""The prompt card (a minimal first version; the guided routine window replaces its second half).

Runs in its own process (`python -m routines card`). Reports to the tray over the pipe it was
handed, one JSON object a line:
    {"event": "started"}                    Start was pressed
    {"snooze": 10}                          snoozed for 10 minutes (the card closes)
    {"outcome": "completed"}                or skipped, ignored, stopped_early (+ "step")
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import IO, Any

from tray.children import send_report

SNOOZE_CHOICES = (5, 10, 30)


class Card:
    def __init__(self, root: tk.Tk, report: IO[str] | None, *, title: str, length_text: str,
                 steps: list[str], can_snooze: bool, timeout_ms: int, start: bool) -> None:
        self.root = root
        self.report = report
        self.steps = steps
        self.can_snooze = can_snooze
        self.is_done = False
        root.title("Pointbreak")
        root.attributes("-topmost", True)
        root.resizable(False, False)
        root.protocol("WM_DELETE_WINDOW", self.escape)
        root.bind("<Escape>", lambda _e: self.escape())
        self.frame = ttk.Frame(root, padding=16)
        self.frame.pack(fill="both", expand=True)
        self.title = title
        self.length_text = length_text
        self._timer = root.after(timeout_ms, lambda: self.finish({"outcome": "ignored"}))
        if start:
            self.show_routine()
        else:
            self.show_card()
        root.update_idletasks()
        width, height = root.winfo_reqwidth(), root.winfo_reqheight()
        x = (root.winfo_screenwidth() - width) // 2
        y = (root.winfo_screenheight() - height) // 3
        root.geometry(f"+{x}+{y}")

    def _clear(self) -> None:
        for child in self.frame.winfo_children():
            child.destroy()

    def _button(self, parent: tk.Widget, text: str, action: Callable[[], None]) -> ttk.Button:
        button = ttk.Button(parent, text=text, command=action)
        button.bind("<Return>", lambda _e: action())
        return button

    def show_card(self) -> None:
        self._clear()
        ttk.Label(self.frame, text="Time for a back break",
                  font=("TkDefaultFont", 16, "bold")).pack(anchor="w")
        ttk.Label(self.frame, text=f"{self.title}: {self.length_text}.",
                  wraplength=360).pack(anchor="w", pady=(4, 12))
        row = ttk.Frame(self.frame)
        row.pack(fill="x")
        start = self._button(row, "Start", self.start)
        start.pack(side="left")
        if self.can_snooze:
            ttk.Label(row, text="  Snooze:").pack(side="left")
            for minutes in SNOOZE_CHOICES:
                self._button(row, f"{minutes} min", self._snoozer(minutes)).pack(side="left")
        self._button(row, "Skip", lambda: self.finish({"outcome": "skipped"})).pack(
            side="left", padx=(8, 0))
        start.focus_set()

    def _snoozer(self, minutes: int) -> Callable[[], None]:
        return lambda: self.finish({"snooze": minutes})

    def start(self) -> None:
        send_report(self.report, {"event": "started"})
        self.show_routine()

    def show_routine(self) -> None:
        self._clear()
        ttk.Label(self.frame, text=self.title, font=("TkDefaultFont", 16, "bold")).pack(
            anchor="w")
        for number, text in enumerate(self.steps, start=1):
            ttk.Label(self.frame, text=f"{number}. {text}", wraplength=420).pack(anchor="w")
        row = ttk.Frame(self.frame)
        row.pack(fill="x", pady=(12, 0))
        done = self._button(row, "Done", lambda: self.finish({"outcome": "completed"}))
        done.pack(side="left")
        self._button(row, "Stop", lambda: self.finish(
            {"outcome": "stopped_early", "step": 1})).pack(side="left", padx=(8, 0))
        done.focus_set()

    def escape(self) -> None:
        if self.can_snooze:
            self.finish({"snooze": 10})
        else:
            self.finish({"outcome": "skipped"})

    def finish(self, report: dict[str, Any]) -> None:
        if self.is_done:
            return
        self.is_done = True
        self.root.after_cancel(self._timer)
        send_report(self.report, report)
        self.root.destroy()
