"""The store against real files on disk: round trips, atomic writes, pruning, bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import at, make_rules, run, started

from tray.core.codec import state_to_dict
from tray.core.model import DayCount, Kind, Outcome, Record, State
from tray.core.plan import Answer
from tray.store import SCHEMA, Store, StoreWriteError


def record(seq: int, day: date, outcome: Outcome | None = Outcome.COMPLETED,
           kind: Kind = Kind.PROMPT) -> Record:
    shown = datetime(day.year, day.month, day.day, 10, tzinfo=UTC) + timedelta(minutes=seq % 60)
    return Record(seq=seq, kind=kind, day=day, shown_at=shown, outcome=outcome,
                  ended_at=None if outcome is None else shown + timedelta(minutes=6))


def test_state_and_records_round_trip_through_the_file(tmp_path: Path) -> None:
    sim = started(make_rules(), at("2026-11-25", "08:00"))
    run(sim, at("2026-11-25", "13:00"), Answer.COMPLETED)
    store = Store(tmp_path / "history.json")
    store.save(sim.state, sim.records().values())
    again = Store(tmp_path / "history.json")
    assert again.notices == []
    assert again.load_state() == sim.state
    day = date(2026, 11, 25)
    assert again.records(day, day) == sorted(sim.records().values(), key=lambda r: r.shown_at)
    assert again.day_count(day) == DayCount(day, prompts=2, completed=2)


def test_an_update_of_a_record_replaces_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "history.json")
    day = date(2026, 11, 25)
    store.save(None, [record(1, day, outcome=None)])
    store.save(None, [record(1, day, outcome=Outcome.SKIPPED)])
    assert [r.outcome for r in Store(store.path).records(day, day)] == [Outcome.SKIPPED]


def test_the_file_is_replaced_atomically_and_holds_a_schema(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    store = Store(path)
    store.save(State(seq=3))
    inode = path.stat().st_ino
    store.save(State(seq=4))
    assert path.stat().st_ino != inode  # a new file took the old one's place
    data = json.loads(path.read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_second_process_sees_each_write(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    store = Store(path)
    day = date(2026, 11, 25)
    store.save(State(seq=1), [record(1, day)])
    code = (f"from tray.store import Store; from datetime import date; "
            f"s = Store(__import__('pathlib').Path({str(path)!r})); "
            f"print(s.day_count(date(2026, 11, 25)).completed, s.load_state().seq)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "1"]
    # ...and this process picks up what another one wrote.
    other = Store(path)
    other.save(State(seq=9), [record(2, day)])
    store.save(None, [record(3, day)])
    assert Store(path).load_state().seq == 9
    assert len(Store(path).records(day, day)) == 3


def test_history_is_pruned_beyond_400_days(tmp_path: Path) -> None:
    store = Store(tmp_path / "history.json")
    today = date(2026, 11, 25)
    days = [today - timedelta(days=n) for n in (0, 1, 399, 400, 401, 450, 800)]
    store.save(None, [record(i + 1, d) for i, d in enumerate(days)])
    dropped = store.prune(today)
    assert dropped == 3
    kept = Store(store.path).records(today - timedelta(days=900), today)
    assert sorted({r.day for r in kept}) == sorted(days[:4])


def test_a_year_of_history_reads_by_day_and_by_month(tmp_path: Path) -> None:
    store = Store(tmp_path / "history.json")
    today = date(2026, 11, 25)
    records = []
    for n in range(365):
        day = today - timedelta(days=n)
        for k in range(5):
            records.append(record(n * 10 + k + 1, day))
    store.save(None, records)
    store = Store(store.path)
    assert store.day_count(today) == DayCount(today, 5, 5)
    month = store.records(date(2026, 11, 1), date(2026, 11, 30))
    assert len(month) == 25 * 5


# --- files that cannot be read ----------------------------------------------------------------

GOOD_STATE = state_to_dict(State(seq=2))
BAD_FILES = {
    "empty": (b"", "empty"),
    "whitespace": (b"  \n\t ", "empty"),
    "truncated": (b'{"meta": {"1": {"schema": 1}}, "state": {"1": {"se', "not valid JSON"),
    "not-json": (b"this is not json at all", "not valid JSON"),
    "binary": (bytes(range(256)), "not valid JSON"),
    "json-list": (b"[1, 2, 3]", "JSON list"),
    "json-string": (b'"history"', "JSON str"),
    "table-not-object": (b'{"meta": {"1": {"schema": 1}}, "records-2026-11": [1, 2]}',
                         'table "records-2026-11" is not an object'),
    "entry-not-object": (b'{"meta": {"1": {"schema": 1}}, "state": {"1": 7}}',
                         "malformed entry"),
    "no-schema": (b'{"_default": {}}', "no schema version"),
    "schema-wrong-type": (b'{"meta": {"1": {"schema": "one"}}}', "schema version is 'one'"),
    "future-schema": (b'{"meta": {"1": {"schema": 99}}}', "newer Pointbreak (schema 99"),
    "state-wrong-types": (json.dumps({"meta": {"1": {"schema": 1}},
                                      "state": {"1": {**GOOD_STATE, "seq": "two"}}}).encode(),
                          "saved state is damaged"),
    "state-naive-time": (json.dumps({"meta": {"1": {"schema": 1}}, "state": {"1": {
        **GOOD_STATE, "work_from": "2026-11-25T10:00:00"}}}).encode(), "without a time zone"),
}


@pytest.mark.parametrize("name", list(BAD_FILES), ids=list(BAD_FILES))
def test_an_unreadable_file_is_moved_aside_kept_and_reported(tmp_path: Path, name: str) -> None:
    content, reason = BAD_FILES[name]
    path = tmp_path / "history.json"
    path.write_bytes(content)
    store = Store(path)
    (notice,) = store.notices
    assert reason in notice and str(path) in notice and "fresh history" in notice
    (kept,) = [p for p in tmp_path.iterdir() if p.name.startswith("history.json.unreadable-")]
    assert kept.read_bytes() == content  # the original, byte for byte
    assert store.load_state() is None
    store.save(State(seq=1))  # and it goes on with a fresh store
    assert Store(path).load_state() == State(seq=1)


def test_a_store_path_that_is_a_folder_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.mkdir()
    (path / "inside").write_text("kept")
    store = Store(path)
    assert "folder" in store.notices[0]
    (kept,) = [p for p in tmp_path.iterdir() if p.name.startswith("history.json.unreadable-")]
    assert (kept / "inside").read_text() == "kept"


def test_a_missing_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there" / "history.json"
    store = Store(path)
    store.save(State(seq=5))
    assert store.notices == [] and Store(path).load_state() == State(seq=5)


def test_a_damaged_record_is_left_out_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    store = Store(path)
    day = date(2026, 11, 25)
    store.save(None, [record(1, day), record(2, day)])
    data = json.loads(path.read_text())
    data["records-2026-11"]["2"]["outcome"] = "exploded"
    path.write_text(json.dumps(data))
    store = Store(path)
    assert [r.seq for r in store.records(day, day)] == [1]
    assert any("records-2026-11 #2" in n and "exploded" in n for n in store.notices)


@pytest.fixture
def read_only_folder(tmp_path: Path):
    """A folder nobody can write, root included: a read-only tmpfs where we may mount one."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0 and sys.platform.startswith("linux"):
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                       check=True)
        try:
            yield folder, lambda: subprocess.run(
                ["mount", "-o", "remount,ro", str(folder)], check=True)
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
    else:
        yield folder, lambda: folder.chmod(0o500)
        folder.chmod(0o700)


