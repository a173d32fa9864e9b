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


# --- texts per language -------------------------------------------------------------------

BUNDLED = bundled_folder() / "upper-back-hands-only.toml"


@pytest.mark.parametrize("language", ["de", "es"])
def test_the_bundled_routine_speaks_german_and_spanish(language: str) -> None:
    english, shown = load_file(BUNDLED, "en"), load_file(BUNDLED, language)
    assert shown.problems == () and shown.language == language
    for key in ("title", "description", "area", "safety"):
        assert getattr(shown, key) != getattr(english, key), key
    assert "Pointbreak" in shown.safety  # the safety note names the app, in every language
    for ours, theirs in zip(shown.steps, english.steps, strict=True):
        assert (ours.kind, ours.seconds, ours.cue_at, ours.repeat) == (
            theirs.kind, theirs.seconds, theirs.cue_at, theirs.repeat)
        assert ours.text != theirs.text and ours.say and ours.say != theirs.say
        assert len(ours.say) <= len(ours.text)  # the spoken form is the short one here too
        assert (ours.cue is None) == (theirs.cue is None)
        if ours.cue is not None:
            assert ours.cue != theirs.cue and ours.cue_say and ours.cue_say != theirs.cue_say
            assert len(ours.cue_say) <= len(ours.cue)
    assert shown.length(4) == english.length(4)


def test_the_german_and_spanish_say_what_the_routine_facts_say() -> None:
    german, spanish = load_file(BUNDLED, "de"), load_file(BUNDLED, "es")
    assert "keine medizinische Beratung" in german.safety and "ärztlich" in german.safety
    assert "no constituye consejo médico" in spanish.safety and "médico" in spanish.safety
    press_de = next(s for s in german.steps if s.kind == "press")
    press_es = next(s for s in spanish.steps if s.kind == "press")
    assert "Zeigefinger" in press_de.text and "Kreise" in press_de.cue  # type: ignore[operator]
    assert "índice" in press_es.text and "círculos" in press_es.cue  # type: ignore[operator]
    assert "fünf" in german.steps[-1].text and "cinco" in spanish.steps[-1].text
    # German speaks to the person as "Sie", Spanish as "tú", every step alike.
    assert all(" Sie " in f" {s.text} " for s in german.steps if s.kind != "finish")
    assert not any(word in s.text.split() for s in german.steps for word in ("du", "dich"))
    assert not any("usted" in s.text.lower() for s in spanish.steps)


def test_the_shown_language_is_the_default(tmp_path: Path) -> None:
    from tray.base import i18n

    try:
        i18n.use("es")
        routines, problems = load_all(tmp_path)
    finally:
        i18n.use("en")
    assert problems == []
    assert routines["upper-back-hands-only"].title == load_file(BUNDLED, "es").title
    assert load_all()[0]["upper-back-hands-only"].title == "Upper back, hands only"


def test_a_routine_in_one_language_is_had_in_another_without_reading_the_file_again(
        tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + '[de]\ntitle = "Meine"\n[[steps]]\n' + GOOD_STEP
                    + '[steps.de]\ntext = "Drücken."\n')
    english = load_file(path, "en")
    path.unlink()  # gone: in_language works from what was read
    german = english.in_language("de")
    assert (german.title, german.steps[0].text, german.language) == ("Meine", "Drücken.", "de")
    assert german.in_language("en") == english and english.in_language("en") is english


