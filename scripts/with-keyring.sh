#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a real, unlocked Secret Service (gnome-keyring-daemon), so the
# keychain tests use the same code path as a desktop. No X server is needed. Fails loudly if the service won't start.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 command [args...]" >&2; exit 2; }

if [ -z "${FLINKS_KEYRING_INNER:-}" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -m 700 "$tmp/runtime" "$tmp/data"
  export XDG_RUNTIME_DIR="$tmp/runtime" XDG_DATA_HOME="$tmp/data" FLINKS_KEYRING_INNER=1
  # Not exec: the trap removes the temporary keyring afterwards. The daemon runs through dbus-daemon-quiet.sh, which
  # drops its harmless "Failed to set fd limit" line (the hard limit is lower in containers).
  dbus-run-session --dbus-daemon="$(cd "$(dirname "$0")" && pwd)/dbus-daemon-quiet.sh" -- "$0" "$@"
  exit $?
fi

# Inside the private bus: start and unlock the keyring with a throw-away password.
eval "$(printf 'test-keyring-password' | gnome-keyring-daemon --unlock --components=secrets)"
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    export FLINKS_TEST_SECRET_SERVICE=1
    exec "$@"
  fi
  sleep 0.1
done
echo "with-keyring: the Secret Service (gnome-keyring-daemon) did not start within 10 s; the keychain tests cannot run." >&2
exit 1
