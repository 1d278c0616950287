#!/bin/sh
# golden.sh: replay captured /proc text through --sysroot and compare every
# view with the expected output under tests/cli/expected/.
#
# UPDATE_GOLDEN=1 rewrites the expected files (review the diff before
# committing it).
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
# the expected files are ASCII: trees and escapes as the C locale draws them
LC_ALL=C
export LC_ALL
fixtures=$top_srcdir/tests/fixtures
expected=$top_srcdir/tests/cli/expected
fail=0
count=0

pid_of() {
	ls "$fixtures/$1/proc" | grep -E '^[0-9]+$' | head -n 1
}

# settle NAME OUT WHAT: compare OUT (the output, then "exit N") with
# expected/NAME, or make it the expected file under UPDATE_GOLDEN=1; OUT
# is removed. WHAT names the command in a failure.
settle() {
	count=$((count + 1))
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$2" "$expected/$1"
		echo "updated $1"
	elif diff -u "$expected/$1" "$2"; then
		echo "ok $1"
	else
		echo "FAIL $1: $3 differs from expected/$1"
		fail=1
	fi
	rm -f "$2"
}

# check NAME CASE ARGS...: run vmmap on the fixture CASE, compare stdout,
# stderr and the exit status with expected/NAME.
check() {
	name=$1 case=$2
	shift 2
	pid=$(pid_of "$case")
	out=$(mktemp)
	(cd "$top_srcdir" && NO_COLOR= "$VMMAP" --sysroot "tests/fixtures/$case" "$@" "$pid") \
		>"$out" 2>&1
	echo "exit $?" >>"$out"
	settle "$name" "$out" "vmmap $* $pid"
}

for case in sleep python-threads i386 zoo; do
	check "$case.table" "$case" --color=never
	check "$case.raw" "$case" --raw
	check "$case.json" "$case" --json
	check "$case.summary" "$case" --summary --color=never
	check "$case.bytes" "$case" --bytes --noheadings --color=never
	check "$case.sort-rss" "$case" -o start,size,rss,kind,path --sort rss --color=never
	check "$case.kinds" "$case" --kind code,thread_stack,guard,stack --color=never
	check "$case.range" "$case" --range 0x7f0000000000,0x7fffffffffff -o start,end,kind,tid,detail --color=never
	check "$case.all" "$case" --output-all --raw
done
check "sleep.color" sleep --color=always --summary
for case in sleep python-threads i386 zoo; do
	check "$case.by-image" "$case" --by-image -o start,end,size,rss,kind,detail,path --color=never
	check "$case.layout" "$case" --layout --color=never
done

