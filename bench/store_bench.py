"""The store's cost with a day of history against a year, in one run.

Prints, side by side: the median time of one save (the engine's change: the state and one
record) and the resident memory a process gains by opening the store as the tray does (state,
today's and yesterday's counts), each in a fresh child process. Goals (issue 16): a year's save
at most 1.2 times a day's; a year adds at most 0.5 MiB.

    python bench/store_bench.py [--saves 200]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import year_of_history

CHILD = r"""
import sys, time, gc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
from tray.core.model import Kind, Outcome, Record, State
from tray.store import Store
folder, saves, today = Path(sys.argv[1]), int(sys.argv[2]), date.fromisoformat(sys.argv[3])
gc.collect(); before = rss()
store = Store(folder)
state = store.load_state() or State()
store.day_count(today); store.day_count(today - timedelta(days=1))
gc.collect(); after = rss()
times = []
seq = state.seq
for n in range(saves):
    seq += 1
    shown = datetime(today.year, today.month, today.day, 8, tzinfo=UTC) + timedelta(seconds=n)
    record = Record(seq=seq, kind=Kind.PROMPT, day=today, shown_at=shown, ended_at=shown,
                    outcome=Outcome.SKIPPED)
    start = time.perf_counter()
    store.save(State(seq=seq), [record])
    times.append(time.perf_counter() - start)
times.sort()
print(after - before, times[len(times) // 2])
"""


def measure(folder: Path, saves: int, today) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(saves),
                          today.isoformat()], capture_output=True, text=True, check=True)
    kib, seconds = out.stdout.split()
    return int(kib) / 1024, float(seconds)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from tray.core.model import State
    from tray.store import Store

    today = datetime.now(UTC).date()
    base = Path(tempfile.mkdtemp(prefix="pb-store-bench-"))
    year = year_of_history(today)
    day = [r for r in year if r.day == today - timedelta(days=1)]
    figures: dict[str, list[tuple[float, float]]] = {"a day": [], "a year": []}
    for name, records in (("a day", day), ("a year", year)):
        folder = base / name.replace(" ", "-") / "history"
        store = Store(folder)
        store.save(State(seq=max(r.seq for r in records)), records)
        store.close()
        size = sum(f.stat().st_size for f in folder.glob("*.json"))
        print(f"{name}: {len(records)} records, {size / 1024:.0f} KiB in "
              f"{len(list(folder.glob('*.json')))} files")
    for _ in range(args.runs):  # alternate, so a busy moment of the machine hits both
        for name in figures:
            figures[name].append(measure(base / name.replace(" ", "-") / "history",
                                         args.saves, today))
    rss = {name: statistics.median(f[0] for f in got) for name, got in figures.items()}
    save = {name: statistics.median(f[1] for f in got) for name, got in figures.items()}
    print(f"opening the store as the tray does: a day +{rss['a day']:.2f} MiB, a year "
          f"+{rss['a year']:.2f} MiB; a year adds {rss['a year'] - rss['a day']:+.2f} MiB "
          f"(goal <= 0.5)")
    ratio = save["a year"] / save["a day"]
    print(f"one save: a day {save['a day'] * 1e3:.3f} ms, a year {save['a year'] * 1e3:.3f} ms; "
          f"{ratio:.2f}x (goal <= 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
