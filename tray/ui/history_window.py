"""The history window: today at a glance, the last 4 weeks (or any range) as a chart, the streak,
the time of day breaks are most often taken; export, and delete (its own process,
`python -m tray.ui.history_window`; one at a time).

It only reads the store. Deleting goes through the running tray (`forget` on the control
channel), which stays the only writer of the store; without a tray the window deletes itself,
under the store's lock.
"""

from __future__ import annotations

import sys
import tkinter as tk
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from tkinter import filedialog, messagebox, ttk

from tray.base import words
from tray.config.paths import Folders
from tray.core import history
from tray.ipc import client, protocol
from tray.ipc.commands import Command, Reply, Request
from tray.store.export import export_to
from tray.ui import chart
from tray.ui.single import listen_for_raise, run_window

listen_for_raise()

RANGES = (("4 weeks", 28, "w"), ("3 months", 91, "m"), ("A year", 365, "y"))  # Alt+letter
BY_WEEK_AFTER_DAYS = 62  # longer ranges are drawn a bar per week
CHART_W, CHART_H, HOURS_H = 700, 240, 80
MAX_SCALE = 1.25


class HistoryWindow:
    def __init__(self, root: tk.Tk, where: Folders,
                 send: Callable[[Request], Reply] | None = None,
                 today: date | None = None) -> None:
        from tray.config.profile import load_profile
        from tray.ui import look

        self.root = root
        self.where = where
        self.send = send or (lambda request: client.ask(where.runtime, request))
        profile = load_profile()
        self.zone = profile.zone
        self.cap = profile.settings.daily_cap
        self.active_days = profile.settings.hours.days
        self.today = today or datetime.now(UTC).astimezone(self.zone).date()
        scale = min(profile.settings.font_scale, MAX_SCALE)
        self.colours, self.fonts = look.apply(root, profile.settings.theme.value, scale)
        self.scale = scale * look.dpi_scale(root)
        root.title("Pointbreak history")
        root.resizable(False, False)
        self._read()
        outer = ttk.Frame(root, padding=14)
        outer.pack(fill="both", expand=True)
        self._today_row(outer)
        self._range_row(outer)
        size = (round(CHART_W * self.scale), round(CHART_H * self.scale))
        self.canvas = tk.Canvas(outer, width=size[0], height=size[1], highlightthickness=0,
                                background=self.colours["bg"])
        self.canvas.pack(anchor="w", pady=(6, 0))
        self.key = tk.Canvas(outer, width=size[0], height=round(40 * self.scale),
                             highlightthickness=0, background=self.colours["bg"])
        self.key.pack(anchor="w")
        used = chart.legend(self.key, width=size[0], scale=self.scale, colours=self.colours,
                            small=self.fonts["small"])
        self.key.configure(height=used)
        self.summary = tk.StringVar()
        ttk.Label(outer, textvariable=self.summary, wraplength=size[0], justify="left").pack(
            anchor="w", pady=(6, 6))
        self.hours_title = tk.StringVar()
        ttk.Label(outer, textvariable=self.hours_title, style="Muted.TLabel").pack(anchor="w")
        self.hours = tk.Canvas(outer, width=size[0], height=round(HOURS_H * self.scale),
                               highlightthickness=0, background=self.colours["bg"])
        self.hours.pack(anchor="w")
        self._buttons(outer)
        self.show_range(28)
        root.bind("<Escape>", lambda _e: root.destroy())

    # --- reading -----------------------------------------------------------------------------

    def _read(self) -> None:
        from tray.store import Store

        store = Store(self.where.store)
        self.records = store.records(date.min, self.today)
        self.aside = store.aside()
        self.store_notices = store.notices

    # --- parts -------------------------------------------------------------------------------

    def _today_row(self, parent: ttk.Frame) -> None:
        self.today_text, self.facts = tk.StringVar(), tk.StringVar()
        self.streak_text, self.longest_text = tk.StringVar(), tk.StringVar()
        row = ttk.Frame(parent)
        row.pack(fill="x")
        ttk.Label(row, textvariable=self.today_text, style="Big.TLabel").pack(side="left")
        ttk.Label(row, textvariable=self.facts, justify="left").pack(side="left", padx=(18, 0))
        block = ttk.Frame(row)
        block.pack(side="right")
        ttk.Label(block, textvariable=self.streak_text, style="Title.TLabel").pack(anchor="e")
        ttk.Label(block, textvariable=self.longest_text, style="Muted.TLabel").pack(anchor="e")
        self._show_today()

    def _days_up_to(self, last: date) -> list[history.Day]:
        """The days a streak ending at `last` can reach back over (the store keeps 400)."""
        return history.by_day(self.records, last - timedelta(days=399), last, self.active_days)

    def _show_today(self) -> None:
        today = history.by_day(self.records, self.today, self.today, self.active_days)[0]
        self.today_text.set(f"Today: {today.routines} of {self.cap}")
        self.facts.set(f"Prompts shown today: {today.prompt_count}\n{self._next_break()}")
        days = self._days_up_to(self.today)
        streak = history.streak(days, self.today)
        self.streak_text.set(f"Streak: {streak} day{'s' if streak != 1 else ''}")
        self.longest_text.set(f"longest: {history.longest_streak(days)} · active days in a "
                              "row with a routine")

    def _next_break(self) -> str:
        try:
            reply = self.send(Request(Command.STATUS))
        except protocol.TrayNotAnswering:
            return "Pointbreak did not answer"
        except protocol.TrayNotRunning:
            return "Pointbreak is not running"
        text = reply.text if reply.is_ok else ""
        return text.splitlines()[0] if text else "Pointbreak is starting"

    def _range_row(self, parent: ttk.Frame) -> None:
        row = ttk.Frame(parent)
        row.pack(fill="x", pady=(12, 0))
        self.range = tk.IntVar(value=28)
        for text, days, key in RANGES:
            ttk.Radiobutton(row, text=text, value=days, variable=self.range, underline=text.index(
                key), command=self._shower(days)).pack(side="left", padx=(0, 10))
            self.root.bind(f"<Alt-{key}>", self._shower(days))
        ttk.Label(row, text="From").pack(side="left", padx=(12, 4))
        self.first = tk.StringVar()
        self.last = tk.StringVar(value=self.today.isoformat())
        ttk.Entry(row, textvariable=self.first, width=11, font=self.fonts["body"]).pack(
            side="left")
        ttk.Label(row, text="to").pack(side="left", padx=4)
        ttk.Entry(row, textvariable=self.last, width=11, font=self.fonts["body"]).pack(
            side="left")
        ttk.Button(row, text="Show", command=self.show_chosen).pack(side="left", padx=(6, 0))
        self.range_error = tk.StringVar()
        ttk.Label(parent, textvariable=self.range_error, style="Error.TLabel").pack(anchor="w")

    def _buttons(self, parent: ttk.Frame) -> None:
        self.message = tk.StringVar(value=" ".join(self.store_notices))
        ttk.Label(parent, textvariable=self.message, wraplength=round(CHART_W * self.scale),
                  justify="left", style="Muted.TLabel").pack(anchor="w", pady=(8, 6))
        row = ttk.Frame(parent)
        row.pack(fill="x")
        ttk.Button(row, text="Export…", underline=0, command=self.export).pack(side="left")
        ttk.Button(row, text="Delete history…", underline=0,
                   command=self.delete).pack(side="left", padx=6)
        close = ttk.Button(row, text="Close", command=self.root.destroy)
        close.pack(side="right")
        close.focus_set()
        self.root.bind("<Alt-e>", lambda _e: self.export())
        self.root.bind("<Alt-d>", lambda _e: self.delete())

    # --- the chart ---------------------------------------------------------------------------

    def _shower(self, days: int) -> Callable[..., None]:
        """For a button (no argument) and a key binding (the event)."""
        return lambda *_: self.show_range(days)

    def show_range(self, days: int) -> None:
        self.range.set(days)
        first = self.today - timedelta(days=days - 1)
        self.first.set(first.isoformat())
        self.last.set(self.today.isoformat())
        self.draw(first, self.today)

    def show_chosen(self) -> None:
        try:
            first, last = date.fromisoformat(self.first.get().strip()), date.fromisoformat(
                self.last.get().strip())
        except ValueError:
            self.range_error.set("Dates are YYYY-MM-DD, such as 2026-11-01.")
            return
        if first > last:
            self.range_error.set("The first day must come before the last.")
            return
        self.range.set(0)
        self.draw(first, min(last, self.today))

    def draw(self, first: date, last: date) -> None:
        self.range_error.set("")
        records = [r for r in self.records if first <= r.day <= last]
        days = history.by_day(records, first, last, self.active_days)
        by_week = len(days) > BY_WEEK_AFTER_DAYS
        chart.bars(self.canvas, history.weeks(days) if by_week else days,
                   width=int(self.canvas["width"]), height=int(self.canvas["height"]),
                   scale=self.scale, colours=self.colours, font=self.fonts["body"],
                   small=self.fonts["small"], by_week=by_week)
        lines = words.summary_lines(days, records, last, self.zone)
        span = f"{first:%d %b %Y} to {last:%d %b %Y}" + (" (a bar per week)" if by_week else "")
        # The whole streak, not only its part in the range.
        streak = history.streak(self._days_up_to(last), last)
        self.summary.set(f"{span}. " + lines[0].split(": ", 1)[1].capitalize() + ". "
                         + f"Streak on {last:%d %b}: {streak} active days in a row with a "
                         f"routine (longest in these days: {history.longest_streak(days)}).")
        counts = history.hours(records, self.zone)
        self.hours_title.set(lines[2] + " (routines done, by hour of the day)")
        chart.hours(self.hours, counts, width=int(self.hours["width"]),
                    height=int(self.hours["height"]), scale=self.scale, colours=self.colours,
                    small=self.fonts["small"])

    # --- export and delete -------------------------------------------------------------------

    def export(self, path: Path | None = None) -> bool:
        if path is None:
            chosen = filedialog.asksaveasfilename(
                parent=self.root, title="Export the history", initialfile="pointbreak-history.csv",
                defaultextension=".csv",
                filetypes=[("CSV, for a spreadsheet", "*.csv"), ("JSON", "*.json")])
            if not chosen:
                return False
            path = Path(chosen)
        try:
            export_to(path, self.records, self.zone)
        except OSError as error:
            self.message.set(f"Cannot write {path}: {error.strerror or error}")
            return False
        self.message.set(f"{len(self.records)} records exported to {path}.")
        return True

    def delete(self) -> None:
        before = sum(1 for r in self.records if r.day < self.today)
        answer = messagebox.askyesnocancel(
            "Delete history", "Export the history before deleting it?", parent=self.root)
        if answer is None or (answer and not self.export()):
            return
        if not messagebox.askyesno(
                "Delete history", f"Delete the {before} records before today? Today's stay, "
                "so the daily cap still holds. This cannot be undone.", parent=self.root):
            return
        self.message.set(self.forget())
        if self.aside and messagebox.askyesno(
                "Delete history", f"Also delete {len(self.aside)} history file(s) that were "
                "kept aside because they could not be read?", parent=self.root):
            self.message.set(self.message.get() + " " + self.delete_aside())
        self._read()
        self._show_today()
        self.show_range(self.range.get() or 28)

    def forget(self) -> str:
        """Delete every record before today: by the tray if it runs, else here."""
        try:
            return self.send(Request(Command.FORGET)).text
        except protocol.TrayNotAnswering as error:  # it may still do it: never both
            return f"Pointbreak did not answer ({error}); look again in a moment."
        except protocol.TrayNotRunning:
            pass
        from tray.store import Store, StoreWriteError

        store = Store(self.where.store)
        try:
            dropped = store.forget_before(self.today)
        except StoreWriteError as error:
            return f"The history could not be deleted: {error}"
        finally:
            store.close()
        return f"{dropped} history records before today deleted."

    def delete_aside(self) -> str:
        gone = 0
        for path in self.aside:
            try:
                path.unlink()
                gone += 1
            except OSError as error:
                return f"{gone} kept-aside file(s) deleted; {path} could not be: {error}"
        return f"{gone} kept-aside file(s) deleted."


def main(argv: list[str] | None = None) -> int:
    return run_window("history", HistoryWindow)


if __name__ == "__main__":
    sys.exit(main())
