"""The break rules: pure Python on the standard library alone.

- `engine`: `handle(state, event, now, rules)` decides (the per-event steps) and `status` says
  what the menu shows.
- `schedule`: what falls due and when (`settle`, `next_due`, `next_wake`).
- `model`: the vocabulary (rules, state, prompts, day counts, records, outcomes, modes).
- `events`: the events fed to the engine and the effects it returns.
- `codec`: state and records to and from plain dicts for the store.
- `hours`: the active hours; `plan`: a day simulated; `history`: the history's numbers.

Nothing here reads a clock, sleeps, or touches a file, a GUI, the scheduler or the store: the
import-linter contract in pyproject.toml and tests/core/test_engine_purity.py hold it so.
"""
