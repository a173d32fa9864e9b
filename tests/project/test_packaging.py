"""What an install of Pointbreak asks for: nothing that needs a compiler or PyGObject."""

from __future__ import annotations

from importlib import metadata


def test_the_installed_package_needs_no_pygobject_and_has_no_gtk_extra() -> None:
    requirements = metadata.requires("pointbreak") or []
    assert requirements, "the installed pointbreak names its dependencies"
    names = {requirement.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0]
             .strip().lower() for requirement in requirements}
    assert "pygobject" not in names and "pycairo" not in names, requirements
    assert {"pystray", "jeepney", "apscheduler", "tinydb"} <= names, names
    assert metadata.metadata("pointbreak").get_all("Provides-Extra") == ["test"]
