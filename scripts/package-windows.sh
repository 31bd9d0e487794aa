#!/usr/bin/env bash
# `make package-windows`: cross-compiles flinks-onboard.exe for 64-bit Windows from Linux with Debian's MinGW-w64
# (gcc-mingw-w64-x86-64, which Fyne's OpenGL driver needs through cgo), with the icon and the version metadata
# embedded by `fyne package -os windows`. The executable is compiled here, not run: Debian's Wine (8.0) cannot run
# Go 1.26 programs (it lacks bcryptprimitives.dll). The first run compiles Fyne's driver for Windows (minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

cc=x86_64-w64-mingw32-gcc
command -v "$cc" >/dev/null 2>&1 || { echo "package-windows: $cc is missing: run 'scripts/deps.sh windows' (Debian: gcc-mingw-w64-x86-64)" >&2; exit 1; }

fyne=$(command -v fyne || true)
if [ -z "$fyne" ]; then
  fyne="$(go env GOPATH)/bin/fyne"
  if [ ! -x "$fyne" ]; then
    echo "package-windows: installing the fyne tool (fyne.io/tools v1.7.4)"
    go install fyne.io/tools/cmd/fyne@v1.7.4
  fi
fi

build=$(git rev-list --count HEAD 2>/dev/null || sed -n 's/^ *Build *= *\([0-9]*\).*/\1/p' FyneApp.toml)
saved=$(mktemp)
cp FyneApp.toml "$saved"
trap 'cp "$saved" FyneApp.toml; rm -f "$saved"' EXIT # fyne counts Build up in the file; the tree stays as it was

echo "package-windows: cross-compiling for windows/amd64 with $cc (the first time compiles Fyne's driver: minutes)"
CGO_ENABLED=1 CC="$cc" GOOS=windows GOARCH=amd64 "$fyne" package -os windows -release --app-build "$build"
exe=$(ls -t ./*.exe 2>/dev/null | head -n 1)
[ -n "$exe" ] || { echo "package-windows: fyne wrote no .exe" >&2; exit 1; }
if [ "$exe" != ./flinks-onboard.exe ]; then
  mv -f "$exe" flinks-onboard.exe
fi
file flinks-onboard.exe 2>/dev/null || true
echo "package-windows: wrote flinks-onboard.exe ($(du -h flinks-onboard.exe | cut -f1)); it runs on Windows 10 and 11, not here"
