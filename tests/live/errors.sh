#!/bin/sh
# errors.sh: exit statuses and messages for processes vmmap cannot report:
# missing PIDs and names, kernel threads, zombies, permission denied; plus
# the argument forms (/proc/PID, names, several processes -> a JSON array).
#
# Exit status (DESIGN.md): 0 all good, 1 failure, 32 none of the named
# processes found, 64 some found. Parts that cannot run here (not root, no
# setpriv, no kernel thread visible) are skipped with a note.
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"
find_python

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-errors.XXXXXX") || exit 1
chmod 755 "$tmp"
pids=
cleanup() {
	for p in $pids; do
		kill -KILL "$p" 2>/dev/null
	done
	for p in $pids; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail=0
ran=0
skipped=0

ok() { echo "ok $*"; ran=$((ran + 1)); }
bad() { echo "FAIL: $*"; fail=1; ran=$((ran + 1)); }
skip() { echo "skip: $*"; skipped=$((skipped + 1)); }

# run ARGS...: run ARGS with stdout, stderr and the status in $tmp/out,
# $tmp/err and $rc
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

show() {
	echo "  command: $*"
	echo "  exit status: $rc"
	sed 's/^/  stderr: /' "$tmp/err"
}

# expect NAME STATUS REGEX ARGS...: run vmmap ARGS..., want the status and,
# unless REGEX is empty, stderr matching REGEX (grep -E, case-sensitive)
expect() {
	name=$1 want=$2 re=$3
	shift 3
	run "$@"
	if [ "$rc" != "$want" ]; then
		bad "$name: exit status $rc, want $want"
		show "$@"
		return 1
	fi
	if [ -n "$re" ] && ! grep -Eq -- "$re" "$tmp/err"; then
		bad "$name: stderr does not match /$re/"
		show "$@"
		return 1
	fi
	ok "$name"
	return 0
}

# json_pids: the pids of the JSON in $tmp/out ("P" for one document,
# "[P1,P2]" for an array), or nothing without python
json_pids() {
	[ -n "$py" ] || return 0
	"$py" -c '
import json, sys
d = json.load(open(sys.argv[1]))
if isinstance(d, list):
    print("[" + ",".join(str(x["pid"]) for x in d) + "]")
else:
    print(d["pid"])
' "$tmp/out" 2>&1
}

# state PID: the one-letter state from /proc/PID/stat
state() {
	sed -n 's/^.*) \([A-Za-z]\).*$/\1/p' "/proc/$1/stat" 2>/dev/null
}

# a PID that is not in use: count down from the top of the PID range
missing=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 32768)
missing=$((missing - 1))
while [ -e "/proc/$missing" ]; do
	missing=$((missing - 1))
done

sleep 300 &
live=$!
pids="$pids $live"

# not found
expect "missing pid" 32 "not found" "$VMMAP" "$missing"
expect "missing pid, json" 32 "not found" "$VMMAP" --json "$missing"
if [ -s "$tmp/out" ]; then
	bad "missing pid, json: nothing on stdout, got: $(head -c 200 "$tmp/out")"
fi
expect "name that matches nothing" 32 "no-such-vmmap-test" \
	"$VMMAP" no-such-vmmap-test
expect "two missing" 32 "not found" "$VMMAP" "$missing" no-such-vmmap-test

# some found: the report of the live one is still printed
if expect "live + missing pid" 64 "not found" "$VMMAP" "$live" "$missing"; then
	if grep -q "^$live (sleep)" "$tmp/out"; then
		ok "live + missing pid: the table of $live is printed"
	else
		bad "live + missing pid: no table of $live on stdout"
		head -n 5 "$tmp/out"
	fi
fi
if expect "missing + live pid, json" 64 "not found" "$VMMAP" --json "$missing" "$live" &&
   [ -n "$py" ]; then
	got=$(json_pids)
	case $got in
	"$live" | "[$live]") ok "missing + live, json: the document of $live is printed ($got)" ;;
	*) bad "missing + live, json: want the document of $live, got: $got" ;;
	esac
fi

