#!/usr/bin/env python3
"""stream.py: the pipelined load (reports written while smaps is read).

Usage: stream.py VMMAP MANYREGIONS

vmmap writes a large process's report while a second thread still reads
smaps, and checks afterwards that what it wrote is right. These checks run
it against tests/live/manyregions:

- still: a process with 5,000 regions that does not change. Its report
  printed the pipelined way (default order, output to a pipe) must equal,
  byte for byte, the one printed after the whole load (--sort start gives
  the same order the other way), as a table, with --bytes, and as JSON.
  Its 64 MiB arena-shaped region carries VmFlags nh: the kind seen before
  the VmFlags (heap, "malloc arena") must not survive into the report.
  The chunked table keeps its columns aligned across chunks.
- churn: the same process while a thread moves region bounds without
  pause, so maps and smaps disagree from one read to the next. Every
  report must still be a whole, consistent one: exit 0, JSON that parses,
  regions sorted and disjoint, none with more resident than its size
  (counters from one read on bounds from another), totals equal to the
  sum of the regions, and a table with as many rows as its total says.

Standard library only.
"""

import json
import re
import subprocess
import sys

N = 5000
CHURN_RUNS = 25


def start(prog, mode):
    p = subprocess.Popen([prog, str(N), mode], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().split()
    if not line or line[0] != "ready":
        p.kill()
        sys.exit("manyregions did not start")
    return p, int(line[1], 16)


def run(vmmap, *args):
    r = subprocess.run([vmmap, *args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stdout, r.stderr


def check_still(vmmap, prog, fails):
    p, arena = start(prog, "still")
    pid = str(p.pid)
    try:
        for extra in ([], ["--bytes"], ["--json"]):
            rc1, piped, err1 = run(vmmap, *extra, pid)
            rc2, whole, err2 = run(vmmap, *extra, "--sort", "start", pid)
            what = " ".join(extra) or "table"
            if rc1 or rc2:
                fails.append("%s: exit %d/%d: %s%s" % (what, rc1, rc2, err1, err2))
                continue
            if piped != whole:
                a, b = piped.splitlines(), whole.splitlines()
                first = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
                             min(len(a), len(b)))
                fails.append("%s: pipelined report differs from the whole-load one "
                             "at line %d:\n  %r\n  %r" % (what, first + 1,
                             a[first] if first < len(a) else None,
                             b[first] if first < len(b) else None))
        rc, out, err = run(vmmap, "--json", pid)
        doc = json.loads(out)
        regions = doc["regions"]
        if len(regions) < N:
            fails.append("json: %d regions, expected at least %d" % (len(regions), N))
        arena_hex = "0x%x" % arena
        r = [x for x in regions if x["start"] == arena_hex]
        if not r:
            fails.append("json: no region starts at the arena-shaped %s" % arena_hex)
        elif r[0]["kind"] != "anon" or "nh" not in (r[0]["vm_flags"] or []):
            fails.append("json: arena-shaped region with nh is %s/%s (vm_flags %s), "
                         "expected anon" % (r[0]["kind"], r[0]["detail"], r[0]["vm_flags"]))
        stacks = [t for t in doc["threads"] if t["stack_start"]]
        if len(doc["threads"]) != 2 or len(stacks) != 2:
            fails.append("json: threads %s, expected 2 with stacks" % doc["threads"])

        # alignment across the 2048-row chunks: every region row has its
        # KIND column (after 8 fixed columns) at the same place
        rc, out, err = run(vmmap, pid)
        rows = out.splitlines()[2:2 + len(regions)]
        prefix = re.compile(r"^(\S+\s+){7}\S+\s")
        starts = {len(m.group(0)) for m in map(prefix.match, rows) if m}
        if len(rows) < N or len(starts) != 1:
            fails.append("table: %d rows, KIND column at offsets %s" %
                         (len(rows), sorted(starts)[:5]))
    finally:
        p.kill()
        p.wait()


def check_churn(vmmap, prog, fails):
    p, _ = start(prog, "churn")
    pid = str(p.pid)
    try:
        for i in range(CHURN_RUNS):
            rc, out, err = run(vmmap, "--json", pid)
            if rc:
                fails.append("churn json run %d: exit %d: %s" % (i, rc, err.strip()))
                continue
            try:
                doc = json.loads(out)
            except ValueError as e:
                fails.append("churn json run %d: not JSON: %s" % (i, e))
                continue
            regions = doc["regions"]
            prev_end = 0
            for r in regions:
                s, e = int(r["start"], 16), int(r["end"], 16)
                if s < prev_end or e <= s:
                    fails.append("churn json run %d: regions out of order at %s" % (i, r["start"]))
                    break
                if r["rss"] > e - s:
                    fails.append("churn json run %d: region %s of %d bytes has %d resident: "
                                 "counters of another read" % (i, r["start"], e - s, r["rss"]))
                    break
                prev_end = e
            t = doc["totals"]
            if t["regions"] != len(regions) or t["rss"] != sum(r["rss"] for r in regions):
                fails.append("churn json run %d: totals %s do not add up over %d regions"
                             % (i, t, len(regions)))

            rc, out, err = run(vmmap, pid)
            if rc:
                fails.append("churn table run %d: exit %d: %s" % (i, rc, err.strip()))
                continue
            lines = out.splitlines()
            total = [l for l in lines if l.startswith("total ")]
            blank = lines.index("") if "" in lines else -1
            if not total or blank < 0 or int(total[0].split()[1]) != blank - 2:
                fails.append("churn table run %d: %d rows but %s" %
                             (i, blank - 2, total[0] if total else "no total line"))
    finally:
        p.kill()
        p.wait()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    vmmap, prog = sys.argv[1], sys.argv[2]
    fails = []
    check_still(vmmap, prog, fails)
    check_churn(vmmap, prog, fails)
    for f in fails:
        print("FAIL: " + f)
    if not fails:
        print("ok: pipelined reports equal whole-load ones; %d churned runs consistent"
              % (2 * CHURN_RUNS))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
