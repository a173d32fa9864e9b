"""Routine files: the bundled ones load; broken ones are reported with file, step and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from routines.routine import RoutineError, bundled_folder, load_all, load_file

GOOD_STEP = 'kind = "press"\ntext = "Press."\nseconds = 60\n'
HEAD = ('id = "mine"\ntitle = "Mine"\ndescription = "d"\narea = "upper back"\n'
        'safety = "See a doctor for significant pain."\n')


def test_every_bundled_routine_loads_and_validates() -> None:
    files = sorted(bundled_folder().glob("*.toml"))
    assert files
    for path in files:
        routine = load_file(path)
        assert routine.id == path.stem


def test_the_hands_only_routine_follows_the_routine_facts() -> None:
    routines, problems = load_all()
    assert problems == []
    routine = routines["upper-back-hands-only"]
    kinds = [s.kind for s, _, _ in routine.expanded(4)]
    assert kinds[:2] == ["settle", "locate"] and kinds[-1] == "finish"
    presses = [(s, n, c) for s, n, c in routine.expanded(4) if s.kind == "press"]
    assert [(n, c) for _, n, c in presses] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    press = presses[0][0]
    assert press.seconds == 60 and press.cue_at == 10  # a minute, with a cue after 10 s
    assert "index finger" in press.text and "circles" in press.cue
    assert len([s for s, _, _ in routine.expanded(3) if s.kind == "press"]) == 3
    assert routine.length(4) - routine.length(3) == timedelta(seconds=75)
    assert "doctor" in routine.safety and "not medical advice" in routine.safety


BROKEN = {
    "not-toml": ("id = \n", None, None, "not valid TOML"),
    "no-id": (HEAD.replace('id = "mine"\n', "") + "[[steps]]\n" + GOOD_STEP, None, "id",
              "id must be"),
    "no-steps": (HEAD, None, "steps", "at least one step"),
    "bad-kind": (HEAD + '[[steps]]\nkind = "jump"\ntext = "x"\nseconds = 5\n', 1, "kind",
                 "kind must be one of"),
    "no-text": (HEAD + '[[steps]]\nkind = "rest"\nseconds = 5\n', 1, "text", "text must be"),
    "zero-seconds": (HEAD + '[[steps]]\nkind = "rest"\ntext = "x"\nseconds = 0\n', 1,
                     "seconds", "1 to 600"),
    "text-seconds": (HEAD + '[[steps]]\nkind = "rest"\ntext = "x"\nseconds = "ten"\n', 1,
                     "seconds", "got 'ten'"),
    "bad-illustration": (HEAD + "[[steps]]\n" + GOOD_STEP + "[[steps]]\n" + GOOD_STEP
                         + 'illustration = "photo.jpg"\n', 2, "illustration", "one of"),
    "repeat-too-many": (HEAD + "[[steps]]\n" + GOOD_STEP + "repeat = 99\n", 1, "repeat",
                        "1 to 10"),
    "cue-after-end": (HEAD + "[[steps]]\n" + GOOD_STEP + 'cue = "go on"\ncue_at = 60\n', 1,
                      "cue_at", "1 to 59"),
    "step-not-table": (HEAD + "steps = [1, 2]\n", 1, None, "[[steps]] table"),
    "say-not-text": (HEAD + "[[steps]]\n" + GOOD_STEP + "say = 5\n", 1, "say", "say must be"),
    "cue-say-without-cue": (HEAD + "[[steps]]\n" + GOOD_STEP + 'cue_say = "go on"\n', 1,
                            "cue_say", "give the cue too"),
    "not-utf8": (b"id = \"caf\xe9\"\n", None, None, "not UTF-8"),
}


@pytest.mark.parametrize("name", list(BROKEN), ids=list(BROKEN))
def test_a_broken_routine_is_reported_and_skipped(tmp_path: Path, name: str) -> None:
    text, step, key, words = BROKEN[name]
    path = tmp_path / f"{name}.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    routines, problems = load_all(tmp_path)
    assert "upper-back-hands-only" in routines and "mine" not in routines  # skipped, not fatal
    (problem,) = problems
    assert isinstance(problem, RoutineError)
    message = str(problem)
    assert str(path) in message and words in message
    assert problem.step == step and problem.key == key
    if step is not None:
        assert f"step {step}" in message
    if key is not None:
        assert f"key {key}" in message


def test_a_users_routine_is_added_beside_the_bundled_ones(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(HEAD + "[[steps]]\n" + GOOD_STEP)
    routines, problems = load_all(tmp_path)
    assert problems == [] and routines["mine"].length() == timedelta(seconds=60)


def test_the_voice_says_the_short_form_where_there_is_one(tmp_path: Path) -> None:
    step = GOOD_STEP + 'say = "Press."\ncue = "Keep pressing, still or in circles."\ncue_at = 10\n'
    (tmp_path / "mine.toml").write_text(HEAD + "[[steps]]\n" + step + "[[steps]]\n" + GOOD_STEP
                                        + 'cue = "On."\ncue_at = 5\ncue_say = "Go on."\n')
    first, second = load_all(tmp_path)[0]["mine"].steps
    assert (first.spoken, first.spoken_cue) == ("Press.", "Keep pressing, still or in circles.")
    assert (second.spoken, second.spoken_cue) == ("Press.", "Go on.")  # its text, its cue_say
    bundled = load_all()[0]["upper-back-hands-only"].steps
    assert all(s.say and len(s.say) <= len(s.text) for s in bundled)  # every step, shorter
    assert [len(s.spoken_cue or "") <= len(s.cue or "") for s in bundled] == [True] * 5
