"""What a broken or hostile window process may write on its report pipe: every line is read
with limits, a report that means nothing is logged (saying what is wrong) and dropped, the
supervisor never dies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from routines.session import Cue
from tray.core.choices import Snooze
from tray.core.events import PromptEnded, RoutineStarted, SnoozeRequested
from tray.core.model import SNOOZE_RANGE, Outcome
from tray.ipc.children import Child
from tray.ipc.reports import (
    BadReport,
    Countdown,
    Cued,
    Ended,
    Report,
    Started,
    parse_report,
    report_json,
)
from tray.shell.window_processes import _event_for

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats()
                     | st.text(max_size=10),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
_reports = st.dictionaries(st.sampled_from(["event", "snooze", "outcome", "step", "x"]),
                           _json | st.sampled_from(["started", "completed", "stopped_early"])
                           | st.integers(-10 ** 30, 10 ** 30), max_size=3)


@settings(max_examples=500, deadline=None)
@given(report=_reports)
@example(report={"snooze": 10 ** 20})
@example(report={"snooze": -5})
@example(report={"outcome": "completed", "step": 10 ** 20})
def test_any_report_is_an_event_in_range_or_nothing(report: dict) -> None:
    try:
        parsed = parse_report(report)
    except BadReport as error:
        assert 0 < len(str(error)) < 300
        return
    assert parse_report(report_json(parsed)) == parsed
    event = _event_for(7, parsed)
    if isinstance(event, SnoozeRequested):
        assert SNOOZE_RANGE[0] <= event.snooze_for <= SNOOZE_RANGE[1] and event.seq == 7
    elif isinstance(event, PromptEnded):
        assert event.outcome in set(Outcome) and (event.step is None or 0 <= event.step <= 1000)
    else:
        assert event is None or isinstance(event, RoutineStarted)


def _read_from_child(lines: list[bytes]) -> list[Report]:
    read_fd, write_fd = os.pipe()

    def write() -> None:  # from a thread: more than a pipe's buffer would block here
        with os.fdopen(write_fd, "wb") as writer:
            writer.write(b"".join(lines))

    writer = threading.Thread(target=write)
    writer.start()
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        return list(Child(process, os.fdopen(read_fd, "rb")).read_reports())
    finally:
        writer.join()
        process.wait()


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.binary(max_size=100).map(lambda b: b.replace(b"\n", b"") + b"\n")
                      | _reports.map(lambda r: json.dumps(r).encode() + b"\n"), max_size=6))
@example(lines=[b"[" * 100_000 + b"\n", b'{"outcome": "completed"}\n'])
@example(lines=[b'{"snooze": ' + b"9" * 5000 + b"}\n", b"x" * 10_000 + b"\n"])
def test_the_report_pipe_yields_only_reports_and_never_raises(lines: list[bytes]) -> None:
    for report in _read_from_child(lines):
        assert isinstance(report, Started | Cued | Countdown | Snooze | Ended)


def test_good_reports_after_bad_ones_still_count() -> None:
    reports = _read_from_child([b"[" * 100_000 + b"\n", b"\xff\xfe\n",
                                b'{"snooze": 10}\n', b'{"outcome": "completed", "step": 3}\n'])
    events = [_event_for(1, r) for r in reports]
    assert events == [SnoozeRequested(timedelta(minutes=10), 1),
                      PromptEnded(1, Outcome.COMPLETED, 3)]


@pytest.mark.parametrize(("report", "says"), [
    ([1], "a report is a JSON object, got list"),
    ({}, "a report has an event, a snooze or an outcome; got none of them"),
    ({"x": 1}, "a report has an event, a snooze or an outcome; got x"),
    ({"event": "exploded"}, "event must be started, cue or tick, got 'exploded'"),
    ({"event": "cue", "cue": "boom"}, "cue must be one of step, keep_going, done, got 'boom'"),
    ({"event": "tick", "step": 3, "remaining": 5}, "paused must be true or false, got None"),
    ({"event": "tick", "step": 0, "remaining": 5, "paused": False},
     "step must be a whole number from 1 to 1000, got 0"),
    ({"snooze": 10 ** 20}, "snooze must be a whole number of minutes from 1 to 120, got "
                           "100000000000000000000"),
    ({"snooze": True}, "snooze must be a whole number of minutes from 1 to 120, got True"),
    ({"outcome": "exploded"},
     "outcome must be one of completed, stopped_early, skipped, ignored, failed, got 'exploded'"),
    ({"outcome": "stopped_early", "step": -1},
     "step must be a whole number from 0 to 1000, got -1"),
], ids=["list", "empty", "unknown-key", "event", "cue", "tick-paused", "tick-step", "snooze-huge",
        "snooze-bool", "outcome", "step"])
def test_a_report_that_means_nothing_says_what_is_wrong(report: object, says: str) -> None:
    with pytest.raises(BadReport) as raised:
        parse_report(report)
    assert str(raised.value) == says


def test_a_dropped_report_is_logged_with_what_is_wrong(caplog: pytest.LogCaptureFixture) -> None:
    reports = _read_from_child([b'{"snooze": 0}\n', b'{"outcome": "skipped"}\n'])
    assert reports == [Ended(Outcome.SKIPPED)]
    assert "snooze must be a whole number of minutes from 1 to 120, got 0" in caplog.text


@pytest.mark.parametrize("report", [
    Started(), Cued(Cue.KEEP_GOING), Countdown(3, 57, is_paused=False), Snooze(10),
    Ended(Outcome.COMPLETED), Ended(Outcome.STOPPED_EARLY, 4)],
    ids=["started", "cue", "tick", "snooze", "completed", "stopped-early"])
def test_each_report_is_its_line_as_before(report: Report) -> None:
    wire = {Started(): {"event": "started"}, Cued(Cue.KEEP_GOING): {"event": "cue",
                                                                     "cue": "keep_going"},
            Countdown(3, 57, is_paused=False): {"event": "tick", "step": 3, "remaining": 57,
                                                "paused": False},
            Snooze(10): {"snooze": 10}, Ended(Outcome.COMPLETED): {"outcome": "completed"},
            Ended(Outcome.STOPPED_EARLY, 4): {"outcome": "stopped_early", "step": 4}}
    assert report_json(report) == wire[report]
    assert parse_report(wire[report]) == report
