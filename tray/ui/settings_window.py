"""The settings window: every setting of the settings file in a small form (its own process,
`python -m tray.ui.settings_window`; one at a time).

Each field is checked as it is typed, with the message beside it; Save is there only when every
field is right and something changed. Save writes the file (tray.config.settings_edit: comments and
unknown keys kept, atomically) and asks a running tray to reload it at once. Start at login is
not in the file: its box shows and changes the login entry itself, at once, as the menu does.
Keys: Alt + the underlined letter goes to a field; Ctrl+S saves; Escape closes. Saving another
language shows the window in it at once: the form is built again.
"""

from __future__ import annotations

import sys
import tkinter as tk
from collections.abc import Callable
from datetime import date, timedelta
from tkinter import messagebox, ttk
from typing import Any

from tray.adapters import quiet
from tray.adapters.autostart import is_on as autostart_is_on
from tray.base.dates import weekday
from tray.base.i18n import N_, _, pgettext
from tray.config import schema
from tray.config import settings as settings_file
from tray.config import settings_edit as edit
from tray.config.paths import Folders
from tray.core.hours import DAY_NAMES
from tray.ipc import client, protocol
from tray.ipc.commands import Command, Reply, Request
from tray.ui import look
from tray.ui.form import Form
from tray.ui.single import listen_for_raise, run_window

listen_for_raise()

MAX_FORM_SCALE = 1.25
A_MONDAY = date(2024, 1, 1)
LANGUAGE = ("routine", "language")
UNSAVED, FIX_FIRST = N_("Unsaved changes."), N_("Fix the values marked in red to save.")
UNSAVED_TITLE = N_("Unsaved changes")
Field = edit.Field


def day_labels() -> list[str]:
    """The days' short names, Monday first, in the language shown."""
    return [weekday(A_MONDAY + timedelta(days=index)) for index in range(len(DAY_NAMES))]


