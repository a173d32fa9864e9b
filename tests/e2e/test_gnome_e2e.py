"""End to end on a real GNOME Shell 43 (headless, Wayland with Xwayland, the AppIndicator
extension), as a non-root user, with the app from that user's venv: the prompt card (Tk through
Xwayland) comes on top of another app's window, where the person sees it, and takes the keys.
Screenshots are saved under tests/artifacts/gnome/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from desktop import pixels_unlike, wait_for
from gnome import HEIGHT, KEYSYM_ESCAPE, WIDTH, cover_window

pytestmark = pytest.mark.e2e

ALL_DAY = ('[active_hours]\nstart = "00:00"\nend = "24:00"\n'
           'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n')
CARD_BACKGROUND = (0xF7, 0xF7, 0xF4)  # tray.ui.look's light theme
COVER = (0xC0, 0x00, 0xC0)  # the other app's window


def share_like(shot: Path, box: tuple[int, int, int, int], colour: tuple[int, int, int]) -> float:
    return 1 - pixels_unlike(shot, box, colour, tolerance=24)


def working_in_another_app(gnome, shots: Path) -> None:
    """The person works in another (Wayland) app: a click in it gives it the focus and a recent
    user time, which is what focus-stealing prevention weighs a new window against."""
    centre = (WIDTH // 2 - 50, HEIGHT // 3, WIDTH // 2 + 50, HEIGHT // 3 + 50)
    wait_for(lambda: share_like(gnome.screenshot(shots / "1-another-app.png"), centre, COVER)
             > 0.9, timeout=15, what="the other app's window on the screen")
    gnome.click(WIDTH // 2, HEIGHT // 2)


def seen_in_front(gnome, window: str, shot: Path) -> Path:
    """Wait until `window` (an Xwayland window of ours) is drawn in front of the other app,
    on the screen and centred; the screenshot that shows it."""
    where: list[tuple[int, int, int, int]] = []

    def drawn() -> Path | None:  # where it is now (Tk moves it once mapped), in its colours
        x, y, w, h = gnome.geometry(window)
        where[:] = [(x, y, w, h)]
        taken = gnome.screenshot(shot)
        box = (x + 4, y + 4, x + w - 4, y + h - 4)
        return taken if w > 100 and share_like(taken, box, CARD_BACKGROUND) > 0.5 else None

    taken = wait_for(drawn, timeout=15, what=f"the window drawn in front of the other app "
                                              f"(last at {where})")
    x, y, w, h = where[0]
    assert share_like(taken, (x + 4, y + 4, x + w - 4, y + h - 4), COVER) < 0.02, \
        "the other app shows through the window"
    assert x > 0 and x + w < WIDTH and y >= 32 and y + h < HEIGHT  # on the screen
    assert abs((x + w / 2) - WIDTH / 2) < 40  # centred
    return taken


def records(profile) -> list[dict]:
    data = json.loads((profile.home / ".local/share/pointbreak/history.json").read_text())
    return [doc for name, table in data.items() if name.startswith("records-")
            for doc in table.values()]


def test_the_prompt_card_comes_on_top_of_another_app_and_takes_the_keys(
        gnome, start_gnome_tray, gnome_profile) -> None:
    gnome_profile.write_settings(ALL_DAY)
    shots = gnome_profile.artifacts("gnome")
    with cover_window(gnome):
        working_in_another_app(gnome, shots)
        tray = start_gnome_tray(POINTBREAK_TEST_INTERVAL_SECONDS="2")
        wait_for(lambda: "Break on screen now" in tray.status(), timeout=20, what="the prompt")
        card = wait_for(lambda: gnome.visible_windows("^Pointbreak$"), timeout=20,
                        what="the prompt card on Xwayland")[0]
        seen_in_front(gnome, card, shots / "2-prompt-card.png")

        # It has the keyboard: Escape typed now (at the seat, not sent to a window) snoozes it.
        gnome.key(KEYSYM_ESCAPE)
        wait_for(lambda: "Snoozed until" in tray.status(), what="Escape on the card to snooze")
        wait_for(lambda: not gnome.visible_windows("^Pointbreak$"), what="the card to close")
        gnome.screenshot(shots / "3-card-gone.png")


def test_the_routine_window_comes_on_top_of_another_app_and_takes_the_keys(
        gnome, start_gnome_tray, gnome_profile) -> None:
    shots = gnome_profile.artifacts("gnome-routine")
    with cover_window(gnome):
        working_in_another_app(gnome, shots)
        tray = start_gnome_tray()
        assert tray.profile.run("now").returncode == 0  # "Start a session now"
        # Its title names the step: found by its class.
        window = wait_for(lambda: gnome.x("xdotool", "search", "--onlyvisible", "--class",
                                          "Pointbreak", check=False).split(),
                          timeout=20, what="the routine window on Xwayland")[0]
        seen_in_front(gnome, window, shots / "2-routine-window.png")
        gnome.key(KEYSYM_ESCAPE)  # at the seat: Escape stops the routine
        wait_for(lambda: [r for r in records(gnome_profile)
                          if r["outcome"] == "stopped_early"], what="the routine stopped early")
        gnome.screenshot(shots / "3-after-escape.png")
