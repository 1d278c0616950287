#!/usr/bin/env python3
"""check_anatomy.py: compare vmmap's view of anat with what anat built.

Usage: check_anatomy.py VARIANT PROGRAM EXPECT_TYPE TRUTH_JSON VMMAP_JSON
                        LAYOUT_TXT LAYOUT_RC TREE_TXT TREE_RC

VARIANT      a name for messages (pie, nopie, static, static-pie, m32)
PROGRAM      the executable that runs (tests/anatomy/anat.c built some way)
EXPECT_TYPE  "dyn", "exec", or "auto" (take it from the file's e_type)
TRUTH_JSON   what anat wrote: its symbols' addresses, its threads
VMMAP_JSON   `vmmap --json PID`
LAYOUT_TXT   `vmmap --layout PID` and its exit status LAYOUT_RC
TREE_TXT     `vmmap -T PID` and its exit status TREE_RC

The program's own ELF headers are read here (standard library only) as an
independent truth for e_type, PT_INTERP and the program headers.

Prints one line per failed assertion ("FAIL: VARIANT: ...") and exits 1 if
there was any; "NOTE:" lines tell what was seen where a check is skipped.
"""

import json
import os
import re
import struct
import sys

failures = []
checks = 0
variant = "?"


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL: %s: %s" % (variant, what))
    return cond


def note(what):
    print("NOTE: %s: %s" % (variant, what))


def hexaddr(s):
    return int(s, 16)


def page_up(v, ps):
    return (v + ps - 1) & ~(ps - 1)


def page_down(v, ps):
    return v & ~(ps - 1)


PT_LOAD, PT_INTERP = 1, 3
# program header types by name; others are "0x%x"
PT_NAMES = {1: "LOAD", 2: "DYNAMIC", 3: "INTERP", 4: "NOTE",
            6: "PHDR", 7: "TLS", 0x6474e550: "GNU_EH_FRAME",
            0x6474e551: "GNU_STACK", 0x6474e552: "GNU_RELRO",
            0x6474e553: "GNU_PROPERTY"}


