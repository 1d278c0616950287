#!/usr/bin/env python3
"""capture.py: compare vmmap's report of a live process with its report
from a capture of it (vmmap --capture, replayed with --sysroot).

    capture.py LIVE.json REPLAY.json CAPTURE_DIR

The regions must be the same (start, end, perms, path, kind), with the
same sections for image regions; the same threads (tid, comm, stack); the
same images with the same build-ids; and every ELF skeleton the capture
holds must be small (the headers only, no contents).
"""
import json
import os
import sys

SKELETON_MAX = 64 * 1024


def main():
    live_path, replay_path, cap = sys.argv[1:4]
    with open(live_path) as f:
        live = json.load(f)
    with open(replay_path) as f:
        replay = json.load(f)
    fails = []

    def fail(msg):
        fails.append(msg)

    if replay.get("source") != "sysroot":
        fail("the replay's source is %r, not 'sysroot'" % replay.get("source"))
    for key in ("pid", "comm", "exe", "cmdline", "elf_class"):
        if live.get(key) != replay.get(key):
            fail("%s: live %r, replayed %r" % (key, live.get(key), replay.get(key)))

    def region_key(r):
        return (r["start"], r["end"], r["perms"], r["path"], r["kind"])

    lr = [region_key(r) for r in live["regions"]]
    rr = [region_key(r) for r in replay["regions"]]
    if lr != rr:
        ls, rs = set(lr), set(rr)
        for r in sorted(ls - rs):
            fail("region only live: %s" % (r,))
        for r in sorted(rs - ls):
            fail("region only replayed: %s" % (r,))
        if ls == rs:
            fail("regions in another order")
    by_start = {r["start"]: r for r in replay["regions"]}
    images = 0
    for r in live["regions"]:
        if not r.get("image"):
            continue
        images += 1
        other = by_start.get(r["start"])
        if other is None:
            continue
        if r.get("image") != other.get("image"):
            fail("%s: image %r live, %r replayed" % (r["start"], r.get("image"), other.get("image")))
        if r.get("sections") != other.get("sections"):
            fail("%s %s: sections %r live, %r replayed" %
                 (r["start"], r["path"], r.get("sections"), other.get("sections")))
    if not images:
        fail("no image region in the live report: nothing to compare sections of")

    def thread_key(t):
        return (t["tid"], t["comm"], t.get("stack_start"), t.get("stack_end"))

    lt = sorted(thread_key(t) for t in live["threads"])
    rt = sorted(thread_key(t) for t in replay["threads"])
    if lt != rt:
        fail("threads: live %r, replayed %r" % (lt, rt))

    li = {i["path"]: i.get("build_id") for i in live.get("images", [])}
    ri = {i["path"]: i.get("build_id") for i in replay.get("images", [])}
    if li != ri:
        fail("images and build-ids: live %r, replayed %r" % (li, ri))

    skeletons = 0
    for root, dirs, files in os.walk(cap):
        rel = os.path.relpath(root, cap)
        if rel == "proc" or rel.startswith("proc" + os.sep):
            continue
        for name in files:
            p = os.path.join(root, name)
            size = os.lstat(p).st_size
            skeletons += 1
            if size >= SKELETON_MAX:
                fail("%s: %d bytes, not a skeleton (< %d)" % (p, size, SKELETON_MAX))
            with open(p, "rb") as f:
                if f.read(4) != b"\x7fELF":
                    fail("%s: not an ELF file" % p)
    if skeletons != len(li):
        fail("%d ELF skeletons in the capture for %d images" % (skeletons, len(li)))

    for m in fails:
        print("FAIL: " + m)
    if not fails:
        print("ok: %d regions, %d threads, %d images, %d skeletons" %
              (len(lr), len(lt), len(li), skeletons))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
