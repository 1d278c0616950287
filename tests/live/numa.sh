#!/bin/sh
# numa.sh: vmmap --numa on a live process: every region numa_maps lists
# has a policy and bytes only on nodes this machine has, and no more bytes
# than the region's size; the NUMA column shows them. Skipped on a kernel
# without numa_maps.
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"
need_python "to read the JSON"
if [ ! -r /proc/self/numa_maps ]; then
	echo "skip: this kernel has no numa_maps (CONFIG_NUMA off)"
	exit 77
fi
sleep 30 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
sleep 0.2
"$VMMAP" --numa --json "$pid" | "$py" -c '
import json, os, sys
d = json.load(sys.stdin)
nodes = {n[4:] for n in os.listdir("/sys/devices/system/node") if n.startswith("node") and n[4:].isdigit()}
seen = 0
for r in d["regions"]:
    n = r["numa"]
    if n is None:
        continue
    seen += 1
    size = int(r["end"], 16) - int(r["start"], 16)
    assert n["policy"], "region %s: empty policy" % r["start"]
    assert set(n["nodes"]) <= nodes, "region %s: nodes %s, machine %s" % (r["start"], n["nodes"], nodes)
    assert sum(n["nodes"].values()) <= size, "region %s: more bytes than its size" % r["start"]
assert seen >= len(d["regions"]) - 1, "%d of %d regions have numa" % (seen, len(d["regions"]))
print("ok: %d regions with a policy and nodes of this machine" % seen)
' || exit 1
"$VMMAP" -o start,numa,numa_policy "$pid" | grep -q -E '^[0-9a-f]+ +[0-9]+:[0-9.]+[KMG]? +[a-z]' ||
	{ echo "FAIL: no NUMA column in the table"; exit 1; }
echo "ok: the NUMA column"
