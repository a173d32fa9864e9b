"""The settings schema (tray/config/schema.py): one entry for every setting, and everything built
from it agrees with it: the commented file, the loader, saving from the window, the window's
words. The round trip is a property: any allowed settings, written to a file, read back the same."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tray.config import kinds, schema
from tray.config import settings as settings_file
from tray.config import settings_edit as edit
from tray.config.schema import KEYS, Settings
from tray.core.hours import ActiveHours


def _leaves(cls: type, prefix: str = "") -> list[str]:
    """Every attribute a settings file can set: the fields of Settings, and of the dataclasses
    inside it (Settings.hours is start, end and days)."""
    names: list[str] = []
    for field in dataclasses.fields(cls):
        inner = getattr(cls(), field.name)
        if dataclasses.is_dataclass(inner):
            names += _leaves(type(inner), f"{prefix}{field.name}.")
        else:
            names.append(prefix + field.name)
    return names


def test_every_setting_has_exactly_one_key() -> None:
    attributes = [key.attribute for key in KEYS]
    assert sorted(attributes) == sorted(_leaves(Settings))
    assert len(set(attributes)) == len(attributes)
    assert len({key.field for key in KEYS}) == len(KEYS)


def test_the_commented_file_holds_every_key_with_its_default() -> None:
    data = tomllib.loads(settings_file.default_text())
    assert data == {section: {key.name: key.file_value(Settings()) for key in KEYS
                              if key.section == section} for section in schema.SECTIONS}
    lines = settings_file.default_text().splitlines()
    for key in KEYS:  # a range or choices are said in the comment just above the key
        line = lines.index(f"{key.name} = {schema.toml_value(key.file_value(Settings()))}")
        above = line
        while lines[above - 1].startswith("# "):
            above -= 1
        comment = " ".join(lines[above:line])
        if isinstance(key.kind, kinds.Whole | kinds.Number):
            assert key.kind.allowed in comment, key.name
        if isinstance(key.kind, kinds.Choice):
            assert all(kinds.show(value) in comment for value in key.kind.values), key.name
    assert "# Minutes of work inside active hours before a break is offered (15 to 240).\n" \
           "interval_minutes = 90\n" in settings_file.default_text()
    assert all(len(line) <= 100 for line in lines)


def test_the_window_words_of_each_key() -> None:
    letters = [text[index].lower() for text, index in (key.label_text for key in KEYS)
               if index >= 0]
    assert len(set(letters)) == len(letters)
    assert not set(letters) & {"l", "d", "s"}  # the window's own: start at login, defaults, save
    for key in KEYS:
        assert key.label.count("&") <= 1  # at most one access letter
        assert "{" not in key.help_text + key.comment_text
    assert KEYS[0].label  # the first row has a label: a key without one joins the row before
    assert schema.BY_FIELD[("breaks", "interval_minutes")].help_text == (
        "minutes of work (15 to 240)")
    assert schema.BY_FIELD[("do_not_disturb", "hold_minutes")].help_text == (
        "minutes, then a notification only (1 to 120)")


@pytest.mark.parametrize(("field", "typed", "value"), [
    (("breaks", "interval_minutes"), " 45 ", 45),
    (("breaks", "interval_minutes"), "4x", "4x"),
    (("routine", "font_scale"), "1,5", 1.5),
    (("routine", "font_scale"), "huge", "huge"),
    (("active_hours", "start"), " 08:30", "08:30"),
], ids=["whole", "whole-bad", "decimal-comma", "number-bad", "clock"])
def test_what_a_person_types_becomes_the_file_value(field, typed, value) -> None:
    assert edit.from_text(field, typed) == value


@pytest.mark.parametrize(("value", "text"), [(1.0, "1.0"), (1.25, "1.25"), (2.5, "2.5"),
                                             (3.0, "3.0")])
def test_a_number_is_shown_as_it_was_typed_back(value: float, text: str) -> None:
    kind = schema.BY_FIELD[("routine", "font_scale")].kind
    assert kind.as_text(value) == text and kind.from_text(text) == value


# --- the round trip: any allowed settings, written and read back, are the same ---------------

def _strategy(kind: kinds.Kind) -> st.SearchStrategy:
    """The Settings values this kind allows (a new kind needs its strategy here)."""
    if isinstance(kind, kinds.Minutes):
        return st.integers(kind.low, kind.high).map(lambda m: timedelta(minutes=m))
    if isinstance(kind, kinds.Whole):
        return st.integers(kind.low, kind.high)
    if isinstance(kind, kinds.Number):
        return st.floats(kind.low, kind.high)
    if isinstance(kind, kinds.Choice):
        return st.sampled_from([value for value, _ in kind.options])
    if isinstance(kind, kinds.Boolean):
        return st.booleans()
    if isinstance(kind, kinds.Clock):
        return st.integers(0, 24 * 60).map(lambda m: timedelta(minutes=m))
    if isinstance(kind, kinds.Days):
        return st.frozensets(st.integers(0, 6), min_size=1)
    if isinstance(kind, kinds.RoutineName):
        return st.from_regex(r"[a-z0-9][a-z0-9_-]{0,63}", fullmatch=True)
    raise AssertionError(f"no strategy for {kind!r}")


@st.composite
def _settings(draw: st.DrawFn) -> Settings:
    """Any settings the file allows: every key from its kind, the hours and the interval drawn
    so that the interval fits inside the hours (the loader's one rule across keys)."""
    values = {key.attribute: draw(_strategy(key.kind)) for key in KEYS}
    interval = schema.BY_FIELD[("breaks", "interval_minutes")].kind
    assert isinstance(interval, kinds.Minutes)
    start = draw(st.integers(0, 24 * 60 - interval.low - 1))
    end = draw(st.integers(start + interval.low + 1, 24 * 60))
    minutes = draw(st.integers(interval.low, min(interval.high, end - start - 1)))
    del values["hours.start"], values["hours.end"]
    values["interval"] = timedelta(minutes=minutes)
    hours = ActiveHours(timedelta(minutes=start), timedelta(minutes=end), values.pop("hours.days"))
    return Settings(hours=hours, **values)


_ROUND_TRIP = settings(max_examples=150, deadline=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture])


