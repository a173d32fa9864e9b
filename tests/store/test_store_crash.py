"""Crash safety: writers killed with SIGKILL at random points of their own progress.

The kill never comes at a moment of the wall clock: the writer says how far it got (an
acknowledged write, a step of the take-over or of forgetting), and the test kills it after a
random number of them, so it lands in the same places however fast or slow the machine is.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from legacy_store import write_legacy

from tray.core.model import DayCount, Kind, Outcome, Record, State
from tray.store import Store

WRITER = Path(__file__).parents[1].joinpath("store_writer.py")
KILLS = 200
MORE_ACKS = 4  # after its first write, a writer lives for 0..MORE_ACKS more acknowledgements
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")]


def read_ack(writer: subprocess.Popen[str]) -> int:
    """The next write the writer acknowledges (a blocking read: no clock involved)."""
    assert writer.stdout is not None
    line = writer.stdout.readline()
    assert line.startswith("ack "), f"the writer said {line!r} (exit code {writer.poll()})"
    return int(line.split()[1])


def test_every_acknowledged_write_survives_a_sigkill(tmp_path: Path) -> None:
    sys.path.insert(0, str(WRITER.parent))
    from store_writer import record_of

    folder = tmp_path / "history"
    randomness = random.Random(20261125)
    acknowledged: set[int] = set()
    waited_for = 0  # acknowledgements this test read before a kill: a floor that holds anywhere
    next_seq = 1
    for _ in range(KILLS):
        writer = subprocess.Popen([sys.executable, str(WRITER), "write", str(folder),
                                   str(next_seq)], stdout=subprocess.PIPE, text=True, bufsize=1)
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
        store = Store(folder)  # loads every time: never a half-written file
        assert store.notices == [], store.notices
        kept = {r.seq for r in store.records(date.min, date.max)}
        assert acknowledged <= kept, sorted(acknowledged - kept)[:5]
        state = store.load_state()
        assert state is not None and state.seq >= max(acknowledged)
        newest = record_of(max(acknowledged)).day  # "today" for the writer: never counted lower
        assert store.day_count(newest).prompts >= len(
            [s for s in acknowledged if record_of(s).day == newest])
        next_seq = max(kept) + 1
        store.close()
    # Every writer got through at least one write, and most through several: by construction.
    assert len(acknowledged) >= waited_for > KILLS, "the writer should have written many times"
    # The days went by, and the older ones were filed into their months on the way.
    assert len(list(folder.glob("20*.json"))) >= 3
    # A killed writer may leave its temporary file behind; the next write sweeps it away.
    Store(folder).save(None, [])
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def run_steps(folder: Path, steps: int, at_rest: bool, *args: str) -> bool:
    """A child that opens the store in `folder` (and does what `args` say), let through
    `steps` of its steps and killed: waiting at the next one (`at_rest`), or wherever it has
    got to. True when it finished before that."""
    child = subprocess.Popen([sys.executable, str(WRITER), "steps", str(folder), *args],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert child.stdin is not None and child.stdout is not None
    finished = False
    for n in range(steps + at_rest):
        line = child.stdout.readline()
        if line.startswith("done") or not line:
            finished = True
            break
        assert line.startswith("step "), line
        if n < steps:
            child.stdin.write("go\n")
            child.stdin.flush()
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdin.close()
    child.stdout.close()
    return finished


def a_year_of_legacy_history() -> tuple[State, list[Record]]:
    records = []
    first = date(2025, 11, 1)
    for n in range(396):
        day = first + timedelta(days=n)
        shown = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        records.append(Record(seq=2 * n + 1, kind=Kind.PROMPT, day=day, shown_at=shown,
                              ended_at=shown + timedelta(minutes=6), outcome=Outcome.COMPLETED))
        records.append(Record(seq=2 * n + 2, kind=Kind.SESSION, day=day,
                              shown_at=shown + timedelta(hours=4), outcome=Outcome.STOPPED_EARLY,
                              step=3))
    today = records[-1].day
    return State(seq=len(records), counts=(DayCount(today, 1, 1),)), records


def test_a_take_over_killed_at_any_point_loses_nothing_and_doubles_nothing(
        tmp_path: Path) -> None:
    state, records = a_year_of_legacy_history()
    randomness = random.Random(20261203)
    steps = 14 + 2  # a step per month (2025-11..2026-11, 13 of them), the state, the end
    finished = 0
    for attempt in range(24):
        home = tmp_path / f"home{attempt}"
        legacy_bytes = write_legacy(home / "history.json", state, records)
        legacy_stamp = (home / "history.json").stat().st_mtime_ns
        kills = 1 + randomness.randint(0, 2)  # one to three crashes, one after the other
        for _ in range(kills):
            finished += run_steps(home / "history", randomness.randint(0, steps),
                                  at_rest=randomness.random() < 0.5)
        store = Store(home / "history")  # and then a start that is not killed
        assert store.notices == [], store.notices
        kept = store.records(date.min, date.max)
        assert kept == records, f"attempt {attempt}: {len(kept)} records, not {len(records)}"
        assert store.load_state() == state
        assert store.day_count(records[-1].day) == DayCount(records[-1].day, 1, 1)
        assert (home / "history.json").read_bytes() == legacy_bytes  # unchanged, for a downgrade
        assert (home / "history.json").stat().st_mtime_ns == legacy_stamp
        again = Store(home / "history")  # taken over once: nothing is merged a second time
        assert again.records(date.min, date.max) == records
    assert finished < 24 * 2, "most children should have been killed before the end"


def test_forgetting_killed_at_any_point_forgets_all_or_nothing(tmp_path: Path) -> None:
    _state, records = a_year_of_legacy_history()
    randomness = random.Random(20261204)
    cut = date(2026, 6, 15)
    before = [r for r in records if r.day < cut]
    after = [r for r in records if r.day >= cut]
    for attempt in range(16):
        folder = tmp_path / f"store{attempt}" / "history"
        store = Store(folder)
        for record in records:  # day by day, filed into months as they go
            store.save(State(seq=record.seq), [record])
        store.close()
        run_steps(folder, randomness.randint(0, 10), randomness.random() < 0.5, "forget",
                  cut.isoformat())
        store = Store(folder)
        kept = store.records(date.min, date.max)
        assert kept in (records, after), f"attempt {attempt}: {len(kept)} records"
        assert store.notices == []
        if kept == after:  # said: the next write finishes it, and no month is left behind
            store.save(None, [])
            names = sorted(p.name for p in folder.glob("20*.json"))
            assert names[0] == "2026-06.json", names
            june = json.loads((folder / "2026-06.json").read_text())["records"]
            assert min(doc["day"] for doc in june.values()) >= cut.isoformat()
        assert len(before) > 0
