#!/usr/bin/env bash
# `make package-check`: proves on a fresh clone of the committed tree (HEAD) that `make package` writes a desktop
# entry named after the app while the executable stays flinks-onboard, and leaves `git status` clean (issue 13).
# It is not part of `make test`: packaging rebuilds the app with release flags (3+ minutes the first time).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone --quiet "$repo" "$tmp/clone"
cd "$tmp/clone"

make package
fail=0
tarball=flinks-onboard.tar.xz
[ -f "$tarball" ] || { echo "package-check: $tarball was not written" >&2; exit 1; }
desktop=$(tar -tJf "$tarball" | grep '\.desktop$' || true)
[ -n "$desktop" ] || { echo "package-check: no desktop entry in $tarball" >&2; exit 1; }
entry=$(tar -xJOf "$tarball" "$desktop")
echo "package-check: $desktop:"
printf '%s\n' "$entry" | grep -E '^(Name|Exec|Icon)=' | sed 's/^/  /'

want_name=$(sed -n 's/^ *Name *= *"\(.*\)"/\1/p' FyneApp.toml | head -n 1)
if ! printf '%s\n' "$entry" | grep -qxF "Name=$want_name"; then
  echo "package-check: FAIL: the desktop entry's Name is not \"$want_name\"" >&2; fail=1
fi
if ! printf '%s\n' "$entry" | grep -q '^Exec=flinks-onboard\b'; then
  echo "package-check: FAIL: the desktop entry does not start flinks-onboard" >&2; fail=1
fi
if ! tar -tJf "$tarball" | grep -q '/bin/flinks-onboard$'; then
  echo "package-check: FAIL: no bin/flinks-onboard in $tarball" >&2; fail=1
fi
status=$(git status --porcelain --ignored=no)
if [ -n "$status" ]; then
  echo "package-check: FAIL: make package left the tree modified:" >&2; printf '%s\n' "$status" >&2; fail=1
fi
[ "$fail" -eq 0 ] && echo "package-check: ok: Name=$want_name, executable flinks-onboard, git status clean."
exit "$fail"