@_ROUND_TRIP
@given(chosen=_settings())
def test_any_settings_written_to_the_commented_file_read_back_the_same(
        tmp_path: Path, chosen: Settings) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(schema.commented_file(chosen), encoding="utf-8")
    assert settings_file.load(path) == (chosen, [])


@_ROUND_TRIP
@given(chosen=_settings())
def test_any_settings_saved_from_the_window_read_back_the_same(
        tmp_path: Path, chosen: Settings) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("# mine\n[breaks]\ndaily_cap = 2  # for now\n", encoding="utf-8")
    edit.save(path, edit.values_of(chosen))
    assert settings_file.load(path) == (chosen, [])
    assert path.read_text(encoding="utf-8").startswith("# mine\n")
    assert edit.check(edit.values_of(chosen)) == {}


@pytest.mark.parametrize("key", KEYS, ids=[f"{k.section}.{k.name}" for k in KEYS])
def test_each_key_alone_reads_back_as_its_value(tmp_path: Path, key: schema.Key) -> None:
    """Every key, set alone to a value other than its default, changes only its attribute."""
    value = _OTHER.get(key.attribute) or next(v for v in _examples(key.kind)
                                              if v != key.get(Settings()))
    path = tmp_path / "settings.toml"
    path.write_text(f"[{key.section}]\n{key.name} = {schema.toml_value(key.kind.to_file(value))}\n",
                    encoding="utf-8")
    loaded, problems = settings_file.load(path)
    assert problems == [] and key.get(loaded) == value
    others = [k for k in KEYS if k is not key]
    assert [k.get(loaded) for k in others] == [k.get(Settings()) for k in others]


_OTHER = {"hours.end": timedelta(hours=20)}  # an end before the default start would be refused


def _examples(kind: kinds.Kind) -> list:
    return {kinds.Minutes: [timedelta(minutes=60)], kinds.Whole: [3],
            kinds.Number: [1.5], kinds.Boolean: [False],
            kinds.Clock: [timedelta(hours=8, minutes=30)],
            kinds.Days: [frozenset({0, 2, 5})], kinds.RoutineName: ["my-own"],
            kinds.Choice: [v for v, _ in getattr(kind, "options", ())]}[type(kind)]
