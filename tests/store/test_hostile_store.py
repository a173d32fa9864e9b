"""Hostile history files: whatever a load meets, the file is kept aside (never deleted), the
person is told once, and a fresh store goes on: no traceback, no crash loop at every login."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tray.core.model import Kind, Outcome, Record, State
from tray.store import Store

DAY = date(2026, 11, 25)


def good_store(folder: Path) -> dict:
    """A real store's state file: a state with an open prompt and today's counts, two records
    (today's: in the state file too)."""
    shown = datetime(2026, 11, 25, 9, tzinfo=UTC)
    store = Store(folder)
    from tray.core.model import DayCount, Phase, Prompt
    state = State(seq=2, counts=(DayCount(DAY, 2, 1),),
                  open=Prompt(seq=2, kind=Kind.PROMPT, day=DAY, first_shown_at=shown,
                              phase=Phase.SNOOZED, shown_at=shown, snoozes=1,
                              snoozed_for=timedelta(minutes=10),
                              snoozed_until=shown + timedelta(minutes=10)))
    store.save(state, [Record(1, Kind.PROMPT, DAY, shown, shown + timedelta(minutes=7),
                              Outcome.COMPLETED),
                       Record(2, Kind.PROMPT, DAY, shown + timedelta(hours=2))])
    store.close()
    return json.loads((folder / "state.json").read_text())


def _state(data: dict) -> dict:
    return data["state"]["1"]


def _compact(data: dict) -> str:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text


def _change_state(change):
    def apply(data: dict) -> str:
        change(_state(data))
        return json.dumps(data)
    return apply


# Each: how to spoil a good file (returns the new text, or None when it made the path itself).
BAD_STORES = {
    "snoozed-seconds-1e20": _change_state(
        lambda s: s["open"].update(snoozed_seconds=10 ** 20)),
    "seq-huge": _change_state(lambda s: s.update(seq=10 ** 40)),
    "100000-brackets": lambda data: "[" * 100_000,
    "count-without-a-day": _change_state(lambda s: s.update(counts=[[None, 1, 1]])),
    "shown-at-year-1-plus-14h": _change_state(
        lambda s: s["open"].update(shown_at="0001-01-01T00:00:00+14:00")),
    "day-out-of-range": _change_state(lambda s: s.update(counts=[["9999-12-31", 1, 1]])),
    "quiet-not-texts": _change_state(lambda s: s.update(quiet=[{"a": 1}])),
    "snoozed-without-until": _change_state(lambda s: s["open"].update(snoozed_until=None)),
    "5000-digit-number": lambda data: _compact(data).replace('"seq":2}', '"seq":' + "7" * 5000
                                                             + "}"),
    "superscript-doc-id": lambda data: _compact(data).replace('"1":{"seq":1',
                                                              '"\u00b9":{"seq":1'),
    "meta-a-list": lambda data: json.dumps({**data, "meta": {"1": [1]}}),
    "nested-deep": lambda data: json.dumps({**data, "x": {"1": {"a": json.loads(
        "[" * 17 + "]" * 17)}}}),
    "empty": lambda data: "",
    "binary": lambda data: "\udcff\udcfe{",
}
SPECIAL = ("dev-zero", "fifo", "folder")


def spoil(folder: Path, how: str) -> None:
    data = good_store(folder)
    path = folder / "state.json"
    if how == "dev-zero":
        path.unlink()
        path.symlink_to("/dev/zero")
    elif how == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif how == "folder":
        path.unlink()
        path.mkdir()
    else:
        before = json.loads(path.read_text())
        spoiled = BAD_STORES[how](data)
        assert spoiled != _compact(before) and spoiled != json.dumps(before)
        path.write_bytes(spoiled.encode("utf-8", "surrogateescape"))


def aside(folder: Path) -> list[Path]:
    return sorted(folder.glob("state.json.unreadable-*"))


@pytest.mark.parametrize("how", [*BAD_STORES, *SPECIAL])
def test_a_bad_store_is_kept_aside_and_a_fresh_one_goes_on(tmp_path: Path, how: str) -> None:
    path = tmp_path / "history"
    spoil(path, how)
    store = Store(path)
    assert len(store.notices) == 1, store.notices
    assert "could not be read" in store.notices[0] and "was kept as" in store.notices[0]
    assert len(store.notices[0]) < 400
    assert len(aside(path)) == 1
    assert store.load_state() is None and store.records(DAY, DAY) == []
    store.save(State(seq=1))  # and it saves again
    assert Store(path).notices == [] and Store(path).load_state() == State(seq=1)


@pytest.mark.parametrize("change, says", [
    (lambda r: r.pop("day"), "'day' is missing"),
    (lambda r: r.update(day="2026-13-45"), "a day is YYYY-MM-DD, got '2026-13-45'"),
    (lambda r: r.update(seq="2"), "seq must be a whole number"),
    (lambda r: r.update(snoozed_seconds=10 ** 20), "snoozed_seconds must be a whole number"),
    (lambda r: r.update(shown_at="0001-01-01T00:00:00+14:00"), "instant out of range"),
], ids=["no-day", "day-2026-13-45", "seq-a-text", "snoozed-1e20", "shown-year-1"])
def test_a_damaged_record_is_left_out_and_said(tmp_path: Path, change, says: str) -> None:
    path = tmp_path / "history"
    data = good_store(path)
    change(data["recent"]["1"])
    (path / "state.json").write_text(json.dumps(data))
    store = Store(path)
    assert store.notices == []
    assert [r.seq for r in store.records(DAY, DAY)] == [2]
    (notice,) = store.notices
    assert "damaged and was left out" in notice and says in notice, notice
    assert aside(path) == []  # one bad record does not cost the others


@pytest.mark.parametrize("command", [["status"], ["history"], ["history", "--csv"]])
def test_commands_say_a_damaged_record_was_left_out(profile, command: list[str]) -> None:
    profile.store.parent.mkdir(parents=True)
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()  # the profile's TZ
    Store(profile.store).save(None, [Record(seq, Kind.PROMPT, today, datetime.now(UTC))
                                     for seq in (1, 2)])
    state_file = profile.store / "state.json"
    data = json.loads(state_file.read_text())
    data["recent"]["1"]["seq"] = "1"
    state_file.write_text(json.dumps(data))
    result = profile.run(*command)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "damaged and was left out" in result.stderr, result.stderr


@pytest.mark.parametrize("how", ["snoozed-seconds-1e20", "100000-brackets",
                                 "count-without-a-day", "shown-at-year-1-plus-14h",
                                 "dev-zero", "fifo"])
def test_status_on_a_bad_store_keeps_it_aside_then_runs_clean(profile, how: str) -> None:
    profile.store.parent.mkdir(parents=True)
    spoil(profile.store, how)
    first = profile.run("status", timeout=60)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr and "was kept as" in first.stderr, first.stderr
    second = profile.run("status", timeout=60)
    assert second.returncode == 0 and second.stderr == "", second.stderr
    assert len(aside(profile.store)) == 1


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize("how", ["snoozed-seconds-1e20", "seq-huge", "100000-brackets",
                                 "count-without-a-day", "shown-at-year-1-plus-14h",
                                 "5000-digit-number", "dev-zero", "fifo"])
def test_the_tray_on_a_bad_store_keeps_it_aside_and_starts_clean_the_next_time(
        start_tray, profile, how: str) -> None:
    profile.store.parent.mkdir(parents=True)
    spoil(profile.store, how)
    tray = start_tray()
    assert "Next break at" in tray.status()
    log = tray.log()
    assert "could not be read" in log and "told the person: The file" in log, log
    assert len(aside(profile.store)) == 1
    assert profile.run("quit").returncode == 0
    assert tray.process.wait(30) == 0
    again = start_tray()
    assert "Next break at" in again.status()
    second_run = again.log().split(" starting (Python ")[2]
    assert "could not be read" not in second_run and "WARNING" not in second_run, second_run
    assert len(aside(profile.store)) == 1


# --- fuzzing: a store file of any content loads or is kept aside; reads never raise ---------

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats()
                     | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=10)