def test_a_language_the_file_does_not_have_is_english(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(HEAD + "[[steps]]\n" + GOOD_STEP + 'say = "Push."\n')
    for language in ("de", "es", "fr"):
        mine = load_all(tmp_path, language)[0]["mine"]
        assert (mine.title, mine.steps[0].text, mine.steps[0].spoken) == ("Mine", "Press.",
                                                                          "Push.")
        assert mine.problems == ()


def test_a_persons_english_only_file_works_unchanged(tmp_path: Path) -> None:
    import tomlkit

    # The bundled file as it was before it had translations: a person's copy of it.
    document = tomlkit.parse(BUNDLED.read_text())
    for table in (document, *document["steps"]):
        for code in ("de", "es"):
            del table[code]
    document["id"] = "mine"
    (tmp_path / "mine.toml").write_text(tomlkit.dumps(document))
    assert "\n[de]" not in (tmp_path / "mine.toml").read_text()
    bundled = load_file(BUNDLED, "en")
    for language in ("en", "de", "es"):
        mine = load_all(tmp_path, language)[0]["mine"]
        assert mine.problems == () and mine.title == bundled.title
        assert [(s.text, s.spoken, s.cue, s.spoken_cue) for s in mine.steps] == [
            (s.text, s.spoken, s.cue, s.spoken_cue) for s in bundled.steps]


def test_a_step_translated_without_its_spoken_form_says_its_translated_text(
        tmp_path: Path) -> None:
    step = GOOD_STEP + 'say = "Push."\ncue = "Keep going."\ncue_at = 10\ncue_say = "On."\n'
    (tmp_path / "mine.toml").write_text(HEAD + "[[steps]]\n" + step
                                        + '[steps.de]\ntext = "Drücken."\ncue = "Weiter."\n'
                                        + '[steps.es]\nsay = "Empuja."\n')
    german = load_all(tmp_path, "de")[0]["mine"].steps[0]
    assert (german.text, german.spoken, german.cue, german.spoken_cue) == (
        "Drücken.", "Drücken.", "Weiter.", "Weiter.")  # never the English "Push." or "On."
    spanish = load_all(tmp_path, "es")[0]["mine"].steps[0]
    assert (spanish.text, spanish.spoken, spanish.cue, spanish.spoken_cue) == (
        "Press.", "Empuja.", "Keep going.", "On.")  # what it leaves out is English


BROKEN_TRANSLATIONS = {
    "step-table-not-table": ('de = "Drücken."\n', "", 1, "de", "de must be a [steps.de] table"),
    "step-list-of-tables": ("", '[[steps.de]]\ntext = "Drücken."\n', 1, "de",
                            "de must be a [steps.de] table"),
    "wrong-type": ("", "[steps.de]\ntext = 5\n", 1, "de.text", "de.text must be a non-empty"),
    "empty": ("", '[steps.es]\ntext = "  "\n', 1, "es.text", "es.text must be a non-empty"),
    "unknown-key": ("", '[steps.de]\ntext = "Drücken."\nseconds = 5\n', 1, "de.seconds",
                    "de.seconds is not a text [steps.de] can translate"),
    "nested-table": ("", '[steps.de]\ntext = "Drücken."\n[steps.de.more]\nx = 1\n', 1,
                     "de.more", "not a text [steps.de] can translate"),
    "cue-without-english-cue": ("", '[steps.de]\ntext = "Drücken."\ncue = "Weiter."\n', 1,
                                "de.cue", "translates a cue the step does not have"),
    "too-long": ("", f'[steps.de]\ntext = "{"x" * 401}"\n', 1, "de.text",
                 "longer than 400 characters"),
    "routine-table-not-table": ("", "", None, "de", "de must be a [de] table"),
    "routine-wrong-type": ("", "", None, "es.title", "es.title must be a non-empty text"),
    "routine-unknown-key": ("", "", None, "de.id", "de.id is not a text [de] can translate"),
}
HEADS = {"routine-table-not-table": 'de = ["Meine"]\n', "routine-wrong-type": "[es]\ntitle = 1\n",
         "routine-unknown-key": '[de]\nid = "meine"\ntitle = "Meine"\n'}


@pytest.mark.parametrize("name", list(BROKEN_TRANSLATIONS), ids=list(BROKEN_TRANSLATIONS))
def test_a_broken_translation_is_reported_and_english_is_shown(tmp_path: Path, name) -> None:
    inside, after, step, key, words = BROKEN_TRANSLATIONS[name]
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + HEADS.get(name, "") + "[[steps]]\n" + GOOD_STEP + inside + after)
    for language in ("de", "es", "en"):  # reported in every language: it is the file's
        routines, skipped = load_all(tmp_path, language)
        assert skipped == []  # the routine still runs ...
        mine = routines["mine"]
        (problem,) = mine.problems  # ... and says what it could not use, and where
        message = str(problem)
        assert str(path) in message and words in message, message
        assert problem.step == step and problem.key == key
        assert f"key {key}" in message and (step is None or f"step {step}" in message)
        assert "English" in message or "ignored" in message
        if name != "routine-unknown-key":  # that one's [de] title is good, and used
            assert mine.title == "Mine"
        assert mine.steps[0].text == ("Drücken." if language == "de" and name in (
            "unknown-key", "nested-table", "cue-without-english-cue") else "Press.")


def test_a_hostile_translation_costs_only_itself(tmp_path: Path) -> None:
    huge = "[steps.de]\n" + "".join(f'k{i} = "{i}"\n' for i in range(2000))
    (tmp_path / "mine.toml").write_text(HEAD + "[[steps]]\n" + GOOD_STEP + huge)
    mine = load_all(tmp_path, "de")[0]["mine"]
    assert mine.steps[0].text == "Press."
    assert len(mine.problems) == 10 and all(len(str(p)) < 300 for p in mine.problems)
    assert "1991 more translations cannot be used" in str(mine.problems[-1])


def test_in_the_pseudo_language_every_text_of_the_file_is_wrapped() -> None:
    from tray.base import i18n

    shown = load_file(BUNDLED, i18n.PSEUDO)
    english = load_file(BUNDLED, "en")
    wrap = i18n.Pseudo().gettext
    assert [shown.title, shown.description, shown.area, shown.safety] == [
        wrap(english.title), wrap(english.description), wrap(english.area),
        wrap(english.safety)]
    for ours, theirs in zip(shown.steps, english.steps, strict=True):
        assert ours.text == wrap(theirs.text) and ours.spoken == wrap(theirs.spoken)
        assert ours.spoken_cue == (wrap(theirs.spoken_cue) if theirs.spoken_cue else None)
