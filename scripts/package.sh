#!/usr/bin/env bash
# Builds flinks-onboard.tar.xz (the binary, a desktop entry and the icon) with `fyne package`, for `make package`.
# - The desktop entry's Name is the app's name, [Details] Name in FyneApp.toml ("Flinks Onboarding Assistant"):
#   no --name is passed, since fyne uses --name for the entry (and the tarball's name); the executable keeps the
#   module's name, flinks-onboard.
# - The build number is the commit count (git rev-list --count HEAD), passed as --app-build. fyne package also
#   counts up Build in FyneApp.toml after every run; the file is put back as it was, so packaging leaves the tree as
#   it found it.
set -euo pipefail
cd "$(dirname "$0")/.."

fyne=$(command -v fyne || true)
if [ -z "$fyne" ]; then
  fyne="$(go env GOPATH)/bin/fyne"
  if [ ! -x "$fyne" ]; then
    echo "package: installing the fyne tool (fyne.io/tools v1.7.4)"
    go install fyne.io/tools/cmd/fyne@v1.7.4
  fi
fi

name=$(sed -n 's/^ *Name *= *"\(.*\)"/\1/p' FyneApp.toml | head -n 1)
build=$(git rev-list --count HEAD 2>/dev/null || sed -n 's/^ *Build *= *\([0-9]*\).*/\1/p' FyneApp.toml)

saved=$(mktemp)
cp FyneApp.toml "$saved"
trap 'cp "$saved" FyneApp.toml; rm -f "$saved"' EXIT

echo "package: fyne package builds with its own release flags (-trimpath, -tags release), so the first time it" \
  "compiles Fyne's OpenGL driver once more: about 3 minutes on 2 cores."
echo "package: $name, build $build"
"$fyne" package -os linux -release --app-build "$build"
if [ "$name.tar.xz" != flinks-onboard.tar.xz ]; then
  mv -f "$name.tar.xz" flinks-onboard.tar.xz
fi
echo "package: wrote flinks-onboard.tar.xz"
