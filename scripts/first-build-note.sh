#!/usr/bin/env bash
# Says, before `go build`, that the first build compiles Fyne's OpenGL driver and takes minutes, so the silence that
# follows does not look like a hang; prints nothing when that driver is already in Go's build cache.
# Usage: scripts/first-build-note.sh [go build flags...]   (the same flags as the build, since tags change the cache key)
#
# The check is `go list`'s Stale field for the go-gl packages (cgo: the OpenGL bindings and GLFW): false when the
# build cache already holds them for these flags. It takes a fraction of a second and compiles nothing. GO names the
# go command (a fake one in the test). Any failure of the check prints nothing: the note is help, never an obstacle.
set -uo pipefail

go_cmd=${GO:-go}
stale=$("$go_cmd" list "$@" -deps -f '{{if .Stale}}{{.ImportPath}}{{end}}' . 2>/dev/null) || exit 0
if printf '%s\n' "$stale" | grep -q '^github.com/go-gl/'; then
  cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
  echo "build: first build: compiling Fyne's OpenGL driver (go-gl, C code through cgo) takes about 3 minutes on 2 cores" \
    "(this machine has $cores) and prints nothing meanwhile; later builds take seconds."
fi
exit 0
