"""The icon's first state, read from the state file before anything else (tray.shell.glance),
is what the engine says of the same state (engine.status), for states the real store wrote;
a file it cannot read never stops the icon, nor hangs it."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from helpers import BERLIN, make_rules

from tray.core import engine
from tray.core.model import DayCount, Kind, Mode, Phase, Prompt, State
from tray.shell.glance import daily_cap, first_mode
from tray.store import Store

# The local time, as the tray gives it (in the zone its rules use). Not local_zone(): it is
# cached for the whole test run, and other tests rely on the profile's zone.
NOW = datetime(2026, 12, 3, 0, 30, tzinfo=BERLIN)  # 23:30 UTC the day before: the local day


def today() -> object:
    return NOW.date()


def prompt(phase: Phase, **changes: object) -> Prompt:
    shown = NOW - timedelta(minutes=3)
    made = Prompt(seq=4, kind=Kind.PROMPT, day=today(), first_shown_at=shown,  # type: ignore[arg-type]
                  phase=phase, shown_at=shown)
    return replace(made, **changes)  # type: ignore[arg-type]


STATES = {
    "fresh": State(),
    "paused until resumed": State(is_paused=True),
    "paused for a while": State(is_paused=True, paused_until=NOW + timedelta(minutes=30)),
    "a prompt on screen": State(open=prompt(Phase.SHOWING)),
    "a routine running": State(open=prompt(Phase.RUNNING, started_at=NOW)),
    "a prompt snoozed": State(open=prompt(Phase.SNOOZED, snoozes=1,
                                          snoozed_until=NOW + timedelta(minutes=5))),
    "the next break moved on": State(deferred_to=NOW + timedelta(minutes=10)),
    "five today": State(counts=(DayCount(today(), 5, 2),)),  # type: ignore[arg-type]
    "five done today": State(counts=(DayCount(today(), 5, 5),)),  # type: ignore[arg-type]
    "three today": State(counts=(DayCount(today(), 3, 1),)),  # type: ignore[arg-type]
    "five yesterday": State(counts=(DayCount(today() - timedelta(days=1), 5, 5),)),  # type: ignore[operator, arg-type]
    "paused with a prompt open": State(is_paused=True, open=prompt(Phase.SHOWING)),
}


@pytest.mark.parametrize("cap", [None, 3, 5])
@pytest.mark.parametrize("name", list(STATES))
def test_the_first_icon_is_the_engines_mode_for_what_the_store_wrote(tmp_path: Path, name: str,
                                                                      cap: int | None) -> None:
    settings = tmp_path / "settings.toml"
    if cap is not None:
        settings.write_text(f"[breaks]\ndaily_cap = {cap}\n")
    store = Store(tmp_path / "history")
    store.save(STATES[name])
    store.close()
    rules = make_rules(zone=BERLIN, daily_cap=cap or 5)
    expected = engine.status(STATES[name], NOW, rules).mode
    assert first_mode(tmp_path / "history", settings, NOW) is expected, name


def test_the_modes_are_all_reached() -> None:
    """The table above is no test of a rule it never reaches."""
    rules = make_rules(zone=BERLIN, daily_cap=3)
    assert {engine.status(s, NOW, rules).mode for s in STATES.values()} == set(Mode)


@pytest.mark.parametrize("content", [
    b"", b"{", b"[]", b'{"state": []}', b'{"state": {"1": "x"}}', b"\xff\xfe",
    b'{"state": {"1": {"is_paused": "yes", "counts": [["2026-12-03", true, 9]], "open": 4}}}',
])
def test_a_state_file_it_cannot_read_shows_the_plain_icon(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "history").mkdir()
    (tmp_path / "history" / "state.json").write_bytes(content)
    assert first_mode(tmp_path / "history", tmp_path / "settings.toml", NOW) is Mode.NORMAL


def test_no_store_yet_or_a_folder_where_the_file_should_be(tmp_path: Path) -> None:
    assert first_mode(tmp_path / "history", tmp_path / "settings.toml", NOW) is Mode.NORMAL
    (tmp_path / "history" / "state.json").mkdir(parents=True)
    assert first_mode(tmp_path / "history", tmp_path / "settings.toml", NOW) is Mode.NORMAL


@pytest.mark.parametrize("text", ["[breaks]\ndaily_cap = 9\n", "[breaks]\ndaily_cap = 0\n",
                                  "[breaks]\ndaily_cap = true\n", "[breaks]\ndaily_cap = '3'\n",
                                  "breaks = 3\n", "[breaks\n", "\x00"])
def test_a_cap_that_is_not_valid_is_the_default(tmp_path: Path, text: str) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(text)
    assert daily_cap(settings) == 5


def test_a_fifo_for_either_file_never_waits(tmp_path: Path) -> None:
    """A special file where the settings or the state should be: read as absent, at once
    (opening a FIFO for reading would wait for a writer for ever)."""
    (tmp_path / "history").mkdir()
    os.mkfifo(tmp_path / "history" / "state.json")
    os.mkfifo(tmp_path / "settings.toml")
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(
        (first_mode(tmp_path / "history", tmp_path / "settings.toml", NOW),
         daily_cap(tmp_path / "settings.toml"))), daemon=True)
    reader.start()
    reader.join(30)  # a hang would stay here: the writer never comes
    assert result == [(Mode.NORMAL, 5)]
