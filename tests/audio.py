"""What a person would hear, recorded for real: a PulseAudio server whose only output is a null
sink ("speaker"), recorded from its monitor with `parec --latency-msec=20` (TESTING.md), and the
measures the tests take of it: loudness (RMS), sounds apart from silence, the loudest frequency.

The recording is read live, so a test waits for a sound to be heard, not for a delay; it is
saved as a WAV beside the screenshots.
"""

from __future__ import annotations

import cmath
import math
import os
import shutil
import signal
import subprocess
import threading
import time
import wave
from array import array
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from desktop import start_pulse, wait_for

RATE = 16000  # the recording's rate: far above the chimes' and speech's loudest frequencies
CHUNK = RATE // 50  # 20 ms
SILENT = 0.004  # RMS below this is silence (the null sink's monitor gives exact zeros)
HEARD = 0.02  # RMS above this, over 20 ms, is a sound a person hears


@dataclass
class Recording:
    """The speaker's output as it comes: chunks of 20 ms, each with the time it was read."""

    process: subprocess.Popen[bytes]
    chunks: list[tuple[float, array]] = field(default_factory=list)  # (monotonic, samples)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            data = stream.read(CHUNK * 2)
            if not data:
                return
            samples = array("h", data[: len(data) // 2 * 2])
            with self.lock:
                self.chunks.append((time.monotonic(), samples))

    def samples(self, since: float = 0.0, until: float = math.inf) -> list[float]:
        with self.lock:
            chunks = [c for t, c in self.chunks if since <= t <= until]
        return [v / 32768 for chunk in chunks for v in chunk]

    def heard_after(self, since: float) -> bool:
        """Whether a sound was heard in some 20 ms after `since`."""
        with self.lock:
            chunks = [c for t, c in self.chunks if t >= since]
        return any(rms([v / 32768 for v in c]) > HEARD for c in chunks)

    def wait_heard(self, since: float, what: str, timeout: float = 15) -> float:
        """Wait until a sound is heard after `since`; when it was."""
        def first() -> float | None:
            with self.lock:
                for t, c in self.chunks:
                    if t >= since and rms([v / 32768 for v in c]) > HEARD:
                        return t
            return None

        return wait_for(first, timeout=timeout, what=what)

    def wait_silent(self, since: float, seconds: float, what: str,
                    timeout: float = 15) -> float:
        """Wait for `seconds` of silence after `since`; when the silence began."""
        def quiet_from() -> float | None:
            with self.lock:
                chunks = [(t, c) for t, c in self.chunks if t >= since]
            start = None
            for t, c in chunks:
                if rms([v / 32768 for v in c]) > SILENT:
                    start = None
                elif start is None:
                    start = t
                if start is not None and t - start >= seconds:
                    return start
            return None

        return wait_for(quiet_from, timeout=timeout, what=what)

    def save(self, path: Path) -> Path:
        with self.lock:
            data = array("h", (v for _, c in self.chunks for v in c))
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(data.tobytes())
        return path


@dataclass
class Sound:
    """A sound server for one test: its env and what reaches its speaker."""

    folder: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]

    @contextmanager
    def recording(self, save_as: Path | None = None) -> Iterator[Recording]:
        process = subprocess.Popen(
            ["parec", "--latency-msec=20", "-d", "speaker.monitor", "--format=s16le",
             "--channels=1", f"--rate={RATE}", "--raw"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        recording = Recording(process)
        reader = threading.Thread(target=recording._read, daemon=True)
        reader.start()
        try:
            wait_for(lambda: recording.chunks, what="the recording to begin")
            yield recording
        finally:
            process.terminate()
            process.wait(10)
            reader.join(10)
            if save_as is not None:
                recording.save(save_as)

    def playing(self) -> list[str]:
        """The streams playing into the server now (one line each)."""
        done = subprocess.run(["pactl", "list", "short", "sink-inputs"], env=self.env,
                              capture_output=True, text=True, timeout=10)
        return [line for line in done.stdout.splitlines() if line.strip()]

    @contextmanager
    def watching_streams(self) -> Iterator[list[str]]:
        """Every stream that starts playing, as the server tells it (`pactl subscribe`)."""
        process = subprocess.Popen(["pactl", "subscribe"], env=self.env,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        started: list[str] = []

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                if "'new' on sink-input" in line:
                    started.append(line.strip())

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            yield started
        finally:
            process.terminate()
            process.wait(10)
            reader.join(10)


@contextmanager
def sound_server(folder: Path, env: dict[str, str]) -> Iterator[Sound]:
    """A PulseAudio server (tests/desktop.py) for a profile's env; speech-dispatcher, if a test
    starts it through spd-say, is stopped with it."""
    folder.mkdir(parents=True, exist_ok=True)
    process, server = start_pulse(folder)
    sound = Sound(folder, {**env, "PULSE_SERVER": server}, process)
    try:
        yield sound
    finally:
        stop_speech_dispatcher(Path(env["XDG_RUNTIME_DIR"]))
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def stop_speech_dispatcher(runtime: Path) -> None:
    """speech-dispatcher, spawned by spd-say for this runtime folder, and its modules."""
    socket = str(runtime / "speech-dispatcher")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(socket.encode() in part for part in command):
            with_pid = int(entry.name)
            with suppress(ProcessLookupError):
                os.kill(with_pid, signal.SIGTERM)


def missing_speech_tools() -> list[str]:
    return [tool for tool in ("spd-say", "speech-dispatcher", "espeak-ng")
            if shutil.which(tool) is None]


# --- measures ---------------------------------------------------------------------------------

def rms(samples: list[float]) -> float:
    return math.sqrt(sum(v * v for v in samples) / len(samples)) if samples else 0.0


def sounds(samples: list[float], rate: int = RATE, gap: float = 0.15) -> list[list[float]]:
    """The separate sounds: runs of 20 ms chunks louder than silence, apart by `gap` of it."""
    size = rate // 50
    found: list[list[float]] = []
    current: list[float] = []
    quiet = 0
    for start in range(0, len(samples), size):
        chunk = samples[start:start + size]
        if rms(chunk) > SILENT * 2:
            current.extend(chunk)
            quiet = 0
        elif current:
            quiet += 1
            if quiet * size >= gap * rate:
                found.append(current)
                current, quiet = [], 0
    if current:
        found.append(current)
    return [s for s in found if rms(s) > HEARD]


def loudest_frequency(samples: list[float], rate: int = RATE) -> float:
    """The frequency with the most energy (Hann window, FFT over the first 2^n samples, up to
    about a second)."""
    size = 1 << min(14, max(8, int(math.log2(len(samples)))))
    if len(samples) < size:
        samples = samples + [0.0] * (size - len(samples))
    window = [samples[i] * (0.5 - 0.5 * math.cos(2 * math.pi * i / (size - 1)))
              for i in range(size)]
    spectrum = _fft(window)
    magnitudes = [abs(v) for v in spectrum[1:size // 2]]
    peak = max(range(len(magnitudes)), key=magnitudes.__getitem__) + 1
    return peak * rate / size


def _fft(values: list[float]) -> list[complex]:
    n = len(values)
    data = [complex(v) for v in values]
    j = 0
    for i in range(1, n):  # bit-reversed order
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
        if i < j:
            data[i], data[j] = data[j], data[i]
    length = 2
    while length <= n:
        step = cmath.exp(-2j * math.pi / length)
        for start in range(0, n, length):
            w = 1 + 0j
            for k in range(length // 2):
                a, b = data[start + k], data[start + k + length // 2] * w
                data[start + k], data[start + k + length // 2] = a + b, a - b
                w *= step
        length <<= 1
    return data
