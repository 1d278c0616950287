#!/usr/bin/env python3
"""check_zoo.py: compare vmmap's view of the zoo with what the zoo built.

Usage: check_zoo.py TRUTH_JSON VMMAP_JSON VMMAP_TABLE

TRUTH_JSON is written by tests/live/zoo.c; VMMAP_JSON is the output of
`vmmap --json PID` and VMMAP_TABLE the output of `vmmap PID` for the same,
still running, zoo. /proc/PID/smaps_rollup is read first thing, right after
vmmap ran: the zoo is idle and statically linked, so its totals do not move.

Prints one line per failed assertion and exits 1 if there was any.
Standard library only.
"""

import json
import os
import re
import sys

failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL: " + what)
    return cond


def hexaddr(s):
    return int(s, 16)


ADDR_RE = re.compile(r"^0x[0-9a-f]+$")

# Keys of a region that are byte counts or numbers (never strings).
REGION_NUMBERS = [
    "size", "offset", "inode",
    "rss", "pss", "pss_dirty", "shared_clean", "shared_dirty",
    "private_clean", "private_dirty", "referenced", "anonymous", "ksm",
    "lazy_free", "anon_huge", "shmem_pmd", "file_pmd", "shared_hugetlb",
    "private_hugetlb", "swap", "swap_pss", "locked",
]
# Of those, the ones every kernel this runs on has (smaps since 2.6.x).
REGION_ALWAYS = ["size", "offset", "inode", "rss", "pss", "shared_clean",
                 "shared_dirty", "private_clean", "private_dirty", "swap",
                 "locked"]
SUMMARY_NUMBERS = ["regions", "size", "rss", "pss", "uss", "private_dirty",
                   "dirty", "swap"]
TOTALS_NUMBERS = ["regions", "size", "rss", "pss", "uss", "dirty", "swap",
                  "swap_pss"]


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def int_or_null(v):
    return v is None or is_int(v)


def read_rollup(pid):
    vals = {}
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            m = re.match(r"^(\w+):\s+(\d+) kB$", line.rstrip("\n"))
            if m:
                vals[m.group(1)] = int(m.group(2)) * 1024
    return vals


def region_at(regions, addr):
    for r in regions:
        if hexaddr(r["start"]) <= addr < hexaddr(r["end"]):
            return r
    return None


def describe(r):
    if r is None:
        return "no region"
    return "%s-%s %s kind=%s path=%r detail=%r tid=%r" % (
        r["start"], r["end"], r["perms"], r["kind"], r["path"], r["detail"],
        r["tid"])


