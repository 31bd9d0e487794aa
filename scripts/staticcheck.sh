#!/usr/bin/env bash
# Installs staticcheck at the pinned version (for `make deps`) or runs it (for `make lint`):
#   scripts/staticcheck.sh install   # go install …@v0.8.2, skipped when that version is already on PATH or in GOPATH/bin
#   scripts/staticcheck.sh [args…]   # runs the pinned staticcheck; installs it first when missing
set -euo pipefail
version=v0.8.2

# find_pinned prints the path of a staticcheck of the pinned version ("staticcheck 2026.2.2 (0.8.2)"), if there is one.
find_pinned() {
  local bin
  for bin in "$(go env GOPATH)/bin/staticcheck" "$(command -v staticcheck || true)"; do
    if [ -n "$bin" ] && [ -x "$bin" ] && "$bin" -version 2>/dev/null | grep -qF "(${version#v})"; then
      echo "$bin"
      return 0
    fi
  done
  return 1
}

bin=$(find_pinned) || {
  echo "staticcheck: installing honnef.co/go/tools/cmd/staticcheck@$version"
  go install "honnef.co/go/tools/cmd/staticcheck@$version"
  bin=$(find_pinned) || { echo "staticcheck: $version did not install into $(go env GOPATH)/bin" >&2; exit 1; }
}
if [ "${1:-}" = install ]; then
  exit 0
fi
exec "$bin" "$@"