def read_elf(path):
    """e_type, class and program headers of an ELF file, or None."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        return None
    cls = data[4]
    end = "<" if data[5] == 1 else ">"
    e_type = struct.unpack_from(end + "H", data, 16)[0]
    if cls == 2:
        phoff, = struct.unpack_from(end + "Q", data, 32)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 54)
    else:
        phoff, = struct.unpack_from(end + "I", data, 28)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 42)
    phdrs = []
    for i in range(phnum):
        o = phoff + i * phentsize
        if cls == 2:
            (p_type, p_flags, p_offset, p_vaddr, _p_paddr, p_filesz, p_memsz,
             _p_align) = struct.unpack_from(end + "IIQQQQQQ", data, o)
        else:
            (p_type, p_offset, p_vaddr, _p_paddr, p_filesz, p_memsz, p_flags,
             _p_align) = struct.unpack_from(end + "IIIIIIII", data, o)
        phdrs.append({"type": p_type, "flags": p_flags, "offset": p_offset,
                      "vaddr": p_vaddr, "filesz": p_filesz, "memsz": p_memsz})
    return {"class": 64 if cls == 2 else 32, "e_type": e_type, "phdrs": phdrs}


def flags_str(f):
    return ("r" if f & 4 else "-") + ("w" if f & 2 else "-") + \
        ("x" if f & 1 else "-")


def main():
    global variant
    if len(sys.argv) != 10:
        print(__doc__)
        return 2
    (variant, program, expect_type, truth_path, json_path, layout_path,
     layout_rc, tree_path, tree_rc) = sys.argv[1:]
    with open(truth_path) as f:
        truth = json.load(f)
    with open(json_path) as f:
        doc = json.load(f)
    with open(layout_path, errors="replace") as f:
        layout = f.read()
    with open(tree_path, errors="replace") as f:
        tree = f.read()
    exe = os.path.realpath(program)
    elf = read_elf(exe)
    if not check(elf is not None, "%s is not an ELF file" % exe):
        return 1
    is_pie = elf["e_type"] == 3
    is_static = not any(p["type"] == PT_INTERP for p in elf["phdrs"])
    if expect_type != "auto":
        check((elf["e_type"] == 3) == (expect_type == "dyn"),
              "the toolchain built %s with e_type %d, want %s" %
              (exe, elf["e_type"], expect_type))
    want_type = "dyn" if is_pie else "exec"
    ps = truth["page_size"]
    regions = doc.get("regions") or []

    def region_at(addr):
        for i, r in enumerate(regions):
            if hexaddr(r["start"]) <= addr < hexaddr(r["end"]):
                return i, r
        return None, None

    def desc(r):
        if r is None:
            return "no region"
        return "%s-%s %s kind %s detail %r image %r sections %r tid %r" % (
            r["start"], r["end"], r["perms"], r["kind"], r["detail"],
            r["image"], r["sections"], r["tid"])

    check(doc.get("pid") == truth["pid"],
          "pid %r, want %d" % (doc.get("pid"), truth["pid"]))
    check(doc.get("elf_class") == truth["ptr_bits"],
          "elf_class %r, want %d" % (doc.get("elf_class"), truth["ptr_bits"]))

    # --- the program's objects, each in a region of the right kind ---
    def check_object(name, addr, kind, section):
        _, r = region_at(addr)
        ok = check(r is not None and r["kind"] == kind,
                   "%s at 0x%x: want kind %s, got %s" % (name, addr, kind, desc(r)))
        if r is None:
            return None
        if ok:
            check(section in (r["sections"] or []),
                  "%s at 0x%x: %s is not among the sections of %s" %
                  (name, addr, section, desc(r)))
            check(r["image"] == exe, "%s at 0x%x: region image %r, want %s" %
                  (name, addr, r["image"], exe))
        return r

    check_object("anat_data", hexaddr(truth["data"]), "data", ".data")
    check_object("anat_rodata", hexaddr(truth["rodata"]), "rodata", ".rodata")
    code = check_object("anat_code", hexaddr(truth["code"]), "code", ".text")

    # .bss: its last byte lies past the last file-backed page of the data
    # segment (the end of .data, _edata, rounded up) in the anonymous bss
    # tail; or, when it fits, in that page (kind data, with .bss).
    bss_last = hexaddr(truth["bss_last"])
    edata = hexaddr(truth["edata"])
    if edata == 0:
        note("the linker gave no _edata: taking the 0x%x-byte bss to need a tail" %
             truth["bss_size"])
    if edata == 0 or bss_last >= page_up(edata, ps):
        _, r = region_at(bss_last)
        if r is not None and r["path"] == "[heap]":
            # §7.3: with brk not randomized the bss tail and [heap] merge
            note("the bss tail was merged into [heap] (start_brk %s): %s" %
                 (doc.get("mm", {}).get("start_brk"), desc(r)))
        else:
            check_object("the last byte of anat_bss", bss_last, "bss", ".bss")
    else:
        note("anat_bss fits in the data page (_edata 0x%x)" % edata)
        check_object("the last byte of anat_bss", bss_last, "data", ".bss")
    bss0 = hexaddr(truth["bss"])
    _, r = region_at(bss0)
    check(r is not None and r["kind"] in ("data", "bss") and
          ".bss" in (r["sections"] or []),
          "anat_bss at 0x%x: want kind data or bss with .bss, got %s" % (bss0, desc(r)))

    # --- thread stacks and their guards ---
    for t in truth["threads"]:
        tid, addr = t["tid"], hexaddr(t["addr"])
        i, r = region_at(addr)
        what = "thread %d (%d KiB stack), variable at 0x%x" % (
            tid, t["requested"] >> 10, addr)
        if not check(r is not None and r["kind"] == "thread_stack" and r["tid"] == tid,
                     "%s: want kind thread_stack with tid %d, got %s" % (what, tid, desc(r))):
            continue
        check((r["detail"] or "").startswith("thread %d, by " % tid),
              "%s: detail %r, want \"thread %d, by ...\"" % (what, r["detail"], tid))
        lo, hi = hexaddr(t["stack_lo"]), hexaddr(t["stack_hi"])
        if lo and hi:
            check(hexaddr(r["start"]) <= lo and hi <= hexaddr(r["end"]),
                  "%s: pthread's stack 0x%x-0x%x is not inside %s" % (what, lo, hi, desc(r)))
        g = regions[i - 1] if i > 0 else None
        check(g is not None and g["end"] == r["start"] and g["kind"] == "guard" and
              g["detail"] == "guard of thread %d" % tid and g["tid"] == tid,
              "%s: the region right below should be kind guard, detail "
              "\"guard of thread %d\", tid %d; got %s" % (what, tid, tid, desc(g)))

    threads = doc.get("threads") or []
    check(len(threads) == 1 + len(truth["threads"]),
          "threads has %d entries, want %d" % (len(threads), 1 + len(truth["threads"])))
    by_tid = {th.get("tid"): th for th in threads}
    want = [truth["main"]] + truth["threads"]
    for t in want:
        th = by_tid.get(t["tid"])
        if not check(th is not None, "thread %d missing from threads" % t["tid"]):
            continue
        addr = hexaddr(t["addr"])
        s, e = th.get("stack_start"), th.get("stack_end")
        check(s is not None and e is not None and
              hexaddr(s) <= addr < hexaddr(e),
              "threads entry of %d: stack %s-%s does not hold its variable at 0x%x" %
              (t["tid"], s, e, addr))

    # --- glibc's non-main malloc arenas ---
    arenas = [r for r in regions if (r["detail"] or "").startswith("malloc arena")]
    block = hexaddr(truth["malloc_block"])
    _, rb = region_at(block)
    ok = len(arenas) > 0 and rb is not None and rb["kind"] == "heap" and \
        (rb["detail"] or "").startswith("malloc arena")
    if not ok and is_static:
        note("static build: no malloc arena found holding the thread's block at 0x%x "
             "(%d arena regions; block in %s): not checked" % (block, len(arenas), desc(rb)))
    else:
        check(len(arenas) > 0, "no region has detail \"malloc arena N\"")
        check(rb is not None and rb["kind"] == "heap" and
              (rb["detail"] or "").startswith("malloc arena"),
              "the thread's malloc(100) block at 0x%x: want kind heap, detail "
              "\"malloc arena N\", got %s" % (block, desc(rb)))
    heap_max = (64 << 20) if truth["ptr_bits"] == 64 else (1 << 20)
    for i, r in enumerate(arenas):
        check(r["kind"] == "heap", "arena %s: kind %s, want heap" % (r["start"], r["kind"]))
        check(hexaddr(r["start"]) % heap_max == 0,
              "arena %s is not aligned to 0x%x" % (r["start"], heap_max))
    for i, r in enumerate(regions):
        if r["detail"] == "arena reserve":
            p = regions[i - 1] if i > 0 else None
            check(r["kind"] == "guard" and p is not None and p["end"] == r["start"] and
                  (p["detail"] or "").startswith("malloc arena"),
                  "arena reserve %s: want a guard right above a malloc arena, got %s "
                  "above %s" % (r["start"], desc(r), desc(p)))

    # --- the images array ---
    ims = [im for im in (doc.get("images") or []) if im.get("path") == exe]
    if check(len(ims) == 1, "images has %d entries for %s, want 1" % (len(ims), exe)):
        im = ims[0]
        check(im.get("type") == want_type,
              "image type %r, want %s" % (im.get("type"), want_type))
        check(im.get("elf_class") == elf["class"],
              "image elf_class %r, want %d" % (im.get("elf_class"), elf["class"]))
        check(im.get("deleted") is False, "image deleted %r" % im.get("deleted"))
        check(im.get("why_unread") is None, "image why_unread %r" % im.get("why_unread"))
        check(im.get("has_section_headers") is True,
              "image has_section_headers %r" % im.get("has_section_headers"))
        check(isinstance(im.get("build_id"), str) and
              re.match(r"^[0-9a-f]+$", im.get("build_id") or "") is not None,
              "image build_id %r" % im.get("build_id"))
        bias = im.get("load_bias")
        if not is_pie:
            check(bias == "0x0", "non-PIE image load_bias %r, want 0x0" % bias)
        else:
            check(bias is not None and bias != "0x0",
                  "PIE image load_bias %r, want a non-zero address" % bias)
        loads = [p for p in elf["phdrs"] if p["type"] == PT_LOAD]
        ehdr = hexaddr(truth["ehdr"])
        if bias is not None and ehdr and loads:
            low = page_down(min(p["vaddr"] for p in loads), ps)
            check(hexaddr(bias) + low == ehdr,
                  "load_bias %s + 0x%x is not the ELF header's address 0x%x" %
                  (bias, low, ehdr))
        segs = im.get("segments") or []
        want_segs = [(PT_NAMES.get(p["type"], "0x%x" % p["type"]), flags_str(p["flags"]),
                      "0x%x" % p["vaddr"], p["memsz"]) for p in elf["phdrs"]]
        got_segs = [(s.get("type"), s.get("flags"), s.get("vaddr"), s.get("memsz"))
                    for s in segs]
        check(got_segs == want_segs,
              "image segments %r, want %r (the file's program headers)" %
              (got_segs, want_segs))
        check(any(s.get("type") == "INTERP" for s in segs) == (not is_static),
              "image segments: INTERP present %s, want %s" %
              (any(s.get("type") == "INTERP" for s in segs), not is_static))
    if not is_pie and code is not None and doc.get("arch") in ("x86_64", "aarch64"):
        check(0x400000 <= hexaddr(code["start"]) < 0x400000 + (16 << 20),
              "non-PIE code region starts at %s, want just above 0x400000" % code["start"])

    # --- --layout and -T ---
    check(layout_rc == "0", "vmmap --layout exited %s, want 0" % layout_rc)
    words = ["heap", "stack", "start_code", "bss", "code", "data"]
    if truth["ptr_bits"] == 64:
        words.append("canonical hole")
    for w in words:
        check(w in layout, "vmmap --layout does not mention %r" % w)
    check(tree_rc == "0", "vmmap -T exited %s, want 0" % tree_rc)
    line_re = re.compile(r"\simage\s.*\s" + re.escape(exe) + r"\s*$")
    check(any(line_re.search(line) for line in tree.splitlines()),
          "vmmap -T has no line of kind image for %s" % exe)

    print("%s: %d checks, %d failed" % (variant, checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
