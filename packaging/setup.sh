#!/usr/bin/env bash
# Prepare a fresh Debian/Ubuntu machine (or any machine with Python >= 3.10) for Annotator:
# the system libraries Qt needs, then a virtual environment in .venv with Annotator
# installed (editable) together with its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's xcb and offscreen platform plugins need these shared libraries.
QT_DEBS="libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libxkbcommon0 libxkbcommon-x11-0 \
libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 fonts-dejavu-core"

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for pkg in $QT_DEBS; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    echo "setup: installing Debian packages Qt needs:$missing"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  fi
fi

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
# pip's and setuptools' chatter (hundreds of deprecation lines) is kept in a log, shown only
# when the install fails.
log="$(mktemp)"
if ! .venv/bin/python -m pip install -q -e ".[test]" >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "setup: installing Annotator into .venv failed (pip's output above)" >&2
  exit 1
fi
rm -f "$log"
echo "setup: ready (.venv)"
