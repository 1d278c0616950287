#!/bin/sh
# anatomy.sh: run vmmap against tests/anatomy/anat.c built five ways (PIE,
# non-PIE, static, static-pie, 32-bit) and check that each of its objects
# lands in a region of the right kind with the right ELF sections, that each
# thread's stack and guard carry its thread id, that glibc's malloc arena is
# found, and that the images array, --layout and -T agree
# (tests/anatomy/check_anatomy.py does the comparing).
#
# make check builds anat_pie, anat_nopie and anat_static (Makemodule.am);
# this script builds the static-pie and -m32 variants itself with $CC when
# the toolchain can, and says so when it cannot.
set -u

: "${top_srcdir:?}" "${top_builddir:?}" "${VMMAP:?}"
CC=${CC:-}
src=$top_srcdir/tests/anatomy/anat.c
checker=$top_srcdir/tests/anatomy/check_anatomy.py
built=$top_builddir/tests/anatomy

. "$top_srcdir/tests/python.sh"
need_python "to compare the JSON with"
if command -v timeout >/dev/null 2>&1; then
	to="timeout 20"
else
	to=
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-anat.XXXXXX") || exit 1
tmp=$(cd "$tmp" && pwd -P)
apid=
cleanup() {
	if [ -n "$apid" ]; then
		kill -KILL "$apid" 2>/dev/null
		wait "$apid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail=0
ran=0
skipped=

# state PID: the one-letter state from /proc/PID/stat (after the comm)
state() {
	sed -n 's/^.*) \([A-Za-z]\).*$/\1/p' "/proc/$1/stat" 2>/dev/null
}

# build NAME FLAGS...: compile anat.c into $tmp/NAME with $CC; succeeds only
# when the result also runs (anat without arguments exits 2 with its usage)
build() {
	b_name=$1
	shift
	[ -n "$CC" ] || return 1
	# shellcheck disable=SC2086
	$CC -std=gnu11 -O2 -g "$@" -pthread -o "$tmp/$b_name" "$src" \
		>"$tmp/$b_name.cc.log" 2>&1 || return 1
	"$tmp/$b_name" >/dev/null 2>&1
	[ $? = 2 ]
}

# run_variant NAME PROGRAM EXPECT_TYPE
run_variant() {
	name=$1 prog=$2 etype=$3
	truth=$tmp/$name.truth.json

	"$prog" "$truth" &
	apid=$!
	tries=0
	while [ ! -f "$truth" ]; do
		if ! kill -0 "$apid" 2>/dev/null; then
			echo "FAIL: $name: $prog exited before writing its truth file"
			wait "$apid" 2>/dev/null
			apid=
			fail=1
			return
		fi
		tries=$((tries + 1))
		if [ "$tries" -gt 1000 ]; then
			echo "FAIL: $name: no truth file from $prog after 10 s"
			fail=1
			return
		fi
		sleep 0.01
	done
	# every thread asleep (anat waits for its threads; this is for main)
	tries=0
	while :; do
		busy=0
		for t in /proc/"$apid"/task/*; do
			[ "$(state "$apid/task/${t##*/}")" = S ] || busy=1
		done
		[ "$busy" = 0 ] && break
		tries=$((tries + 1))
		if [ "$tries" -gt 500 ]; then
			echo "FAIL: $name: the threads of $prog are not all asleep after 5 s"
			fail=1
			return
		fi
		sleep 0.01
	done

	$to "$VMMAP" --json "$apid" >"$tmp/$name.json" 2>"$tmp/$name.json.err"
	rc=$?
	$to "$VMMAP" --layout "$apid" >"$tmp/$name.layout" 2>"$tmp/$name.layout.err"
	lrc=$?
	$to "$VMMAP" -T "$apid" >"$tmp/$name.tree" 2>"$tmp/$name.tree.err"
	trc=$?
	kill -KILL "$apid" 2>/dev/null
	wait "$apid" 2>/dev/null
	apid=
	ran=$((ran + 1))

	if [ "$rc" != 0 ]; then
		echo "FAIL: $name: vmmap --json exited $rc, want 0"
		sed "s/^/  $name stderr: /" "$tmp/$name.json.err"
		fail=1
		return
	fi
	if [ -s "$tmp/$name.json.err" ]; then
		sed "s/^/NOTE: $name: vmmap --json said: /" "$tmp/$name.json.err"
	fi
	if ! $py "$checker" "$name" "$prog" "$etype" "$truth" "$tmp/$name.json" \
		"$tmp/$name.layout" "$lrc" "$tmp/$name.tree" "$trc"; then
		fail=1
		for f in layout tree; do
			if [ -s "$tmp/$name.$f.err" ]; then
				sed "s/^/  $name $f stderr: /" "$tmp/$name.$f.err"
			fi
		done
	fi
}

# the three variants make check builds (built here when missing and $CC works)
for v in pie:dyn nopie:exec static:exec; do
	name=${v%%:*} etype=${v#*:}
	prog=$built/anat_$name
	if [ ! -x "$prog" ]; then
		case $name in
		pie) flags="-fPIE -pie" ;;
		nopie) flags="-fno-pie -no-pie" ;;
		static) flags="-static" ;;
		esac
		# shellcheck disable=SC2086
		if build "anat_$name" $flags; then
			prog=$tmp/anat_$name
		else
			echo "SKIP part: $name: $built/anat_$name is not built (make check builds it) and \$CC could not build it"
			skipped="$skipped $name"
			continue
		fi
	fi
	run_variant "$name" "$prog" "$etype"
done

if build anat_static_pie -fPIE -static-pie; then
	run_variant static-pie "$tmp/anat_static_pie" dyn
else
	echo "SKIP part: static-pie: ${CC:-(\$CC is empty)}: cannot build and run a -static-pie program"
	[ -f "$tmp/anat_static_pie.cc.log" ] && sed -n '1,3s/^/  /p' "$tmp/anat_static_pie.cc.log"
	skipped="$skipped static-pie"
fi

if build anat_m32 -m32; then
	run_variant m32 "$tmp/anat_m32" auto
else
	echo "SKIP part: m32: ${CC:-(\$CC is empty)}: cannot build and run a -m32 program (gcc-multilib, 32-bit glibc and IA32 emulation are needed)"
	[ -f "$tmp/anat_m32.cc.log" ] && sed -n '1,3s/^/  /p' "$tmp/anat_m32.cc.log"
	skipped="$skipped m32"
fi

if [ "$ran" = 0 ]; then
	echo "SKIP: no variant of anat could be run"
	exit 77
fi
[ -n "$skipped" ] && echo "skipped:$skipped"
if [ "$fail" != 0 ]; then
	echo "anatomy: FAILED ($ran variants run)"
	exit 1
fi
echo "anatomy: ok ($ran variants run)"
exit 0
