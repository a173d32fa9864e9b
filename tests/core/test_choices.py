"""The snoozes and pauses offered (tray/core/choices.py): each one the rules accept, worded
as a person says them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tray.base import words
from tray.core.choices import (
    PAUSE_CHOICES,
    PAUSE_LIMITS,
    SNOOZE_LIMITS,
    SNOOZE_MINUTES,
    Pause,
    Snooze,
)
from tray.core.events import PauseRequested, SnoozeRequested
from tray.core.model import DEFAULT_SNOOZE, SNOOZE_RANGE


def test_every_snooze_offered_is_one_the_rules_accept() -> None:
    low, high = SNOOZE_RANGE
    assert all(low <= timedelta(minutes=m) <= high for m in SNOOZE_MINUTES)
    assert DEFAULT_SNOOZE in [timedelta(minutes=m) for m in SNOOZE_MINUTES]
    assert list(SNOOZE_MINUTES) == sorted(set(SNOOZE_MINUTES))


def test_durations_read_as_a_person_says_them() -> None:
    assert [words.duration(m) for m in (5, 30, 60, 90, 120)] == [
        "5 min", "30 min", "1 hour", "90 min", "2 hours"]


def test_the_pauses_and_their_command_arguments() -> None:
    assert [(words.pause_label(c), c) for c in PAUSE_CHOICES] == [
        ("30 min", Pause(30)), ("1 hour", Pause(60)), ("2 hours", Pause(120)),
        ("Until tomorrow", Pause(until_tomorrow=True)), ("Until resumed", Pause())]
    assert [c.event() for c in PAUSE_CHOICES] == [
        PauseRequested(timedelta(minutes=30)), PauseRequested(timedelta(minutes=60)),
        PauseRequested(timedelta(minutes=120)), PauseRequested(until_next_period=True),
        PauseRequested()]


def test_a_snooze_is_its_minutes_or_the_default_and_names_its_prompt() -> None:
    assert Snooze().event() == SnoozeRequested(DEFAULT_SNOOZE)
    assert Snooze(5).event(seq=3) == SnoozeRequested(timedelta(minutes=5), 3)
    assert SNOOZE_LIMITS == (1, 120) and PAUSE_LIMITS == (1, 1440)


def test_a_pause_is_minutes_or_until_tomorrow_not_both() -> None:
    with pytest.raises(ValueError, match="not both"):
        Pause(30, until_tomorrow=True)
