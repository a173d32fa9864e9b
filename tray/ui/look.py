"""The look every Pointbreak window shares: two themes of its own (light, dark), the font scale
and the screen's DPI, on ttk's "clam" theme (the one that takes colours on every system)."""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from tkinter import ttk

THEMES = {
    "light": {"bg": "#f7f7f4", "fg": "#1d1f21", "muted": "#4f5459", "accent": "#0f7272",
              "accent_fg": "#ffffff", "trough": "#d9d9d2", "focus": "#0b5c5c",
              "field": "#ffffff", "error": "#a4262c"},
    "dark": {"bg": "#1f2124", "fg": "#f1f1ee", "muted": "#c3c7cc", "accent": "#5cc8c8",
             "accent_fg": "#0b1b1b", "trough": "#3b3f45", "focus": "#9de3e3",
             "field": "#2b2e33", "error": "#ff8a80"},
}


def dpi_scale(root: tk.Misc) -> float:
    return max(1.0, root.winfo_fpixels("1i") / 96.0)


def apply(root: tk.Tk, theme: str, font_scale: float) -> tuple[dict[str, str],
                                                                  dict[str, tkfont.Font]]:
    """Style the window's widgets ("Pb.*" styles); returns its colours and fonts."""
    c = THEMES.get(theme, THEMES["light"])
    base = tkfont.nametofont("TkDefaultFont")
    size = max(9, round(abs(base.cget("size")) * font_scale))
    family = base.cget("family")
    fonts = {"body": tkfont.Font(family=family, size=size),
             "bold": tkfont.Font(family=family, size=size, weight="bold"),
             "title": tkfont.Font(family=family, size=round(size * 1.4), weight="bold"),
             "big": tkfont.Font(family=family, size=round(size * 2.2), weight="bold"),
             "small": tkfont.Font(family=family, size=max(8, round(size * 0.9)))}
    pad = round(4 * font_scale * dpi_scale(root))
    root.configure(background=c["bg"])
    style = ttk.Style(root)
    style.theme_use("clam")
    style.configure(".", background=c["bg"], foreground=c["fg"], font=fonts["body"],
                    fieldbackground=c["field"], insertcolor=c["fg"], bordercolor=c["trough"],
                    lightcolor=c["bg"], darkcolor=c["bg"], troughcolor=c["trough"],
                    selectbackground=c["accent"], selectforeground=c["accent_fg"],
                    arrowcolor=c["fg"], focuscolor=c["focus"])
    style.map(".", background=[("disabled", c["bg"])], foreground=[("disabled", c["muted"])])
    for widget in ("TCheckbutton", "TRadiobutton"):
        # clam draws the box or circle in indicatorbackground and the mark in
        # indicatorforeground: the field's colour with the text's colour on it, in both themes.
        style.configure(widget, indicatorbackground=c["field"], indicatorforeground=c["fg"],
                        upperbordercolor=c["muted"], lowerbordercolor=c["muted"])
        style.map(widget, background=[("active", c["trough"])],
                  indicatorbackground=[("pressed", c["trough"]), ("disabled", c["bg"])])
    style.configure("TLabelframe", padding=(pad * 2, pad))
    style.configure("TLabelframe.Label", font=fonts["bold"], foreground=c["fg"])
    style.configure("TButton", padding=pad, background=c["trough"])
    style.map("TButton", background=[("active", c["bg"]), ("disabled", c["bg"])])
    style.configure("Main.TButton", background=c["accent"], foreground=c["accent_fg"])
    style.map("Main.TButton", background=[("active", c["focus"]), ("disabled", c["trough"])],
              foreground=[("disabled", c["muted"])])
    style.configure("Muted.TLabel", foreground=c["muted"], font=fonts["small"])
    style.configure("Error.TLabel", foreground=c["error"], font=fonts["small"])
    style.configure("Title.TLabel", font=fonts["title"])
    style.configure("Big.TLabel", font=fonts["big"], foreground=c["accent"])
    style.configure("TCombobox", arrowcolor=c["fg"])
    style.map("TCombobox", fieldbackground=[("readonly", c["field"])],
              foreground=[("readonly", c["fg"])])
    root.option_add("*TCombobox*Listbox.background", c["field"])
    root.option_add("*TCombobox*Listbox.foreground", c["fg"])
    return c, fonts
