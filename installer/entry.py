"""The frozen build's entry point: the same `pointbreak` command (and, with --run-module, the
window processes the tray starts from this same executable)."""

import sys

from tray.cli import main

if __name__ == "__main__":
    sys.exit(main())