_state_keys = st.sampled_from(["work_from", "deferred_to", "deferred_day", "is_paused",
                               "paused_until", "away", "away_since", "is_away_a_break", "quiet",
                               "held_since", "open", "counts", "seq"])
_record_keys = st.sampled_from(["seq", "kind", "day", "shown_at", "started_at", "ended_at",
                                "outcome", "step", "snoozes", "snoozed_seconds"])
_instants = st.sampled_from(["2026-11-25T09:00:00+00:00", "0001-01-01T00:00:00+14:00",
                             "9999-12-31T23:59:59-12:00", "2026-11-25T09:00:00", "x"])


def _the_engine_works_with(state: State) -> None:
    """A state the store accepts is one the engine can run on: start, a tick, a day later."""
    from helpers import ALL_DAY, make_rules

    from tray.core import engine
    from tray.core.events import Ticked, TrayStarted

    rules = make_rules(hours=ALL_DAY)
    for now in (datetime(2026, 11, 25, 9, 5, tzinfo=UTC), datetime(2026, 11, 26, 9, tzinfo=UTC)):
        decision = engine.handle(state, TrayStarted(now - timedelta(minutes=1)), now, rules)
        engine.handle(decision.state, Ticked(), now + timedelta(minutes=30), rules)
        engine.status(decision.state, now, rules)


