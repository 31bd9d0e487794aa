#!/usr/bin/env bash
# `make screenshots`: every screen of the real app, in a real window under Xvfb (with openbox when installed), at
# 800×600, 1280×800 and 2560×1440, in English and French, into docs/screenshots/<language>/<width>x<height>/<screen>.png.
# The shots show the screens loaded, as a user sees them after the tour, not empty forms (issue 23): the offline
# demo's test user greatday_nomfa is saved as a login in a private, real keychain (scripts/with-keyring.sh), so
# Accounts opens with it selected and Ctrl+Return fetches its accounts; Go-live runs every check with Ctrl+Return.
# For each shot it writes a settings file in a private folder (the offline demo chosen, the welcome already seen,
# the start page, the window size and the language: the app honours them at start-up, see storage/prefs.go),
# starts bin/flinks-onboard, waits for its window, for the state to load (the app writes it in the settings file:
# fetchedEnvironments, checkResults), and takes the screen with ImageMagick's `import`.
# Usage: scripts/screenshots.sh [SCREEN...]; SIZES="800x600" limits the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
app="$PWD/bin/flinks-onboard"
[ -x "$app" ] || { echo "screenshots: build the app first (make build)" >&2; exit 1; }
screens=("$@")
[ ${#screens[@]} -gt 0 ] || screens=(environment product link backend accounts logins golive activity)
read -r -a sizes <<<"${SIZES:-800x600 1280x800 2560x1440}"
out=docs/screenshots
# The offline demo's loginId of greatday_nomfa: fixed for its customerId (flinks/simulator TestLoginID).
demo_login=4ec0d1be-5227-5ff9-aad1-8da77452e09f

wait_for() { # what, command...: polls until the command succeeds, at most 20 s
  local what=$1; shift
  for _ in $(seq 1 400); do "$@" >/dev/null && return 0; sleep 0.05; done
  echo "screenshots: timed out waiting for $what (the screen as it was: $out/timeout-$what.png)" >&2
  import -window root "$out/timeout-$what.png" 2>/dev/null || true
  return 1
}

shoot() { # size language screen
  local size=$1 language=$2 screen=$3 w h home settings
  w=${size%x*}; h=${size#*x}
  local win_h=$h
  command -v openbox >/dev/null && win_h=$((h - 22)) # openbox's title bar: the whole window on the screen
  home="$tmp/$size-$language-$screen"
  settings="$home/config/flinks-onboard/settings.json"
  mkdir -p "$home/config/flinks-onboard" "$out/$language/$size"
  cat >"$settings" <<JSON
{"currentEnvironment": "Offline demo",
 "ui": {"language": "$language", "startPage": "$screen", "welcomeSeen": true, "notificationsOff": true,
        "windowWidth": $w, "windowHeight": $win_h}}
JSON
  local locale=en_US.UTF-8
  [ "$language" = fr ] && locale=fr_CA.UTF-8
  export HOME="$home" XDG_CONFIG_HOME="$home/config" LANG="$locale"
  "$app" save-login --env "Offline demo" --login-id "$demo_login" --product connect --institution FlinksCapital \
    --label "Demo customer" >/dev/null
  "$app" >"$home/log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT # pid is global: the trap runs after shoot returns
  wait_for "the window" xdotool search --onlyvisible --pid "$pid" >/dev/null # its title is in the shot's language
  sleep 1 # the first frames drawn
  local win
  win=$(xdotool search --onlyvisible --pid "$pid" | head -1)
  case $screen in
    accounts) # the saved login is selected: Ctrl+Return fetches its accounts
      xdotool windowfocus "$win" key --clearmodifiers ctrl+Return
      wait_for "the accounts" grep -q fetchedEnvironments "$settings" ;;
    golive)
      xdotool windowfocus "$win" key --clearmodifiers ctrl+Return
      wait_for "the checks" grep -q checkResults "$settings" ;;
  esac
  xdotool mousemove "$((w - 1))" "$((h - 1))" # the pointer off the widgets: a hovered button is drawn tinted
  sleep 1 # drawn
  import -window root "$out/$language/$size/$screen.png"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

if [ -n "${SCREENSHOTS_SHOT:-}" ]; then # one shot, with a keychain of its own (a shared one would hold the other
  # shots' logins, which the app would report as repaired)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  read -r size language screen <<<"$SCREENSHOTS_SHOT"
  shoot "$size" "$language" "$screen"
  exit 0
fi
if [ -n "${SCREENSHOTS_INNER:-}" ]; then # inside one X server of that size
  if command -v openbox >/dev/null; then
    openbox >/dev/null 2>&1 &
    wm=$!
    trap 'kill "$wm" 2>/dev/null || true' EXIT
  fi
  for language in en fr; do
    for screen in "${screens[@]}"; do
      SCREENSHOTS_SHOT="$SCREENSHOTS_INNER $language $screen" scripts/with-keyring.sh "$0"
    done
  done
  exit 0
fi
# One X server per size, as big as the window: the window fills the screen as it would on a laptop.
for size in "${sizes[@]}"; do
  SCREENSHOTS_INNER="$size" xvfb-run -a -s "-screen 0 ${size}x24" "$0" "${screens[@]}"
done
echo "screenshots: wrote $(find "$out" -name '*.png' | wc -l) files under $out"
