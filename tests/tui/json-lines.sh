#!/bin/sh
# json-lines.sh: `vmmap --watch --json`: one whole JSON document per line
# and sample, --iterations of them, exit 0; when the process goes away
# first, "process N exited" and exit 1; no such process, exit 32.
set -u
: "${top_srcdir:?}"
. "$top_srcdir/tests/tui/lib.sh"

. "$top_srcdir/tests/python.sh"
need_python "to read the JSON"
start_grower

"$VMMAP" --watch --json --iterations 3 --interval 0.2 "$gpid" >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st -eq 0 ] && $py - "$tmp/out" "$gpid" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "the output does not end with a newline"
lines = lines[:-1]
assert len(lines) == 3, "%d lines, not 3" % len(lines)
for l in lines:
    d = json.loads(l)
    assert d["schema"] == 1 and d["pid"] == int(sys.argv[2]), "wrong document"
    assert d["regions"], "no regions"
PY
then
	ok "--iterations 3 prints 3 lines, each a JSON document of pid $gpid"
else
	bad "--watch --json --iterations 3: status $st"
	cat "$tmp/err"
	head -c 600 "$tmp/out"
fi

# the grower grows between two samples: the second line shows it
"$VMMAP" --watch --json --iterations 2 --interval 1 "$gpid" >"$tmp/grow" 2>"$tmp/err" &
vpid=$!
sleep 0.4
kill -USR1 "$gpid"
wait $vpid
st=$?
if [ $st -eq 0 ] && $py - "$tmp/grow" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(docs) == 2
big = [[r for r in d["regions"] if r["perms"] == "rw-p" and r["size"] == 32 << 20]
       for d in docs]
assert not big[0] and big[1], "the 32M region is not only in the second sample"
PY
then
	ok "the second line shows the region mapped between the samples"
else
	bad "no new region in the second line (status $st)"
	cat "$tmp/err"
fi

# the process exits before the iterations end
sh -c 'sleep 0.5' &
spid=$!
"$VMMAP" --watch --json --iterations 100 --interval 0.2 "$spid" >"$tmp/out" 2>"$tmp/err"
st=$?
wait $spid
if [ $st -eq 1 ] && grep -q "^vmmap: process $spid exited$" "$tmp/err" && [ -s "$tmp/out" ]; then
	ok "a process that exits ends the lines with status 1 and a message"
else
	bad "exit of the watched process: status $st"
	cat "$tmp/err"
fi

"$VMMAP" --watch --json --iterations 2 999999999 >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st -eq 32 ] && grep -q "not found" "$tmp/err"; then
	ok "no such process: status 32"
else
	bad "no such process: status $st"
	cat "$tmp/err"
fi
exit $fail
