"""The settings and history windows' figures, with a year of history in the store (10 records
a day, as bench/bench.py): process start to window viewable, and the history chart of a year
drawn. Prints figures; asserts nothing. Needs Xvfb (tests/run.sh).

Run: .venv/bin/python bench/panes_bench.py
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

import desktop as desk  # noqa: E402
from window_bench import private_env, start_times  # noqa: E402

from bench import year_of_history  # noqa: E402

RUNS = 7

CHART_PROBE = r"""
import json, time, tkinter as tk
from datetime import date, timedelta
from tray.ui.history_window import HistoryWindow
from tray.config.paths import folders
from tray.ipc.commands import Reply
root = tk.Tk()
window = HistoryWindow(root, folders(), send=lambda request: Reply.refused("bench"))
root.update()
samples = []
for _ in range(11):
    started = time.perf_counter()
    window.draw(window.today - timedelta(days=364), window.today)
    root.update()
    samples.append(time.perf_counter() - started)
print(json.dumps({"samples": samples, "items": len(window.canvas.find_all())}))
"""


def main() -> int:
    print("Pointbreak settings and history windows benchmark")
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python "
          f"{platform.python_version()}")
    screen = desk.start_desktop()
    env = private_env(screen)
    os.environ.update({k: v for k, v in env.items() if k.startswith("XDG_") or k == "HOME"})
    from tray.config.paths import folders
    from tray.store import Store

    records = year_of_history(date.today())
    store = Store(folders().store)
    store.save(records=records)
    store.close()
    print(f"history: {len(records)} records over 365 days, "
          f"{sum(f.stat().st_size for f in folders().store.glob('*.json')) / 1024:.0f} KiB")
    try:
        for module, title in (("tray.ui.settings_window", "Pointbreak settings"),
                              ("tray.ui.history_window", "Pointbreak history")):
            times = start_times(env, RUNS, (module,), title)
            print(f"{title}: process start to viewable: median "
                  f"{statistics.median(times) * 1e3:.0f} ms (min {min(times) * 1e3:.0f}, max "
                  f"{max(times) * 1e3:.0f}, n={len(times)})  target <= 300 ms")
        probe = json.loads(subprocess.run([sys.executable, "-c", CHART_PROBE], env=env,
                                          capture_output=True, text=True, check=True).stdout)
        samples = probe["samples"]
        print(f"history chart of a year (53 weekly bars, {probe['items']} canvas items) drawn: "
              f"median {statistics.median(samples) * 1e3:.1f} ms (max "
              f"{max(samples) * 1e3:.1f}, n={len(samples)})  target <= 100 ms")
    finally:
        screen.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
