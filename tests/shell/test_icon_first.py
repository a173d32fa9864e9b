"""The icon first: the real tray shows its icon, in the saved state's mode, before it imports
anything the icon does not need (the break rules, the store, the scheduler, the detectors,
notifications, the control channel, the command line's parser); they come right after.

The tray lists its loaded modules at the moment the icon has shown (the first thing its setup
thread does, POINTBREAK_TEST_MODULES_AT_ICON), on XEmbed (trayer) and on a StatusNotifierItem
host (xfce4-panel)."""

from __future__ import annotations

from pathlib import Path

import pytest
from desktop import wait_for

from tray.core.model import State
from tray.store import Store

# Never before the icon: what the tray loads once it shows.
AFTER_THE_ICON = (
    "apscheduler", "tinydb", "plyer", "tomlkit", "tomllib", "argparse", "importlib.metadata",
    "asyncio", "tray.core.engine", "tray.core.model", "tray.core.events", "tray.core.codec",
    "tray.store", "tray.ipc.server", "tray.ipc.client", "tray.ipc.commands",
    "tray.shell.startup", "tray.shell.runner", "tray.shell.detectors", "tray.shell.effects",
    "tray.shell.answers", "tray.adapters.notify", "tray.adapters.idle", "tray.adapters.quiet",
    "tray.adapters.session", "tray.config.profile", "tray.config.settings", "tray.base.words",
    "tray.cli.parser", "PIL.PngImagePlugin",
)


def loaded_at_icon(listing: Path) -> set[str]:
    wait_for(lambda: listing.exists() and listing.read_text().endswith("\n"), 30,
             "the list of modules loaded when the icon showed")
    return set(listing.read_text().split())


def too_early(modules: set[str]) -> list[str]:
    return sorted(m for m in modules
                  if any(m == name or m.startswith(name + ".") for name in AFTER_THE_ICON))


@pytest.fixture
def paused(profile) -> None:
    """A tray that was paused when it last quit: its icon must show paused from the start."""
    store = Store(profile.store)
    store.save(State(is_paused=True))
    store.close()


def test_xembed_icon_shows_before_the_rest_is_loaded_and_paused(start_tray, profile, paused,
                                                               tmp_path) -> None:
    listing = tmp_path / "modules"
    tray = start_tray(POINTBREAK_TRAY="xembed",
                      POINTBREAK_TEST_MODULES_AT_ICON=str(listing))
    modules = loaded_at_icon(listing)
    assert "tray.adapters.icon.xembed" in modules
    # Its pixels are the shipped raw ones, drawn with python-xlib: no Pillow, no pystray.
    assert not {m for m in modules if m.split(".")[0] in ("PIL", "pystray")}
    assert too_early(modules) == []
    assert "first shown paused" in tray.log()
    assert "Paused" in tray.status()  # and the rest did come after it


def test_sni_icon_shows_before_the_rest_is_loaded_without_pillow(start_sni_tray, profile,
                                                                 paused, tmp_path) -> None:
    listing = tmp_path / "modules"
    tray = start_sni_tray(POINTBREAK_TEST_MODULES_AT_ICON=str(listing))
    modules = loaded_at_icon(listing)
    assert "tray.adapters.icon.sni" in modules and "jeepney" in modules
    assert too_early(modules) == []
    # Its pixmaps are the shipped raw pixels: neither Pillow nor pystray is needed for it.
    assert not {m for m in modules if m.split(".")[0] in ("PIL", "pystray", "Xlib")}
    assert "first shown paused" in tray.log()


def test_the_tray_follows_the_locales_clock(profile) -> None:
    """The short path to the tray still sets the clock's locale (12 or 24 hours in the
    tooltip and menu), as every command does."""
    import subprocess
    import sys

    probe = ("import locale, sys\n"
             "import tray.cli as cli\n"
             "cli.start_tray = lambda show_welcome=True: print(locale.setlocale(locale.LC_TIME))"
             " or 0\n"
             "sys.exit(cli.main([]))\n")
    env = dict(profile.env, LC_ALL="en_US.UTF-8")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "en_US.UTF-8"