def check_shape(doc, truth, pid):
    check(doc.get("schema") == 1, "schema is 1, got %r" % doc.get("schema"))
    check(doc.get("source") == "live", "source is live, got %r" % doc.get("source"))
    check(doc.get("pid") == pid, "pid is %d, got %r" % (pid, doc.get("pid")))
    check(doc.get("page_size") == truth["page_size"],
          "page_size %r == %r" % (doc.get("page_size"), truth["page_size"]))
    check(is_int(doc.get("page_size")), "page_size is an integer")

    status = doc.get("status") or {}
    check(isinstance(status, dict) and status, "status is a non-empty object")
    for k, v in status.items():
        check(int_or_null(v), "status.%s is an integer or null, got %r" % (k, v))
    check(is_int(status.get("vm_rss")), "status.vm_rss is known: %r" % status.get("vm_rss"))

    for k, v in (doc.get("mm") or {}).items():
        check(v is None or (isinstance(v, str) and ADDR_RE.match(v)),
              "mm.%s is a 0x address string or null, got %r" % (k, v))

    regions = doc.get("regions")
    if not check(isinstance(regions, list) and regions, "regions is a non-empty array"):
        return
    prev = None
    for r in regions:
        tag = "region %s-%s" % (r.get("start"), r.get("end"))
        for key in ("start", "end"):
            check(isinstance(r.get(key), str) and ADDR_RE.match(r[key]),
                  "%s: %s is a lowercase 0x hex string" % (tag, key))
        for key in REGION_NUMBERS:
            check(key in r and int_or_null(r[key]),
                  "%s: %s is an integer or null, got %r" % (tag, key, r.get(key)))
        for key in REGION_ALWAYS:
            check(is_int(r.get(key)), "%s: %s is known (an integer), got %r"
                  % (tag, key, r.get(key)))
        check(isinstance(r.get("deleted"), bool), "%s: deleted is a boolean" % tag)
        check(r.get("tid") is None or is_int(r.get("tid")), "%s: tid is an integer or null" % tag)
        start, end = hexaddr(r["start"]), hexaddr(r["end"])
        check(start < end, "%s: start < end" % tag)
        check(r.get("size") == end - start, "%s: size == end - start" % tag)
        check(start % truth["page_size"] == 0 and end % truth["page_size"] == 0,
              "%s: page aligned" % tag)
        check(r.get("kind") != "other",
              "%s: the zoo has nothing vmmap should fail to recognise: %s" % (tag, describe(r)))
        if prev is not None:
            check(hexaddr(prev["end"]) <= start,
                  "regions sorted and non-overlapping: %s-%s then %s-%s"
                  % (prev["start"], prev["end"], r["start"], r["end"]))
        prev = r

    for s in doc.get("summary") or []:
        for key in SUMMARY_NUMBERS:
            check(is_int(s.get(key)), "summary %s: %s is an integer, got %r"
                  % (s.get("kind"), key, s.get(key)))
    totals = doc.get("totals") or {}
    for key in TOTALS_NUMBERS:
        check(is_int(totals.get(key)), "totals.%s is an integer, got %r" % (key, totals.get(key)))
    check(totals.get("regions") == len(regions),
          "totals.regions %r == number of regions %d" % (totals.get("regions"), len(regions)))
    check(totals.get("size") == sum(r["size"] for r in regions if is_int(r.get("size"))),
          "totals.size == sum of region sizes")
    check(totals.get("rss") == sum(r["rss"] for r in regions if is_int(r.get("rss"))),
          "totals.rss == sum of region rss")
    check(sum(s["regions"] for s in doc.get("summary") or [] if is_int(s.get("regions"))) == len(regions),
          "summary rows count every region once")


def check_totals(doc, rollup):
    totals = doc.get("totals") or {}
    for key, rkey in (("rss", "Rss"), ("pss", "Pss"), ("swap", "Swap")):
        check(totals.get(key) == rollup.get(rkey),
              "totals.%s == %s of smaps_rollup: %r vs %r bytes"
              % (key, rkey, totals.get(key), rollup.get(rkey)))


