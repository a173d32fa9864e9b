"""Crash safety: a writer killed with SIGKILL at random moments, 200 times."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tray.store import Store

WRITER = Path(__file__).with_name("store_writer.py")
KILLS = 200


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")
def test_every_acknowledged_write_survives_a_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    randomness = random.Random(20261125)
    acknowledged: set[int] = set()
    next_seq = 1
    for _ in range(KILLS):
        writer = subprocess.Popen([sys.executable, str(WRITER), str(path), str(next_seq)],
                                  stdout=subprocess.PIPE, text=True, bufsize=1)
        assert writer.stdout is not None
        # Let it write a few times (or not at all), then kill it mid-flight.
        os.set_blocking(writer.stdout.fileno(), False)
        time.sleep(randomness.uniform(0.03, 0.15))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        os.set_blocking(writer.stdout.fileno(), True)
        for line in writer.stdout.read().splitlines():
            if line.startswith("ack "):
                acknowledged.add(int(line.split()[1]))
        writer.stdout.close()
        store = Store(path)  # loads every time: never a half-written file
        assert store.notices == [], store.notices
        kept = {r.seq for r in store.records(date(2026, 11, 25), date(2026, 11, 25))}
        assert acknowledged <= kept, sorted(acknowledged - kept)[:5]
        state = store.load_state()
        if acknowledged:
            assert state is not None and state.seq >= max(acknowledged)
            next_seq = max(kept) + 1
        store.close()
    assert len(acknowledged) > KILLS, "the writer should have written many times"
    # A killed writer may leave its temporary file behind; the next write sweeps it away.
    Store(path).save(None, [])
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
