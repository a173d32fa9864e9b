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
from tray.base.dates import day_month, full_date
from tray.base.i18n import N_, _, mnemonic, ngettext, pgettext
from tray.config.paths import Folders
from tray.core import history
from tray.ipc import client, protocol
from tray.ipc.commands import Command, Reply, Request
from tray.store.export import export_to
from tray.ui import chart, look
from tray.ui.single import listen_for_raise, run_window

listen_for_raise()

RANGES = ((N_("4 &weeks"), 28), (N_("3 &months"), 91), (N_("A &year"), 365))  # Alt+letter
DELETE_TITLE = N_("Delete history")
BY_WEEK_AFTER_DAYS = 62  # longer ranges are drawn a bar per week
CHART_W, CHART_H, HOURS_H = 700, 240, 80
MAX_SCALE = 1.25


class HistoryWindow:
    def __init__(self, root: tk.Tk, where: Folders,
                 send: Callable[[Request], Reply] | None = None,
                 today: date | None = None) -> None:
        from tray.config.profile import load_profile

        self.root = root
        self.where = where
        self.send = send or (lambda request: client.ask(where.runtime, request))
        profile = load_profile()  # and the language of its settings
        look.use_language(root, profile.settings.language.value)
        self.zone = profile.zone
        self.cap = profile.settings.daily_cap
        self.active_days = profile.settings.hours.days
        self.today = today or datetime.now(UTC).astimezone(self.zone).date()
        scale = min(profile.settings.font_scale, MAX_SCALE)
        self.colours, self.fonts = look.apply(root, profile.settings.theme.value, scale)
        self.scale = scale * look.dpi_scale(root)
        root.title(_("Pointbreak history"))
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
        self.today_text.set(_("Today: {done} of {cap}").format(done=today.routines,
                                                                cap=self.cap))
        self.facts.set(_("Prompts shown today: {n}").format(n=today.prompt_count) + "\n"
                       + self._next_break())
        days = self._days_up_to(self.today)
        streak = history.streak(days, self.today)
        self.streak_text.set(ngettext("Streak: {n} day", "Streak: {n} days", streak).format(
            n=streak))
        self.longest_text.set(_("longest: {n} · active days in a row with a routine").format(
            n=history.longest_streak(days)))

    def _next_break(self) -> str:
        try:
            reply = self.send(Request(Command.STATUS))
        except protocol.TrayNotAnswering:
            return _("Pointbreak did not answer")
        except protocol.TrayNotRunning:
            return _("Pointbreak is not running")
        text = reply.text if reply.is_ok else ""
        return text.splitlines()[0] if text else _("Pointbreak is starting")

    def _range_row(self, parent: ttk.Frame) -> None:
        row = ttk.Frame(parent)
        row.pack(fill="x", pady=(12, 0))
        self.range = tk.IntVar(value=28)
        for label, days in RANGES:
            text, letter = mnemonic(_(label))
            ttk.Radiobutton(row, text=text, value=days, variable=self.range, underline=letter,
                            command=self._shower(days)).pack(side="left", padx=(0, 10))
            look.bind_access(self.root, text, letter, self._shower(days))
        # TRANSLATORS: before the first day of a range of days: "From [day] to [day]".
        ttk.Label(row, text=pgettext("from a day", "From")).pack(side="left", padx=(12, 4))
        self.first = tk.StringVar()
        self.last = tk.StringVar(value=self.today.isoformat())
        ttk.Entry(row, textvariable=self.first, width=11, font=self.fonts["body"]).pack(
            side="left")
        # TRANSLATORS: between the first and the last day of a range: "From [day] to [day]".
        ttk.Label(row, text=pgettext("from a day", "to")).pack(side="left", padx=4)
        ttk.Entry(row, textvariable=self.last, width=11, font=self.fonts["body"]).pack(
            side="left")
        # TRANSLATORS: a button: show the chosen range of days in the chart.
        ttk.Button(row, text=_("Show"), command=self.show_chosen).pack(side="left", padx=(6, 0))
        self.range_error = tk.StringVar()
        ttk.Label(parent, textvariable=self.range_error, style="Error.TLabel").pack(anchor="w")

    def _buttons(self, parent: ttk.Frame) -> None:
        self.message = tk.StringVar(value=" ".join(self.store_notices))
        ttk.Label(parent, textvariable=self.message, wraplength=round(CHART_W * self.scale),
                  justify="left", style="Muted.TLabel").pack(anchor="w", pady=(8, 6))
        row = ttk.Frame(parent)
        row.pack(fill="x")
        text, letter = mnemonic(_("&Export…"))
        ttk.Button(row, text=text, underline=letter, command=self.export).pack(side="left")
        look.bind_access(self.root, text, letter, lambda _e: self.export())
        text, letter = mnemonic(_("&Delete history…"))
        ttk.Button(row, text=text, underline=letter,
                   command=self.delete).pack(side="left", padx=6)
        look.bind_access(self.root, text, letter, lambda _e: self.delete())
        close = ttk.Button(row, text=_("Close"), command=self.root.destroy)
        close.pack(side="right")
        close.focus_set()

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
            self.range_error.set(_("Dates are YYYY-MM-DD, such as 2026-11-01."))
            return
        if first > last:
            self.range_error.set(_("The first day must come before the last."))
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
        self.summary.set(self._summary(days, first, last, by_week))
        counts = history.hours(records, self.zone)
        hour = history.favourite_hour(counts)
        self.hours_title.set(
            _("Routines are most often done at {hours} (routines done, by hour of the "
              "day)").format(hours=words.hour_span(hour)) if hour is not None
            else _("No routine completed in these days yet (routines done, by hour of the day)"))
        chart.hours(self.hours, counts, width=int(self.hours["width"]),
                    height=int(self.hours["height"]), scale=self.scale, colours=self.colours,
                    small=self.fonts["small"])

    def _summary(self, days: list[history.Day], first: date, last: date, by_week: bool) -> str:
        """The range, its totals and the streak, in sentences."""
        dates = {"first": full_date(first), "last": full_date(last)}
        span = (_("{first} to {last} (a bar per week).") if by_week
                else _("{first} to {last}.")).format(**dates)
        total = history.totals(days)
        counts = {
            "routines": ngettext("{n} routine completed", "{n} routines completed",
                                 total.routines).format(n=total.routines),
            "prompts": ngettext("{n} prompt", "{n} prompts", total.prompts).format(
                n=total.prompts),
            "snoozes": ngettext("{n} snooze", "{n} snoozes", total.snoozes).format(
                n=total.snoozes)}
        totals = (_("{routines}, {prompts}, {snoozes}.").format(**counts)
                  if total.completion is None else
                  _("{routines}, {prompts}, {snoozes}; {percent}% of prompts ended in a "
                    "routine.").format(percent=round(total.completion * 100), **counts))
        # The whole streak, not only its part in the range.
        streak = history.streak(self._days_up_to(last), last)
        said = ngettext("Streak on {date}: {n} active day in a row with a routine (longest in "
                        "these days: {longest}).",
                        "Streak on {date}: {n} active days in a row with a routine (longest in "
                        "these days: {longest}).", streak).format(
                            date=day_month(last, short=True), n=streak,
                            longest=history.longest_streak(days))
        return " ".join((span, totals, said))

    # --- export and delete -------------------------------------------------------------------

    def export(self, path: Path | None = None) -> bool:
        if path is None:
            chosen = filedialog.asksaveasfilename(
                parent=self.root, title=_("Export the history"),
                initialfile="pointbreak-history.csv", defaultextension=".csv",
                filetypes=[(_("CSV, for a spreadsheet"), "*.csv"), ("JSON", "*.json")])
            if not chosen:
                return False
            path = Path(chosen)
        try:
            export_to(path, self.records, self.zone)
        except OSError as error:
            self.message.set(_("Cannot write {path}: {why}").format(
                path=path, why=error.strerror or error))
            return False
        count = len(self.records)
        self.message.set(ngettext("{n} record exported to {path}.",
                                  "{n} records exported to {path}.", count).format(
                                      n=count, path=path))
        return True

    def delete(self) -> None:
        before = sum(1 for r in self.records if r.day < self.today)
        answer = messagebox.askyesnocancel(
            _(DELETE_TITLE), _("Export the history before deleting it?"), parent=self.root)
        if answer is None or (answer and not self.export()):
            return
        if not messagebox.askyesno(
                _(DELETE_TITLE), ngettext(
                    "Delete the {n} record before today? Today's stay, so the daily cap still "
                    "holds. This cannot be undone.",
                    "Delete the {n} records before today? Today's stay, so the daily cap still "
                    "holds. This cannot be undone.", before).format(n=before),
                parent=self.root):
            return
        self.message.set(self.forget())
        if self.aside and messagebox.askyesno(
                _(DELETE_TITLE), ngettext(
                    "Also delete {n} history file that was kept aside because it could not be "
                    "read?",
                    "Also delete {n} history files that were kept aside because they could not "
                    "be read?", len(self.aside)).format(n=len(self.aside)), parent=self.root):
            self.message.set(self.message.get() + " " + self.delete_aside())
        self._read()
        self._show_today()
        self.show_range(self.range.get() or 28)

    def forget(self) -> str:
        """Delete every record before today: by the tray if it runs, else here."""
        try:
            return self.send(Request(Command.FORGET)).text
        except protocol.TrayNotAnswering as error:  # it may still do it: never both
            return _("Pointbreak did not answer ({why}); look again in a moment.").format(
                why=error)
        except protocol.TrayNotRunning:
            pass
        from tray.store import Store, StoreWriteError

        store = Store(self.where.store)
        try:
            dropped = store.forget_before(self.today)
        except StoreWriteError as error:
            return _("The history could not be deleted: {why}").format(why=error)
        finally:
            store.close()
        return ngettext("{n} history record before today deleted.",
                        "{n} history records before today deleted.", dropped).format(n=dropped)

    def delete_aside(self) -> str:
        gone = 0
        for path in self.aside:
            try:
                path.unlink()
                gone += 1
            except OSError as error:
                return ngettext("{n} kept-aside file deleted; {path} could not be: {why}",
                                "{n} kept-aside files deleted; {path} could not be: {why}",
                                gone).format(n=gone, path=path, why=error)
        return ngettext("{n} kept-aside file deleted.", "{n} kept-aside files deleted.",
                        gone).format(n=gone)


def main(argv: list[str] | None = None) -> int:
    return run_window("history", HistoryWindow, N_("The history window is already open."))


if __name__ == "__main__":
    sys.exit(main())
