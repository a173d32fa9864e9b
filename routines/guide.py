"""What a person hears during the routine: a chime at each cue and, with the voice on, the words.

The window tells the guide what happens (a cue, a pause, a resume, the card, the end); the
guide plays the chime (tray.adapters.sound) and says the short spoken form
(tray.adapters.speech), in the language shown (the voice is told which: Options.language).
Neither ever blocks: the countdown never waits for a sound or a word.
"""

from __future__ import annotations

import tkinter as tk

from routines.options import Options, spoken_step
from routines.routine import chime_sources
from routines.session import Cue, Session
from tray.adapters.sound import Chimes
from tray.adapters.speech import Voice
from tray.base.i18n import _, ngettext
from tray.core.choices import MINUTE
from tray.core.model import DEFAULT_SNOOZE


class Guide:
    def __init__(self, root: tk.Tk, options: Options) -> None:
        self.options = options
        self.chimes = (Chimes(chime_sources(), options.volume, root.bell, root.after)
                       if options.is_sound_on else None)
        self.voice = Voice(options.language) if options.is_voice_on else None

    def card(self) -> None:
        if not self.options.can_snooze:
            self._say(_("Time for a back break. Enter starts it. Escape skips it."))
            return
        minutes = DEFAULT_SNOOZE // MINUTE
        # TRANSLATORS: spoken when the prompt card opens; Enter and Escape are the keys.
        self._say(ngettext("Time for a back break. Enter starts it. Escape snoozes it for {n} "
                           "minute.", "Time for a back break. Enter starts it. Escape snoozes "
                           "it for {n} minutes.", minutes).format(n=minutes))

    def cue(self, cue: Cue, session: Session | None) -> None:
        if self.chimes is not None:
            self.chimes.play(cue.value)
        if session is None:
            return
        if cue is Cue.STEP:
            self._say_step(session)
        elif cue is Cue.KEEP_GOING:
            self._say(session.step.spoken_cue)

    def toggled(self, session: Session) -> None:
        """A pause stops the words at once; a resume says the step again."""
        if self.voice is None:
            return
        if session.is_paused:
            self.voice.cancel()
        else:
            self._say_step(session)

    def end(self, count: int) -> None:
        self._say(_("The routine is over. Today: {done} of {cap}.").format(
            done=count, cap=self.options.daily_cap))

    def close(self) -> None:
        """The window has gone: the voice stops; a chime still playing plays to its end."""
        if self.voice is not None:
            self.voice.close()
        if self.chimes is not None:
            self.chimes.close()

    def _say_step(self, session: Session) -> None:
        step, round_, rounds = session.steps[session.index]
        self._say(spoken_step(step.spoken, step.kind, round_, rounds))

    def _say(self, text: str | None) -> None:
        if self.voice is not None and text:
            self.voice.say(text)
