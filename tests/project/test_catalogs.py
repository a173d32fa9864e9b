"""The catalogs are whole: every text marked in the code is in each language's catalog (the
extraction is up to date), translated, with the placeholders of its English, and each committed
.mo file is its .po compiled (so the wheel and the build, which carry the .mo, need no Babel)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))

import catalogs  # noqa: E402  (installer/ is no package: the tool is a script)


def test_every_text_is_in_every_catalog_and_translated_and_compiled() -> None:
    assert list(catalogs.problems()) == []


def test_the_catalogs_have_the_same_texts_and_the_template_is_current() -> None:
    counts = catalogs.counts()
    assert set(counts) == {"de", "es"}
    (total, done), = set(counts.values())
    assert total == done and total > 600, counts
    template = catalogs.read(catalogs.TEMPLATE)
    assert {m.id for m in template if m.id} == {m.id for m in catalogs.extracted() if m.id}


def test_the_checker_sees_a_missing_translation_and_a_wrong_placeholder(tmp_path,
                                                                       monkeypatch) -> None:
    """The check above can fail: a catalog with one text cleared and one placeholder renamed."""
    for language in catalogs.LANGUAGES:
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        catalog = catalogs.read(catalogs.po_path(language), language)
        for message in catalog:
            if message.id == "Quit":
                message.string = ""
            if message.id == "Next break at {time}":
                message.string = message.string.replace("{time}", "{when}")
        catalogs.write(catalog, folder / "pointbreak.po")
    monkeypatch.setattr(catalogs, "po_path",
                        lambda language: tmp_path / language / "LC_MESSAGES" / "pointbreak.po")
    found = list(catalogs.problems())
    assert any("not translated: 'Quit'" in p for p in found), found
    assert any("placeholders" in p and "{when}" in p for p in found), found
    assert any("not pointbreak.po compiled" in p for p in found), found
