#!/bin/sh
# openmetrics.sh: --openmetrics as Prometheus reads it, and --output-file.
#
# promtool (Debian package prometheus) must accept the metrics of the
# capture tests/fixtures/machine/all (--all, --by-comm, --kind), of this
# machine (--all) and of one process the test starts. Independently of
# promtool, the text must keep each family's samples together after its
# HELP and TYPE, end in "# EOF", and escape label values. --output-file
# must leave the target whole and readable, no temporary file behind, and
# the old file untouched when it fails.
#
# Environment (set by make check): top_srcdir, VMMAP, PYTHON3 (optional).
# Exit status: 0 pass, 1 fail, 77 skipped (no promtool: the rest passed).

: "${top_srcdir:?top_srcdir is not set}"
: "${VMMAP:?VMMAP is not set}"
capture=$top_srcdir/tests/fixtures/machine/all
tmp=
sleeper=
status=0

cleanup() {
	if [ -n "$sleeper" ]; then
		kill "$sleeper" 2>/dev/null
		wait "$sleeper" 2>/dev/null
	fi
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-openmetrics.XXXXXX") || exit 1

fail() {
	echo "FAIL: $*"
	status=1
}

sleep 300 &
sleeper=$!

# metrics NAME ARGS...: vmmap ARGS > $tmp/NAME.prom, exit 0
metrics() {
	name=$1
	shift
	if "$VMMAP" "$@" >"$tmp/$name.prom" 2>"$tmp/$name.err"; then
		echo "ran: vmmap $*"
	else
		fail "vmmap $* exited $?"
		sed 's/^/  stderr: /' "$tmp/$name.err"
	fi
}
metrics fixture --sysroot "$capture" --all --openmetrics
metrics fixture-comm --sysroot "$capture" --all --openmetrics --by-comm
metrics fixture-kind --sysroot "$capture" --all --openmetrics --kind heap,stack
metrics live --all --openmetrics
metrics one --openmetrics "$sleeper"

# the format's rules, whatever promtool's version checks
for f in "$tmp"/*.prom; do
	awk -v f="$(basename "$f")" '
	function bad(msg) { print "FAIL: " f ":" NR ": " msg; failed = 1 }
	/^# HELP / { help[$3] = 1; next }
	/^# TYPE / {
		if (!($3 in help)) bad("TYPE before HELP: " $3)
		if ($3 in done) bad("family " $3 " twice")
		if (cur != "") done[cur] = 1
		cur = $3; typed[$3] = $4; next
	}
	/^# EOF$/ { eof = NR; next }
	/^#/ { bad("a comment that is not HELP, TYPE or EOF"); next }
	{
		name = $0; sub(/[{ ].*/, "", name)
		if (name != cur) bad("sample of " name " outside its family " cur)
		if (typed[name] != "gauge") bad(name " is not a gauge")
		if ($NF !~ /^[0-9]+(\.[0-9]+)?$/) bad("value " $NF)
		if (eof) bad("a line after # EOF")
	}
	END {
		if (eof != NR) bad("does not end with # EOF")
		exit failed
	}' "$f" || status=1
done
grep -q '^vmmap_pss_bytes{pid="'"$sleeper"'",comm="sleep",kind="heap"} [0-9]' "$tmp/one.prom" ||
	fail "one.prom: no PSS of the heap of the sleep $sleeper"
grep -q '^vmmap_pss_bytes{pid="7002",comm="a\\"b\\\\c	new\\nline",kind="code"} 274432$' \
	"$tmp/fixture.prom" || fail "fixture.prom: label value of 7002 not escaped as the format says"
grep -q '^vmmap_processes_unreadable 1$' "$tmp/fixture.prom" ||
	fail "fixture.prom: the unreadable process is not counted"
if grep -q 'pid=' "$tmp/fixture-comm.prom"; then
	fail "fixture-comm.prom: --by-comm still labels pids"
fi
if grep -v '^#' "$tmp/fixture-kind.prom" | grep 'kind=' | grep -qv -e 'kind="heap"' -e 'kind="stack"'; then
	fail "fixture-kind.prom: --kind heap,stack lets other kinds through"
fi

# --output-file: whole, readable by the collector's user, nothing left
out=$tmp/dir/vmmap.prom
mkdir "$tmp/dir"
echo old >"$out"
ino_old=$(stat -c %i "$out")
(umask 022 && "$VMMAP" --sysroot "$capture" --all --openmetrics --output-file "$out" 2>/dev/null) ||
	fail "--output-file exited $?"
grep -v '^vmmap_scrape_duration_seconds ' "$out" >"$tmp/file.txt"
grep -v '^vmmap_scrape_duration_seconds ' "$tmp/fixture.prom" >"$tmp/stdout.txt"
cmp -s "$tmp/file.txt" "$tmp/stdout.txt" || fail "--output-file did not write what stdout gets"
[ "$(stat -c %a "$out")" = 644 ] || fail "--output-file made mode $(stat -c %a "$out"), want 644 under umask 022"
[ "$(stat -c %i "$out")" != "$ino_old" ] || fail "--output-file wrote over the old file instead of renaming"
[ "$(ls -A "$tmp/dir")" = vmmap.prom ] || fail "--output-file left $(ls -A "$tmp/dir" | tr '\n' ' ')"
# a failure (the target is a directory) leaves the directory as it was
mkdir "$tmp/dir/busy.prom"
if "$VMMAP" --sysroot "$capture" --all --openmetrics --output-file "$tmp/dir/busy.prom" \
	2>"$tmp/busy.err"; then
	fail "--output-file over a directory succeeded"
fi
grep -q '^vmmap: cannot rename' "$tmp/busy.err" || fail "--output-file over a directory: $(cat "$tmp/busy.err")"
[ "$(ls -A "$tmp/dir" | tr '\n' ' ')" = "busy.prom vmmap.prom " ] ||
	fail "a failed --output-file left $(ls -A "$tmp/dir" | tr '\n' ' ')"
if "$VMMAP" --sysroot "$capture" --all --openmetrics --output-file "$tmp/nodir/x.prom" 2>/dev/null; then
	fail "--output-file into a missing directory succeeded"
fi
[ $status -eq 0 ] && echo "ok: the format's rules, escaping, --by-comm, --kind, --output-file"

if ! command -v promtool >/dev/null 2>&1; then
	echo "skip: promtool not found (Debian package prometheus): the metrics were not checked by it"
	[ $status -eq 0 ] && exit 77
	exit $status
fi
for f in "$tmp"/*.prom; do
	if promtool check metrics <"$f" >"$tmp/promtool.out" 2>&1; then
		echo "promtool: $(basename "$f"): ok"
	else
		fail "promtool check metrics rejects $(basename "$f"):"
		sed 's/^/  /' "$tmp/promtool.out"
	fi
done
exit $status
