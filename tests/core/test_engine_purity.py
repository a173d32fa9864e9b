"""The engine is pure: it imports no GUI, store or scheduler library and never reads the clock."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import tray

CORE_FOLDER = Path(tray.__file__).parent / "core"
CORE = sorted(f"tray.core.{path.stem}" for path in CORE_FOLDER.glob("*.py")
              if path.stem != "__init__")  # whatever the core folder holds, nothing by hand
FORBIDDEN_MODULES = ["pystray", "tkinter", "_tkinter", "tinydb", "plyer", "apscheduler", "PIL",
                     "filelock", "platformdirs"]
FORBIDDEN_METHODS = {"now", "utcnow", "today", "monotonic", "sleep", "perf_counter", "time_ns"}
FORBIDDEN_FUNCTIONS = {"open", "print", "input"}


def test_the_core_is_the_break_rules() -> None:
    assert {"tray.core.engine", "tray.core.model", "tray.core.hours", "tray.core.plan"} <= set(
        CORE)


def test_the_core_imports_nothing_of_the_shell() -> None:
    code = (f"import sys, json; import {', '.join(CORE)}; "
            "print(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                       text=True, check=True).stdout)
    top = {name.split(".")[0] for name in loaded}
    assert top.isdisjoint(FORBIDDEN_MODULES), top & set(FORBIDDEN_MODULES)
    assert "tray.store" not in loaded and "tray.shell.runner" not in loaded


@pytest.mark.parametrize("module", CORE)
def test_the_core_never_reads_the_clock_or_touches_files(module: str) -> None:
    path = CORE_FOLDER / (module.rsplit(".", 1)[1] + ".py")
    tree = ast.parse(path.read_text())
    calls = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                calls.add(f".{func.attr}")
            elif isinstance(func, ast.Name):
                calls.add(func.id)
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names])
            assert not any(n.split(".")[0] in ("time", "os", "random", "threading")
                           for n in names), f"{module} imports {names}"
    forbidden = {f".{m}" for m in FORBIDDEN_METHODS} | FORBIDDEN_FUNCTIONS
    assert calls.isdisjoint(forbidden), calls & forbidden
