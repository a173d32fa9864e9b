"""What an install of Pointbreak asks for (nothing that needs a compiler or PyGObject) and what
its wheel carries (every data file, the catalogs too)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from helpers import tracked_data


def test_the_installed_package_needs_no_pygobject_and_has_no_gtk_extra() -> None:
    requirements = metadata.requires("pointbreak") or []
    assert requirements, "the installed pointbreak names its dependencies"
    names = {requirement.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0]
             .strip().lower() for requirement in requirements}
    assert "pygobject" not in names and "pycairo" not in names, requirements
    assert {"pystray", "jeepney", "apscheduler", "tinydb"} <= names, names
    assert metadata.metadata("pointbreak").get_all("Provides-Extra") == ["test"]


def test_the_wheel_carries_every_data_file_git_has(tmp_path) -> None:
    root = Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        pytest.skip("not a git checkout")  # a test run from an unpacked sdist
    wanted = tracked_data(root)
    assert {n for n in wanted if n.endswith(".mo")} >= {
        "tray/locale/de/LC_MESSAGES/pointbreak.mo", "tray/locale/es/LC_MESSAGES/pointbreak.mo"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--disable-pip-version-check", "-w", str(tmp_path), str(root)],
                   check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = tmp_path.glob("pointbreak-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        carried = set(archive.namelist())
    assert wanted <= carried, sorted(wanted - carried)
