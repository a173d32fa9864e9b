#!/usr/bin/env bash
# Remove Pointbreak: quit it, remove its login entry and the program; with --purge also its
# settings, history and logs.
set -euo pipefail
purge=0
[ "${1:-}" = "--purge" ] && purge=1
venv="${POINTBREAK_VENV:-$HOME/.local/share/pointbreak-venv}"
command="$(command -v pointbreak || echo "$venv/bin/pointbreak")"
if [ -x "$command" ]; then
  "$command" quit 2>/dev/null || true
  "$command" autostart off || true
fi
if command -v pipx >/dev/null 2>&1 && pipx list 2>/dev/null | grep -q "package pointbreak"; then
  pipx uninstall pointbreak
fi
rm -rf "$venv"
[ -L "$HOME/.local/bin/pointbreak" ] && rm -f "$HOME/.local/bin/pointbreak"
if [ "$purge" = 1 ]; then
  rm -rf "${XDG_CONFIG_HOME:-$HOME/.config}/pointbreak" \
         "${XDG_DATA_HOME:-$HOME/.local/share}/pointbreak" \
         "${XDG_STATE_HOME:-$HOME/.local/state}/pointbreak"
  echo "Pointbreak, its login entry and its data are removed."
else
  echo "Pointbreak and its login entry are removed; settings and history are kept" \
       "(run with --purge to remove them too)."
fi