def test_a_read_only_folder_keeps_data_in_memory_and_says_why(read_only_folder) -> None:
    folder, make_read_only = read_only_folder
    path = folder / "history.json"
    Store(path).save(State(seq=1), [record(1, date(2026, 11, 25))])
    make_read_only()
    store = Store(path)
    assert store.load_state() == State(seq=1)  # reading still works
    with pytest.raises(StoreWriteError, match=r"cannot be saved|locked"):
        store.save(State(seq=2))
    assert store.load_state() == State(seq=2)  # kept in memory for the next try
    assert json.loads(path.read_text())["state"]["1"]["seq"] == 1  # the file is untouched


def test_an_unreadable_file_in_a_read_only_folder_is_never_overwritten(read_only_folder) -> None:
    folder, make_read_only = read_only_folder
    path = folder / "history.json"
    path.write_bytes(b"{broken")
    make_read_only()
    store = Store(path)
    assert "cannot be moved aside" in store.notices[0] and str(path) in store.notices[0]
    assert not store.is_writable
    with pytest.raises(StoreWriteError):
        store.save(State(seq=1))
    assert path.read_bytes() == b"{broken"


def test_forgetting_without_the_lock_changes_nothing(tmp_path: Path) -> None:
    from tray.base.lockfile import FileLock
    from tray.store import StoreWriteError

    path = tmp_path / "history.json"
    today = date(2026, 11, 25)
    store = Store(path)
    store.save(records=[record(n, today - timedelta(days=n)) for n in range(1, 5)])
    before = path.read_bytes()
    other = FileLock(str(path) + ".lock")
    other.acquire()
    try:
        store._lock.timeout = 0.2
        with pytest.raises(StoreWriteError, match="locked"):
            store.forget_before(today)
        assert len(store.records(date.min, today)) == 4  # not even in memory
    finally:
        other.release()
    store.close()
    assert path.read_bytes() == before
    store = Store(path)
    assert store.forget_before(today - timedelta(days=2)) == 2
    assert [r.day for r in store.records(date.min, today)] == [today - timedelta(days=2),
                                                               today - timedelta(days=1)]
