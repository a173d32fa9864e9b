"""A child process for the crash tests, killed with SIGKILL at random points of its progress.

    python store_writer.py write FOLDER FIRST_SEQ
        Writes records, three a day, day after day (so older days are filed into their months
        as it goes), and prints "ack SEQ" (flushed) only after the write of SEQ has returned:
        every acknowledged write must survive a SIGKILL at any moment after it.
    python store_writer.py steps FOLDER [forget DAY]
        Opens the store (taking over history.json beside FOLDER, if there is one), then forgets
        the days before DAY if asked. At each step of its own progress it prints "step WHAT"
        and waits for a line on stdin before going on, so the test chooses where it dies.
"""

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tray.core.model import Kind, Outcome, Record, State
from tray.store import Store

FIRST_DAY = date(2026, 10, 20)


def record_of(seq: int) -> Record:
    day = FIRST_DAY + timedelta(days=seq // 3)
    shown = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(minutes=seq % 3)
    return Record(seq=seq, kind=Kind.PROMPT, day=day, shown_at=shown, ended_at=shown,
                  outcome=Outcome.SKIPPED)


def write(folder: Path, seq: int) -> None:
    store = Store(folder)
    while True:
        store.save(State(seq=seq), [record_of(seq)])
        print(f"ack {seq}", flush=True)
        seq += 1


def step(what: str) -> None:
    print(f"step {what}", flush=True)
    sys.stdin.readline()


def steps(folder: Path, forget: date | None) -> None:
    store = Store(folder, step=step)
    if forget is not None:
        store.forget_before(forget)
    print("done", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        steps(Path(sys.argv[2]), date.fromisoformat(sys.argv[4]) if len(sys.argv) > 4 else None)
