"""One reason to hold prompts (a fullscreen window, do not disturb, a call), shared by the
detectors of this port."""

from __future__ import annotations

from collections.abc import Callable

from tray.core.events import Event, QuietEnded, QuietStarted


class Reason:
    """One quiet reason's on/off, posting QuietStarted/QuietEnded only when it changes."""

    def __init__(self, post: Callable[[Event], None], reason: str) -> None:
        self._post, self.reason, self.is_on = post, reason, False

    def set(self, is_on: bool) -> None:
        if is_on != self.is_on:
            self.is_on = is_on
            self._post(QuietStarted(self.reason) if is_on else QuietEnded(self.reason))