def _load_all(path: Path) -> Store:
    store = Store(path)
    store.load_state()
    store.records(date(1970, 1, 1), date(9998, 12, 31))
    store.day_count(DAY)
    return store


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(state_changes=st.dictionaries(_state_keys, _json | _instants, max_size=4),
       record_changes=st.dictionaries(_record_keys, _json | _instants, max_size=4))
@example(state_changes={"seq": 10 ** 20}, record_changes={})
@example(state_changes={"counts": [[None, 1, 1]]}, record_changes={})
@example(state_changes={}, record_changes={"shown_at": "0001-01-01T00:00:00+14:00"})
@example(state_changes={}, record_changes={"seq": 6})  # the record outnumbers the state
@example(state_changes={"open": {"seq": 2, "kind": "prompt", "day": "2026-11-25",
                                 "first_shown_at": "2026-11-25T09:00:00+00:00",
                                 "phase": "snoozed", "shown_at": "2026-11-25T09:00:00+00:00"}},
         record_changes={})
def test_any_changed_store_loads_or_is_kept_aside(tmp_path_factory, state_changes,
                                                  record_changes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "history"
    data = good_store(path)
    _state(data).update(state_changes)
    data["recent"]["1"].update(record_changes)
    (path / "state.json").write_text(json.dumps(data))
    store = _load_all(path)
    kept = aside(path)
    assert len(kept) <= 1 and len(store.notices) <= 2
    state = store.load_state()
    if kept:
        assert state is None  # a fresh store
    else:
        assert isinstance(state, State)
        _the_engine_works_with(state)
    store.save(State(seq=5))
    again = Store(path)
    # A record kept with a higher number than the state's (a changed "seq": 6) raises the
    # state's: a number is never handed out twice.
    numbers = [r.seq for r in again.records(date(1970, 1, 1), date(9998, 12, 31))]
    assert again.load_state() == State(seq=max([5, *numbers]))


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200) | _json.map(lambda v: json.dumps(v).encode()))
@example(raw=b"[" * 100_000)
@example(raw=b'{"meta": {"1": {"schema": 2, "kind": "state"}}, "state": {"1": []}}')
@example(raw=b'{"meta": {"1": {"schema": 2, "kind": "state"}}, "recent": {"1": {"day": 5}}}')
def test_any_bytes_load_or_are_kept_aside(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "history"
    path.mkdir()
    (path / "state.json").write_bytes(raw)
    store = _load_all(path)
    assert (len(aside(path)) == 1) == any("could not be read" in n for n in store.notices)
    assert all("could not be read" in n or "damaged and was left out" in n
               for n in store.notices), store.notices
    state = store.load_state()
    if state is not None:
        _the_engine_works_with(state)
