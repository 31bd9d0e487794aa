#!/usr/bin/env bash
# dbus-daemon for scripts/with-keyring.sh's private session, minus one line of noise: where the hard limit on open
# files is below 65536 (containers, CI), dbus-daemon prints "Failed to set fd limit to 65536: Operation not permitted"
# and carries on normally. Only that line is dropped; every other message of the daemon still reaches stderr.
# exec keeps the process id dbus-run-session started, so it still stops the daemon at the end of the session.

# The filter must not hold the pipe dbus-run-session reads the bus address from (--print-address N), or that read
# never ends: it closes every descriptor but 0-2 before it starts.
filter() {
  local fd
  for fd in /proc/self/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] && eval "exec $fd>&-"
  done 2>/dev/null
  exec grep --line-buffered -v -F 'Failed to set fd limit to 65536'
}
exec dbus-daemon "$@" 2> >(filter >&2)