# argument forms
# files that are not cores: a clear error naming the file, never a hang
# on a FIFO and never "no process named"
printf 'not a core\n' >"$tmp/notes.txt"
mkfifo "$tmp/fifo.core"
head -c 100 "$top_srcdir/tests/fixtures/core/kernel-x86_64" >"$tmp/short.core"
expect "regular file, not a core" 1 "notes.txt: not an ELF core file" "$VMMAP" "$tmp/notes.txt"
expect "FIFO named like a core" 1 "fifo.core: not an ELF core file" timeout 10 "$VMMAP" "$tmp/fifo.core"
expect "core cut inside its headers" 1 "short.core" "$VMMAP" "$tmp/short.core"
expect "watch on a core" 1 "core file does not change" "$VMMAP" --watch \
	"$top_srcdir/tests/fixtures/core/kernel-x86_64"
(cd "$tmp" && "$VMMAP" notes.txt >/dev/null 2>"$tmp/err2"); rc=$?
if [ "$rc" = 1 ] && grep -q "not an ELF core file, and no process is named so" "$tmp/err2"; then
	ok "a file name that is also no process's"
else
	bad "a file name that is also no process's: exit $rc: $(cat "$tmp/err2")"
fi

expect "/proc/PID" 0 "" "$VMMAP" --json "/proc/$live"
if [ "$rc" = 0 ] && [ -n "$py" ]; then
	got=$(json_pids)
	[ "$got" = "$live" ] && ok "/proc/PID: pid $got" ||
		bad "/proc/PID: want pid $live, got $got"
fi
expect "/proc/PID/" 0 "" "$VMMAP" "/proc/$live/"
expect "two pids" 0 "" "$VMMAP" --json "$live" "$$"
if [ "$rc" = 0 ] && [ -n "$py" ]; then
	got=$(json_pids)
	[ "$got" = "[$live,$$]" ] && ok "two pids: a JSON array of 2 documents $got" ||
		bad "two pids: want the array [$live,$$], got: $got"
fi
if [ -z "$py" ]; then
	skip "JSON contents (no python3)"
fi

# a name: a copy of sleep under a name nothing else has
cp "$(command -v sleep)" "$tmp/vmmaptestslp" && chmod 755 "$tmp/vmmaptestslp"
"$tmp/vmmaptestslp" 300 &
named=$!
pids="$pids $named"
tries=0
while [ "$(cat "/proc/$named/comm" 2>/dev/null)" != vmmaptestslp ] && [ "$tries" -lt 500 ]; do
	tries=$((tries + 1))
	sleep 0.01
done
expect "name" 0 "" "$VMMAP" --json vmmaptestslp
if [ "$rc" = 0 ] && [ -n "$py" ]; then
	got=$(json_pids)
	[ "$got" = "$named" ] && ok "name: finds pid $named" ||
		bad "name: want pid $named, got $got"
fi

# a kernel thread: PF_KTHREAD (0x00200000) in the flags of /proc/2/stat
kflags=$(sed -n 's/^.*) [A-Za-z] \(-*[0-9]* \)\{5\}\([0-9]*\).*$/\2/p' /proc/2/stat 2>/dev/null)
if [ -n "$kflags" ] && [ $((kflags & 0x00200000)) != 0 ]; then
	expect "kernel thread (pid 2)" 1 "kernel thread" "$VMMAP" 2
	expect "kernel thread (pid 2), json" 1 "kernel thread" "$VMMAP" --json 2
	expect "kernel thread + live" 64 "kernel thread" "$VMMAP" 2 "$live"
else
	skip "kernel thread: pid 2 is not a visible kernel thread here"
fi

# a zombie: sh forks a short sleep, then execs a long one that never reaps it
sh -c 'sleep 0.2 & echo $! >"$1"; exec sleep 300' sh "$tmp/zombie" &
zparent=$!
pids="$pids $zparent"
tries=0
zombie=
while [ "$tries" -lt 500 ]; do
	[ -s "$tmp/zombie" ] && zombie=$(cat "$tmp/zombie")
	[ -n "$zombie" ] && [ "$(state "$zombie")" = Z ] && break
	tries=$((tries + 1))
	sleep 0.01
done
if [ -n "$zombie" ] && [ "$(state "$zombie")" = Z ]; then
	expect "zombie" 1 "zombie" "$VMMAP" "$zombie"
	expect "zombie, json" 1 "zombie" "$VMMAP" --json "$zombie"
