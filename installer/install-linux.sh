#!/usr/bin/env bash
# Install Pointbreak from this clone for the current user and turn start at login on.
# Uses pipx when it is there, else a virtual environment in ~/.local/share/pointbreak-venv
# with a link in ~/.local/bin. Needs python3 (3.11+) with venv and Tk (Debian: python3-tk).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
if command -v pipx >/dev/null 2>&1; then
  pipx install --force "$here"
  command="$(command -v pointbreak || echo "$HOME/.local/bin/pointbreak")"
else
  venv="${POINTBREAK_VENV:-$HOME/.local/share/pointbreak-venv}"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade "$here"
  mkdir -p "$HOME/.local/bin"
  ln -sf "$venv/bin/pointbreak" "$HOME/.local/bin/pointbreak"
  command="$venv/bin/pointbreak"
fi
"$command" autostart on
echo "Installed. Start it now with: $command"
