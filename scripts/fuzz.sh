#!/usr/bin/env bash
# Runs every fuzz target of the module for COUNT executions each (go test -fuzz takes one target per run). `make fuzz`
# runs it with $(FUZZCOUNT), `make test` with 8000x; the go test flags follow (the build tags):
#   scripts/fuzz.sh COUNTx [go test flags…]      e.g. scripts/fuzz.sh 8000x -tags "ci migrated_fynedo"
# The budget is a number of executions, not a duration: when a timed run ends while a worker is busy, Go's fuzzing
# engine stops without a verdict, so an input that makes the target hang passed a timed run (seen with a target that
# sleeps on one input: -fuzztime 3s passed, -fuzztime 8000x failed with "fuzzing process hung"). A counted run ends
# only when every execution has returned, so a slow or hanging input fails it; nothing is retried.
# A failing target stops the loop with status 1; go test has written the failing input under the package's
# testdata/fuzz/, where it becomes a regression case of the ordinary tests once committed.
set -euo pipefail
count=${1:?usage: scripts/fuzz.sh COUNTx [go test flags…], e.g. 8000x}
if ! [[ $count =~ ^[1-9][0-9]*x$ ]]; then
  echo "fuzz: '$count' is not a number of executions such as 8000x; a duration (3s) would let a hanging input pass" >&2
  exit 2
fi
shift
cd "$(dirname "$0")/.."

mapfile -t dirs < <(grep -rl --include='*_test.go' --exclude-dir=testdata '^func Fuzz' . | xargs -r -n1 dirname | sort -u)
if [ ${#dirs[@]} -eq 0 ]; then
  echo "fuzz: no fuzz targets are defined yet."
  exit 0
fi
targets=0
for dir in "${dirs[@]}"; do
  for target in $(grep -h '^func Fuzz' "$dir"/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do
    echo "fuzz: $dir $target ($count)"
    if ! go test "$@" -run '^$' -fuzz "^${target}\$" -fuzztime "$count" "$dir"; then
      echo "fuzz: $target in $dir failed; the failing input is under $dir/testdata/fuzz/$target" >&2
      exit 1
    fi
    targets=$((targets + 1))
  done
done
echo "fuzz: $targets targets, $count each: no failure"
