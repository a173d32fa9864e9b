"""Crash safety: a writer killed with SIGKILL at random points of its own progress, 200 times."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tray.store import Store

WRITER = Path(__file__).parents[1].joinpath("store_writer.py")
KILLS = 200
MORE_ACKS = 4  # after its first write, a writer lives for 0..MORE_ACKS more acknowledgements


def read_ack(writer: subprocess.Popen[str]) -> int:
    """The next write the writer acknowledges (a blocking read: no clock involved)."""
    assert writer.stdout is not None
    line = writer.stdout.readline()
    assert line.startswith("ack "), f"the writer said {line!r} (exit code {writer.poll()})"
    return int(line.split()[1])


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")
def test_every_acknowledged_write_survives_a_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    randomness = random.Random(20261125)
    acknowledged: set[int] = set()
    waited_for = 0  # acknowledgements this test read before a kill: a floor that holds anywhere
    next_seq = 1
    for _ in range(KILLS):
        writer = subprocess.Popen([sys.executable, str(WRITER), str(path), str(next_seq)],
                                  stdout=subprocess.PIPE, text=True, bufsize=1)
        assert writer.stdout is not None
        # Kill it at a random point of its own progress, not of the wall clock: after its first
        # write and 0..MORE_ACKS more. It goes on writing while we read, so the kill lands
        # somewhere in a later write (or between two), however fast or slow the machine is.
        acks_to_read = 1 + randomness.randint(0, MORE_ACKS)
        for _ in range(acks_to_read):
            acknowledged.add(read_ack(writer))
        waited_for += acks_to_read
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        for line in writer.stdout.read().splitlines():  # acknowledged before the kill landed
            if line.startswith("ack "):
                acknowledged.add(int(line.split()[1]))
        writer.stdout.close()
        store = Store(path)  # loads every time: never a half-written file
        assert store.notices == [], store.notices
        kept = {r.seq for r in store.records(date(2026, 11, 25), date(2026, 11, 25))}
        assert acknowledged <= kept, sorted(acknowledged - kept)[:5]
        state = store.load_state()
        assert state is not None and state.seq >= max(acknowledged)
        next_seq = max(kept) + 1
        store.close()
    # Every writer got through at least one write, and most through several: by construction.
    assert len(acknowledged) >= waited_for > KILLS, "the writer should have written many times"
    # A killed writer may leave its temporary file behind; the next write sweeps it away.
    Store(path).save(None, [])
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
