#!/usr/bin/env bash
# Installs what building, testing and running flinks-onboard need, and only what is missing.
# Debian/Ubuntu: apt-get (with sudo when not root). macOS: checks the Xcode command-line tools. Others: says what to do.
set -euo pipefail

# What each part needs (Debian package names).
build_pkgs="gcc libc6-dev pkg-config libgl-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"
gui_test_pkgs="xvfb xauth xdotool x11-utils imagemagick libgl1-mesa-dri fonts-dejavu-core"
keychain_pkgs="gnome-keyring libsecret-tools dbus"
browser_pkgs="chromium"
pdf_pkgs="poppler-utils" # pdftotext reads the simulator's statements in the tests
backend_pkgs="python3" # the generated Python back ends' own tests (backend/python_test.go); Node's come with node_pkgs
windows_pkgs="gcc-mingw-w64-x86-64" # make package-windows: Fyne's cgo driver cross-compiled for Windows
# The node-flinks conformance test (flinks/simulator/nodeflinks_test.go) needs node and npm. A machine that already
# has them (NodeSource's nodejs bundles npm, and then Debian's npm package conflicts with it) installs nothing.
node_pkgs=""
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  node_pkgs="nodejs npm"
fi

case "${1:-all}" in
  build)   wanted="$build_pkgs" ;;
  windows) wanted="$build_pkgs $windows_pkgs" ;;
  all)     wanted="$build_pkgs $gui_test_pkgs $keychain_pkgs $browser_pkgs $pdf_pkgs $backend_pkgs $node_pkgs" ;;
  *) echo "usage: $0 [build|windows|all]" >&2; exit 2 ;;
esac

if ! command -v go >/dev/null 2>&1; then
  echo "deps: Go is not installed. Install Go 1.26 or newer from your package manager or go.dev, then run make again." >&2
  exit 1
fi

case "$(uname -s)" in
  Darwin)
    if ! xcode-select -p >/dev/null 2>&1; then
      echo "deps: the Xcode command-line tools are missing (Fyne needs a C compiler). Run: xcode-select --install" >&2
      exit 1
    fi
    echo "deps: macOS with the Xcode command-line tools: nothing to install."
    exit 0 ;;
  Linux) ;;
  *)
    echo "deps: $(uname -s) is not set up automatically. Install a C compiler and the OpenGL/X11 headers Fyne needs" >&2
    echo "      (https://docs.fyne.io/started/), then run 'go build .'" >&2
    exit 1 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: this Linux is not Debian/Ubuntu. Install the equivalents of: $wanted" >&2
  exit 1
fi

missing=""
for p in $wanted; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != "installed" ]; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  echo "deps: all system packages are installed."
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "deps: need root or sudo to install:$missing" >&2; exit 1; }
  sudo="sudo"
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done."
