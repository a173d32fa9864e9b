"""The settings window's form: its groups and rows, built from the schema in the language shown
(each key's label with its access letter, its help, its range or choices) with the message
beside each field. tray/ui/settings_window puts the rows together, reads and saves the values.

Every Alt binding the form makes is kept, so that a rebuilt form (another language: other
letters) leaves none of the old ones behind.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

from tray.base.i18n import mnemonic
from tray.config import schema
from tray.config.kinds import Choice, Number, Whole
from tray.config.schema import Field
from tray.ui import look


class Form:
    """The rows of a form on `root`, in its fonts; a subclass lays them out."""

    def __init__(self, root: tk.Tk, fonts: dict[str, tkfont.Font]) -> None:
        self.root = root
        self.fonts = fonts
        self.bound: list[str] = []  # the Alt events bound on root
        self.clear()

    def clear(self) -> None:
        """Forget the rows (their widgets are destroyed by the caller) and their Alt keys."""
        for sequence in self.bound:
            self.root.unbind(sequence)
        self.bound = []
        self.vars: dict[Field, Any] = {}
        self.errors: dict[Field, tk.StringVar] = {}
        self.error_labels: dict[Field, ttk.Label] = {}
        self.widgets: dict[Field, tk.Widget] = {}  # the one Alt goes to: a choice's first
        self.choice_buttons: dict[tuple[Field, Any], ttk.Radiobutton] = {}
        self._rows: dict[str, int] = {}

    def bind_access(self, label: str, action: Callable[[Any], object]) -> tuple[str, int]:
        """A translated label with "&" before its letter: its text and the letter's index,
        with Alt + the letter bound to `action`."""
        text, index = mnemonic(label)
        self._bind(text, index, action)
        return text, index

    def _bind(self, text: str, index: int, action: Callable[[Any], object]) -> None:
        sequence = look.bind_access(self.root, text, index, action)
        if sequence is not None:
            self.bound.append(sequence)

    def group(self, parent: ttk.Frame, title: str) -> ttk.LabelFrame:
        frame = ttk.LabelFrame(parent, text=title)
        frame.pack(fill="x", pady=(0, 10))
        frame.columnconfigure(1, weight=1)
        return frame

    def key_row(self, frame: ttk.LabelFrame, field: Field) -> ttk.Frame:
        """The row of a key of the settings file: its label and access letter from the schema."""
        key = schema.BY_FIELD[field]
        return self.row(frame, key.label_text, field)

    def row(self, frame: ttk.LabelFrame, label: tuple[str, int],
            field: Field | None) -> ttk.Frame:
        """A row: label (Alt + its underlined letter goes to the field), the field's own frame,
        its message."""
        text, underline = label
        row = self.next_row(frame)
        ttk.Label(frame, text=text, underline=underline).grid(row=row, column=0, sticky="nw",
                                                              padx=(0, 12), pady=2)
        holder = ttk.Frame(frame)
        holder.grid(row=row, column=1, sticky="w", pady=2)
        if field is not None:
            self.error_row(frame, field)
            self._bind(text, underline, self.focuser(field))
        return holder

    def next_row(self, frame: ttk.LabelFrame) -> int:
        """Rows are counted here: grid forgets the rows of hidden messages."""
        row = self._rows.get(str(frame), 0)
        self._rows[str(frame)] = row + 1
        return row

    def error_row(self, frame: ttk.LabelFrame, field: Field) -> None:
        """The field's message, on a row of its own that shows only while there is one."""
        row = self.next_row(frame)
        error = tk.StringVar()
        self.errors[field] = error
        label = ttk.Label(frame, textvariable=error, style="Error.TLabel", wraplength=420,
                          justify="left")
        label.grid(row=row, column=1, sticky="w")
        label.grid_remove()
        self.error_labels[field] = label

    def entry(self, holder: ttk.Frame, field: Field, width: int) -> None:
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

    def choices(self, holder: ttk.Frame, field: Field) -> None:
        """A radio button for each of the key's choices, with the schema's words for it."""
        kind = schema.BY_FIELD[field].kind
        assert isinstance(kind, Choice)
        options = list(zip(kind.labels, kind.values, strict=True))
        var: tk.Variable = tk.IntVar() if isinstance(options[0][1], int) else tk.StringVar()
        self.vars[field] = var
        for text, value in options:
            button = ttk.Radiobutton(holder, text=text, value=value, variable=var)
            button.pack(side="left", padx=(0, 12))
            self.widgets.setdefault(field, button)
            self.choice_buttons[(field, value)] = button

    def check(self, holder: ttk.Frame, field: Field, text: str, enabled: bool = True) -> None:
        var = tk.BooleanVar()
        self.vars[field] = var
        button = ttk.Checkbutton(holder, text=text, variable=var)
        if not enabled:
            button.state(["disabled"])
        button.pack(anchor="w")
        self.widgets[field] = button

    def focuser(self, field: Field) -> Callable[[Any], None]:
        return lambda _event: self.focus(field)

    def focus(self, field: Field, choice: Any = None) -> None:
        """Focus the field (a choice's button for `choice`, else its first)."""
        widget = self.choice_buttons.get((field, choice)) or self.widgets.get(field)
        if widget is None:
            return
        widget.focus_set()
        if isinstance(widget, ttk.Entry) and not isinstance(widget, ttk.Combobox):
            widget.select_range(0, "end")
            widget.icursor("end")
