"""Taking over history.json, the single file of earlier versions: once, with nothing lost, and the
old file left as it was for a downgrade; what an older version writes to it later is taken too."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from legacy_store import legacy_data, write_legacy

from tray.core.model import DayCount, Kind, Outcome, Record, State
from tray.store import Store

TODAY = date(2026, 11, 25)


def record(seq: int, day: date, minute: int = 0, kind: Kind = Kind.PROMPT) -> Record:
    shown = datetime(day.year, day.month, day.day, 9, minute, tzinfo=UTC)
    return Record(seq=seq, kind=kind, day=day, shown_at=shown, ended_at=shown,
                  outcome=Outcome.COMPLETED)


def test_the_old_file_is_taken_over_once_and_left_as_it_was(tmp_path: Path) -> None:
    old = [record(1, date(2026, 9, 30)), record(2, date(2026, 10, 1)),
           record(3, TODAY - timedelta(days=1)), record(4, TODAY, kind=Kind.SESSION)]
    state = State(seq=4, counts=(DayCount(TODAY, 0, 1),))
    payload = write_legacy(tmp_path / "history.json", state, old)
    store = Store(tmp_path / "history")
    assert store.notices == []
    assert store.load_state() == state
    assert store.records(date.min, date.max) == old
    assert store.day_count(TODAY) == DayCount(TODAY, 0, 1)
    assert (tmp_path / "history.json").read_bytes() == payload
    assert sorted(p.name for p in store.folder.glob("*.json")) == [
        "2026-09.json", "2026-10.json", "2026-11.json", "state.json"]
    store.save(State(seq=5), [record(5, TODAY, minute=30)])
    again = Store(tmp_path / "history")  # not merged a second time
    assert [r.seq for r in again.records(date.min, date.max)] == [1, 2, 3, 4, 5]
    assert again.load_state() == State(seq=5)
    assert (tmp_path / "history.json").read_bytes() == payload


def test_what_an_older_version_wrote_after_a_downgrade_is_taken_over_too(tmp_path: Path) -> None:
    legacy = tmp_path / "history.json"
    write_legacy(legacy, State(seq=2), [record(1, TODAY), record(2, TODAY, minute=1)])
    store = Store(tmp_path / "history")
    store.save(State(seq=3), [record(3, TODAY, minute=2)])  # this version numbers on: 3
    # A downgrade: the older version goes on in its own file, numbering from its own 2.
    data = legacy_data(State(seq=4), [record(1, TODAY), record(2, TODAY, minute=1),
                                      record(3, TODAY, minute=3), record(4, TODAY, minute=4)])
    legacy.write_text(json.dumps(data))
    upgraded = Store(tmp_path / "history")
    kept = upgraded.records(date.min, date.max)
    assert [r.shown_at.minute for r in kept] == [0, 1, 2, 3, 4]  # all five, each once
    assert len({r.seq for r in kept}) == 5  # its 3 and 4 were numbered on: 4 and 5
    assert upgraded.load_state().seq == 5
    upgraded.save(State(seq=6), [record(6, TODAY, minute=6)])
    assert len(Store(tmp_path / "history").records(date.min, date.max)) == 6


def test_a_damaged_record_of_the_old_file_is_left_there_and_the_rest_comes(
        tmp_path: Path) -> None:
    data = legacy_data(State(seq=3), [record(1, TODAY), record(2, TODAY, minute=1),
                                      record(3, TODAY, minute=2)])
    data["records-2026-11"]["2"]["day"] = 20261125
    (tmp_path / "history.json").write_text(json.dumps(data))
    store = Store(tmp_path / "history")
    assert [r.seq for r in store.records(date.min, date.max)] == [1, 3]
    assert json.loads((tmp_path / "history.json").read_text()) == data
