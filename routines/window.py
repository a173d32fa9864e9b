"""The routine window: the prompt card, the guided steps, the end card. Tk/ttk, its own process.

Reports to the tray over the pipe it was handed (tray.ipc.children), typed reports one JSON
object a line (tray.ipc.reports: started, cue, tick, snooze, outcome), and ends with an exit
code that says the same: completed 0, stopped_early 3, skipped 4, ignored 5 (the card closed
itself after its time), snoozed 6. A tick says the countdown now on the screen (drawn first):
each second while it runs, and at a step change, a pause or a resume; none while paused.

Keys: Space pauses and resumes (bound on the window, so it never also presses the focused
button), Left/Right go back and on, Escape snoozes 10 minutes on the card (skips once Snooze is
no longer offered) and stops a routine, Return presses the focused button, Tab moves the focus.
If the window takes the keyboard focus, keys are ignored for its first 2 seconds: a person
typing elsewhere must not answer a card by accident.
"""

from __future__ import annotations

import base64
import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

from routines.guide import Guide
from routines.options import (
    APP_NAME,
    ART_SIZE,
    END_CARD_CLOSES_SECONDS,
    EXIT_CODES,
    Options,
    heading,
    step_title,
    window_title,
)
from routines.routine import Routine
from routines.session import Cue, Session, View
from tray.core.choices import MINUTE, SNOOZE_MINUTES, Snooze
from tray.core.model import DEFAULT_SNOOZE, Outcome
from tray.ipc.children import ReportStream, send_report
from tray.ipc.reports import Countdown, Cued, Ended, Started
from tray.ui.look import THEMES