def check_exhibits(doc, truth):
    regions = doc["regions"]
    for m in truth["mappings"]:
        name = m["name"]
        start = hexaddr(m["start"])
        end = start + m["length"]
        r = region_at(regions, start)
        if not check(r is not None, "%s: a region covers 0x%x" % (name, start)):
            continue
        rs, re_ = hexaddr(r["start"]), hexaddr(r["end"])
        check(rs <= start and end <= re_,
              "%s: 0x%x-0x%x is covered by one region, got %s" % (name, start, end, describe(r)))
        # The zoo places every exhibit between PROT_NONE gaps: the kernel
        # cannot merge it, so the region is exactly the mapping.
        check(rs == start and re_ == end,
              "%s: region is exactly 0x%x-0x%x, got %s" % (name, start, end, describe(r)))
        check(r["kind"] == m["kind"],
              "%s: kind %r, got %s" % (name, m["kind"], describe(r)))
        if m["touched"]:
            check(r["rss"] == m["length"],
                  "%s: every page resident: rss %r == %d" % (name, r["rss"], m["length"]))
        flags = r.get("vm_flags")
        check(isinstance(flags, list), "%s: vm_flags is a list, got %r" % (name, flags))
        flags = flags or []

        if name == "anon":
            check(r["perms"] == "rw-p", "anon: perms rw-p, got %r" % r["perms"])
            check(r["path"] is None, "anon: path null, got %r" % r["path"])
            check(r["anonymous"] == m["length"], "anon: anonymous %r == %d" % (r["anonymous"], m["length"]))
            check(r["private_dirty"] == m["length"],
                  "anon: private_dirty %r == %d" % (r["private_dirty"], m["length"]))
            check(r["pss"] == m["length"], "anon: pss %r == %d" % (r["pss"], m["length"]))
        elif name == "prot_none":
            check(r["perms"] == "---p", "prot_none: perms ---p, got %r" % r["perms"])
            check(r["rss"] == 0, "prot_none: rss 0, got %r" % r["rss"])
        elif name == "shared_anon":
            check(r["perms"] == "rw-s", "shared_anon: perms rw-s, got %r" % r["perms"])
        elif name == "memfd":
            check(r["perms"] == "rw-s", "memfd: perms rw-s, got %r" % r["perms"])
            check(isinstance(r["path"], str) and r["path"].startswith("/memfd:zoo-memfd"),
                  "memfd: path starts with /memfd:zoo-memfd, got %r" % r["path"])
            check(r["deleted"] is True, "memfd: deleted true, got %r" % r["deleted"])
        elif name == "sysv":
            check(r["perms"] == "rw-s", "sysv: perms rw-s, got %r" % r["perms"])
            check(isinstance(r["detail"], str) and r["detail"].startswith("SysV key"),
                  "sysv: detail starts with 'SysV key', got %r" % r["detail"])
        elif name == "mlocked":
            if m["locked"]:
                check("lo" in flags, "mlocked: vm_flags has lo, got %r" % flags)
                check(is_int(r["locked"]) and r["locked"] > 0,
                      "mlocked: locked > 0, got %r" % r["locked"])
                check(r["locked"] == m["length"],
                      "mlocked: locked %r == %d (Pss of locked pages, not shared)"
                      % (r["locked"], m["length"]))
            else:
                print("note: mlock failed in the zoo; checking it is not reported as locked")
                check("lo" not in flags, "mlocked (mlock failed): no lo flag, got %r" % flags)
                check(r["locked"] == 0, "mlocked (mlock failed): locked 0, got %r" % r["locked"])
        elif name in ("odd_name", "deleted"):
            check(r["perms"] == "r--p", "%s: perms r--p, got %r" % (name, r["perms"]))
            check(r["path"] == m["path"],
                  "%s: path exactly %r, got %r" % (name, m["path"], r["path"]))
            check(r["deleted"] is (name == "deleted"),
                  "%s: deleted %s, got %r" % (name, name == "deleted", r["deleted"]))
            check(r["inode"] == m["inode"], "%s: inode %d, got %r" % (name, m["inode"], r["inode"]))
            check(r["offset"] == 0, "%s: offset 0, got %r" % (name, r["offset"]))

        if name != "mlocked":
            check("lo" not in flags, "%s: not locked, got vm_flags %r" % (name, flags))


