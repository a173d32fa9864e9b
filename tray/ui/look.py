"""The look every Pointbreak window shares: two themes of its own (light, dark), the font scale
and the screen's DPI, on ttk's "clam" theme (the one that takes colours on every system); the
language of its texts and of Tk's own dialogs; access letters (Alt + the underlined letter)."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

from tray.base import i18n

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


PSEUDO_TK = f"""proc ::pointbreak_pseudo {{locale text args}} {{
    if {{[llength $args]}} {{ set text [format $text {{*}}$args] }}
    return "{i18n.OPEN}$text{i18n.CLOSE}"
}}
namespace eval ::tk {{ ::msgcat::mcpackageconfig set unknowncmd ::pointbreak_pseudo }}"""


def use_language(root: tk.Misc, setting: str) -> str:
    """Show every text from now on in the language of `setting` ("auto" or a language's code):
    Pointbreak's own (tray.base.i18n) and those of Tk's dialogs (messagebox, filedialog: their
    buttons), which would otherwise follow LANG, not LANGUAGE or the setting. Call it right
    after the Tk root is made, and again when the setting changes; returns the language's code."""
    chosen = i18n.use(setting)
    root.tk.call("::msgcat::mclocale", chosen)
    # The pseudo-language has no catalog of Tk's: its words are wrapped as they are looked up.
    root.tk.eval(PSEUDO_TK if chosen == i18n.PSEUDO else
                 "namespace eval ::tk { ::msgcat::mcpackageconfig set unknowncmd {} }")
    return chosen


def access_sequence(letter: str) -> str:
    """The event of Alt + `letter`, "<Alt-Key-b>" ("<Alt-Key-U00FC>" for "ü": Tk takes a
    letter outside ASCII by its code, and a bare digit would be a mouse button)."""
    letter = letter.lower()
    name = letter if letter.isascii() and letter.isalnum() else f"U{ord(letter):04X}"
    return f"<Alt-Key-{name}>"


def bind_access(root: tk.Misc, text: str, index: int,
                action: Callable[[Any], object]) -> str | None:
    """Bind Alt + the letter at `index` of `text` (from i18n.mnemonic) on `root` to `action`;
    returns the event bound, or None (no letter, or one this Tk cannot bind: it stays
    underlined, the mouse and Tab still reach it)."""
    if not 0 <= index < len(text) or not text[index].strip():
        return None
    sequence = access_sequence(text[index])
    try:
        root.bind(sequence, action)
    except tk.TclError:
        return None
    return sequence