else
	bad "zombie: could not make one (pid ${zombie:-none}, state $(state "${zombie:-0}"))"
fi

# permission denied: nobody looking at root's process, and at its own
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ "$(id -u)" != 0 ]; then
	skip "permission checks: not root"
elif ! command -v setpriv >/dev/null 2>&1; then
	skip "permission checks: no setpriv"
elif ! (cd / && $nobody test -x "$VMMAP"); then
	skip "permission checks: $VMMAP is not executable by uid 65534"
else
	run sh -c "cd / && $nobody \"\$0\" \"\$1\"" "$VMMAP" "$live"
	if [ "$rc" = 1 ]; then
		ok "nobody -> root's process: exit 1"
	else
		bad "nobody -> root's process: exit status $rc, want 1"
		show "$nobody $VMMAP $live"
	fi
	# DESIGN.md: messages are lowercase, e.g.
	# "vmmap: cannot read /proc/42/smaps: permission denied"
	if grep -q "permission denied" "$tmp/err"; then
		ok "nobody -> root's process: says \"permission denied\""
	else
		bad "nobody -> root's process: stderr does not say \"permission denied\" (lowercase, as DESIGN.md shows)"
		show "$nobody $VMMAP $live"
	fi
	if grep -q "CAP_SYS_PTRACE" "$tmp/err"; then
		ok "nobody -> root's process: hints at CAP_SYS_PTRACE"
	else
		bad "nobody -> root's process: stderr has no hint (CAP_SYS_PTRACE)"
		show "$nobody $VMMAP $live"
	fi

	run sh -c "cd / && $nobody \"\$0\" --json \"\$1\" \"\$2\"" "$VMMAP" "$live" "$missing"
	if [ "$rc" = 1 ]; then
		ok "nobody -> root's process + missing pid: exit 1"
	else
		bad "nobody -> root's process + missing pid: exit status $rc, want 1 (failed, none reported)"
		show "$nobody $VMMAP --json $live $missing"
	fi

	# wait for the child to have exec'd sleep: until then its comm is sh
	run sh -c "cd / && $nobody sh -c 'sleep 300 & p=\$!; i=0; while [ \"\$(cat /proc/\$p/comm 2>/dev/null)\" != sleep ] && [ \$i -lt 500 ]; do sleep 0.01; i=\$((i + 1)); done; \"\$0\" \"\$p\"; rc=\$?; kill \$p; exit \$rc' \"\$0\"" "$VMMAP"
	if [ "$rc" = 0 ] && grep -q '(sleep)' "$tmp/out"; then
		ok "nobody -> its own process: exit 0"
	else
		bad "nobody -> its own process: exit status $rc, want 0 and a table"
		show "$nobody sh -c 'sleep 300 & $VMMAP \$!'"
	fi
fi

# Output that cannot be written is a failure on every path that prints,
# named with the errno of the failed write (util-linux's close_stdout).
if [ -w /dev/full ]; then
	fixture=$top_srcdir/tests/fixtures/sleep
	fpid=$(ls "$fixture/proc" | grep -E '^[0-9]+$' | head -n 1)
	for args in "--help" "-V" "-H" "-K" "--sysroot $fixture $fpid" \
		    "--json --sysroot $fixture $fpid" "--summary --sysroot $fixture $fpid" \
		    "--layout --sysroot $fixture $fpid" "--json $$" \
		    "--watch --json --iterations 1 --sysroot $fixture $fpid"; do
		# shellcheck disable=SC2086
		"$VMMAP" $args >/dev/full 2>"$tmp/err"
		rc=$?
		n=$(grep -c 'no space left on device' "$tmp/err")
		if [ "$rc" = 1 ] && [ "$n" = 1 ]; then
			ok "$args >/dev/full: exit 1, no space left on device, once"
		else
			bad "$args >/dev/full: exit status $rc, want 1 and one 'no space left on device'"
			sed 's/^/  stderr: /' "$tmp/err"
		fi
	done
else
	skip "no writable /dev/full"
fi

echo "$ran checks run, $skipped skipped"
if [ "$fail" = 0 ] && [ "$ran" = 0 ]; then
	echo "SKIP: nothing could run"
	exit 77
fi
exit $fail
