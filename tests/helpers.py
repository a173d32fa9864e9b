"""Small helpers shared by the tests (on sys.path through pytest's `pythonpath`)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from tray.core.events import ShowPrompt, TrayStarted
from tray.core.hours import ActiveHours
from tray.core.model import Kind, Outcome, Record, Rules
from tray.core.plan import Answer, Simulation, answer_prompt

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


def sample_day_plan(day: date, today: date) -> list[tuple[Kind, Outcome | None, int, int]]:
    """The rule: (kind, outcome, snoozes, hour) per record of `day`.

    Weekdays: i % 4 prompts (i = days since first); the first completed at 10:xx unless
    i % 3 == 0 (then skipped, snoozed once), the others ignored at 14:xx. Every tenth day a
    session by hand at 16:xx, completed. Weekends: nothing, except every fifth Saturday a
    session. The weekdays of the last 9 days each have a completed prompt, so the streak is
    known exactly; today's prompt is still open.
    """
    first = today - timedelta(days=364)
    i = (day - first).days
    plan: list[tuple[Kind, Outcome | None, int, int]] = []
    if day == today:
        return [(Kind.PROMPT, Outcome.COMPLETED, 0, 10), (Kind.PROMPT, None, 0, 14)]
    if day >= today - timedelta(days=8):
        return [(Kind.PROMPT, Outcome.COMPLETED, 0, 10)] if day.weekday() < 5 else []
    if day.weekday() < 5:
        for n in range(i % 4):
            if n == 0:
                plan.append((Kind.PROMPT, Outcome.SKIPPED, 1, 10) if i % 3 == 0
                            else (Kind.PROMPT, Outcome.COMPLETED, 0, 10))
            else:
                plan.append((Kind.PROMPT, Outcome.IGNORED, 0, 14))
        if i % 10 == 0:
            plan.append((Kind.SESSION, Outcome.COMPLETED, 0, 16))
    elif day.weekday() == 5 and (i // 7) % 5 == 0:
        plan.append((Kind.SESSION, Outcome.COMPLETED, 0, 16))
    return plan


def sample_year(today: date) -> list[Record]:
    """A year of history up to `today` by the rule of `sample_day_plan`."""
    first = today - timedelta(days=364)
    records = []
    seq = 0
    for offset in range(365):
        day = first + timedelta(days=offset)
        for number, (kind, outcome, snoozes, hour) in enumerate(
                sample_day_plan(day, today)):
            seq += 1
            local = datetime(day.year, day.month, day.day, hour, number, tzinfo=BERLIN)
            shown = local.astimezone(UTC)
            records.append(Record(seq=seq, kind=kind, day=day, shown_at=shown,
                                  ended_at=None if outcome is None else shown + timedelta(
                                      minutes=7), outcome=outcome,
                                  started_at=shown if outcome is Outcome.COMPLETED else None,
                                  snoozes=snoozes, snoozed_for=timedelta(minutes=10 * snoozes)))
    return records


DATA_KINDS = (".toml", ".wav", ".png", ".ico", ".icns", ".svg", ".theme", ".mo")


def tracked_data(root: Path) -> set[str]:
    """Every data file of the packages that git has, as a path inside the install."""
    listed = subprocess.run(["git", "ls-files", "tray", "routines", "icons"], cwd=root,
                            capture_output=True, text=True, check=True).stdout.split()
    return {name for name in listed if name.endswith(DATA_KINDS)}


_PSEUDO_SEGMENT = re.compile("\u27e6[^\u27e6\u27e7]*\u27e7")  # ⟦…⟧ with no bracket inside
_WORD = re.compile(r"[\w.-]*[^\W\d_][\w.-]*")  # a run of letters, digits, "-" and "." with a letter


def unwrapped_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The words of `text` (a window's, a command's output under LANGUAGE=qps) that no ⟦…⟧ of
    the pseudo-language holds: texts nobody marked for translation, unless they are among
    `allowed` (names: commands, options, keys, programs). The segments go innermost first,
    repeatedly, so ⟦a ⟦b⟧ c⟧ goes whole; a word's leading and trailing dots are not part of it
    ("pointbreak." is "pointbreak")."""
    previous = None
    while previous != text:
        previous, text = text, _PSEUDO_SEGMENT.sub(" ", text)
    names = set(allowed)
    return [word for word in (w.strip(".") for w in _WORD.findall(text)) if word not in names]


def stored_files(folder: Path) -> dict[str, dict]:
    """The store's files as they are on disk (tray.store): "state.json" and each month's, by
    name, parsed; none when the folder is not there."""
    import json

    return {path.name: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


def stored_records(folder: Path) -> list[dict]:
    """Every record document on disk: the state file's recent ones and the months', as written."""
    found: dict[int, dict] = {}
    for name, data in stored_files(folder).items():
        if name != "state.json":
            found.update({doc["seq"]: doc for doc in data.get("records", {}).values()})
    found.update({doc["seq"]: doc
                  for doc in stored_files(folder).get("state.json", {}).get("recent", {}).values()})
    return [found[seq] for seq in sorted(found)]
