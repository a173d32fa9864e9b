"""A guided session on a clock: which step is on screen, how long it has left, which cue is due.

Pure: every method takes `now` (seconds on a monotonic clock) and nothing reads a clock, so the
tests drive a whole routine in microseconds. The window feeds it its clock once a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from routines.routine import Routine, Step


class Cue(StrEnum):
    STEP = "step"              # a new step began
    KEEP_GOING = "keep_going"  # the press step's 10-second mark: keep going to the full minute
    DONE = "done"              # the last step ended


@dataclass(frozen=True)
class View:
    step: Step
    number: int          # 1-based, in the expanded list
    count: int
    round: int           # 0 when the step is not part of a round
    rounds: int
    remaining: int       # whole seconds left in the step, rounded up
    step_fraction: float
    total_fraction: float
    is_paused: bool
    is_cue_shown: bool   # the step's cue text is due (past its cue_at)


class Session:
    def __init__(self, routine: Routine, rounds: int | None, now: float) -> None:
        self.steps = routine.expanded(rounds)
        self.total = float(sum(step.seconds for step, _, _ in self.steps))
        self.index = 0
        self.furthest = 0
        self.is_finished = False
        self._started = now
        self._paused_at: float | None = None
        self._paused_for = 0.0
        self._is_cue_given = False

    # --- reading ---------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.steps[self.index][0]

    @property
    def is_paused(self) -> bool:
        return self._paused_at is not None

    def elapsed(self, now: float) -> float:
        """Seconds of the current step done (a pause stops it)."""
        end = self._paused_at if self._paused_at is not None else now
        return max(0.0, end - self._started - self._paused_for)

    def view(self, now: float) -> View:
        step, number, rounds = self.steps[self.index]
        done = min(self.elapsed(now), float(step.seconds))
        before = sum(s.seconds for s, _, _ in self.steps[:self.index])
        return View(step=step, number=self.index + 1, count=len(self.steps), round=number,
                    rounds=rounds, remaining=max(0, math.ceil(step.seconds - done - 1e-9)),
                    step_fraction=done / step.seconds, total_fraction=(before + done) / self.total,
                    is_paused=self.is_paused,
                    is_cue_shown=step.cue_at is not None and done >= step.cue_at)

    def seconds_to_next_change(self, now: float) -> float:
        """How long until the shown seconds change, a cue or the step's end (an hour if paused)."""
        if self.is_paused or self.is_finished:
            return 3600.0
        done = self.elapsed(now)
        candidates = [math.floor(done) + 1 - done, self.step.seconds - done]
        if self.step.cue_at is not None and not self._is_cue_given:
            candidates.append(self.step.cue_at - done)
        return max(0.01, min((c for c in candidates if c > 0), default=0.01))

    # --- time passing ----------------------------------------------------------------------

    def tick(self, now: float) -> list[Cue]:
        """Move on through every step whose time is up; return the cues that fell due."""
        cues: list[Cue] = []
        while not self.is_finished and not self.is_paused:
            step = self.step
            done = self.elapsed(now)
            if step.cue_at is not None and not self._is_cue_given and done >= step.cue_at:
                self._is_cue_given = True
                cues.append(Cue.KEEP_GOING)
            if done < step.seconds:
                break
            if self.index + 1 >= len(self.steps):
                self.is_finished = True
                cues.append(Cue.DONE)
                break
            step_end = self._started + self._paused_for + step.seconds
            self._go(self.index + 1, step_end)
            cues.append(Cue.STEP)
        return cues

    # --- the person's keys -----------------------------------------------------------------

    def pause(self, now: float) -> None:
        if self._paused_at is None and not self.is_finished:
            self._paused_at = now

    def resume(self, now: float) -> None:
        if self._paused_at is not None:
            self._paused_for += now - self._paused_at
            self._paused_at = None

    def toggle(self, now: float) -> None:
        if self.is_paused:
            self.resume(now)
        else:
            self.pause(now)

    def next(self, now: float) -> list[Cue]:
        if self.index + 1 >= len(self.steps):
            self.is_finished = True
            return [Cue.DONE]
        self._go(self.index + 1, now)
        return [Cue.STEP]

    def back(self, now: float) -> list[Cue]:
        self._go(max(0, self.index - 1), now)
        return [Cue.STEP]

    def _go(self, index: int, now: float) -> None:
        was_paused = self.is_paused
        self.index = index
        self.furthest = max(self.furthest, index)
        self._started = now
        self._paused_for = 0.0
        self._paused_at = now if was_paused else None
        self._is_cue_given = False
