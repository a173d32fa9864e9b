#!/usr/bin/env bash
# Install Pointbreak from this clone for the current user (pipx, or a venv) and turn start at
# login on (a LaunchAgent). Needs Python 3.11+ from python.org (it includes Tk).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
if command -v pipx >/dev/null 2>&1; then
  pipx install --force "$here"
  command="$(command -v pointbreak)"
else
  venv="${POINTBREAK_VENV:-$HOME/Library/Application Support/pointbreak-venv}"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade "$here"
  command="$venv/bin/pointbreak"
fi
"$command" autostart on
echo "Installed. Start it now with: \"$command\""