# Fitted to a width (--width, as to a terminal's): free text cut, the
# least needed columns left out, never a number cut; the process line
# broken between its items.
# fits NAME WIDTH: no line of expected/NAME but vmmap's own messages
# (stderr) is wider
fits() {
	count=$((count + 1))
	widest=$(grep -v -e '^vmmap: ' "$expected/$1" |
		awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
	if [ "$widest" -le "$2" ]; then
		echo "ok $1 fits $2 columns"
	else
		echo "FAIL $1: a line of $widest columns, wider than $2"
		fail=1
	fi
}
for w in 60 80; do
	check "python-threads.width$w" python-threads --width "$w" --color=never
	check "python-threads.summary.width$w" python-threads --summary --width "$w" --color=never
	check "python-threads.by-image.width$w" python-threads --by-image --width "$w" --color=never
	for v in width summary.width by-image.width; do
		fits "python-threads.$v$w" "$w"
	done
done
check "python-threads.pages.width80" python-threads --pages --width 80 --color=never
fits python-threads.pages.width80 80
check "python-threads.addr.width50" python-threads --addr 0x7fe4f05df100 --width 50
fits python-threads.addr.width50 50
check "sleep.layout.width80" sleep --layout --width 80 --color=never
fits sleep.layout.width80 80
check "sleep.width-narrow" sleep --width 39
check "sleep.width-junk" sleep --width 60x

# --kernel reads the machine, not a process: checked on captures made as
# root and as an unprivileged user.
kcheck() {
	name=$1 dir=$2
	shift 2
	out=$(mktemp)
	(cd "$top_srcdir" && "$VMMAP" --sysroot "tests/fixtures/machine/$dir" --kernel "$@") >"$out" 2>&1
	echo "exit $?" >>"$out"
	settle "$name" "$out" "vmmap --kernel $*"
}
kcheck kernel-root.table root
kcheck kernel-root.json root --json
kcheck kernel-user.table user
kcheck kernel-root.bytes root --bytes --raw
kcheck kernel-root.width60 root --width 60 --color=never
fits kernel-root.width60 60

# --all and --openmetrics read a whole machine (tests/fixtures/machine/all):
# two processes (one with a quote, a backslash, a tab and a newline in its
# name), a kernel thread and a zombie skipped and counted, one unreadable
# with its reason. The scrape duration is measured: its value is masked.
acheck() {
	name=$1
	shift
	out=$(mktemp)
	(cd "$top_srcdir" && NO_COLOR= "$VMMAP" --sysroot tests/fixtures/machine/all "$@") 2>&1 |
		sed 's/^\(vmmap_scrape_duration_seconds\) [0-9.]*$/\1 MASKED/' >"$out"
	# the status of vmmap, not of sed
	(cd "$top_srcdir" && "$VMMAP" --sysroot tests/fixtures/machine/all "$@" >/dev/null 2>&1)
	echo "exit $?" >>"$out"
	settle "$name" "$out" "vmmap $*"
}
acheck all.table --all --color=never
acheck all.bytes --all --bytes --raw
acheck all.json --all --json
acheck all.accurate.json --all --accurate --json
acheck all.numa --all -o pid,comm,pss,numa --color=never
acheck all.openmetrics --all --openmetrics
acheck all.openmetrics.by-comm --all --openmetrics --by-comm --kind code,heap
acheck all.openmetrics.pid --openmetrics 6522
acheck all.sort-top --all --sort comm --top 1 -o pid,comm,pss,heap,regions --color=never
acheck all.user --all --user 33 -o +size,regions --color=never
acheck all.names --all sleep 500 --color=never
acheck all.none --openmetrics 4242
acheck all.unreadable --openmetrics 500
acheck all.list-columns --all -H
acheck all.bad-column --all -o start
acheck all.width60 --all --width 60 --color=never
fits all.width60 60

# Hostile captures (tests/fixtures/hostile): a sum that does not fit in 64
# bits is unknown with a warning, never the small number it wraps to, in
# every view that sums (totals, kinds, images, the layout); a value above
# 2^63 is printed as the unsigned number it is; a thread id is never
# negative; an image that is not an executable or a shared object says so.
check hostile-rss-2e53-twice.table hostile/rss-2e53-twice --color=never
check hostile-rss-2e53-twice.json hostile/rss-2e53-twice --json
check hostile-rss-2e53-twice.by-image hostile/rss-2e53-twice --by-image \
	-o start,end,size,rss,pss,dirty,kind,detail,path --color=never
check hostile-rss-2e53-twice.layout hostile/rss-2e53-twice --layout --color=never
check hostile-smaps-huge.bytes hostile/smaps-huge --bytes --color=never \
	-o start,size,rss,pss,uss,dirty,swap,kind
check hostile-smaps-huge.json hostile/smaps-huge --json
check hostile-status-huge.json hostile/status-huge --json --summary
check hostile-tids-odd.table hostile/tids-odd -o start,end,kind,tid,detail --color=never
check hostile-tids-odd.json hostile/tids-odd --json
check hostile-image-unreadable.by-image hostile/image-unreadable --by-image \
	-o start,end,size,kind,detail,path --color=never
# a capture without stat or smaps is incomplete, not a process that exited
check hostile-stat-missing.json hostile/stat-missing --json
check hostile-smaps-missing.json hostile/smaps-missing --json

# core_check NAME CORE ARGS...: vmmap on the core tests/fixtures/core/CORE.
# Its program is not on this machine: the image unreadable is part of the
# expected output.
core_check() {
	name=$1 core=$2
	shift 2
	out=$(mktemp)
	(cd "$top_srcdir" && NO_COLOR= "$VMMAP" "$@" "tests/fixtures/core/$core") >"$out" 2>&1
	echo "exit $?" >>"$out"
	settle "$name" "$out" "vmmap $* tests/fixtures/core/$core"
}

for core in kernel-x86_64 gcore-x86_64; do
	core_check "core-$core.table" "$core" --color=never
	core_check "core-$core.json" "$core" --json
	core_check "core-$core.summary" "$core" --summary --color=never
	core_check "core-$core.layout" "$core" --layout --color=never
done
core_check "core-kernel-x86_64.addr" kernel-x86_64 --addr 0x7f35c6a16ff0,0x403040,0x7ffcd270b4f0
core_check "core-kernel-x86_64.pages" kernel-x86_64 --pages -o start,size,dumped,present,kind

# --numa: two nodes, several policies, a line for no region
check numa.table numa --numa --color=never
check numa.json numa --numa --json
check numa.columns numa -o start,numa,numa_policy,kind --color=never

# A name, as well as a PID, finds the process in a sysroot.
out=$(cd "$top_srcdir" && "$VMMAP" --sysroot tests/fixtures/sleep --summary --noheadings sleep 2>&1)
count=$((count + 1))
if [ $? -eq 0 ] && printf '%s\n' "$out" | grep -q '^total'; then
	echo "ok lookup by name"
else
	echo "FAIL lookup by name: $out"
	fail=1
fi

echo "$count golden checks, $( [ $fail = 0 ] && echo all passed || echo some FAILED)"
exit $fail
