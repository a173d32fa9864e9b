"""Routine files: TOML data (never executed), validated on load, with messages that name the file,
the step and the key.

A routine is a few steps in order; consecutive steps with the same `repeat` count form a round
that runs that many times. The person's `rounds` setting replaces the count of the round that
holds the press step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from tray.base import guard

KINDS = ("settle", "locate", "press", "rest", "finish")
ILLUSTRATIONS = ("settle", "locate", "press", "circles", "rest", "finish")
DEFAULT_ROUTINE = "upper-back-hands-only"
MAX_STEP_SECONDS = 600
MAX_REPEAT = 10
CHIMES = ("step", "keep_going", "done")  # made by routines/chimes.py; one for each Cue


class RoutineError(ValueError):
    """A routine file that cannot be used; str() names the file, the step and the key."""

    def __init__(self, path: Path | str, message: str, *, step: int | None = None,
                 key: str | None = None) -> None:
        self.path, self.step, self.key = Path(path), step, key
        place = [str(path)]
        if step is not None:
            place.append(f"step {step}")
        if key is not None:
            place.append(f"key {key}")
        super().__init__(f"{message} (in {', '.join(place)})")


@dataclass(frozen=True)
class Step:
    kind: str
    text: str
    seconds: int
    illustration: str
    repeat: int = 1
    cue: str | None = None
    cue_at: int | None = None  # seconds into the step
    say: str | None = None  # the short spoken form of `text`, where the written one is long
    cue_say: str | None = None  # the same for `cue`

    @property
    def spoken(self) -> str:
        return self.say or self.text

    @property
    def spoken_cue(self) -> str | None:
        return self.cue_say or self.cue


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    description: str
    area: str
    safety: str
    steps: tuple[Step, ...]
    path: Path

    def expanded(self, rounds: int | None = None) -> list[tuple[Step, int, int]]:
        """The steps as shown: (step, round number, rounds in that block); round 0 = no round."""
        shown: list[tuple[Step, int, int]] = []
        index = 0
        while index < len(self.steps):
            step = self.steps[index]
            if step.repeat == 1:
                shown.append((step, 0, 0))
                index += 1
                continue
            block = [step]
            while (index + len(block) < len(self.steps)
                   and self.steps[index + len(block)].repeat == step.repeat):
                block.append(self.steps[index + len(block)])
            count = step.repeat
            if rounds is not None and any(s.kind == "press" for s in block):
                count = rounds
            for number in range(1, count + 1):
                shown.extend((s, number, count) for s in block)
            index += len(block)
        return shown

    def length(self, rounds: int | None = None) -> timedelta:
        return timedelta(seconds=sum(step.seconds for step, _, _ in self.expanded(rounds)))


def _text(data: dict[str, Any], key: str, path: Path, step: int | None = None,
          limit: int = 400) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RoutineError(path, f"{key} must be a non-empty text", step=step, key=key)
    if len(value) > limit:
        raise RoutineError(path, f"{key} is longer than {limit} characters", step=step, key=key)
    return value.strip()


def _whole(data: dict[str, Any], key: str, low: int, high: int, path: Path, step: int,
           default: int | None = None) -> int:
    value = data.get(key, default)
    if not guard.is_whole(value, low, high):
        raise RoutineError(path, f"{key} must be a whole number from {low} to {high}, "
                                 f"got {guard.shorten(repr(value))}", step=step, key=key)
    return value


def parse(data: dict[str, Any], path: Path) -> Routine:
    routine_id = _text(data, "id", path, limit=64)
    steps_data = data.get("steps")
    if not isinstance(steps_data, list) or not steps_data:
        raise RoutineError(path, "a routine needs a [[steps]] list with at least one step",
                           key="steps")
    steps = []
    for number, raw in enumerate(steps_data, start=1):
        if not isinstance(raw, dict):
            raise RoutineError(path, "each step must be a [[steps]] table", step=number)
        kind = raw.get("kind")
        if kind not in KINDS:
            raise RoutineError(path, f"kind must be one of {', '.join(KINDS)}, "
                                     f"got {guard.shorten(repr(kind))}", step=number, key="kind")
        illustration = raw.get("illustration", kind)
        if illustration not in ILLUSTRATIONS:
            raise RoutineError(path, f"illustration must be one of {', '.join(ILLUSTRATIONS)}, "
                                     f"got {guard.shorten(repr(illustration))}", step=number,
                               key="illustration")
        seconds = _whole(raw, "seconds", 1, MAX_STEP_SECONDS, path, number)
        cue = raw.get("cue")
        cue_at = cue_say = None
        if cue is not None:
            cue = _text(raw, "cue", path, number)
            cue_at = _whole(raw, "cue_at", 1, seconds - 1, path, number)
            cue_say = _text(raw, "cue_say", path, number) if "cue_say" in raw else None
        elif "cue_say" in raw:
            raise RoutineError(path, "cue_say is the spoken form of a cue: give the cue too",
                               step=number, key="cue_say")
        say = _text(raw, "say", path, number) if "say" in raw else None
        steps.append(Step(kind=kind, text=_text(raw, "text", path, number),
                          seconds=seconds, illustration=illustration,
                          repeat=_whole(raw, "repeat", 1, MAX_REPEAT, path, number, default=1),
                          cue=cue, cue_at=cue_at, say=say, cue_say=cue_say))
    return Routine(id=routine_id, title=_text(data, "title", path, limit=80),
                   description=_text(data, "description", path),
                   area=_text(data, "area", path, limit=80),
                   safety=_text(data, "safety", path), steps=tuple(steps), path=path)


MAX_BYTES = 256 << 10  # the bundled routine is 3 KB


def load_file(path: Path) -> Routine:
    try:
        raw = guard.read_file(path, limit=MAX_BYTES)
        if raw is None:
            raise guard.Refused("is not there")
        data = guard.parse_toml(guard.text_of(raw))
    except guard.Refused as error:
        raise RoutineError(path, f"the file {error}") from None
    return parse(data, path)


def bundled_folder() -> Path:
    return Path(str(resources.files(__package__ or "routines")))


def chime_sources() -> dict[str, Path]:
    """The chimes shipped beside the routines, one for each cue."""
    return {name: bundled_folder() / "sounds" / f"{name}.wav" for name in CHIMES}


def load_all(user_folder: Path | None = None) -> tuple[dict[str, Routine], list[RoutineError]]:
    """The bundled routines, then the person's own (which may replace one by id).

    A broken file is reported and skipped; it never stops the others.
    """
    found: dict[str, Routine] = {}
    problems: list[RoutineError] = []
    folders = [bundled_folder()] + ([user_folder] if user_folder is not None else [])
    for folder in folders:
        try:
            paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        except OSError as error:  # a folder the person cannot read: say so, go on without it
            problems.append(RoutineError(folder, f"the folder cannot be read "
                                                 f"({error.strerror or error})"))
            continue
        for path in paths:
            try:
                routine = load_file(path)
            except RoutineError as error:
                problems.append(error)
                continue
            found[routine.id] = routine
    return found, problems