class RoutineWindow:
    def __init__(self, root: tk.Tk, routine: Routine, options: Options,
                 report: ReportStream | None, clock: Callable[[], float]) -> None:
        self.root = root
        self.routine = routine
        self.options = options
        self.report = report
        self.clock = clock
        self.exit_code = 1
        self.session: Session | None = None
        self.cues: list[Cue] = []
        self._is_done = False
        self._is_placed = False
        self._keys_from = 0.0
        self._timer: str | None = None
        self._card_timer: str | None = None
        self._images: dict[str, tk.PhotoImage] = {}
        self.colours = THEMES.get(options.theme, THEMES["light"])
        self.guide = Guide(root, options)
        self._style()
        root.title(APP_NAME)
        root.configure(background=self.colours["bg"])
        root.attributes("-topmost", True)
        root.protocol("WM_DELETE_WINDOW", lambda: self._key(self._escape))
        root.bind("<space>", lambda _e: self._key(self._toggle))
        root.bind("<Left>", lambda _e: self._key(self._back))
        root.bind("<Right>", lambda _e: self._key(self._next))
        root.bind("<Escape>", lambda _e: self._key(self._escape))
        root.bind("<FocusIn>", self._focused)
        self.frame = ttk.Frame(root, padding=self._px(18), style="Pb.TFrame")
        self.frame.pack(fill="both", expand=True)
        if options.start_in_routine:
            self._start_routine()
        else:
            self._show_card()
        self._place()
        self._is_placed = True

    # --- looks -----------------------------------------------------------------------------

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

    # --- the card --------------------------------------------------------------------------

    def _show_card(self) -> None:
        self._clear()
        self.root.title(window_title("Time for a back break"))
        minutes = round(self.routine.length(self.options.rounds).total_seconds() / 60)
        self._label("Time for a back break", "Title.Pb.TLabel")
        self._label(f"{self.routine.title} · about {minutes} minutes")
        self._label(self.routine.description, "Muted.Pb.TLabel").pack_configure(pady=(2, 12))
        row = ttk.Frame(self.frame, style="Pb.TFrame")
        row.pack(fill="x")
        start = self._button(row, "Start", self._start_routine, main=True)
        start.pack(side="left")
        if self.options.can_snooze:
            snooze = ttk.Menubutton(row, text="Snooze", style="Pb.TMenubutton")
            menu = tk.Menu(snooze, tearoff=False, font=self.fonts["body"])
            for minutes_ in SNOOZE_MINUTES:
                menu.add_command(label=f"{minutes_} minutes",
                                 command=self._snoozer(minutes_))
            snooze["menu"] = menu
            snooze.pack(side="left", padx=self._px(6))
        self._button(row, "Skip", lambda: self._finish(Ended(Outcome.SKIPPED))).pack(
            side="left")
        self._label(self.routine.safety, "Muted.Pb.TLabel").pack_configure(pady=(12, 0))
        start.focus_set()
        self.guide.card()
        self._card_timer = self.root.after(int(self.options.card_timeout_seconds * 1000),
                                           lambda: self._finish(Ended(Outcome.IGNORED)))

    def _snoozer(self, minutes: int) -> Callable[[], None]:
        return lambda: self._key(lambda: self._finish(Snooze(minutes)))

    # --- the routine -----------------------------------------------------------------------

    def _start_routine(self) -> None:
        if self._card_timer is not None:
            self.root.after_cancel(self._card_timer)
            self._card_timer = None
        send_report(self.report, Started())
        self.session = Session(self.routine, self.options.rounds, self.clock())
        self._build_step_view()
        self._cue(Cue.STEP)
        self._refresh()
        self._schedule()

    def _build_step_view(self) -> None:
        self._clear()
        self.w_round = self._label("", "Muted.Pb.TLabel")
        body = ttk.Frame(self.frame, style="Pb.TFrame")
        body.pack(fill="x", pady=self._px(6))
        self.w_art = ttk.Label(body, style="Pb.TLabel")
        self.w_art.pack(side="left", padx=(0, self._px(14)))
        texts = ttk.Frame(body, style="Pb.TFrame")
        texts.pack(side="left", fill="both", expand=True)
        self.w_text = ttk.Label(texts, style="Pb.TLabel", wraplength=self._px(250),
                                justify="left")
        self.w_text.pack(anchor="w")
        self.w_cue = ttk.Label(texts, style="Muted.Pb.TLabel", wraplength=self._px(250),
                               justify="left")
        self.w_cue.pack(anchor="w", pady=(self._px(6), 0))
        self.w_count = ttk.Label(texts, style="Count.Pb.TLabel")
        self.w_count.pack(anchor="w", pady=(self._px(4), 0))
        self.w_step_bar = ttk.Progressbar(self.frame, maximum=1000,
                                          style="Pb.Horizontal.TProgressbar")
        self.w_step_bar.pack(fill="x", pady=(self._px(4), 0))
        self.w_total = self._label("", "Muted.Pb.TLabel")
        self.w_total_bar = ttk.Progressbar(self.frame, maximum=1000,
                                           style="Pb.Horizontal.TProgressbar")
        self.w_total_bar.pack(fill="x")
        row = ttk.Frame(self.frame, style="Pb.TFrame")
        row.pack(fill="x", pady=(self._px(10), 0))
        self._button(row, "◀ Back", self._back).pack(side="left")
        self.w_pause = self._button(row, "Pause", self._toggle, main=True)
        self.w_pause.pack(side="left", padx=self._px(6))
        self._button(row, "Next ▶", self._next).pack(side="left")
        self._button(row, "Stop", self._stop).pack(side="right")
        self.w_pause.focus_set()
        self._shown: tuple[object, ...] = ()

    def _refresh(self) -> None:
        assert self.session is not None
        view = self.session.view(self.clock())
        step = view.step
        shown = (view.number, view.remaining, view.is_paused, view.is_cue_shown)
        if shown == self._shown:
            return
        if self._shown[:1] != shown[:1] or self._shown[2:3] != shown[2:3]:
            self.root.title(step_title(step.kind, view.number, view.count, view.is_paused))
        if not self._shown or self._shown[0] != view.number:
            art = "circles" if step.kind == "press" and view.is_cue_shown else step.illustration
            self.w_art.configure(image=self._art(art))
            self.w_text.configure(text=step.text)
            self.w_round.configure(text=heading(step.kind, view.round, view.rounds))
        if view.is_cue_shown and step.cue:
            self.w_cue.configure(text=step.cue)
            self.w_art.configure(image=self._art("circles"))
        elif not view.is_cue_shown:
            self.w_cue.configure(text="")
        minutes, seconds = divmod(view.remaining, 60)
        self.w_count.configure(text=f"{minutes}:{seconds:02d}" + ("  paused" if view.is_paused
                                                                   else ""))
        self.w_step_bar.configure(value=round(view.step_fraction * 1000))
        self.w_total_bar.configure(value=round(view.total_fraction * 1000))
        left = round((1 - view.total_fraction) * self.session.total / 60)
        self.w_total.configure(text=f"Step {view.number} of {view.count} · about {left} min left"
                               if left else f"Step {view.number} of {view.count}")
        self.w_pause.configure(text="Resume" if view.is_paused else "Pause")
        self._shown = shown
        self._report_tick(view)

    def _report_tick(self, view: View) -> None:
        """Say what the countdown shows, once it is on the screen: a test waits for this (a
        screenshot after it sees the new count) instead of sleeping."""
        if not self._is_placed:
            return  # the first drawing, before the window is placed: the next change tells
        self.root.update_idletasks()  # draw it now; Tk then waits for the X server to have it
        send_report(self.report, Countdown(view.number, view.remaining, view.is_paused))

    def _schedule(self) -> None:
        assert self.session is not None
        if self._timer is not None:
            self.root.after_cancel(self._timer)
        wait = self.session.seconds_to_next_change(self.clock())
        self._timer = self.root.after(max(10, round(wait * 1000) + 5), self._tick)

    def _tick(self) -> None:
        self._timer = None
        if self.session is not None:
            self._move(self.session.tick)

    def _cue(self, cue: Cue) -> None:
        self.cues.append(cue)
        self.guide.cue(cue, self.session)
        send_report(self.report, Cued(cue))

    def _toggle(self) -> None:
        if self.session is None or self.session.is_finished:
            return
        self.session.toggle(self.clock())
        self.guide.toggled(self.session)
        self._refresh()
        self._schedule()

    def _move(self, move: Callable[[float], list[Cue]]) -> None:
        if self.session is None or self.session.is_finished:
            return
        for cue in move(self.clock()):
            self._cue(cue)
        if self.session.is_finished:
            self._show_end()
            return
        self._refresh()
        self._schedule()

    def _back(self) -> None:
        if self.session is not None:
            self._move(self.session.back)

    def _next(self) -> None:
        if self.session is not None:
            self._move(self.session.next)

    def _stop(self) -> None:
        assert self.session is not None
        self._finish(Ended(Outcome.STOPPED_EARLY, self.session.furthest + 1))

    # --- the end ---------------------------------------------------------------------------

    def _show_end(self) -> None:
        if self._timer is not None:
            self.root.after_cancel(self._timer)
            self._timer = None
        self._send_outcome(Ended(Outcome.COMPLETED))
        self._clear()
        count = self.options.completed_today + 1
        rounds = self.options.rounds
        minutes = round(self.routine.length(rounds).total_seconds() / 60)
        art = ttk.Label(self.frame, image=self._art("finish"), style="Pb.TLabel")
        art.pack()
        self.root.title(window_title("Well done"))
        self._label("Well done", "Title.Pb.TLabel").pack_configure(pady=(self._px(6), 0))
        self._label(f"{rounds} rounds of pressure on your upper back, about {minutes} minutes.")
        line = f"Today: {count} of {self.options.daily_cap}"
        if count >= self.options.daily_cap:
            line += ". The guidance is up to 5 sessions a day."
        self._label(line).pack_configure(pady=(self._px(6), 0))
        self._label(self.routine.safety, "Muted.Pb.TLabel").pack_configure(pady=(self._px(8), 0))
        close = self._button(self.frame, "Close", self._close, main=True)
        close.pack(anchor="e", pady=(self._px(10), 0))
        close.focus_set()
        self.guide.end(count)
        self.root.after(END_CARD_CLOSES_SECONDS * 1000, self._close)
        self._place()

    def _close(self) -> None:
        self.root.destroy()

    # --- keys and outcome ------------------------------------------------------------------

    def _focused(self, _event: object) -> None:
        if self._keys_from == 0.0:
            self._keys_from = self.clock() + self.options.key_guard_seconds

    def _key(self, action: Callable[[], None]) -> None:
        if self.clock() < self._keys_from:
            return  # focus arrived a moment ago: the person may be typing elsewhere
        action()

    def _escape(self) -> None:
        if self._is_done:
            self._close()
        elif self.session is None:
            self._finish(Snooze(DEFAULT_SNOOZE // MINUTE) if self.options.can_snooze
                         else Ended(Outcome.SKIPPED))
        else:
            self._stop()

    def _send_outcome(self, report: Snooze | Ended) -> None:
        if self._is_done:
            return
        self._is_done = True
        send_report(self.report, report)
        self.exit_code = EXIT_CODES["snoozed" if isinstance(report, Snooze)
                                    else report.outcome.value]

    def _finish(self, report: Snooze | Ended) -> None:
        self._send_outcome(report)
        for timer in (self._timer, self._card_timer):
            if timer is not None:
                self.root.after_cancel(timer)
        self.root.destroy()

