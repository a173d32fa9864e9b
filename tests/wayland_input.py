"""Real input for KWin, for the idle tests: on each "move" line from stdin, moves the pointer
through org_kde_kwin_fake_input (offered when KWin runs with KWIN_WAYLAND_NO_PERMISSION_CHECKS=1)
and prints "moved" once KWin has taken it (a round trip). Runs as the compositor's user with
Debian's python3 (tests/wayland_peers.py), on the source tree's own Wayland client."""

from __future__ import annotations

import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tray.adapters.idle.wayland import Connection, string


def main() -> None:
    connection = Connection()
    connection.get_registry(time.monotonic() + 5)
    fake, _ = connection.bind("org_kde_kwin_fake_input", 4)
    if not fake:
        print("no org_kde_kwin_fake_input: is KWIN_WAYLAND_NO_PERMISSION_CHECKS=1 set?",
              flush=True)
        return
    connection.send(fake, 0, string("pointbreak-test"), string("the idle tests"))  # authenticate
    connection.roundtrip(time.monotonic() + 5)
    print("ready", flush=True)
    step = 10
    for line in sys.stdin:
        if line.strip() != "move":
            continue
        step = -step  # to and fro: the pointer stays on the screen
        # pointer_motion(fixed dx, fixed dy): 24.8 fixed point
        connection.send(fake, 1, struct.pack("=ii", step * 256, step * 256))
        connection.roundtrip(time.monotonic() + 5)
        print("moved", flush=True)


if __name__ == "__main__":
    main()