class SettingsWindow(Form):
    def __init__(self, root: tk.Tk, where: Folders,
                 send: Callable[[Request], Reply] | None = None) -> None:
        self.where = where
        self.path = where.settings
        self.send = send or (lambda request: client.ask(where.runtime, request))
        loaded, problems = settings_file.load(self.path)
        look.use_language(root, loaded.language.value)
        _document, broken = edit.read_document(self.path)
        self.saved = edit.values_of(loaded)
        # The person's text size, up to what still lets the whole form fit a laptop's screen.
        self.colours, fonts = look.apply(root, loaded.theme.value,
                                         min(loaded.font_scale, MAX_FORM_SCALE))
        super().__init__(root, fonts)
        root.resizable(False, False)
        self._build(self._notice(problems, broken))
        root.bind("<Escape>", lambda _e: self.close())
        root.bind("<Control-s>", lambda _e: self.save())
        root.protocol("WM_DELETE_WINDOW", self.close)
        self.focus(("breaks", "interval_minutes"))

    # --- the form ----------------------------------------------------------------------------

    def _build(self, notice: str) -> None:
        """The whole form, in the language shown, showing the saved values."""
        self.root.title(_("Pointbreak settings"))
        self.days = [tk.BooleanVar() for _day in DAY_NAMES]
        self.outer = ttk.Frame(self.root, padding=14)
        self.outer.pack(fill="both", expand=True)
        self.notice = tk.StringVar(value=notice)
        if notice:
            ttk.Label(self.outer, textvariable=self.notice, style="Error.TLabel",
                      wraplength=560, justify="left").pack(anchor="w", pady=(0, 8))
        self._schedule(self.outer)
        self._routine(self.outer)
        self._behaviour(self.outer)
        self._buttons(self.outer)
        self._set(self.saved)
        for var in [*self.vars.values(), *self.days]:
            var.trace_add("write", lambda *_: self._changed())
        self._changed()

    def rebuild(self) -> None:
        """The form again, in the language of the saved `language` (it has just changed)."""
        look.use_language(self.root, self.saved[LANGUAGE])
        self.outer.destroy()
        self.clear()
        self._build("")
        self.focus(LANGUAGE, self.saved[LANGUAGE])

    def _notice(self, problems: list[settings_file.Problem], broken: str | None) -> str:
        if broken is not None and self.path.exists():
            return _("Your settings file cannot be read ({why}), so the defaults are shown. "
                     "Saving keeps your file beside the new one, renamed .broken-<date>.").format(
                         why=broken)
        bad = [p.where for p in problems if p.where and not p.is_unknown]
        if bad:
            return _("Not allowed in your file, so the default is shown: {keys}. Saving writes "
                     "the values shown.").format(keys=_(", ").join(bad))
        return ""

    def _schedule(self, parent: ttk.Frame) -> None:
        # TRANSLATORS: a group of settings in the settings window.
        frame = self.group(parent, _("Schedule"))
        holder = self.key_row(frame, ("breaks", "interval_minutes"))
        self.entry(holder, ("breaks", "interval_minutes"), 5)
        holder = self.key_row(frame, ("active_hours", "start"))
        self.entry(holder, ("active_hours", "start"), 6)
        # TRANSLATORS: between the two times of the active hours, "09:00 to 17:00".
        ttk.Label(holder, text=" {} ".format(pgettext("from a time", "to"))).pack(side="left")
        self.entry(holder, ("active_hours", "end"), 6)
        self.error_row(frame, ("active_hours", "end"))
        holder = self.key_row(frame, ("active_hours", "days"))
        self.days_row = holder
        for label, var in zip(day_labels(), self.days, strict=True):
            ttk.Checkbutton(holder, text=label, variable=var).pack(side="left", padx=(0, 6))
        holder = self.key_row(frame, ("breaks", "daily_cap"))
        self.entry(holder, ("breaks", "daily_cap"), 3)

    def _routine(self, parent: ttk.Frame) -> None:
        from routines.routine import load_all
        from tray.config.profile import routines_folder

        # TRANSLATORS: a group of settings in the settings window.
        frame = self.group(parent, _("Routine"))
        routines, _problems = load_all(routines_folder(self.where))
        holder = self.key_row(frame, ("routine", "name"))
        var = tk.StringVar()
        self.vars[("routine", "name")] = var
        # Shown by title, kept in the file by name.
        # TRANSLATORS: a routine in the settings window: its title and its file's name.
        self.routine_titles = {r.id: _("{title} ({name})").format(title=r.title, name=r.id)
                               for r in routines.values()}
        box = ttk.Combobox(holder, textvariable=var, state="readonly", width=44,
                           values=sorted(self.routine_titles.values()), font=self.fonts["body"])
        box.pack(side="left")
        self.widgets[("routine", "name")] = box
        holder = self.key_row(frame, ("routine", "rounds"))
        self.choices(holder, ("routine", "rounds"))
        holder = self.key_row(frame, ("routine", "sound"))
        self.check(holder, ("routine", "sound"), schema.BY_FIELD[("routine", "sound")].help_text)
        holder = self.key_row(frame, ("routine", "volume"))
        self.entry(holder, ("routine", "volume"), 4)
        for name in ("voice", "font_scale", "theme", "language"):
            holder = self.key_row(frame, ("routine", name))
            if name == "font_scale":
                self.entry(holder, ("routine", name), 5)
            else:
                self.choices(holder, ("routine", name))

    def _behaviour(self, parent: ttk.Frame) -> None:
        # TRANSLATORS: a group of settings in the settings window.
        frame = self.group(parent, _("Behaviour"))
        holder = self.key_row(frame, ("behaviour", "after_sleep"))
        self.choices(holder, ("behaviour", "after_sleep"))
        holder = self.key_row(frame, ("do_not_disturb", "fullscreen"))
        can = quiet.capabilities()
        for name in ("fullscreen", "system", "calls"):
            detection = getattr(can, name)
            words = schema.BY_FIELD[("do_not_disturb", name)].help_text
            if detection.where:
                # TRANSLATORS: a do-not-disturb box and where it works: "... (GNOME only)".
                words = _("{text} ({where})").format(text=words, where=_(detection.where))
            self.check(holder, ("do_not_disturb", name), words, enabled=detection.can_detect)
        holder = self.key_row(frame, ("do_not_disturb", "hold_minutes"))
        self.entry(holder, ("do_not_disturb", "hold_minutes"), 4)
        self.autostart = tk.BooleanVar(value=autostart_is_on())
        holder = self.row(frame, self.bind_access(
            _("Start at &login"), lambda _e: self.autostart_box.focus_set()), None)
        self.autostart_box = ttk.Checkbutton(
            holder, text=_("Start Pointbreak when I log in (applies at once)"),
            variable=self.autostart, command=self._toggle_autostart)
        self.autostart_box.pack(anchor="w")

    def _buttons(self, parent: ttk.Frame) -> None:
        self.message = tk.StringVar()
        self.message_label = ttk.Label(parent, textvariable=self.message, wraplength=560,
                                       justify="left", style="Muted.TLabel")
        self.message_label.pack(anchor="w", pady=(0, 8))
        row = ttk.Frame(parent)
        row.pack(fill="x")
        text, letter = self.bind_access(_("Restore &defaults"),
                                        lambda _e: self.restore_defaults())
        ttk.Button(row, text=text, underline=letter,
                   command=self.restore_defaults).pack(side="left")
        text, letter = self.bind_access(_("&Save"), lambda _e: self.save())
        self.save_button = ttk.Button(row, text=text, style="Main.TButton", underline=letter,
                                      command=self.save)
        self.save_button.pack(side="right")
        ttk.Button(row, text=_("Close"), command=self.close).pack(side="right", padx=6)

    # --- values ------------------------------------------------------------------------------

    def _set(self, values: dict[Field, Any]) -> None:
        for field, var in self.vars.items():
            value = values[field]
            if isinstance(var, tk.BooleanVar | tk.IntVar):
                var.set(value)
            elif field == ("routine", "name"):
                var.set(self.routine_titles.get(value, value))
            else:
                var.set(schema.BY_FIELD[field].kind.as_text(value))
        chosen = set(values[("active_hours", "days")])
        for index, var in enumerate(self.days):
            var.set(DAY_NAMES[index] in chosen)

    def values(self) -> dict[Field, Any]:
        values: dict[Field, Any] = {}
        for field, var in self.vars.items():
            if isinstance(var, tk.BooleanVar | tk.IntVar):
                values[field] = var.get()
            elif field == ("routine", "name"):
                by_title = {t: i for i, t in self.routine_titles.items()}
                values[field] = by_title.get(var.get(), var.get())
            else:
                values[field] = edit.from_text(field, var.get())
        values[("active_hours", "days")] = [DAY_NAMES[i] for i, v in enumerate(self.days)
                                            if v.get()]
        return values

    def _changed(self) -> None:
        values = self.values()
        problems = edit.check(values)
        for field, error in self.errors.items():
            error.set(problems.get(field, ""))
            if error.get():
                self.error_labels[field].grid()
            else:
                self.error_labels[field].grid_remove()
        is_dirty = values != self.saved
        self.save_button.state(["!disabled"] if is_dirty and not problems else ["disabled"])
        passing = (_(UNSAVED), _(FIX_FIRST))
        if problems:
            self.message.set(passing[1])
        elif is_dirty:
            self.message.set(passing[0])
        elif self.message.get() in passing:
            self.message.set("")

    # --- actions -----------------------------------------------------------------------------

    def save(self) -> bool:
        values = self.values()
        if edit.check(values) or values == self.saved:
            return False
        try:
            saved = edit.save(self.path, values, shown=self.saved)
        except OSError as error:
            self.message.set(_("Cannot save {path}: {why}. Nothing was changed.").format(
                path=self.path, why=error.strerror or error))
            return False
        is_new_language = values[LANGUAGE] != self.saved[LANGUAGE]
        self.saved = values
        self.notice.set("")
        if is_new_language:
            self.rebuild()  # what follows is said in the new language
        said = [_("Saved.")]
        if saved.kept_broken_as is not None:
            said.append(_("Your unreadable file was kept as {name}.").format(
                name=saved.kept_broken_as.name))
        said.append(self._reload())
        self._changed()
        self.message.set(" ".join(said))
        return True

    def _reload(self) -> str:
        """Ask a running tray to read the file now; what came of it."""
        try:
            reply = self.send(Request(Command.RELOAD))
        except protocol.TrayNotAnswering:
            return _("Pointbreak did not answer in time; it reads the file within a minute.")
        except protocol.TrayNotRunning:
            return _("Pointbreak uses them when it starts.")
        if reply.is_ok:
            return _("Pointbreak uses the new settings now.")
        return _("Pointbreak could not reload them: {why}").format(why=reply.text)

    def restore_defaults(self) -> None:
        if not messagebox.askyesno(
                _("Restore defaults"), _("Put every setting back to its default and save?\n\n"
                                         "Comments in your settings file are kept."),
                parent=self.root):
            return
        self._set(edit.DEFAULTS)
        self.save()

    def close(self) -> None:
        if self.values() != self.saved and not messagebox.askyesno(
                _(UNSAVED_TITLE), _("Close without saving your changes?"), parent=self.root):
            return
        self.root.destroy()

    def _toggle_autostart(self) -> None:
        from tray.adapters import autostart

        try:
            where = autostart.turn(self.autostart.get())
            self.message.set(
                _("Pointbreak starts when you log in ({where}).").format(where=where) if where
                else _("Pointbreak no longer starts when you log in."))
        except OSError as error:
            self.message.set(_("Start at login could not be changed: {why}").format(why=error))
        self.autostart.set(autostart_is_on())  # show the truth on disk


def main(argv: list[str] | None = None) -> int:
    return run_window("settings", SettingsWindow, N_("The settings window is already open."))


if __name__ == "__main__":
    sys.exit(main())
