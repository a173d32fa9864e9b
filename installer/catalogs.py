"""The translation catalogs: extract the texts, update the languages' .po files, compile .mo.

    python installer/catalogs.py extract   # tray/locale/pointbreak.pot from tray/ and routines/
    python installer/catalogs.py update    # merge the .pot into each language's .po
    python installer/catalogs.py compile   # each .po into its .mo (committed beside it)
    python installer/catalogs.py check     # what the tests check: nothing missing or stale

Babel is a development tool here (in the test extra), never needed to run Pointbreak: the .mo
files are committed, and tests/project/test_catalogs.py proves they match their .po files.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "tray" / "locale"
TEMPLATE = LOCALE / "pointbreak.pot"
LANGUAGES = ("de", "es")
KEYWORDS = {"_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def extracted() -> Catalog:
    """Every text marked in tray/ and routines/, with where it is and the comment before it."""
    catalog = Catalog(project="Pointbreak", version="0.1", msgid_bugs_address="",
                      copyright_holder="The Pointbreak developers", fuzzy=False)
    for folder in ("tray", "routines"):
        method_map = [("**.py", "python")]
        for filename, lineno, message, comments, context in extract_from_dir(
                ROOT / folder, method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
                strip_comment_tags=True):
            catalog.add(message, None, [(f"{folder}/{filename}", lineno)],
                        auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "pointbreak.po"


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


def write(catalog: Catalog, path: Path) -> None:
    out = io.BytesIO()
    write_po(out, catalog, width=99, sort_by_file=True, omit_header=False, include_lineno=False,
             include_previous=False, ignore_obsolete=True)
    # a date in the header would change the files at every extraction
    text = re.sub(rb'"POT-Creation-Date: [^"]*"\n', b"", out.getvalue())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text)


def compiled(catalog: Catalog) -> bytes:
    """The .mo bytes, the same at every compile: the .po files hold no creation date (it would
    change them at every extraction), and Babel would put the time of reading in its place."""
    catalog.creation_date = FIXED_DATE
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def update() -> None:
    template = extracted()
    write(template, TEMPLATE)
    for language in LANGUAGES:
        path = po_path(language)
        catalog = read(path, language) if path.exists() else Catalog(locale=language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.project, catalog.version, catalog.fuzzy = "Pointbreak", "0.1", False
        catalog.copyright_holder = "The Pointbreak developers"
        write(catalog, path)


def compile_all() -> None:
    for language in LANGUAGES:
        path = po_path(language)
        path.with_suffix(".mo").write_bytes(compiled(read(path, language)))


def ids(message: object) -> tuple[str, ...]:
    msgid = message.id  # type: ignore[attr-defined]
    return tuple(msgid) if isinstance(msgid, tuple) else (msgid,)


def problems() -> Iterator[str]:
    """What is wrong with the catalogs: texts not extracted, not translated, placeholders that
    differ from the English, a .mo that is not its .po compiled."""
    template = {(m.context, ids(m)) for m in extracted() if m.id}
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            yield f"{path}: missing"
            continue
        catalog = read(path, language)
        present = {(m.context, ids(m)) for m in catalog if m.id}
        for context, msgid in sorted(template - present, key=str):
            yield f"{path}: not in the catalog yet (run update): {msgid[0]!r} ({context})"
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings) or message.fuzzy:
                yield f"{path}: not translated: {ids(message)[0]!r}"
                continue
            wanted = {name for text in ids(message) for name in PLACEHOLDER.findall(text)}
            for text in strings:
                if set(PLACEHOLDER.findall(text)) != wanted:
                    yield (f"{path}: the placeholders of {text!r} are not those of "
                           f"{ids(message)[0]!r}")
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(catalog):
            yield f"{mo}: not {path.name} compiled (run compile)"


def counts() -> dict[str, tuple[int, int]]:
    """Per language: (texts in the catalog, texts translated)."""
    result = {}
    for language in LANGUAGES:
        catalog = read(po_path(language), language)
        messages = [m for m in catalog if m.id]
        done = [m for m in messages if all(m.string if isinstance(m.string, tuple)
                                           else (m.string,)) and not m.fuzzy]
        result[language] = (len(messages), len(done))
    return result


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        write(extracted(), TEMPLATE)
    elif command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = list(problems())
        print("\n".join(found) or "The catalogs are whole: " + ", ".join(
            f"{lang} {done} of {total}" for lang, (total, done) in counts().items()))
        return 1 if found else 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
