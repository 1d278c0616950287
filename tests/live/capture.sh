#!/bin/sh
# capture.sh: vmmap --capture of live processes, replayed with --sysroot.
#
# The zoo (tests/live/zoo.c: threads, stacks, guards, a static ELF) and a
# dynamically linked sleep (the dynamic linker and libc) are captured, and
# `vmmap --sysroot DIR --json PID` must report what `vmmap --json PID`
# reports live: the same regions, sections, threads and images
# (tests/live/capture.py compares). Then what a capture must refuse: a
# second capture into the same directory, a directory with a symlink
# planted in it, a directory that is a symlink; and a process that does
# not exist.
set -u

: "${top_srcdir:?}" "${top_builddir:?}" "${VMMAP:?}"
zoo=$top_builddir/tests/live/zoo
checker=$top_srcdir/tests/live/capture.py

. "$top_srcdir/tests/python.sh"
need_python "to compare the capture with the process"
if [ ! -x "$zoo" ]; then
	echo "SKIP: $zoo is not built (make check builds it)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-capture.XXXXXX") || exit 1
zpid=
spid=
cleanup() {
	for p in $zpid $spid; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# state PID: the one-letter state from /proc/PID/stat (after the comm)
state() {
	sed -n 's/^.*) \([A-Za-z]\).*$/\1/p' "/proc/$1/stat" 2>/dev/null
}

# settle PID: wait until every thread of PID sleeps
settle() {
	tries=0
	while :; do
		busy=0
		for t in /proc/"$1"/task/*; do
			[ "$(state "$1/task/${t##*/}")" = S ] || busy=1
		done
		[ "$busy" = 0 ] && return 0
		tries=$((tries + 1))
		[ "$tries" -gt 500 ] && return 1
		sleep 0.01
	done
}

fail=0

"$zoo" "$tmp/truth.json" "$tmp" >"$tmp/zoo.out" 2>&1 &
zpid=$!
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
settle "$zpid" || { echo "FAIL: the zoo's threads are not all asleep after 5 s"; exit 1; }

sleep 300 &
spid=$!
settle "$spid" || { echo "FAIL: sleep is not asleep after 5 s"; exit 1; }

# check NAME PID: capture PID into $tmp/NAME and compare the replay
check() {
	"$VMMAP" --json "$2" >"$tmp/$1.live.json" 2>"$tmp/$1.live.err" || {
		echo "FAIL: $1: vmmap --json $2 exited $?:"
		sed 's/^/  /' "$tmp/$1.live.err"
		return 1
	}
	"$VMMAP" --capture "$tmp/$1" "$2" >"$tmp/$1.out" 2>"$tmp/$1.err"
	rc=$?
	if [ "$rc" != 0 ]; then
		echo "FAIL: $1: vmmap --capture exited $rc, want 0:"
		sed 's/^/  /' "$tmp/$1.err"
		return 1
	fi
	grep -q "^captured $2 into " "$tmp/$1.out" ||
		{ echo "FAIL: $1: vmmap --capture did not say what it captured"; return 1; }
	[ -s "$tmp/$1.err" ] && { echo "note: $1: vmmap --capture warned:"; sed 's/^/  /' "$tmp/$1.err"; }
	"$VMMAP" --sysroot "$tmp/$1" --json "$2" >"$tmp/$1.replay.json" 2>"$tmp/$1.replay.err" || {
		echo "FAIL: $1: vmmap --sysroot $tmp/$1 --json $2 exited $?:"
		sed 's/^/  /' "$tmp/$1.replay.err"
		return 1
	}
	"$py" "$checker" "$tmp/$1.live.json" "$tmp/$1.replay.json" "$tmp/$1" |
		sed "s/^/$1: /"
	# the checker's status through the pipe
	"$py" "$checker" "$tmp/$1.live.json" "$tmp/$1.replay.json" "$tmp/$1" >/dev/null
}

check zoo "$zpid" || fail=1
check sleep "$spid" || fail=1

# refuse WHAT DIR WANT: vmmap --capture DIR refused, saying WANT
refuse() {
	"$VMMAP" --capture "$2" "$zpid" >"$tmp/refuse.out" 2>"$tmp/refuse.err"
	rc=$?
	if [ "$rc" != 1 ]; then
		echo "FAIL: $1: vmmap --capture exited $rc, want 1"
		fail=1
	elif ! grep -q "$3" "$tmp/refuse.err"; then
		echo "FAIL: $1: the error does not say '$3':"
		sed 's/^/  /' "$tmp/refuse.err"
		fail=1
	fi
}

# a second capture into the same directory
refuse "again" "$tmp/zoo" "exists and is not empty"
[ -d "$tmp/zoo/proc/$zpid/task" ] && [ ! -e "$tmp/zoo/proc/$zpid/task/x" ] ||
	{ echo "FAIL: again: the first capture was changed"; fail=1; }

# a symlink planted in the directory, to a directory elsewhere: refused
# as not empty, and nothing written where it points
mkdir "$tmp/planted" "$tmp/victim"
ln -s "$tmp/victim" "$tmp/planted/proc"
refuse "planted" "$tmp/planted" "exists and is not empty"
if [ -n "$(ls -A "$tmp/victim")" ]; then
	echo "FAIL: planted: the capture wrote through the planted symlink:"
	ls -lR "$tmp/victim" | sed 's/^/  /'
	fail=1
fi

# the directory itself a symlink to an empty directory
mkdir "$tmp/victim2"
ln -s "$tmp/victim2" "$tmp/link"
refuse "symlink" "$tmp/link" "is a symbolic link"
if [ -n "$(ls -A "$tmp/victim2")" ]; then
	echo "FAIL: symlink: the capture wrote through the symlink"
	fail=1
fi

# an empty directory is taken
mkdir "$tmp/empty"
if ! "$VMMAP" --capture "$tmp/empty" "$spid" >/dev/null 2>"$tmp/empty.err" ||
   [ ! -s "$tmp/empty/proc/$spid/smaps" ]; then
	echo "FAIL: empty: an empty directory was not taken:"
	sed 's/^/  /' "$tmp/empty.err"
	fail=1
fi

# a process that does not exist: 32, and no directory left behind
kill -KILL "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
gone=$spid
spid=
"$VMMAP" --capture "$tmp/gone" "$gone" >/dev/null 2>"$tmp/gone.err"
rc=$?
if [ "$rc" != 32 ] || [ -e "$tmp/gone" ]; then
	echo "FAIL: gone: vmmap --capture of an ended process exited $rc (want 32), or left $tmp/gone:"
	sed 's/^/  /' "$tmp/gone.err"
	fail=1
fi

[ "$fail" = 0 ] && echo "ok: capture"
exit $fail
