"""The tests' knobs, read here and nowhere else: environment variables only tests set.

    POINTBREAK_TEST_<NAME>_SECONDS   a shorter time for the end-to-end tests (INTERVAL, CARD,
                                     AWAY, TICK, POLL, PAUSE, PAUSE_WAIT, SETTLE, KEY_GUARD)
    POINTBREAK_TEST_FAIL_AT          start | engine: make the tray fail there (the crash tests)
    POINTBREAK_TEST_SPEECH_LOG       a file: each speech command, as run, is added to it as a
                                     line of JSON (the voice's seam, beside the real audio)
    POINTBREAK_TEST_TEXTS            a folder: each Tk window writes every text it has shown
                                     (titles, labels, buttons, menus, canvas texts, dialogs) to
                                     <name>-<pid>.json in it (the pseudo-language test's seam)

A person never sets them. A value that is not a positive number is logged and ignored: the
product's own time holds.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

from tray.core.model import Rules

log = logging.getLogger(__name__)
PREFIX = "POINTBREAK_TEST_"


def seconds(name: str) -> float | None:
    """The test's time for `name` ("INTERVAL" reads POINTBREAK_TEST_INTERVAL_SECONDS), or None."""
    variable = f"{PREFIX}{name}_SECONDS"
    text = os.environ.get(variable)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        log.warning("%s=%r is not a number of seconds; ignored", variable, text[:40])
        return None
    return value


def seconds_or(name: str, default: float) -> float:
    found = seconds(name)
    return default if found is None else found


def fail_at(where: str) -> None:
    """The crash tests' way to make the tray fail at `where`."""
    if os.environ.get(f"{PREFIX}FAIL_AT") == where:
        raise RuntimeError(f"a failure at {where}, asked for by a test")


def speech_log(record: dict[str, object]) -> None:
    """Add what the voice just did to the tests' speech log, if they keep one."""
    path = os.environ.get(f"{PREFIX}SPEECH_LOG")
    if path:
        import json

        with open(path, "a", encoding="utf-8") as log_file:
            log_file.write(json.dumps(record) + "\n")


def shorter_times(rules: Rules) -> Rules:
    """The rules with the end-to-end tests' shorter times, where they ask for them."""
    interval, card, away = (seconds(name) for name in ("INTERVAL", "CARD", "AWAY"))
    if interval:
        rules = replace(rules, interval=timedelta(seconds=interval))
    if card:
        rules = replace(rules, card_timeout=timedelta(seconds=card))
    if away:
        rules = replace(rules, away_after=timedelta(seconds=away))
    return rules


GATHER_MS = 100


def tcl_texts(tk: Any, path: str) -> Iterator[str]:
    """Every text the Tk window at `path` and its children show now, asked of Tcl by path, so
    the dialogs Tk makes in Tcl (message boxes, the file dialog) are read too."""
    call = tk.call
    kind = ""
    with contextlib.suppress(Exception):
        kind = str(call("winfo", "class", path))
    with contextlib.suppress(Exception):  # a menu is a toplevel too, but its "title" is a name
        if str(call("winfo", "toplevel", path)) == path and kind != "Menu":
            yield str(call("wm", "title", path))
    with contextlib.suppress(Exception):
        options = {str(option[0]) for option in call(path, "configure")}
        if "-text" in options:
            yield str(call(path, "cget", "-text"))
        if "-textvariable" in options and str(call(path, "cget", "-textvariable")):
            yield str(call("set", call(path, "cget", "-textvariable")))
        if "-values" in options:
            yield from (str(v) for v in tk.splitlist(call(path, "cget", "-values")))
    with contextlib.suppress(Exception):
        if kind == "Menu":
            last = str(call(path, "index", "end"))
            for index in range(0 if last == "none" else int(last) + 1):
                with contextlib.suppress(Exception):
                    yield str(call(path, "entrycget", index, "-label"))
        elif kind == "Canvas":
            for item in tk.splitlist(call(path, "find", "all")):
                if str(call(path, "type", item)) == "text":
                    yield str(call(path, "itemcget", item, "-text"))
        elif kind == "Treeview":
            for column in ("#0", *tk.splitlist(call(path, "cget", "-columns"))):
                yield str(call(path, "heading", column, "-text"))
            for item in tk.splitlist(call(path, "children", "")):
                yield from (str(v) for v in tk.splitlist(call(path, "item", item, "-values")))
    with contextlib.suppress(Exception):
        for child in tk.splitlist(call("winfo", "children", path)):
            yield from tcl_texts(tk, str(child))


def record_texts(root: Any, name: str) -> None:
    """With POINTBREAK_TEST_TEXTS set: gather every text `root`'s window shows, as long as it
    runs, into <folder>/<name>-<pid>.json (a list, in the order first seen)."""
    folder = os.environ.get(f"{PREFIX}TEXTS")
    if not folder:
        return
    import json

    seen: dict[str, None] = {}
    path = os.path.join(folder, f"{name}-{os.getpid()}.json")

    def gather() -> None:
        before = len(seen)
        seen.update(dict.fromkeys(t for t in tcl_texts(root.tk, ".") if t.strip()))
        if len(seen) != before:
            with contextlib.suppress(OSError):
                with open(path + ".tmp", "w", encoding="utf-8") as out:
                    json.dump(list(seen), out, ensure_ascii=False)
                os.replace(path + ".tmp", path)
        root.after(GATHER_MS, gather)

    root.after(0, gather)
