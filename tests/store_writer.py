"""A child process for the crash test: writes to the store and acknowledges each write.

Usage: python store_writer.py STORE_PATH FIRST_SEQ
Prints "ack SEQ" (flushed) only after the write of SEQ has returned, so every acknowledged
write must survive a SIGKILL at any moment after it.
"""

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tray.core.model import Kind, Outcome, Record, State
from tray.store import Store


def main() -> None:
    store = Store(Path(sys.argv[1]))
    seq = int(sys.argv[2])
    day = date(2026, 11, 25)
    while True:
        shown = datetime(2026, 11, 25, 9, tzinfo=UTC) + timedelta(seconds=seq)
        record = Record(seq=seq, kind=Kind.PROMPT, day=day, shown_at=shown,
                        ended_at=shown, outcome=Outcome.SKIPPED)
        store.save(State(seq=seq), [record])
        print(f"ack {seq}", flush=True)
        seq += 1


if __name__ == "__main__":
    main()
