"""The break rules: pure Python on the standard library alone.

`engine.handle(state, event, now, rules)` decides; `model` is its vocabulary (rules, state,
events, effects and their codec), `hours` the active hours, `plan` a day simulated. Nothing here
reads a clock, sleeps, or touches a file, a GUI, the scheduler or the store: the import-linter
contract in pyproject.toml and tests/test_engine_purity.py hold it so.
"""
