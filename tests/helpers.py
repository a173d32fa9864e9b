"""Small helpers shared by the tests (on sys.path through pytest's `pythonpath`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from tray.hours import ActiveHours
from tray.model import Rules, ShowPrompt, TrayStarted
from tray.plan import Answer, Simulation, answer_prompt

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
ALL_DAY = ActiveHours(timedelta(0), timedelta(hours=24), frozenset(range(7)))
ROUTINE = timedelta(minutes=6)


def at(day: str, clock: str, zone: tzinfo = BERLIN, fold: int = 0) -> datetime:
    """A local wall time as a UTC instant: at("2026-11-25", "10:30")."""
    hours, minutes = (int(x) for x in clock.split(":"))
    local = datetime.combine(date.fromisoformat(day), datetime.min.time()).replace(
        hour=hours, minute=minutes, tzinfo=zone, fold=fold)
    return local.astimezone(UTC)


def local(instant: datetime, zone: tzinfo = BERLIN) -> str:
    return instant.astimezone(zone).strftime("%H:%M")


def make_rules(zone: tzinfo = BERLIN, **changes: object) -> Rules:
    values: dict[str, object] = {"routine_length": ROUTINE}
    values.update(changes)
    return Rules(zone=zone, **values)  # type: ignore[arg-type]


def started(rules: Rules, when: datetime) -> Simulation:
    """A tray started at `when` after a night off."""
    sim = Simulation(rules, when)
    sim.feed(TrayStarted(last_alive_at=None))
    return sim


def run(sim: Simulation, until: datetime,
        answer: Answer | None) -> list[tuple[datetime, ShowPrompt]]:
    """Run the clock to `until`, answering every prompt with `answer` (None: leave it)."""
    shown: list[tuple[datetime, ShowPrompt]] = []
    while sim.wake_at is not None and sim.wake_at <= until:
        for decision in sim.wakes_until(sim.wake_at):
            for show in decision.of_type(ShowPrompt):
                shown.append((sim.now, show))
                if answer is not None:
                    answer_prompt(sim, show, answer)
    sim.wakes_until(until)
    return shown
