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

Every text is in the language shown (tray.base.i18n): the window's own through the catalogs,
the routine's from its file in that language (routines/routine.py). The looks are
routines/looks.py.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from routines.guide import Guide
from routines.looks import Looks
from routines.options import (
    APP_NAME,
    END_CARD_CLOSES_SECONDS,
    EXIT_CODES,
    Options,
    card_title,
    end_title,
    heading,
    step_title,
)
from routines.routine import Routine
from routines.session import Cue, Session, View
from tray.base.i18n import _, ngettext, pgettext
from tray.base.words import duration
from tray.core.choices import MINUTE, SNOOZE_MINUTES, Snooze
from tray.core.model import DEFAULT_SNOOZE, Outcome
from tray.ipc.children import ReportStream, send_report
from tray.ipc.reports import Countdown, Cued, Ended, Started


class RoutineWindow(Looks):
    def __init__(self, root: tk.Tk, routine: Routine, options: Options,
                 report: ReportStream | None, clock: Callable[[], float]) -> None:
        super().__init__(root, options)
        self.routine = routine
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
        self.guide = Guide(root, options)
        root.title(APP_NAME)
        root.configure(background=self.colours["bg"])
        root.attributes("-topmost", True)
        root.protocol("WM_DELETE_WINDOW", lambda: self._key(self._escape))
        root.bind("<space>", lambda _e: self._key(self._toggle))
        root.bind("<Left>", lambda _e: self._key(self._back))
        root.bind("<Right>", lambda _e: self._key(self._next))
        root.bind("<Escape>", lambda _e: self._key(self._escape))
        root.bind("<FocusIn>", self._focused)
        self.frame.pack(fill="both", expand=True)
        if options.start_in_routine:
            self._start_routine()
        else:
            self._show_card()
        self._place()
        self._is_placed = True

    # --- the card --------------------------------------------------------------------------

    def _show_card(self) -> None:
        self._clear()
        self.root.title(card_title())
        minutes = round(self.routine.length(self.options.rounds).total_seconds() / 60)
        self._label(_("Time for a back break"), "Title.Pb.TLabel")
        # TRANSLATORS: under the card's title: the routine's title and how long it takes.
        self._label(ngettext("{title} · about {n} minute", "{title} · about {n} minutes",
                             minutes).format(title=self.routine.title, n=minutes))
        self._label(self.routine.description, "Muted.Pb.TLabel").pack_configure(pady=(2, 12))
        row = ttk.Frame(self.frame, style="Pb.TFrame")
        row.pack(fill="x")
        start = self._button(row, _("Start"), self._start_routine, main=True)
        start.pack(side="left")
        if self.options.can_snooze:
            snooze = ttk.Menubutton(row, text=_("Snooze"), style="Pb.TMenubutton")
            menu = tk.Menu(snooze, tearoff=False, font=self.fonts["body"])
            for minutes_ in SNOOZE_MINUTES:
                menu.add_command(label=duration(minutes_), command=self._snoozer(minutes_))
            snooze["menu"] = menu
            snooze.pack(side="left", padx=self._px(6))
        self._button(row, _("Skip"), lambda: self._finish(Ended(Outcome.SKIPPED))).pack(
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
        self._button(row, _("◀ Back"), self._back).pack(side="left")
        self.w_pause = self._button(row, pgettext("routine", "Pause"), self._toggle, main=True)
        self.w_pause.pack(side="left", padx=self._px(6))
        self._button(row, _("Next ▶"), self._next).pack(side="left")
        self._button(row, _("Stop"), self._stop).pack(side="right")
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
        count = f"{minutes}:{seconds:02d}"
        # TRANSLATORS: the countdown while the routine is paused; {countdown} is "0:45".
        self.w_count.configure(text=_("{countdown}  paused").format(countdown=count)
                               if view.is_paused else count)
        self.w_step_bar.configure(value=round(view.step_fraction * 1000))
        self.w_total_bar.configure(value=round(view.total_fraction * 1000))
        self.w_total.configure(text=self._total_line(view))
        self.w_pause.configure(text=pgettext("routine", "Resume") if view.is_paused
                               else pgettext("routine", "Pause"))
        self._shown = shown
        self._report_tick(view)

    def _total_line(self, view: View) -> str:
        assert self.session is not None
        left = round((1 - view.total_fraction) * self.session.total / 60)
        if not left:
            return _("Step {n} of {total}").format(n=view.number, total=view.count)
        return ngettext("Step {n} of {total} · about {left} min left",
                        "Step {n} of {total} · about {left} min left", left).format(
                            n=view.number, total=view.count, left=left)

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
        self.root.title(end_title())
        self._label(_("Well done"), "Title.Pb.TLabel").pack_configure(pady=(self._px(6), 0))
        # TRANSLATORS: the end card's summary: "4 rounds of pressure on your upper back, about
        # 6 minutes."
        self._label(_("{rounds}, about {minutes}.").format(
            rounds=ngettext("{n} round of pressure on your upper back",
                            "{n} rounds of pressure on your upper back", rounds).format(n=rounds),
            minutes=ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)))
        cap = self.options.daily_cap
        line = (_("Today: {done} of {cap}. The guidance is up to 5 sessions a day.")
                if count >= cap else _("Today: {done} of {cap}")).format(done=count, cap=cap)
        self._label(line).pack_configure(pady=(self._px(6), 0))
        self._label(self.routine.safety, "Muted.Pb.TLabel").pack_configure(pady=(self._px(8), 0))
        close = self._button(self.frame, _("Close"), self._close, main=True)
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

