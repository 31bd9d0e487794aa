#!/usr/bin/env bash
# Start-up benchmark: alternates the app and a minimal Fyne window (tools/minimalwindow, same Fyne version and build
# flags) under one virtual X server, measures the time until each maps its window and its memory (RSS) once idle,
# and prints the medians and the ratios app/baseline. Usage: scripts/bench-startup.sh [RUNS] (default 9).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-9}"
app="bin/flinks-onboard"
base="bin/minimalwindow"
[ -x "$app" ] || { echo "bench-startup: build the app first (make build)" >&2; exit 1; }
go build -o "$base" ./tools/minimalwindow

if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export LANG="${LANG:-en_US.UTF-8}"

# Each binary keeps its own home across the runs, as a person's does: the font index Fyne builds in the cache folder
# on a first start is there on the next one. The everyday start: the first-run welcome already seen (it shows once),
# the Environment screen first. A warm-up run of each fills the caches before anything is measured.
for which in app base; do
  mkdir -p "$tmp/home-$which/.config/flinks-onboard"
  echo '{"ui": {"welcomeSeen": true, "startPage": "environment"}}' >"$tmp/home-$which/.config/flinks-onboard/settings.json"
done

# measure BIN TITLE: prints "milliseconds-to-window rss-kilobytes"
measure() {
  local bin="$1" title="$2" home="$tmp/home-base"
  [ "$bin" = "$app" ] && home="$tmp/home-app"
  local start end pid rss
  start=$(date +%s%N)
  HOME="$home" XDG_CONFIG_HOME="$home/.config" "$bin" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 400); do
    if xdotool search --onlyvisible --name "^${title}\$" >/dev/null 2>&1; then break; fi
    sleep 0.005
  done
  end=$(date +%s%N)
  sleep 1.5 # idle: the first frames are drawn and start-up work is done
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$(( (end - start) / 1000000 )) $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

measure "$app" "Flinks Onboarding Assistant" >/dev/null; measure "$base" "Minimal Fyne window" >/dev/null # warm-up
: >"$tmp/app" ; : >"$tmp/base"
for i in $(seq 1 "$runs"); do
  # alternate which goes first, so neither always runs on a warmer cache
  if (( i % 2 )); then
    measure "$app" "Flinks Onboarding Assistant" >>"$tmp/app"; measure "$base" "Minimal Fyne window" >>"$tmp/base"
  else
    measure "$base" "Minimal Fyne window" >>"$tmp/base"; measure "$app" "Flinks Onboarding Assistant" >>"$tmp/app"
  fi
done
app_ms=$(cut -d' ' -f1 "$tmp/app" | median); base_ms=$(cut -d' ' -f1 "$tmp/base" | median)
app_kb=$(cut -d' ' -f2 "$tmp/app" | median); base_kb=$(cut -d' ' -f2 "$tmp/base" | median)
printf '%-28s %10s %10s %8s\n' "start-up ($runs runs, median)" "app" "baseline" "ratio"
awk -v a="$app_ms" -v b="$base_ms" 'BEGIN { printf "%-28s %8s ms %7s ms %8.2f\n", "time to window", a, b, a / b }'
awk -v a="$app_kb" -v b="$base_kb" 'BEGIN { printf "%-28s %7.0f MB %7.0f MB %8.2f\n", "idle memory (RSS)", a / 1024, b / 1024, a / b }'
