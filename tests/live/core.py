#!/usr/bin/env python3
"""core.py: vmmap on a core file against vmmap on the same live process.

Usage: core.py VMMAP COREDUMPEE TMPDIR

Starts tests/live/coredumpee (two threads, a heap block, a filled bss),
reads it live (--json), takes its core with gdb's gcore, and reads the
core (--json, the table, --addr). The core's report must match the live
one region by region where a core can know (bounds, permissions, the
kinds of stacks, heap, vdso, images with their sections), the threads
and their stacks, the executable; the counters must be unknown (null),
never 0, and DUMPED known. Then the executable is replaced on disk by
another file and the core read again: the mismatch must be a warning
on that image, whose sections become unknown.

Exit 77 (skip) without gcore or when ptrace is refused. Standard library
only.
"""
import json
import os
import shutil
import subprocess
import sys

KINDS_A_CORE_KNOWS = {"code", "rodata", "relro", "data", "bss", "heap", "stack",
                      "thread_stack", "vdso", "vsyscall"}


def run(*args):
    r = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def main():
    vmmap, prog, tmp = sys.argv[1:4]
    if not shutil.which("gcore"):
        print("skip: gdb's gcore is not installed (apt-get install gdb)")
        return 77
    exe = os.path.join(tmp, "coredumpee")
    shutil.copy2(prog, exe)
    p = subprocess.Popen([exe], stdout=subprocess.PIPE, text=True)
    fails = []
    try:
        if p.stdout.readline().strip() != "ready":
            print("FAIL: coredumpee did not start")
            return 1
        pid = str(p.pid)
        rc, out, err = run(vmmap, "--json", pid)
        if rc:
            print("FAIL: live: exit %d: %s" % (rc, err))
            return 1
        live = json.loads(out)
        core = os.path.join(tmp, "core")
        rc, out, err = run("gcore", "-o", core, pid)
        core += "." + pid
        if rc or not os.path.exists(core):
            print("skip: gcore could not take the core (ptrace refused?): %s" % err.strip()[-300:])
            return 77
    finally:
        p.kill()
        p.wait()

    rc, out, err = run(vmmap, "--json", core)
    if rc:
        print("FAIL: core: exit %d: %s" % (rc, err))
        return 1
    doc = json.loads(out)
    if doc["source"] != "core" or doc["pid"] != live["pid"] or doc["comm"] != live["comm"]:
        fails.append("identity: source %s pid %s comm %s, live pid %s comm %s" % (
            doc["source"], doc["pid"], doc["comm"], live["pid"], live["comm"]))
    if doc["exe"] != live["exe"]:
        fails.append("exe %r, live %r" % (doc["exe"], live["exe"]))
    by_start = {r["start"]: r for r in live["regions"]}
    for r in doc["regions"]:
        l = by_start.get(r["start"])
        if not l:
            fails.append("region %s of the core is not a region of the live process" % r["start"])
            continue
        # gdb marks every segment readable: r is compared but where the
        # live region is the vsyscall page
        lp = l["perms"]
        if l["kind"] == "vsyscall":
            lp = "r" + lp[1:]
        if (r["end"], r["perms"]) != (l["end"], lp):
            fails.append("region %s: %s %s in the core, %s %s live" % (
                r["start"], r["end"], r["perms"], l["end"], l["perms"]))
        if l["kind"] in KINDS_A_CORE_KNOWS and r["kind"] != l["kind"]:
            fails.append("region %s (%s): kind %s in the core, %s live" % (
                r["start"], l["path"], r["kind"], l["kind"]))
        if l["kind"] in ("code", "data") and r["sections"] != l["sections"]:
            fails.append("region %s: sections %s in the core, %s live" % (
                r["start"], r["sections"], l["sections"]))
        if r["rss"] is not None or r["pss"] is not None or r["dumped"] is None:
            fails.append("region %s: rss %s pss %s dumped %s: counters must be null, "
                         "dumped known" % (r["start"], r["rss"], r["pss"], r["dumped"]))
    kinds = {r["kind"] for r in doc["regions"]}
    for k in ("code", "heap", "stack", "thread_stack", "bss"):
        if k not in kinds:
            fails.append("no %s region in the core's report" % k)
    lt = {t["tid"]: t for t in live["threads"]}
    ct = {t["tid"]: t for t in doc["threads"]}
    if set(lt) != set(ct):
        fails.append("threads %s in the core, %s live" % (sorted(ct), sorted(lt)))
    for tid, t in ct.items():
        if tid in lt and (t["stack_start"], t["stack_end"]) != (lt[tid]["stack_start"],
                                                                 lt[tid]["stack_end"]):
            fails.append("thread %d: stack %s-%s in the core, %s-%s live" % (
                tid, t["stack_start"], t["stack_end"], lt[tid]["stack_start"],
                lt[tid]["stack_end"]))
    if doc["totals"]["rss"] is not None:
        fails.append("totals.rss %s: unknown in a core" % doc["totals"]["rss"])

    # --addr: the main thread's stack pointer is in its stack
    main = ct.get(doc["pid"])
    if main and main["sp"]:
        rc, out, err = run(vmmap, "--addr", main["sp"], "--json", core)
        if rc:
            fails.append("--addr: exit %d: %s" % (rc, err))
        else:
            look = json.loads(out)["lookup"][0]
            if (look.get("region") or {}).get("kind") != "stack" or look["tid"] != doc["pid"]:
                fails.append("--addr %s: %s" % (main["sp"], look))

    # the table: DUMPED shown, RSS not
    rc, out, err = run(vmmap, core)
    head = out.splitlines()[1].split() if rc == 0 and len(out.splitlines()) > 1 else []
    if rc or "DUMPED" not in head or "RSS" in head:
        fails.append("table: exit %d, heading %s" % (rc, head))

    # the executable replaced on disk: a warning, and its sections unknown
    os.unlink(exe)
    shutil.copy2("/bin/true" if os.path.exists("/bin/true") else sys.executable, exe)
    rc, out, err = run(vmmap, "--json", core)
    if rc:
        fails.append("replaced exe: exit %d: %s" % (rc, err))
    else:
        d = json.loads(out)
        warned = [w for w in d["warnings"] if "not the one that was mapped" in w and exe in w]
        code = [r for r in d["regions"] if r["path"] == exe and r["sections"] is not None]
        if not warned or code:
            fails.append("replaced exe: warnings %s; regions with sections %s" % (
                d["warnings"], [r["start"] for r in code]))
    for f in fails:
        print("FAIL: " + f)
    if not fails:
        print("ok: the core's report matches the live one (%d regions, %d threads)" % (
            len(doc["regions"]), len(ct)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
