#!/bin/sh
# watch-diff.sh: `vmmap --watch --diff SNAPSHOT PID`: the live view measures
# its changes since the saved snapshot, not since it started: the grower,
# saved before it grew 32 MiB, shows +32M against the snapshot from the
# first screen on. --watch --json --diff and a snapshot of another process
# are refused.
set -u
: "${top_srcdir:?}"
. "$top_srcdir/tests/tui/lib.sh"

need_tmux
start_grower

"$VMMAP" --json "$gpid" >"$tmp/snap.json" 2>"$tmp/err" ||
	{ echo "FAIL: cannot save the snapshot: $(cat "$tmp/err")"; exit 1; }
kill -USR1 "$gpid"
sleep 0.5

run_watch wd 160 40 "" --watch --diff "$tmp/snap.json" --interval 0.5 "$gpid"
if wait_screen wd '^RSS .* snap +\+3[0-9]' 50; then
	ok "the RSS line says +3xM since the snapshot"
else
	bad "no '+3xM since the snapshot' on the RSS line"
	screen wd | head -5
fi
if screen wd | grep -q 'RSS/snap\|start'; then
	screen wd | grep -q ' start ' && bad "the header still says 'start'"
fi
T send-keys -t wd q
if terminal_restored wd && [ "$(cat "$tmp/wd.status")" = 0 ]; then
	ok "q quits with 0"
else
	bad "the view did not quit cleanly"
fi

# refused: JSON lines, and another process's snapshot
"$VMMAP" --watch --json --diff "$tmp/snap.json" "$gpid" >/dev/null 2>"$tmp/err"
st=$?
if [ $st = 1 ] && grep -q -- '--diff --json' "$tmp/err"; then
	ok "--watch --json --diff is refused, pointing to --diff --json"
else
	bad "--watch --json --diff: status $st: $(cat "$tmp/err")"
fi
"$VMMAP" --watch --diff "$tmp/snap.json" $$ >/dev/null 2>"$tmp/err"
st=$?
if [ $st = 1 ] && grep -q -- '--force' "$tmp/err"; then
	ok "another process's snapshot is refused without --force"
else
	bad "another process's snapshot: status $st: $(cat "$tmp/err")"
fi
exit $fail