def check_threads(doc, truth, pid):
    regions = doc["regions"]
    want = {pid} | {t["tid"] for t in truth["threads"]}
    try:
        live = {int(t) for t in os.listdir("/proc/%d/task" % pid)}
        check(live == want, "the zoo runs threads %s, /proc says %s" % (sorted(want), sorted(live)))
    except OSError as e:
        check(False, "cannot list /proc/%d/task: %s" % (pid, e))
    threads = doc.get("threads") or []
    got = [t.get("tid") for t in threads]
    check(sorted(got) == sorted(want), "threads lists tids %s, got %s" % (sorted(want), got))
    by_tid = {t.get("tid"): t for t in threads}

    # main thread: the [stack]
    addr = hexaddr(truth["main_stack"])
    r = region_at(regions, addr)
    check(r is not None and r["kind"] == "stack",
          "main stack at 0x%x: kind stack, got %s" % (addr, describe(r)))
    if r is not None:
        check(r["tid"] == pid, "main stack: tid %d, got %r" % (pid, r["tid"]))
        th = by_tid.get(pid)
        if th is not None:
            check(th.get("stack_start") == r["start"] and th.get("stack_end") == r["end"],
                  "main thread: threads entry points at [stack] %s-%s, got %r-%r"
                  % (r["start"], r["end"], th.get("stack_start"), th.get("stack_end")))
    check(len([x for x in regions if x["kind"] == "stack"]) == 1, "exactly one stack region")

    for t in truth["threads"]:
        tid = t["tid"]
        addr = hexaddr(t["addr"])
        lo, hi = hexaddr(t["stack_lo"]), hexaddr(t["stack_hi"])
        r = region_at(regions, addr)
        label = "thread %d (stack %s)" % (tid, t["requested"] or "default")
        if not check(r is not None, "%s: a region covers its stack address 0x%x" % (label, addr)):
            continue
        check(r["kind"] == "thread_stack", "%s: kind thread_stack, got %s" % (label, describe(r)))
        check(r["tid"] == tid, "%s: region tid %d, got %r" % (label, tid, r["tid"]))
        rs, re_ = hexaddr(r["start"]), hexaddr(r["end"])
        check(rs <= lo and hi <= re_,
              "%s: region covers the whole stack 0x%x-0x%x, got %s" % (label, lo, hi, describe(r)))
        if t["requested"]:
            check(hi - lo <= t["requested"],
                  "%s: glibc's stack 0x%x-0x%x fits the requested %d"
                  % (label, lo, hi, t["requested"]))
        # glibc puts a PROT_NONE guard right below the stack: the thread's too
        g = region_at(regions, rs - 1)
        if check(g is not None and hexaddr(g["end"]) == rs and g["perms"] == "---p",
                 "%s: a ---p guard right below the stack, got %s" % (label, describe(g))):
            check(g["kind"] == "guard", "%s: guard kind, got %s" % (label, describe(g)))
            check(g["tid"] == tid, "%s: guard tid %d, got %r" % (label, tid, g["tid"]))
        th = by_tid.get(tid)
        if check(th is not None, "%s: listed in threads" % label):
            check(th.get("stack_start") == r["start"] and th.get("stack_end") == r["end"],
                  "%s: threads entry points at its stack region %s-%s, got %r-%r"
                  % (label, r["start"], r["end"], th.get("stack_start"), th.get("stack_end")))
            sp = th.get("sp")
            if check(isinstance(sp, str) and ADDR_RE.match(sp),
                     "%s: sp is known (as root or owner), got %r" % (label, sp)):
                check(rs <= hexaddr(sp) <= re_,
                      "%s: sp %s inside its stack region %s-%s" % (label, sp, r["start"], r["end"]))


def check_table(table, truth):
    odd = [m for m in truth["mappings"] if m["name"] == "odd_name"][0]["path"]
    shown = odd.replace("\n", "\\012")
    lines = table.split("\n")
    check(any(line.rstrip().endswith(shown) for line in lines),
          "table: the odd file name is on one line as %r" % shown)
    head, tail = odd.split("\n")
    check(len([line for line in lines if head in line]) == 1,
          "table: exactly one line shows %r" % head)
    check(not any(line.strip() == tail for line in lines),
          "table: the part after the newline (%r) is not on a line of its own" % tail)
    deleted = [m for m in truth["mappings"] if m["name"] == "deleted"][0]["path"]
    check(any(deleted in line for line in lines), "table: the deleted file %r is shown" % deleted)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    with open(sys.argv[1]) as f:
        truth = json.load(f)
    pid = truth["pid"]
    rollup = read_rollup(pid)
    with open(sys.argv[2], "rb") as f:
        raw = f.read()
    try:
        doc = json.loads(raw.decode("utf-8"))
    except ValueError as e:
        print("FAIL: vmmap --json output is not valid JSON: %s" % e)
        return 1
    if not check(isinstance(doc, dict), "vmmap --json PID prints one object"):
        return 1
    with open(sys.argv[3], "rb") as f:
        table = f.read().decode("utf-8", "replace")

    check_shape(doc, truth, pid)
    if not failures or doc.get("regions"):
        check_totals(doc, rollup)
        check_exhibits(doc, truth)
        check_threads(doc, truth, pid)
    check_table(table, truth)
    if doc.get("warnings"):
        print("note: vmmap warned: %r" % doc["warnings"])
    print("%d checks, %d failed" % (checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
