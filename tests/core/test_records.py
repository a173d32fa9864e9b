"""`@record` (tray/core/records.py) behaves as `@dataclass(frozen=True)` for what the tray's
pre-icon classes use: the same construction, defaults, errors, equality, hashing, repr, match
patterns, `__post_init__`, and no changes after."""

from __future__ import annotations

import dataclasses

import pytest

from tray.core.records import fields_of, record


@record
class Point:
    x: int
    y: int = 0
    label: str = "p"

    def moved(self, by: int) -> Point:
        return Point(self.x + by, self.y, self.label)


@record
class Checked:
    low: int = 0
    high: int = 10

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low above high")


@dataclasses.dataclass(frozen=True)
class Twin:  # the dataclass a record stands in for
    x: int
    y: int = 0
    label: str = "p"


def test_it_is_built_as_a_frozen_dataclass_would_be() -> None:
    assert fields_of(Point) == tuple(f.name for f in dataclasses.fields(Twin))
    for made, twin in ((Point(1), Twin(1)), (Point(1, 2), Twin(1, 2)),
                       (Point(x=1, label="q"), Twin(x=1, label="q"))):
        assert (made.x, made.y, made.label) == (twin.x, twin.y, twin.label)
        assert repr(made) == repr(twin).replace("Twin", "Point")
    assert Point(1).moved(2) == Point(3)


@pytest.mark.parametrize("make", [lambda: Point(), lambda: Point(1, 2, "a", 4),
                                  lambda: Point(1, z=3), lambda: Point(1, x=2)])
def test_a_wrong_construction_is_a_type_error(make) -> None:
    with pytest.raises(TypeError):
        make()


def test_equal_and_hashed_by_value_and_class_and_never_changed() -> None:
    assert Point(1, 2) == Point(1, 2) and Point(1, 2) != Point(2, 1)
    assert hash(Point(1, 2)) == hash(Point(1, 2))
    assert len({Point(1), Point(1), Point(2)}) == 2
    assert Point(1) != Twin(1) and Point(1) != (1, 0, "p")
    with pytest.raises(AttributeError):
        Point(1).x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del Point(1).y  # type: ignore[misc]


def test_post_init_checks_and_match_patterns_work() -> None:
    with pytest.raises(ValueError, match="low above high"):
        Checked(5, 1)
    match Point(4, 5):
        case Point(x, y):
            assert (x, y) == (4, 5)
        case _:
            pytest.fail("no match")
