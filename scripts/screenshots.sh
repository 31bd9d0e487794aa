#!/usr/bin/env bash
# `make screenshots`: every screen of the real app, in a real window under Xvfb, at 800×600, 1280×800 and 2560×1440,
# in English and French, into docs/screenshots/<language>/<width>x<height>/<screen>.png. For each shot it writes a
# settings file in a private folder (the offline demo chosen, the welcome already seen, the start page, the window
# size and the language: the app honours them at start-up, see storage/prefs.go), starts bin/flinks-onboard, waits
# for its window, and takes the screen with ImageMagick's `import`. Usage: scripts/screenshots.sh [SCREEN...]
set -euo pipefail
cd "$(dirname "$0")/.."
app="$PWD/bin/flinks-onboard"
[ -x "$app" ] || { echo "screenshots: build the app first (make build)" >&2; exit 1; }
screens=("$@")
[ ${#screens[@]} -gt 0 ] || screens=(environment product link accounts logins golive activity)
sizes=(800x600 1280x800 2560x1440)
out=docs/screenshots
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shoot() { # size language screen
  local size=$1 language=$2 screen=$3 w h home pid
  w=${size%x*}; h=${size#*x}
  home="$tmp/$size-$language-$screen"
  mkdir -p "$home/config/flinks-onboard" "$out/$language/$size"
  cat >"$home/config/flinks-onboard/settings.json" <<JSON
{"currentEnvironment": "Offline demo",
 "ui": {"language": "$language", "startPage": "$screen", "welcomeSeen": true, "notificationsOff": true,
        "windowWidth": $w, "windowHeight": $h}}
JSON
  local locale=en_US.UTF-8
  [ "$language" = fr ] && locale=fr_CA.UTF-8
  HOME="$home" XDG_CONFIG_HOME="$home/config" LANG="$locale" "$app" >"$home/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    xdotool search --onlyvisible --name "Flinks Onboarding Assistant" >/dev/null 2>&1 && break
    sleep 0.05
  done
  sleep 1.5 # the first frames drawn
  import -window root "$out/$language/$size/$screen.png"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

if [ -n "${SCREENSHOTS_INNER:-}" ]; then # inside one X server of that size
  for language in en fr; do
    for screen in "${screens[@]}"; do
      shoot "$SCREENSHOTS_INNER" "$language" "$screen"
    done
  done
  exit 0
fi
# One X server per size, as big as the window: the window fills the screen as it would on a laptop.
for size in "${sizes[@]}"; do
  SCREENSHOTS_INNER="$size" xvfb-run -a -s "-screen 0 ${size}x24" "$0" "${screens[@]}"
done
echo "screenshots: wrote $(find "$out" -name '*.png' | wc -l) files under $out"
