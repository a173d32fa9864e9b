"""How fast do-not-disturb sees a fullscreen window come and go (X11, event-driven), and how
fast the presence watcher sees a return. Prints figures; asserts nothing.

Run: .venv/bin/python bench/quiet_bench.py
"""

from __future__ import annotations

import os
import queue
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import desktop as desk  # noqa: E402

from tray.adapters.idle import X11Idle  # noqa: E402
from tray.adapters.idle.presence import Polling, PresenceWatcher  # noqa: E402
from tray.adapters.quiet import X11FullscreenWatcher  # noqa: E402
from tray.core.events import QuietEnded, QuietStarted  # noqa: E402


def main() -> int:
    screen = desk.start_desktop()
    try:
        events: queue.Queue = queue.Queue()
        X11FullscreenWatcher(lambda e: events.put((time.perf_counter(), e)),
                             screen.display).start()
        enter, leave = [], []
        for _ in range(5):
            presenter = subprocess.Popen(
                [sys.executable, str(HERE.parent / "tests" / "fullscreen_window.py")],
                env={**os.environ, **screen.env}, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True, bufsize=1)
            assert presenter.stdout is not None and presenter.stdin is not None
            started = time.perf_counter()
            presenter.stdout.readline()
            at, event = events.get(timeout=10)
            assert isinstance(event, QuietStarted)
            enter.append(at - started)
            left = time.perf_counter()
            presenter.stdin.write("leave\n")
            at, event = events.get(timeout=10)
            assert isinstance(event, QuietEnded)
            leave.append(at - left)
            presenter.kill()
            presenter.wait()
            desk.wait_for(lambda: not screen.visible_windows("^Fullscreen test$"))
        print(f"fullscreen seen {statistics.median(enter):.3f} s (median) after the window's "
              "process started, Tk start included")
        print(f"leaving fullscreen seen after {statistics.median(leave) * 1e3:.0f} ms (median, "
              f"max {max(leave) * 1e3:.0f}, n=5)  target <= 1 s")
        returns: queue.Queue = queue.Queue()
        watcher = PresenceWatcher(X11Idle(screen.display), returns.put,
                                  Polling(away_after=2.0))  # the real 5 s poll while away
        watcher.start()
        returns.get(timeout=60)  # away
        time.sleep(3.0)
        back = time.perf_counter()
        screen.run("xdotool", "mousemove_relative", "--", "5", "5")
        returns.get(timeout=30)
        print(f"a return seen after {time.perf_counter() - back:.1f} s (polling every 5 s "
              "while away)  target <= 10 s")
        watcher.stop()
        calls()
    finally:
        screen.stop()
    return 0


def calls() -> None:
    """A call starting and ending: the microphone (a real PulseAudio server, parecord) and a
    camera (a file standing in for /dev/video0, held open by a process)."""
    import tempfile

    from tray.adapters.quiet.calls import CameraWatcher, PulseMicrophoneWatcher

    folder = Path(tempfile.mkdtemp(prefix="pb-qbench-", dir="/tmp"))
    server, os.environ["PULSE_SERVER"] = desk.start_pulse(folder)
    try:
        events: queue.Queue = queue.Queue()
        microphone = PulseMicrophoneWatcher(lambda e: events.put((time.perf_counter(), e)))
        microphone.start()
        seen = []
        for _ in range(5):
            started = time.perf_counter()
            call = subprocess.Popen(["parecord", "-d", "mic", os.devnull])
            at, event = events.get(timeout=10)
            assert isinstance(event, QuietStarted)
            seen.append(at - started)
            call.kill()
            call.wait()
            events.get(timeout=10)
        microphone.stop()
        print(f"microphone in use seen {statistics.median(seen) * 1e3:.0f} ms (median, max "
              f"{max(seen) * 1e3:.0f}, n=5) after the recording process started")
        (folder / "video0").write_bytes(b"")
        CameraWatcher(lambda e: events.put((time.perf_counter(), e)), folder=folder).start()
        started = time.perf_counter()
        holder = subprocess.Popen([sys.executable, "-c", "import sys, time; "
                                   "f = open(sys.argv[1], 'rb'); time.sleep(30)",
                                   str(folder / "video0")])
        at, event = events.get(timeout=10)
        assert isinstance(event, QuietStarted)
        print(f"camera in use seen {(at - started) * 1e3:.0f} ms after the process holding it "
              "started (0.5 s of it is the settle wait)")
        holder.kill()
        holder.wait()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
