"""The guided session on an injected clock: no test waits for a real second."""

from __future__ import annotations

import pytest

from routines.routine import load_all
from routines.session import Cue, Session

ROUTINE = load_all()[0]["upper-back-hands-only"]


def run_to(session: Session, now: float) -> list[tuple[float, Cue]]:
    """Tick once a second up to `now`, as the window does; return the cues with their times."""
    seen = []
    t = 0.0
    while t <= now:
        seen += [(t, cue) for cue in session.tick(t)]
        t += 1.0
    return seen


def test_a_whole_routine_runs_its_steps_and_cues_in_order() -> None:
    session = Session(ROUTINE, 4, now=0.0)
    assert session.total == 365
    cues = run_to(session, 400)
    steps = [t for t, c in cues if c is Cue.STEP]
    keep_going = [t for t, c in cues if c is Cue.KEEP_GOING]
    # settle 20, locate 30, then 4 x (press 60 + rest 15), finish 15
    assert steps == [20, 50, 110, 125, 185, 200, 260, 275, 335, 350]
    assert keep_going == [60, 135, 210, 285]  # 10 s into each press
    assert cues[-1] == (365, Cue.DONE) and session.is_finished


def test_the_view_counts_down_and_names_the_round() -> None:
    session = Session(ROUTINE, 3, now=100.0)
    assert session.tick(125.0) == [Cue.STEP]  # settle (20 s) ended at 120
    view = session.view(125.0)
    assert view.step.kind == "locate" and view.remaining == 25 and view.round == 0
    session.tick(100.0 + 55.5)
    view = session.view(100.0 + 55.5)
    assert view.step.kind == "press" and (view.round, view.rounds) == (1, 3)
    assert view.remaining == 55 and not view.is_cue_shown
    view = session.view(100.0 + 62)
    assert view.is_cue_shown and view.remaining == 48
    assert 0 < view.step_fraction < 1 and 0 < view.total_fraction < 1


def test_a_pause_stops_the_countdown_and_resume_goes_on() -> None:
    session = Session(ROUTINE, 4, now=0.0)
    session.pause(5.0)
    assert session.view(500.0).remaining == 15 and session.tick(500.0) == []
    assert session.seconds_to_next_change(500.0) == 3600.0
    session.resume(500.0)
    assert session.view(505.0).remaining == 10
    assert session.tick(515.0) == [Cue.STEP]


def test_next_and_back_move_one_step_and_restart_its_clock() -> None:
    session = Session(ROUTINE, 4, now=0.0)
    assert session.next(3.0) == [Cue.STEP]
    assert session.step.kind == "locate" and session.view(3.0).remaining == 30
    session.next(4.0)
    assert session.step.kind == "press" and session.furthest == 2
    session.back(5.0)
    assert session.step.kind == "locate" and session.furthest == 2
    session.back(6.0)
    session.back(7.0)  # back from the first step stays on it
    assert session.index == 0


def test_next_on_the_last_step_finishes() -> None:
    session = Session(ROUTINE, 3, now=0.0)
    for t in range(len(session.steps) - 1):
        session.next(float(t))
    assert session.next(20.0) == [Cue.DONE] and session.is_finished


@pytest.mark.parametrize(("now", "expected"), [(0.0, 1.0), (0.25, 0.75), (19.5, 0.5)])
def test_the_window_redraws_on_whole_seconds(now: float, expected: float) -> None:
    session = Session(ROUTINE, 4, now=0.0)
    assert session.seconds_to_next_change(now) == pytest.approx(expected)


def test_the_cue_mark_is_a_change_too() -> None:
    session = Session(ROUTINE, 4, now=0.0)
    session.next(0.0)
    session.next(0.0)  # press, with its cue at 10 s
    assert session.seconds_to_next_change(9.6) == pytest.approx(0.4)
