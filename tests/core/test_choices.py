"""The snoozes and pauses offered (tray/core/choices.py): each one the rules accept, worded
as a person says them."""

from __future__ import annotations

from datetime import timedelta

from tray.core.choices import PAUSE_CHOICES, SNOOZE_MINUTES, minutes_label
from tray.core.model import DEFAULT_SNOOZE, SNOOZE_RANGE


def test_every_snooze_offered_is_one_the_rules_accept() -> None:
    low, high = SNOOZE_RANGE
    assert all(low <= timedelta(minutes=m) <= high for m in SNOOZE_MINUTES)
    assert DEFAULT_SNOOZE in [timedelta(minutes=m) for m in SNOOZE_MINUTES]
    assert list(SNOOZE_MINUTES) == sorted(set(SNOOZE_MINUTES))


def test_durations_read_as_a_person_says_them() -> None:
    assert [minutes_label(m) for m in (5, 30, 60, 90, 120)] == [
        "5 min", "30 min", "1 hour", "90 min", "2 hours"]


def test_the_pauses_and_their_command_arguments() -> None:
    assert [(c.label, c.args()) for c in PAUSE_CHOICES] == [
        ("30 min", {"minutes": 30}), ("1 hour", {"minutes": 60}), ("2 hours", {"minutes": 120}),
        ("Until tomorrow", {"until": "tomorrow"}), ("Until resumed", {})]
