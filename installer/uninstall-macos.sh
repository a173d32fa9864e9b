#!/usr/bin/env bash
# Remove Pointbreak, its LaunchAgent, and with --purge its settings, history and logs.
set -euo pipefail
venv="${POINTBREAK_VENV:-$HOME/Library/Application Support/pointbreak-venv}"
command="$(command -v pointbreak || echo "$venv/bin/pointbreak")"
if [ -x "$command" ]; then
  "$command" quit 2>/dev/null || true
  "$command" autostart off || true
fi
if command -v pipx >/dev/null 2>&1 && pipx list 2>/dev/null | grep -q "package pointbreak"; then
  pipx uninstall pointbreak
fi
rm -rf "$venv"
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$HOME/Library/Application Support/pointbreak" "$HOME/Library/Logs/pointbreak"
fi
echo "Pointbreak is removed."
