#!/bin/sh
# live.sh: run vmmap against the zoo (tests/live/zoo.c), a live process whose
# layout is known, and check the JSON document and the table against what the
# zoo says it built (tests/live/check_zoo.py does the comparing).
set -u

: "${top_srcdir:?}" "${top_builddir:?}" "${VMMAP:?}"
zoo=$top_builddir/tests/live/zoo
checker=$top_srcdir/tests/live/check_zoo.py

. "$top_srcdir/tests/python.sh"
need_python "to compare the JSON with"
if [ ! -x "$zoo" ]; then
	echo "SKIP: $zoo is not built (make check builds it)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-live.XXXXXX") || exit 1
zpid=
cleanup() {
	if [ -n "$zpid" ]; then
		kill -KILL "$zpid" 2>/dev/null
		wait "$zpid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# state PID: the one-letter state from /proc/PID/stat (after the comm)
state() {
	sed -n 's/^.*) \([A-Za-z]\).*$/\1/p' "/proc/$1/stat" 2>/dev/null
}

"$zoo" "$tmp/truth.json" "$tmp" &
zpid=$!

# The truth file appears (renamed into place) once everything is built and
# every thread sleeps in read(); the main thread then calls pause().
tries=0
while [ ! -f "$tmp/truth.json" ]; do
	if ! kill -0 "$zpid" 2>/dev/null; then
		echo "FAIL: the zoo exited before writing its truth file"
		zpid=
		exit 1
	fi
	tries=$((tries + 1))
	if [ "$tries" -gt 1000 ]; then
		echo "FAIL: no truth file from the zoo after 10 s"
		exit 1
	fi
	sleep 0.01
done
tries=0
while :; do
	busy=0
	for t in /proc/"$zpid"/task/*; do
		[ "$(state "$zpid/task/${t##*/}")" = S ] || busy=1
	done
	[ "$busy" = 0 ] && break
	tries=$((tries + 1))
	if [ "$tries" -gt 500 ]; then
		echo "FAIL: the zoo's threads are not all asleep after 5 s"
		exit 1
	fi
	sleep 0.01
done

fail=0

"$VMMAP" --json "$zpid" >"$tmp/vmmap.json" 2>"$tmp/json.err"
rc=$?
if [ "$rc" != 0 ]; then
	echo "FAIL: vmmap --json $zpid exited $rc, want 0"
	fail=1
fi
if [ -s "$tmp/json.err" ]; then
	echo "note: vmmap --json $zpid wrote to stderr:"
	sed 's/^/  /' "$tmp/json.err"
fi

NO_COLOR=1 "$VMMAP" "$zpid" >"$tmp/table.txt" 2>"$tmp/table.err"
rc=$?
if [ "$rc" != 0 ]; then
	echo "FAIL: vmmap $zpid exited $rc, want 0"
	cat "$tmp/table.err"
	fail=1
fi

"$py" "$checker" "$tmp/truth.json" "$tmp/vmmap.json" "$tmp/table.txt" || fail=1

if [ "$fail" != 0 ]; then
	echo "--- truth"
	cat "$tmp/truth.json"
	echo "--- vmmap $zpid"
	cat "$tmp/table.txt"
fi
exit $fail
