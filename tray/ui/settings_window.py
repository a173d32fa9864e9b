"""The settings window: every setting of the settings file in a small form (its own process,
`python -m tray.ui.settings_window`; one at a time).

Each field is checked as it is typed, with the message beside it; Save is there only when every
field is right and something changed. Save writes the file (tray.config.settings_edit: comments and
unknown keys kept, atomically) and asks a running tray to reload it at once. Start at login is
not in the file: its box shows and changes the login entry itself, at once, as the menu does.
Keys: Alt + the underlined letter goes to a field; Ctrl+S saves; Escape closes.
"""

from __future__ import annotations

import sys
import tkinter as tk
from collections.abc import Callable
from tkinter import messagebox, ttk
from typing import Any

from tray.adapters import quiet
from tray.adapters.autostart import is_on as autostart_is_on
from tray.config import schema
from tray.config import settings as settings_file
from tray.config import settings_edit as edit
from tray.config.kinds import Choice, Number, Whole
from tray.config.paths import Folders
from tray.core.hours import DAY_NAMES
from tray.ipc import client, protocol
from tray.ipc.commands import Command, Reply, Request
from tray.ui.single import listen_for_raise, run_window

listen_for_raise()

MAX_FORM_SCALE = 1.25
DAY_LABELS = tuple(name.title() for name in DAY_NAMES)
Field = edit.Field


