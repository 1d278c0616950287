#!/bin/sh
# core-gcore.sh: take a core of the zoo (tests/live/zoo.c) with gdb's gcore
# and check what the core reader (src/elf/core.c) finds in it, as printed
# by tests/live/core-dump, against the live process: its maps, its tasks,
# its comm (tests/live/core-gcore.py does the comparing). Then the same
# for a 32-bit build of the zoo where the compiler and the kernel can
# make and run one.
#
# The zoo's coredump_filter is set to 0x10 (ELF headers only): gdb then
# dumps the first page of each ELF image, the vdso and vsyscall, and the
# core stays at tens of KiB instead of the hundreds of MiB of the zoo's
# PROT_NONE reservations, which gdb writes out as zeros.
set -u

: "${top_srcdir:?}" "${top_builddir:?}"
zoo=$top_builddir/tests/live/zoo
dumper=$top_builddir/tests/live/core-dump
checker=$top_srcdir/tests/live/core-gcore.py

. "$top_srcdir/tests/python.sh"
need_python "to compare the core with the process"
if ! command -v gcore >/dev/null 2>&1; then
	echo "skip: gdb's gcore is not installed (apt-get install gdb)"
	exit 77
fi
for p in "$zoo" "$dumper"; do
	if [ ! -x "$p" ]; then
		echo "SKIP: $p is not built (make check builds it)"
		exit 77
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-core.XXXXXX") || exit 1
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

# start PROG DIR: run the zoo PROG in DIR until every thread sleeps; sets
# zpid. Returns 1 when it exits first (it could not run), 2 on a timeout.
start() {
	"$1" "$2/truth.json" "$2" >"$2/zoo.out" 2>&1 &
	zpid=$!
	tries=0
	while [ ! -f "$2/truth.json" ]; do
		if ! kill -0 "$zpid" 2>/dev/null; then
			wait "$zpid" 2>/dev/null
			zpid=
			return 1
		fi
		tries=$((tries + 1))
		[ "$tries" -gt 1000 ] && return 2
		sleep 0.01
	done
	tries=0
	while :; do
		busy=0
		for t in /proc/"$zpid"/task/*; do
			[ "$(state "$zpid/task/${t##*/}")" = S ] || busy=1
		done
		[ "$busy" = 0 ] && return 0
		tries=$((tries + 1))
		[ "$tries" -gt 500 ] && return 2
		sleep 0.01
	done
}

stop() {
	kill -KILL "$zpid" 2>/dev/null
	wait "$zpid" 2>/dev/null
	zpid=
}

# check NAME PROG CLASS ARCH: take and check one core. Returns 0, 1 on a
# failure, 77 when it cannot be taken here.
check() {
	dir=$tmp/$1
	mkdir -p "$dir"
	start "$2" "$dir"
	case $? in
	0) ;;
	1)
		echo "skip: $1: the zoo does not run here: $(head -n 1 "$dir/zoo.out")"
		return 77 ;;
	*)
		echo "FAIL: $1: the zoo did not settle within 15 s"
		return 1 ;;
	esac
	echo 0x10 >"/proc/$zpid/coredump_filter" 2>/dev/null ||
		echo "note: $1: coredump_filter not set: the core is larger"
	cp "/proc/$zpid/maps" "$dir/maps.before"
	ls "/proc/$zpid/task" >"$dir/tasks"
	comm=$(cat "/proc/$zpid/comm")
	(cd "$dir" && gcore -o core "$zpid") >"$dir/gcore.log" 2>&1
	cp "/proc/$zpid/maps" "$dir/maps"
	pid=$zpid
	stop
	if [ ! -s "$dir/core.$pid" ]; then
		if grep -qiE 'ptrace|not permitted|could not attach' "$dir/gcore.log"; then
			echo "skip: $1: gcore may not attach (ptrace refused):"
			sed 's/^/  /' "$dir/gcore.log" | head -n 5
			return 77
		fi
		echo "FAIL: $1: gcore wrote no core:"
		sed 's/^/  /' "$dir/gcore.log" | tail -n 10
		return 1
	fi
	if ! cmp -s "$dir/maps.before" "$dir/maps"; then
		echo "FAIL: $1: the zoo's maps changed while gcore ran"
		return 1
	fi
	"$py" "$checker" "$dumper" "$dir/core.$pid" "$dir/maps" "$dir/tasks" \
		"$pid" "$comm" "$3" "$4"
}

status=0
check zoo64 "$zoo" 64 x86_64
rc=$?
[ $rc = 0 ] || status=$rc

# 32-bit: where the compiler builds i386 programs and the kernel runs them
case $(uname -m) in
x86_64)
	if ${CC:-cc} -m32 -std=gnu11 -O1 -static -pthread -o "$tmp/zoo-i386" \
		"$top_srcdir/tests/live/zoo.c" >"$tmp/cc32.log" 2>&1; then
		check zoo32 "$tmp/zoo-i386" 32 i386
		rc=$?
		[ $rc = 1 ] && status=1
	else
		echo "skip: zoo32: ${CC:-cc} -m32 cannot build it (apt-get install gcc-multilib):"
		sed 's/^/  /' "$tmp/cc32.log" | head -n 3
	fi
	;;
*)
	echo "skip: zoo32: not an x86_64 machine"
	;;
esac
exit $status
