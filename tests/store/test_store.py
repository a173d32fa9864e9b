"""The store against real files on disk: round trips, atomic writes, pruning, bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import at, make_rules, run, started

from tray.core.codec import state_to_dict
from tray.core.model import DayCount, Kind, Outcome, Record, State
from tray.core.plan import Answer
from tray.store import Store, StoreWriteError
from tray.store.files import SCHEMA


def record(seq: int, day: date, outcome: Outcome | None = Outcome.COMPLETED,
           kind: Kind = Kind.PROMPT) -> Record:
    shown = datetime(day.year, day.month, day.day, 10, tzinfo=UTC) + timedelta(minutes=seq % 60)
    return Record(seq=seq, kind=kind, day=day, shown_at=shown, outcome=outcome,
                  ended_at=None if outcome is None else shown + timedelta(minutes=6))


def test_state_and_records_round_trip_through_the_files(tmp_path: Path) -> None:
    sim = started(make_rules(), at("2026-11-25", "08:00"))
    run(sim, at("2026-11-25", "13:00"), Answer.COMPLETED)
    store = Store(tmp_path / "history")
    store.save(sim.state, sim.records().values())
    again = Store(tmp_path / "history")
    assert again.notices == []
    assert again.load_state() == sim.state
    day = date(2026, 11, 25)
    assert again.records(day, day) == sorted(sim.records().values(), key=lambda r: r.shown_at)
    assert again.day_count(day) == DayCount(day, prompts=2, completed=2)


def test_an_update_of_a_record_replaces_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "history")
    day = date(2026, 11, 25)
    store.save(None, [record(1, day, outcome=None)])
    store.save(None, [record(1, day, outcome=Outcome.SKIPPED)])
    assert [r.outcome for r in Store(store.folder).records(day, day)] == [Outcome.SKIPPED]


def test_the_state_file_is_replaced_atomically_and_holds_a_schema(tmp_path: Path) -> None:
    store = Store(tmp_path / "history")
    store.save(State(seq=3))
    inode = store.path.stat().st_ino
    store.save(State(seq=4))
    assert store.path.stat().st_ino != inode  # a new file took the old one's place
    data = json.loads(store.path.read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA and data["meta"]["1"]["kind"] == "state"
    assert [p.name for p in store.folder.iterdir() if p.name.endswith(".tmp")] == []
    assert not (tmp_path / "history.json").exists()  # nothing is written in the old place


def test_a_second_process_sees_each_write(tmp_path: Path) -> None:
    folder = tmp_path / "history"
    store = Store(folder)
    day = date(2026, 11, 25)
    store.save(State(seq=1), [record(1, day)])
    code = (f"from tray.store import Store; from datetime import date; "
            f"s = Store(__import__('pathlib').Path({str(folder)!r})); "
            f"print(s.day_count(date(2026, 11, 25)).completed, s.load_state().seq)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "1"]
    # ...and this process picks up what another one wrote.
    other = Store(folder)
    other.save(State(seq=9), [record(2, day)])
    store.save(None, [record(3, day)])
    assert Store(folder).load_state().seq == 9
    assert len(Store(folder).records(day, day)) == 3


def test_history_is_pruned_by_whole_months_beyond_400_days(tmp_path: Path) -> None:
    store = Store(tmp_path / "history")
    today = date(2026, 11, 25)
    days = [today - timedelta(days=n) for n in (0, 1, 2, 399, 400, 401, 450, 800)]
    for i, day in enumerate(reversed(days)):  # day by day, as they come
        store.save(None, [record(i + 1, day)])
    assert sorted(p.name for p in store.folder.glob("20*.json")) == [
        "2024-09.json", "2025-09.json", "2025-10.json", "2026-11.json"]
    assert store.prune(today) == 2  # 2024-09 and 2025-09: every day of them is too old
    kept = Store(store.folder).records(today - timedelta(days=900), today)
    # 401 days ago (2025-10-20) is kept with its month, whose last days are not too old yet.
    assert sorted({r.day for r in kept}) == sorted(days[:6])
    assert store.prune(today) == 0


def test_old_days_are_filed_into_their_months_and_the_state_file_stays_small(
        tmp_path: Path) -> None:
    store = Store(tmp_path / "history")
    first = date(2026, 1, 1)
    sizes = []
    seq = 0
    for n in range(120):
        day = first + timedelta(days=n)
        for _ in range(5):
            seq += 1
            store.save(State(seq=seq), [record(seq, day)])
        sizes.append(store.path.stat().st_size)
    recent = json.loads(store.path.read_text())["recent"]
    assert sorted({doc["day"] for doc in recent.values()}) == ["2026-04-29", "2026-04-30"]
    assert max(sizes[2:]) - min(sizes[2:]) < 200  # as small after four months as after two days
    assert sorted(p.name for p in store.folder.glob("20*.json")) == [
        "2026-01.json", "2026-02.json", "2026-03.json", "2026-04.json"]
    again = Store(store.folder)
    assert len(again.records(date.min, date.max)) == 600
    assert again.day_count(date(2026, 2, 14)) == DayCount(date(2026, 2, 14), 5, 5)
    assert [r.seq for r in again.records(first, first)] == [1, 2, 3, 4, 5]


def test_today_is_read_without_opening_a_month(tmp_path: Path) -> None:
    store = Store(tmp_path / "history")
    today = date(2026, 11, 25)
    for n, day in enumerate([date(2026, 9, 3), date(2026, 10, 9), today - timedelta(days=1),
                             today], start=1):
        store.save(State(seq=n), [record(n, day)])
    # A month file spoilt behind the store's back is not even opened for today and yesterday.
    september = store.folder / "2026-09.json"
    september.write_bytes(b"{spoilt")
    again = Store(store.folder)
    assert again.day_count(today) == DayCount(today, 1, 1)
    assert len(again.records(today - timedelta(days=1), today)) == 2
    assert again.notices == [] and september.read_bytes() == b"{spoilt"
    # Asked for the whole history, it is read, moved aside and said; the rest is all there.
    assert [r.seq for r in again.records(date.min, today)] == [2, 3, 4]
    (notice,) = again.notices
    assert "2026-09.json" in notice and "other months are unharmed" in notice


def test_a_year_of_history_reads_by_day_and_by_month(tmp_path: Path) -> None:
    store = Store(tmp_path / "history")
    today = date(2026, 11, 25)
    records = []
    for n in reversed(range(365)):
        day = today - timedelta(days=n)
        for k in range(5):
            records.append(record(n * 10 + k + 1, day))
    store.save(None, records)
    store = Store(store.folder)
    assert store.day_count(today) == DayCount(today, 5, 5)
    month = store.records(date(2026, 11, 1), date(2026, 11, 30))
    assert len(month) == 25 * 5
    assert len(store.records(date.min, today)) == 365 * 5


def test_a_lost_state_file_does_not_reuse_the_numbers_of_the_months(tmp_path: Path) -> None:
    store = Store(tmp_path / "history")
    today = date(2026, 11, 25)
    for n in range(1, 6):
        store.save(State(seq=n), [record(n, today - timedelta(days=10 - n))])
    store.path.write_bytes(b"lost")  # the state file is damaged: recent records go aside with it
    again = Store(store.folder)
    assert "fresh state" in again.notices[0]
    state = again.load_state()
    assert state is not None and state.seq >= 3  # 1..3 were filed into 2026-11.json
    again.save(replace(state, seq=state.seq + 1), [record(state.seq + 1, today)])
    kept = Store(store.folder).records(date.min, today)
    assert len({r.seq for r in kept}) == len(kept) == 4


# --- files that cannot be read ----------------------------------------------------------------

GOOD_STATE = state_to_dict(State(seq=2))
STATE_META = {"1": {"schema": SCHEMA, "kind": "state"}}


def bad_files(meta: dict) -> dict[str, tuple[bytes, str]]:
    """Contents that no file of the store may have, and what the notice says of each; `meta`
    is the header of the kind of file they pretend to be."""
    head = json.dumps({"meta": meta})[:-1]
    return {
        "empty": (b"", "empty"),
        "whitespace": (b"  \n\t ", "empty"),
        "truncated": (f'{head}, "state": {{"1": {{"se'.encode(), "not valid JSON"),
        "not-json": (b"this is not json at all", "not valid JSON"),
        "binary": (bytes(range(256)), "not valid JSON"),
        "json-list": (b"[1, 2, 3]", "JSON list"),
        "json-string": (b'"history"', "JSON str"),
        "table-not-object": (f'{head}, "records": [1, 2]}}'.encode(),
                             'table "records" is not an object'),
        "entry-not-object": (f'{head}, "state": {{"1": 7}}}}'.encode(), "malformed entry"),
        "no-schema": (b'{"_default": {}}', "no schema version"),
        "schema-wrong-type": (b'{"meta": {"1": {"schema": "one"}}}', "schema version is 'one'"),
        "future-schema": (b'{"meta": {"1": {"schema": 99}}}', "newer Pointbreak (schema 99"),
        "state-wrong-types": (json.dumps({"meta": meta, "state": {"1": {
            **GOOD_STATE, "seq": "two"}}}).encode(), "saved state is damaged"),
        "state-naive-time": (json.dumps({"meta": meta, "state": {"1": {
            **GOOD_STATE, "work_from": "2026-11-25T10:00:00"}}}).encode(), "without a time zone"),
    }


BAD_FILES = bad_files(STATE_META)


@pytest.mark.parametrize("name", list(BAD_FILES), ids=list(BAD_FILES))
def test_an_unreadable_state_file_is_moved_aside_kept_and_reported(tmp_path: Path,
                                                                    name: str) -> None:
    content, reason = BAD_FILES[name]
    store = Store(tmp_path / "history")
    store.save(None, [record(1, date(2026, 10, 2)), record(2, date(2026, 11, 1)),
                      record(3, date(2026, 11, 24))])  # 2026-10-02 goes into its month
    store.path.write_bytes(content)
    store = Store(store.folder)
    (notice,) = store.notices
    assert reason in notice and str(store.path) in notice and "fresh state" in notice
    (kept,) = store.aside()
    assert kept.name.startswith("state.json.unreadable-")
    assert kept.read_bytes() == content  # the original, byte for byte
    assert store.load_state() == State(seq=1)  # the months' numbers are not used again
    assert [r.seq for r in store.records(date.min, date.max)] == [1]
    store.save(State(seq=4))  # and it goes on with a fresh state
    assert Store(store.folder).load_state() == State(seq=4)


MONTH_META = {"1": {"schema": SCHEMA, "kind": "month"}}
BAD_MONTHS = {**bad_files(MONTH_META),
              "a-state-file": (json.dumps({"meta": STATE_META}).encode(), "not one of"),
              "schema-1": (b'{"meta": {"1": {"schema": 1}}}', "not one of Pointbreak's month")}


@pytest.mark.parametrize("name", list(BAD_MONTHS), ids=list(BAD_MONTHS))
def test_an_unreadable_month_is_moved_aside_and_the_others_are_unharmed(tmp_path: Path,
                                                                         name: str) -> None:
    content, reason = BAD_MONTHS[name]
    store = Store(tmp_path / "history")
    days = [date(2026, 9, 2), date(2026, 10, 2), date(2026, 11, 24), date(2026, 11, 25)]
    for n, day in enumerate(days, start=1):
        store.save(State(seq=n), [record(n, day)])
    october = store.folder / "2026-10.json"
    october.write_bytes(content)
    store = Store(store.folder)
    assert [r.seq for r in store.records(date.min, date.max)] == [1, 3, 4]
    (notice,) = store.notices
    assert reason in notice and str(october) in notice and "other months are unharmed" in notice
    (kept,) = store.aside()
    assert kept.name.startswith("2026-10.json.unreadable-") and kept.read_bytes() == content
    assert store.load_state() == State(seq=4)
    store.save(State(seq=5), [record(5, date(2026, 10, 3))])  # a late record for October
    store.save(State(seq=6), [record(6, date(2026, 11, 28))])
    assert [r.seq for r in Store(store.folder).records(date.min, date.max)] == [1, 5, 3, 4, 6]


@pytest.mark.parametrize("name", ["binary", "future-schema", "state-wrong-types"])
def test_an_unreadable_history_json_of_an_earlier_version_is_moved_aside(tmp_path: Path,
                                                                         name: str) -> None:
    content, reason = bad_files({"1": {"schema": 1}})[name]
    (tmp_path / "history.json").write_bytes(content)
    store = Store(tmp_path / "history")
    (notice,) = store.notices
    assert reason in notice and "history.json" in notice and "fresh history" in notice
    (kept,) = store.aside()
    assert kept.name.startswith("history.json.unreadable-") and kept.read_bytes() == content
    store.save(State(seq=1))
    assert Store(store.folder).notices == []  # said once


def test_a_state_file_that_is_a_folder_is_moved_aside(tmp_path: Path) -> None:
    folder = tmp_path / "history"
    (folder / "state.json").mkdir(parents=True)
    (folder / "state.json" / "inside").write_text("kept")
    store = Store(folder)
    assert "folder" in store.notices[0]
    (kept,) = store.aside()
    assert (kept / "inside").read_text() == "kept"
    store.save(State(seq=1))
    assert Store(folder).load_state() == State(seq=1)


def test_a_store_folder_that_is_a_file_is_said_and_nothing_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "history"
    folder.write_text("a file of the person's")
    store = Store(folder)
    assert any(str(folder) in notice for notice in store.notices), store.notices
    with pytest.raises(StoreWriteError):
        store.save(State(seq=1))
    assert folder.read_text() == "a file of the person's"


def test_a_missing_folder_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "yet" / "there" / "history"
    store = Store(folder)
    store.save(State(seq=5))
    assert store.notices == [] and Store(folder).load_state() == State(seq=5)


def test_a_damaged_record_is_left_out_and_reported(tmp_path: Path) -> None:
    store = Store(tmp_path / "history")
    days = [date(2026, 11, 2), date(2026, 11, 2), date(2026, 11, 24), date(2026, 11, 25)]
    for n, day in enumerate(days, start=1):
        store.save(State(seq=n), [record(n, day)])
    month = store.folder / "2026-11.json"
    data = json.loads(month.read_text())
    data["records"]["2"]["outcome"] = "exploded"
    month.write_text(json.dumps(data))
    state = json.loads(store.path.read_text())
    state["recent"]["4"]["day"] = "the 25th"
    store.path.write_text(json.dumps(state))
    store = Store(store.folder)
    assert [r.seq for r in store.records(date.min, date.max)] == [1, 3]
    assert any("2026-11.json (records #2)" in n and "exploded" in n for n in store.notices)
    assert any("state.json (records #4)" in n for n in store.notices)


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
    store = Store(folder / "history")
    store.save(State(seq=1), [record(1, date(2026, 11, 25))])
    make_read_only()
    store = Store(folder / "history")
    assert store.load_state() == State(seq=1)  # reading still works
    with pytest.raises(StoreWriteError, match=r"cannot be saved|locked"):
        store.save(State(seq=2))
    assert store.load_state() == State(seq=2)  # kept in memory for the next try
    assert json.loads(store.path.read_text())["state"]["1"]["seq"] == 1  # the file is untouched


def test_an_unreadable_file_in_a_read_only_folder_is_never_overwritten(read_only_folder) -> None:
    folder, make_read_only = read_only_folder
    path = folder / "history" / "state.json"
    path.parent.mkdir()
    path.write_bytes(b"{broken")
    make_read_only()
    store = Store(path.parent)
    assert "cannot be moved aside" in store.notices[0] and str(path) in store.notices[0]
    assert not store.is_writable
    with pytest.raises(StoreWriteError):
        store.save(State(seq=1))
    assert path.read_bytes() == b"{broken"


def test_an_earlier_versions_file_in_a_read_only_folder_is_shown_as_it_is(
        read_only_folder) -> None:
    from legacy_store import write_legacy

    folder, make_read_only = read_only_folder
    day = date(2026, 11, 25)
    write_legacy(folder / "history.json", State(seq=2), [record(1, day), record(2, day)])
    make_read_only()
    store = Store(folder / "history")
    (notice,) = store.notices  # the folder for the new files cannot be made: said once
    assert "cannot be created (Read-only file system)" in notice, notice
    assert store.load_state() == State(seq=2)
    assert [r.seq for r in store.records(day, day)] == [1, 2]


def test_forgetting_without_the_lock_changes_nothing(tmp_path: Path) -> None:
    from tray.base.lockfile import FileLock

    today = date(2026, 11, 25)
    store = Store(tmp_path / "history")
    for n in reversed(range(1, 6)):
        store.save(records=[record(6 - n, today - timedelta(days=n))])
    before = {p.name: p.read_bytes() for p in store.folder.glob("*.json")}
    other = FileLock(store.folder / "store.lock")
    other.acquire()
    try:
        store._lock.timeout = 0.2
        with pytest.raises(StoreWriteError, match="locked"):
            store.forget_before(today)
        assert len(store.records(date.min, today)) == 5  # not even in memory
    finally:
        other.release()
    store.close()
    assert {p.name: p.read_bytes() for p in store.folder.glob("*.json")} == before
    store = Store(store.folder)
    assert store.forget_before(today - timedelta(days=2)) == 3
    assert [r.day for r in store.records(date.min, today)] == [today - timedelta(days=2),
                                                               today - timedelta(days=1)]


def test_forgetting_removes_the_months_it_hides(tmp_path: Path) -> None:
    today = date(2026, 11, 25)
    store = Store(tmp_path / "history")
    days = [date(2026, 9, 3), date(2026, 10, 9), date(2026, 11, 2), today - timedelta(days=1),
            today]
    for n, day in enumerate(days, start=1):
        store.save(State(seq=n), [record(n, day)])
    assert store.forget_before(date(2026, 11, 3), State(seq=5)) == 3
    assert sorted(p.name for p in store.folder.glob("*.json")) == ["2026-11.json", "state.json"]
    assert json.loads((store.folder / "2026-11.json").read_text())["records"] == {}
    assert "forgotten_before" not in json.loads(store.path.read_text())["meta"]["1"] or (
        json.loads(store.path.read_text())["meta"]["1"]["forgotten_before"] is None)
    assert [r.seq for r in Store(store.folder).records(date.min, today)] == [4, 5]
