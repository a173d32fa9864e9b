#!/usr/bin/env bash
# Everything the tests need, then the whole suite: Debian packages (apt-get), a virtual
# environment in .venv with Pointbreak and its test dependencies, and pytest.
# Extra arguments go to pytest, e.g. `bash tests/run.sh -k store -x`.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  python3-tk xvfb xauth x11-utils xdotool imagemagick openbox trayer tint2
  dbus dbus-x11 dunst libnotify-bin desktop-file-utils dex locales
  pulseaudio pulseaudio-utils libglib2.0-bin dconf-gsettings-backend dconf-service
  speech-dispatcher speech-dispatcher-espeak-ng espeak-ng orca
  gsettings-desktop-schemas
  xfce4-panel kwin-wayland qtwayland5 sway
  gnome-shell gnome-shell-extension-appindicator xwayland gjs python3-venv python3-gi
  gir1.2-gtk-4.0
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The locales the language tests run under: a fresh machine has only C and POSIX.
locales=(en_US.UTF-8 en_GB.UTF-8 de_DE.UTF-8 es_ES.UTF-8)
absent=()
for name in "${locales[@]}"; do
  locale -a | grep -qix "${name%%.*}.utf8" || absent+=("$name")
done
if ((${#absent[@]})); then
  echo "Generating locales: ${absent[*]}"
  for name in "${absent[@]}"; do
    grep -q "^$name UTF-8" /etc/locale.gen 2>/dev/null || echo "$name UTF-8" | $sudo tee -a /etc/locale.gen >/dev/null
  done
  $sudo locale-gen >/dev/null
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
if ! .venv/bin/python -c 'import tkinter' 2>/dev/null; then
  echo "The Python in .venv has no tkinter. Install Tk for $python (Debian: python3-tk) and" \
       "remove .venv." >&2
  exit 1
fi
# Install the package itself (not editable): the tests run what a user would install.
.venv/bin/pip install -q --disable-pip-version-check '.[test]'
.venv/bin/pip install -q --disable-pip-version-check --no-deps --force-reinstall .
exec .venv/bin/pytest "$@"
