"""The routine window's figures: start to prompt card viewable, a step change, peak memory,
CPU while a countdown runs. Prints figures; asserts nothing. Needs Xvfb (tests/run.sh).

Run: .venv/bin/python bench/window_bench.py
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import desktop as desk  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def viewable_pointbreak(display: object, known: set[int], title: str = "Pointbreak") -> int | None:
    from Xlib import X

    root = display.screen().root  # type: ignore[attr-defined]
    for window in root.query_tree().children:
        if window.id in known:
            continue
        try:
            if window.get_attributes().map_state != X.IsViewable:
                continue
            for child in [window, *window.query_tree().children]:
                if child.get_wm_name() == title:
                    return int(window.id)
        except Exception:
            continue
    return None


def start_times(env: dict[str, str], runs: int, args: tuple[str, ...] = ("routines", "card"),
                title: str = "Pointbreak") -> list[float]:
    """From `python -m ARGS` starting to its window `title` viewable, `runs` times."""
    from Xlib import display as xdisplay

    times = []
    for _ in range(runs):
        screen = xdisplay.Display(env["DISPLAY"])
        known = {w.id for w in screen.screen().root.query_tree().children}
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", *args], env=env)
        while time.perf_counter() - started < 10:
            if viewable_pointbreak(screen, known, title):
                times.append(time.perf_counter() - started)
                break
            time.sleep(0.002)
        process.kill()
        process.wait()
        screen.close()
    return times


STEP_PROBE = r"""
import time, tkinter as tk, statistics, json
from routines.routine import load_all
from routines.options import Options
from routines.window import RoutineWindow
root = tk.Tk()
window = RoutineWindow(root, load_all()[0]["upper-back-hands-only"],
                       Options(start_in_routine=True, is_sound_on=False), None, time.monotonic)
root.update()
samples = []
for _ in range(len(window.session.steps) - 1):
    started = time.perf_counter()
    window._next()
    root.update()
    samples.append(time.perf_counter() - started)
print(json.dumps(samples))
"""


def private_env(screen: desk.Desktop, **extra: str) -> dict[str, str]:
    """The environment of a person of their own on this screen: a fresh home and XDG folders."""
    home = Path(tempfile.mkdtemp(prefix="pb-wbench-", dir="/tmp"))
    (home / "r").mkdir(mode=0o700)
    return dict(os.environ, **screen.env, HOME=str(home), XDG_CONFIG_HOME=str(home / "c"),
                XDG_DATA_HOME=str(home / "d"), XDG_STATE_HOME=str(home / "s"),
                XDG_RUNTIME_DIR=str(home / "r"), XDG_CACHE_HOME=str(home / "cache"), **extra)


def main() -> int:
    print("Pointbreak routine window benchmark")
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python "
          f"{platform.python_version()}")
    screen = desk.start_desktop()
    env = private_env(screen, POINTBREAK_TEST_KEY_GUARD_SECONDS="0")
    try:
        times = start_times(env, 7)
        print(f"process start to prompt card viewable: median {statistics.median(times) * 1e3:.0f}"
              f" ms (min {min(times) * 1e3:.0f}, max {max(times) * 1e3:.0f}, n={len(times)})"
              "  target <= 200 ms")
        import json

        steps = json.loads(subprocess.run([sys.executable, "-c", STEP_PROBE], env=env,
                                          capture_output=True, text=True, check=True).stdout)
        print(f"step change (next step drawn): median {statistics.median(steps) * 1e3:.1f} ms "
              f"(max {max(steps) * 1e3:.1f}, n={len(steps)})  target <= 30 ms")
        process = subprocess.Popen([sys.executable, "-m", "routines", "session"], env=env)
        time.sleep(3)
        stat = Path(f"/proc/{process.pid}/stat")

        def cpu() -> float:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / TICK

        before, started = cpu(), time.monotonic()
        time.sleep(20)
        used = (cpu() - before) / (time.monotonic() - started)
        status = Path(f"/proc/{process.pid}/status").read_text()
        peak = next(int(line.split()[1]) for line in status.splitlines()
                    if line.startswith("VmHWM:")) / 1024
        process.kill()
        process.wait()
        print(f"CPU while the countdown runs (20 s): {used * 100:.2f} % of one core"
              "  target <= 2 %")
        print(f"peak resident memory of the window process: {peak:.1f} MiB  target <= 40 MiB")
    finally:
        screen.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
