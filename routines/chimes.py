"""Make the routine's chimes: `python -m routines.chimes` writes routines/sounds/*.wav.

Our own sounds, synthesised here, so their licence is the project's. Each is a soft, bell-like
tone: a fundamental with two quiet partials, a short rounded attack and an exponential decay,
ending in a fade to silence (no click). Three of them, told apart by pitch and shape:

- `step`       one tone at 660 Hz (E5): a new step begins.
- `keep_going` two light taps at 990 Hz (B5): the 10-second mark of a press, keep going.
- `done`       three falling notes E5, C#5, A4, the last one ringing (440 Hz): the end.

Mono, 16-bit, 22050 Hz (the partials stay far below its limit), peak at 80 % of full scale:
the window scales the samples to the person's volume (tray.adapters.sound). Deterministic: the
same samples on every run, which tests/ui/test_sound.py holds against the files.
"""

from __future__ import annotations

import math
import sys
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

RATE = 22050
PEAK = 0.8
ATTACK = 0.012  # seconds
FADE = 0.04  # the last seconds of each note, down to silence
PARTIALS = ((1.0, 1.0), (2.0, 0.22), (3.0, 0.06))  # (times the fundamental, amplitude)


@dataclass(frozen=True)
class Note:
    start: float  # seconds from the sound's start
    frequency: float
    length: float  # seconds
    decay: float  # seconds for the level to fall to 1/e
    level: float = 1.0


SOUNDS: dict[str, tuple[Note, ...]] = {
    "step": (Note(0.0, 660.0, 0.75, 0.22),),
    "keep_going": (Note(0.0, 990.0, 0.3, 0.07, 0.8), Note(0.16, 990.0, 0.45, 0.12)),
    "done": (Note(0.0, 660.0, 0.5, 0.12, 0.7), Note(0.2, 554.37, 0.5, 0.12, 0.8),
             Note(0.4, 440.0, 1.3, 0.4)),
}
FREQUENCIES = {name: notes[-1].frequency for name, notes in SOUNDS.items()}  # the loudest


def folder() -> Path:
    return Path(__file__).resolve().parent / "sounds"


def _envelope(t: float, note: Note) -> float:
    rise = 0.5 - 0.5 * math.cos(math.pi * t / ATTACK) if t < ATTACK else 1.0
    fade = min(1.0, (note.length - t) / FADE)
    return rise * math.exp(-max(0.0, t - ATTACK) / note.decay) * max(0.0, fade)


def samples(name: str) -> array[int]:
    """The sound's 16-bit samples."""
    notes = SOUNDS[name]
    count = round(max(n.start + n.length for n in notes) * RATE)
    mixed = [0.0] * count
    weight = sum(a for _, a in PARTIALS)
    for note in notes:
        first = round(note.start * RATE)
        for i in range(round(note.length * RATE)):
            t = i / RATE
            tone = sum(a * math.sin(2 * math.pi * note.frequency * m * t) for m, a in PARTIALS)
            mixed[first + i] += note.level * _envelope(t, note) * tone / weight
    top = max(abs(v) for v in mixed)
    return array("h", (round(v / top * PEAK * 32767) for v in mixed))


def write(path: Path, data: array[int], rate: int = RATE) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(data.tobytes() if sys.byteorder == "little" else _swapped(data))


def _swapped(data: array[int]) -> bytes:
    copy = array("h", data)
    copy.byteswap()
    return copy.tobytes()


def main(target: Path | None = None) -> list[Path]:
    target = target or folder()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SOUNDS:
        path = target / f"{name}.wav"
        write(path, samples(name))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main():
        print(path)
