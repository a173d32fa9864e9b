"""The GitHub Actions workflow is valid (it cannot run here): checked against the published
schema, offline, and against what the project needs from it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "ci.yml"


def test_the_workflow_passes_the_github_workflow_schema() -> None:
    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if tool is None:
        pytest.fail("check-jsonschema is a test dependency: pip install '.[test]'")
    result = subprocess.run([tool, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_runs_the_tests_and_builds_on_three_systems() -> None:
    text = WORKFLOW.read_text()
    for needed in ("ubuntu-latest", "windows-latest", "macos-latest", "bash tests/run.sh",
                   "installer/build.py", "pytest -ra"):
        assert needed in text
