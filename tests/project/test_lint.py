"""The code stays ruff- and mypy-clean (mypy strict for the break engine's core)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed: it is a test dependency (pip install '.[test]')")
    return found


def test_ruff() -> None:
    result = subprocess.run([tool("ruff"), "check", "."], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy() -> None:
    result = subprocess.run([tool("mypy"), "tray", "routines", "icons"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_contracts_hold() -> None:
    """The layers' contracts of pyproject.toml ([tool.importlinter]), checked by import-linter."""
    result = subprocess.run([tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


MAX_MODULE_LINES = 400


def test_no_production_module_is_over_400_lines() -> None:
    """A module a newcomer can read in one sitting; tests aside."""
    long = {str(path.relative_to(ROOT)): n for folder in ("tray", "routines", "icons")
            for path in (ROOT / folder).rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long