class SettingsWindow:
    def __init__(self, root: tk.Tk, where: Folders,
                 send: Callable[[Request], Reply] | None = None) -> None:
        from tray.ui import look

        self.root = root
        self.where = where
        self.path = where.settings
        self.send = send or (lambda request: client.ask(where.runtime, request))
        loaded, problems = settings_file.load(self.path)
        _, broken = edit.read_document(self.path)
        self.saved = edit.values_of(loaded)
        # The person's text size, up to what still lets the whole form fit a laptop's screen.
        self.colours, self.fonts = look.apply(root, loaded.theme.value,
                                              min(loaded.font_scale, MAX_FORM_SCALE))
        root.title("Pointbreak settings")
        root.resizable(False, False)
        self.vars: dict[Field, Any] = {}
        self.days = [tk.BooleanVar() for _ in DAY_LABELS]
        self.errors: dict[Field, tk.StringVar] = {}
        self.error_labels: dict[Field, ttk.Label] = {}
        self._rows: dict[str, int] = {}
        self.widgets: dict[Field, tk.Widget] = {}
        outer = ttk.Frame(root, padding=14)
        outer.pack(fill="both", expand=True)
        self.notice = tk.StringVar(value=self._notice(problems, broken))
        if self.notice.get():
            ttk.Label(outer, textvariable=self.notice, style="Error.TLabel", wraplength=560,
                      justify="left").pack(anchor="w", pady=(0, 8))
        self._schedule(outer)
        self._routine(outer)
        self._behaviour(outer)
        self._buttons(outer)
        self._set(self.saved)
        for var in [*self.vars.values(), *self.days]:
            var.trace_add("write", lambda *_: self._changed())
        self._changed()
        root.bind("<Escape>", lambda _e: self.close())
        root.bind("<Control-s>", lambda _e: self.save())
        root.protocol("WM_DELETE_WINDOW", self.close)
        self._focus(("breaks", "interval_minutes"))

    # --- the form ----------------------------------------------------------------------------

    def _notice(self, problems: list[settings_file.Problem], broken: str | None) -> str:
        if broken is not None and self.path.exists():
            return (f"Your settings file cannot be read ({broken}), so the defaults are shown. "
                    "Saving keeps your file beside the new one, renamed .broken-<date>.")
        bad = [p.where for p in problems if p.where and "Unknown" not in p.message]
        if bad:
            return ("Not allowed in your file, so the default is shown: " + ", ".join(bad) +
                    ". Saving writes the values shown.")
        return ""

    def _group(self, parent: ttk.Frame, title: str) -> ttk.LabelFrame:
        frame = ttk.LabelFrame(parent, text=title)
        frame.pack(fill="x", pady=(0, 10))
        frame.columnconfigure(1, weight=1)
        return frame

    def _key_row(self, frame: ttk.LabelFrame, field: Field) -> ttk.Frame:
        """The row of a key of the settings file: its label and access letter from the schema."""
        key = schema.BY_FIELD[field]
        return self._row(frame, key.label, key.access, field)

    def _row(self, frame: ttk.LabelFrame, label: str, key: str, field: Field | None) -> ttk.Frame:
        """A row: label (Alt+key goes to the field), the field's own frame, its message."""
        row = self._next_row(frame)
        underline = label.lower().index(key) if key else -1
        ttk.Label(frame, text=label, underline=underline).grid(row=row, column=0, sticky="nw",
                                                               padx=(0, 12), pady=2)
        holder = ttk.Frame(frame)
        holder.grid(row=row, column=1, sticky="w", pady=2)
        if field is not None:
            self._error_row(frame, field)
            if key:
                self.root.bind(f"<Alt-{key}>", self._focuser(field))
        return holder

    def _next_row(self, frame: ttk.LabelFrame) -> int:
        """Rows are counted here: grid forgets the rows of hidden messages."""
        row = self._rows.get(str(frame), 0)
        self._rows[str(frame)] = row + 1
        return row

    def _error_row(self, frame: ttk.LabelFrame, field: Field) -> None:
        """The field's message, on a row of its own that shows only while there is one."""
        row = self._next_row(frame)
        error = tk.StringVar()
        self.errors[field] = error
        label = ttk.Label(frame, textvariable=error, style="Error.TLabel", wraplength=420,
                          justify="left")
        label.grid(row=row, column=1, sticky="w")
        label.grid_remove()
        self.error_labels[field] = label

    def _entry(self, holder: ttk.Frame, field: Field, width: int) -> None:
        """A text field, a spin box for a number (its range and step from the schema), and the
        key's help beside it."""
        var = tk.StringVar()
        self.vars[field] = var
        widget: ttk.Entry
        kind, after = schema.BY_FIELD[field].kind, schema.BY_FIELD[field].help_text
        if isinstance(kind, Whole | Number):
            widget = ttk.Spinbox(holder, textvariable=var, width=width, from_=kind.low,
                                 to=kind.high, increment=kind.step, font=self.fonts["body"],
                                 format="%.2f" if kind.step % 1 else "%.0f")
        else:
            widget = ttk.Entry(holder, textvariable=var, width=width, font=self.fonts["body"])
        widget.pack(side="left")
        self.widgets[field] = widget
        if after:
            ttk.Label(holder, text=after, style="Muted.TLabel").pack(side="left", padx=(6, 0))

    def _choices(self, holder: ttk.Frame, field: Field) -> None:
        """A radio button for each of the key's choices, with the schema's words for it."""
        kind = schema.BY_FIELD[field].kind
        assert isinstance(kind, Choice)
        options = [(text, kind.to_file(value)) for value, text in kind.options]
        var: tk.Variable = tk.IntVar() if isinstance(options[0][1], int) else tk.StringVar()
        self.vars[field] = var
        for number, (text, value) in enumerate(options):
            button = ttk.Radiobutton(holder, text=text, value=value, variable=var)
            button.pack(side="left", padx=(0, 12))
            if number == 0:
                self.widgets[field] = button

    def _check(self, holder: ttk.Frame, field: Field, text: str, enabled: bool = True) -> None:
        var = tk.BooleanVar()
        self.vars[field] = var
        button = ttk.Checkbutton(holder, text=text, variable=var)
        if not enabled:
            button.state(["disabled"])
        button.pack(anchor="w")
        self.widgets[field] = button

    def _schedule(self, parent: ttk.Frame) -> None:
        frame = self._group(parent, "Schedule")
        holder = self._key_row(frame, ("breaks", "interval_minutes"))
        self._entry(holder, ("breaks", "interval_minutes"), 5)
        holder = self._key_row(frame, ("active_hours", "start"))
        self._entry(holder, ("active_hours", "start"), 6)
        ttk.Label(holder, text=" to ").pack(side="left")
        self._entry(holder, ("active_hours", "end"), 6)
        self._error_row(frame, ("active_hours", "end"))
        holder = self._key_row(frame, ("active_hours", "days"))
        self.days_row = holder
        for label, var in zip(DAY_LABELS, self.days, strict=True):
            ttk.Checkbutton(holder, text=label, variable=var).pack(side="left", padx=(0, 6))
        holder = self._key_row(frame, ("breaks", "daily_cap"))
        self._entry(holder, ("breaks", "daily_cap"), 3)

    def _routine(self, parent: ttk.Frame) -> None:
        from routines.routine import load_all
        from tray.config.profile import routines_folder

        frame = self._group(parent, "Routine")
        routines, _ = load_all(routines_folder(self.where))
        holder = self._key_row(frame, ("routine", "name"))
        var = tk.StringVar()
        self.vars[("routine", "name")] = var
        # Shown by title, kept in the file by name.
        self.routine_titles = {r.id: f"{r.title} ({r.id})" for r in routines.values()}
        box = ttk.Combobox(holder, textvariable=var, state="readonly", width=44,
                           values=sorted(self.routine_titles.values()), font=self.fonts["body"])
        box.pack(side="left")
        self.widgets[("routine", "name")] = box
        holder = self._key_row(frame, ("routine", "rounds"))
        self._choices(holder, ("routine", "rounds"))
        holder = self._key_row(frame, ("routine", "sound"))
        self._check(holder, ("routine", "sound"), schema.BY_FIELD[("routine", "sound")].help_text)
        holder = self._key_row(frame, ("routine", "volume"))
        self._entry(holder, ("routine", "volume"), 4)
        holder = self._key_row(frame, ("routine", "voice"))
        self._choices(holder, ("routine", "voice"))
        holder = self._key_row(frame, ("routine", "font_scale"))
        self._entry(holder, ("routine", "font_scale"), 5)
        holder = self._key_row(frame, ("routine", "theme"))
        self._choices(holder, ("routine", "theme"))
        holder = self._key_row(frame, ("routine", "language"))
        self._choices(holder, ("routine", "language"))

    def _behaviour(self, parent: ttk.Frame) -> None:
        frame = self._group(parent, "Behaviour")
        holder = self._key_row(frame, ("behaviour", "after_sleep"))
        self._choices(holder, ("behaviour", "after_sleep"))
        holder = self._key_row(frame, ("do_not_disturb", "fullscreen"))
        can = quiet.capabilities()
        for name in ("fullscreen", "system", "calls"):
            detection = getattr(can, name)
            words = schema.BY_FIELD[("do_not_disturb", name)].help_text
            self._check(holder, ("do_not_disturb", name), detection.label(words),
                        enabled=detection.can_detect)
        holder = self._key_row(frame, ("do_not_disturb", "hold_minutes"))
        self._entry(holder, ("do_not_disturb", "hold_minutes"), 4)
        holder = self._row(frame, "Start at login", "l", None)
        self.autostart = tk.BooleanVar(value=autostart_is_on())
        box = ttk.Checkbutton(holder, text="Start Pointbreak when I log in (applies at once)",
                              variable=self.autostart, command=self._toggle_autostart)
        box.pack(anchor="w")
        self.root.bind("<Alt-l>", lambda _e: box.focus_set())

    def _buttons(self, parent: ttk.Frame) -> None:
        self.message = tk.StringVar()
        self.message_label = ttk.Label(parent, textvariable=self.message, wraplength=560,
                                       justify="left", style="Muted.TLabel")
        self.message_label.pack(anchor="w", pady=(0, 8))
        row = ttk.Frame(parent)
        row.pack(fill="x")
        ttk.Button(row, text="Restore defaults", underline=8,
                   command=self.restore_defaults).pack(side="left")
        self.root.bind("<Alt-d>", lambda _e: self.restore_defaults())
        self.save_button = ttk.Button(row, text="Save", style="Main.TButton", underline=0,
                                      command=self.save)
        self.save_button.pack(side="right")
        self.root.bind("<Alt-s>", lambda _e: self.save())
        ttk.Button(row, text="Close", command=self.close).pack(side="right", padx=6)

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
        if problems:
            self.message.set("Fix the values marked in red to save.")
        elif is_dirty:
            self.message.set("Unsaved changes.")
        elif self.message.get() in ("Unsaved changes.", "Fix the values marked in red to save."):
            self.message.set("")

    def _focuser(self, field: Field) -> Callable[[Any], None]:
        return lambda _event: self._focus(field)

    def _focus(self, field: Field) -> None:
        widget = self.widgets.get(field)
        if widget is None:
            return
        widget.focus_set()
        if isinstance(widget, ttk.Entry) and not isinstance(widget, ttk.Combobox):
            widget.select_range(0, "end")
            widget.icursor("end")

    # --- actions -----------------------------------------------------------------------------

    def save(self) -> bool:
        values = self.values()
        if edit.check(values) or values == self.saved:
            return False
        try:
            saved = edit.save(self.path, values, shown=self.saved)
        except OSError as error:
            self.message.set(f"Cannot save {self.path}: {error.strerror or error}. "
                             "Nothing was changed.")
            return False
        self.saved = values
        self.notice.set("")
        text = "Saved."
        if saved.kept_broken_as is not None:
            text += f" Your unreadable file was kept as {saved.kept_broken_as.name}."
        try:
            reply = self.send(Request(Command.RELOAD))
            text += (" Pointbreak uses the new settings now." if reply.is_ok
                     else f" Pointbreak could not reload them: {reply.text}")
        except protocol.TrayNotAnswering:
            text += " Pointbreak did not answer in time; it reads the file within a minute."
        except protocol.TrayNotRunning:
            text += " Pointbreak uses them when it starts."
        self._changed()
        self.message.set(text)
        return True

    def restore_defaults(self) -> None:
        if not messagebox.askyesno(
                "Restore defaults", "Put every setting back to its default and save?\n\n"
                "Comments in your settings file are kept.", parent=self.root):
            return
        self._set(edit.DEFAULTS)
        self.save()

    def close(self) -> None:
        if self.values() != self.saved and not messagebox.askyesno(
                "Unsaved changes", "Close without saving your changes?", parent=self.root):
            return
        self.root.destroy()

    def _toggle_autostart(self) -> None:
        from tray.adapters import autostart

        try:
            where = autostart.turn(self.autostart.get())
            self.message.set(f"Pointbreak starts when you log in ({where})." if where else
                             "Pointbreak no longer starts when you log in.")
        except OSError as error:
            self.message.set(f"Start at login could not be changed: {error}")
        self.autostart.set(autostart_is_on())  # show the truth on disk


def main(argv: list[str] | None = None) -> int:
    return run_window("settings", SettingsWindow)


if __name__ == "__main__":
    sys.exit(main())
