"""The routine window's looks: its theme's colours and fonts at the person's text size, and the
few kinds of widget it is built of (a label, a button that keeps Space the window's pause key,
an illustration), laid out at the screen's DPI. RoutineWindow (routines/window.py) builds on it.
"""

from __future__ import annotations

import base64
import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

from routines.options import ART_SIZE, Options
from tray.ui.look import THEMES


class Looks:
    """What every screen of the window draws with. `_key` (the key guard) and `_toggle` (Space)
    are the window's."""

    def __init__(self, root: tk.Tk, options: Options) -> None:
        self.root = root
        self.options = options
        self._images: dict[str, tk.PhotoImage] = {}
        self.colours = THEMES.get(options.theme, THEMES["light"])
        self._style()
        self.frame = ttk.Frame(root, padding=self._px(18), style="Pb.TFrame")

    def _key(self, action: Callable[[], None]) -> None:
        raise NotImplementedError

    def _toggle(self) -> None:
        raise NotImplementedError

    def _px(self, points: float) -> int:
        return round(points * self.options.font_scale * self._dpi())

    def _dpi(self) -> float:
        return max(1.0, self.root.winfo_fpixels("1i") / 96.0)

    def _style(self) -> None:
        c, scale = self.colours, self.options.font_scale
        base = tkfont.nametofont("TkDefaultFont")
        size = max(9, round(abs(base.cget("size")) * scale))
        self.fonts = {
            "body": tkfont.Font(family=base.cget("family"), size=size),
            "title": tkfont.Font(family=base.cget("family"), size=round(size * 1.5),
                                 weight="bold"),
            "count": tkfont.Font(family=base.cget("family"), size=round(size * 3.2),
                                 weight="bold"),
            "small": tkfont.Font(family=base.cget("family"), size=max(8, round(size * 0.9))),
        }
        style = ttk.Style(self.root)
        style.theme_use("clam")
        style.configure("Pb.TFrame", background=c["bg"])
        style.configure("Pb.TLabel", background=c["bg"], foreground=c["fg"],
                        font=self.fonts["body"])
        style.configure("Muted.Pb.TLabel", foreground=c["muted"], font=self.fonts["small"])
        style.configure("Title.Pb.TLabel", font=self.fonts["title"])
        style.configure("Count.Pb.TLabel", font=self.fonts["count"], foreground=c["accent"])
        style.configure("Pb.TButton", font=self.fonts["body"], padding=self._px(6),
                        focuscolor=c["focus"], focusthickness=3, background=c["trough"],
                        foreground=c["fg"])
        style.map("Pb.TButton", background=[("active", c["bg"])])
        style.configure("Main.Pb.TButton", background=c["accent"], foreground=c["accent_fg"])
        style.map("Main.Pb.TButton", background=[("active", c["focus"])])
        style.configure("Pb.TMenubutton", font=self.fonts["body"], padding=self._px(6),
                        background=c["trough"], foreground=c["fg"], arrowcolor=c["fg"])
        style.configure("Pb.Horizontal.TProgressbar", background=c["accent"],
                        troughcolor=c["trough"], bordercolor=c["trough"])

    def _place(self) -> None:
        """Centred on the screen the pointer is on (Tk sees one screen)."""
        root = self.root
        root.update_idletasks()
        width, height = root.winfo_reqwidth(), root.winfo_reqheight()
        x = (root.winfo_screenwidth() - width) // 2
        y = (root.winfo_screenheight() - height) // 3
        root.geometry(f"+{max(0, x)}+{max(0, y)}")

    def _clear(self) -> None:
        for child in self.frame.winfo_children():
            child.destroy()

    def _label(self, text: str = "", style: str = "Pb.TLabel", **options: Any) -> ttk.Label:
        wrap = self._px(430)
        label = ttk.Label(self.frame, text=text, style=style, wraplength=wrap, **options)
        label.pack(anchor="w", fill="x")
        return label

    def _button(self, parent: tk.Widget, text: str, action: Callable[[], None],
                main: bool = False) -> ttk.Button:
        button = ttk.Button(parent, text=text, command=lambda: self._key(action),
                            style="Main.Pb.TButton" if main else "Pb.TButton")

        def on_return(_event: object) -> str:
            self._key(action)
            return "break"

        def on_space(_event: object) -> str:
            self._key(self._toggle)  # Space is the window's pause key, never this button's
            return "break"

        button.bind("<Return>", on_return)
        button.bind("<space>", on_space)
        return button

    def _art(self, kind: str) -> tk.PhotoImage:
        size = self._px(ART_SIZE)
        key = f"{kind}-{size}"
        if key not in self._images:
            from routines import art

            data = base64.b64encode(art.png(kind, size, self.options.theme))
            self._images[key] = tk.PhotoImage(data=data)
        return self._images[key]
