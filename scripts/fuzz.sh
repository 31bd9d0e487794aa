#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (go test -fuzz takes one target per run). `make fuzz` runs it
# with $(FUZZTIME), `make test` with 3s; the go test flags follow (the build tags):
#   scripts/fuzz.sh FUZZTIME [go test flags…]      e.g. scripts/fuzz.sh 3s -tags "ci migrated_fynedo"
# A failing target stops the loop with status 1; go test has written the failing input under the package's
# testdata/fuzz/, where it becomes a regression case of the ordinary tests once committed.
set -euo pipefail
fuzztime=${1:?usage: scripts/fuzz.sh FUZZTIME [go test flags…]}
shift
cd "$(dirname "$0")/.."

mapfile -t dirs < <(grep -rl --include='*_test.go' --exclude-dir=testdata '^func Fuzz' . | xargs -r -n1 dirname | sort -u)
if [ ${#dirs[@]} -eq 0 ]; then
  echo "fuzz: no fuzz targets are defined yet."
  exit 0
fi
count=0
for dir in "${dirs[@]}"; do
  for target in $(grep -h '^func Fuzz' "$dir"/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do
    echo "fuzz: $dir $target ($fuzztime)"
    corpus="$dir/testdata/fuzz/$target"
    before=$( (ls "$corpus" 2>/dev/null || true) | wc -l)
    log=$(mktemp)
    if ! go test "$@" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$dir" 2>&1 | tee "$log"; then
      after=$( (ls "$corpus" 2>/dev/null || true) | wc -l)
      # Go's fuzzing engine can end a short run with "context deadline exceeded" when the time is up while a worker
      # is busy, without any failing input: that is not a finding, so the target runs once more. A real failure
      # writes its input under testdata/fuzz/ (the corpus grows) and stops the loop.
      if [ "$after" -eq "$before" ] && grep -q 'context deadline exceeded' "$log"; then
        echo "fuzz: $target: the fuzzing engine ran out of time without a failing input; running it again"
        if go test "$@" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$dir"; then
          rm -f "$log"
          count=$((count + 1))
          continue
        fi
      fi
      rm -f "$log"
      echo "fuzz: $target in $dir failed; the input is under $corpus" >&2
      exit 1
    fi
    rm -f "$log"
    count=$((count + 1))
  done
done
echo "fuzz: $count targets, $fuzztime each: no failure"
