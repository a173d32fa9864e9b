"""Pointbreak's figures: store, status, engine and command-line speed with a year of history.

Prints figures (medians and spread of repeated runs) and the machine; asserts nothing.
Run: .venv/bin/python bench/bench.py
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path

from tray.config.localtime import local_zone
from tray.core import engine
from tray.core.events import Ticked
from tray.core.model import Kind, Outcome, Record, Rules, State
from tray.store import Store

REPEATS = 31


def year_of_history(today: date) -> list[Record]:
    """5 prompts and 5 routines started by hand each day, for 365 days."""
    records = []
    seq = 0
    for back in range(365):
        day = today - timedelta(days=back)
        for n in range(10):
            seq += 1
            shown = datetime(day.year, day.month, day.day, 8 + n, tzinfo=UTC)
            kind = Kind.PROMPT if n % 2 == 0 else Kind.SESSION
            outcome = (Outcome.COMPLETED, Outcome.SKIPPED, Outcome.IGNORED)[n % 3]
            records.append(Record(seq=seq, kind=kind, day=day, shown_at=shown,
                                  started_at=shown, ended_at=shown + timedelta(minutes=6),
                                  outcome=outcome, snoozes=n % 2,
                                  snoozed_for=timedelta(minutes=10 * (n % 2))))
    return records


def timed(action: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def report(name: str, samples: list[float], target: float, unit: str = "ms") -> None:
    scale = {"ms": 1e3, "µs": 1e6}[unit]
    median = statistics.median(samples) * scale
    spread = (min(samples) * scale, max(samples) * scale)
    verdict = "ok" if median <= target else "OVER"
    print(f"{name:<44} median {median:9.3f} {unit}  (min {spread[0]:.3f}, max {spread[1]:.3f}, "
          f"n={len(samples)})  target <= {target:g} {unit}  {verdict}")


def main() -> None:
    print("Pointbreak benchmark")
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python "
          f"{platform.python_version()}")
    print("versions: " + ", ".join(f"{name} {metadata.version(name)}" for name in
                                   ("pointbreak", "tinydb", "APScheduler")))
    folder = Path(tempfile.mkdtemp(prefix="pb-bench-"))
    try:
        zone = local_zone()
        today = datetime.now(zone).date()
        path = folder / "data" / "pointbreak" / "history"
        records = year_of_history(today)
        Store(path).save(State(seq=len(records)), records)
        size = sum(file.stat().st_size for file in path.glob("*.json"))
        print(f"store: {len(records)} records over 365 days, {size / 1024:.0f} KiB in "
              f"{len(list(path.glob('*.json')))} files")

        report("store load (open + read state)", timed(lambda: Store(path).load_state()), 30)
        store = Store(path)
        rules = Rules(zone=zone)
        now = datetime.now(UTC)

        def status_query() -> None:
            state = store.load_state() or State()
            store.day_count(today)
            engine.status(state, now, rules)

        report("status query (open store)", timed(status_query, 201), 5)
        state = engine.handle(State(), Ticked(), now, rules).state
        report("one engine decision", timed(lambda: engine.handle(state, Ticked(), now, rules),
                                            2001), 100, "µs")

        command = shutil.which("pointbreak", path=str(Path(sys.executable).parent))
        assert command is not None, "install Pointbreak in this environment first"
        env = dict(os.environ, HOME=str(folder), XDG_DATA_HOME=str(folder / "data"),
                   XDG_CONFIG_HOME=str(folder / "config"),
                   XDG_STATE_HOME=str(folder / "state"), XDG_CACHE_HOME=str(folder / "cache"))

        def status_process() -> None:
            subprocess.run([command, "status"], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        status_process()  # warm the file cache once
        report("`pointbreak status` as a whole process", timed(status_process, 11), 300)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
