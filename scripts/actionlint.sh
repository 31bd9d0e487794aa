#!/usr/bin/env bash
# Installs actionlint at the pinned version (for `make deps`) or runs it (for `make lint`), as scripts/staticcheck.sh
# does for staticcheck:
#   scripts/actionlint.sh install   # go install …@v1.7.12, skipped when that version is already on PATH or in GOPATH/bin
#   scripts/actionlint.sh [args…]   # runs the pinned actionlint; installs it first when missing
set -euo pipefail
version=v1.7.12

# find_pinned prints the path of an actionlint of the pinned version (the first line of its -version output is
# "v1.7.12"), if there is one.
find_pinned() {
  local bin
  for bin in "$(go env GOPATH)/bin/actionlint" "$(command -v actionlint || true)"; do
    if [ -n "$bin" ] && [ -x "$bin" ] && [ "$("$bin" -version 2>/dev/null | head -n 1)" = "$version" ]; then
      echo "$bin"
      return 0
    fi
  done
  return 1
}

bin=$(find_pinned) || {
  echo "actionlint: installing github.com/rhysd/actionlint/cmd/actionlint@$version"
  go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
  bin=$(find_pinned) || { echo "actionlint: $version did not install into $(go env GOPATH)/bin" >&2; exit 1; }
}
if [ "${1:-}" = install ]; then
  exit 0
fi
exec "$bin" "$@"
