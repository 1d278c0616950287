#!/usr/bin/env python3
"""stream.py: the pipelined load (reports written while smaps is read).

Usage: stream.py VMMAP MANYREGIONS

vmmap writes a large process's report while a second thread still reads
smaps, and checks afterwards that what it wrote is right. These checks run
it against tests/live/manyregions:

- still: a process with 5,000 regions that does not change. Its report
  printed the pipelined way (default order, output to a pipe) must equal,
  byte for byte, the one printed after the whole load (--sort start gives
  the same order the other way), as a table, with --bytes, and as JSON,
  and with --pages (page states read while smaps is) as a table and JSON.
  Its 64 MiB arena-shaped region carries VmFlags nh: the kind seen before
  the VmFlags (heap, "malloc arena") must not survive into the report.
  The chunked table keeps its columns aligned across chunks, also when a
  name left of a column (1,000 regions of a memfd) is measured in display
  cells: double-width characters, and escapes for "\\x", a C1 control and
  a byte that is not UTF-8, in the C and the C.UTF-8 locale; and its
  cells, which vmmap encodes itself, read as libsmartcols encodes and pads
  them in a table it prints whole (one with VMFLAGS). In JSON that byte
  becomes U+FFFD: the document stays UTF-8.
- churn: the same process while a thread moves region bounds without
  pause, so maps and smaps disagree from one read to the next. Every
  report must still be a whole, consistent one: exit 0, JSON that parses,
  regions sorted and disjoint, none with more resident than its size
  (counters from one read on bounds from another), totals equal to the
  sum of the regions, and a table with as many rows as its total says.
  With --pages, no region has more pages present than it has, or
  residency runs outside its bounds (page states of another region).

Standard library only.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

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
    r = subprocess.run([vmmap, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = r.stderr.decode("utf-8", "replace")
    try:
        return r.returncode, r.stdout.decode("utf-8"), err
    except UnicodeDecodeError as e:
        return 1, "", "%s: standard output is not UTF-8: %s\n" % (" ".join(args), e)


def without_kpf(doc):
    """A --pages JSON document, one region a line, without the kpageflags
    tallies: the kernel's idle and referenced bits change between any two
    reads of a page (page aging), pipelined or not."""
    d = json.loads(doc)
    d.pop("time", None)
    for r in d["regions"]:
        if r.get("pages"):
            r["pages"].pop("kpf", None)
    return "\n".join(json.dumps(r, sort_keys=True) for r in d["regions"]) + \
        json.dumps({k: v for k, v in d.items() if k != "regions"}, sort_keys=True)


def without_time(doc):
    """A --json document without its "time" line."""
    return "\n".join(l for l in doc.splitlines() if not l.startswith('  "time": '))


def check_still(vmmap, prog, fails):
    p, arena = start(prog, "still")
    pid = str(p.pid)
    try:
        for extra in ([], ["--bytes"], ["--json"], ["--pages"], ["--pages", "--json"]):
            rc1, piped, err1 = run(vmmap, *extra, pid)
            rc2, whole, err2 = run(vmmap, *extra, "--sort", "start", pid)
            what = " ".join(extra) or "table"
            if rc1 or rc2:
                fails.append("%s: exit %d/%d: %s%s" % (what, rc1, rc2, err1, err2))
                continue
            if extra == ["--pages", "--json"]:
                piped, whole = without_kpf(piped), without_kpf(whole)
            elif "--json" in extra:
                # when each was read: the two reads may fall in two seconds
                piped, whole = without_time(piped), without_time(whole)
            if piped != whole:
                a, b = piped.splitlines(), whole.splitlines()
                first = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
                             min(len(a), len(b)))
                fails.append("%s: pipelined report differs from the whole-load one "
                             "at line %d:\n  %r\n  %r" % (what, first + 1,
                             a[first] if first < len(a) else None,
                             b[first] if first < len(b) else None))
        rc, out, err = run(vmmap, "--json", pid)
        if rc:
            fails.append("json: exit %d: %s" % (rc, err.strip()))
            return
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

        # alignment across the 512-row chunks: every region row has its
        # KIND column (after 8 fixed columns) at the same place
        rc, out, err = run(vmmap, pid)
        rows = out.splitlines()[2:2 + len(regions)]
        prefix = re.compile(r"^(\S+\s+){7}\S+\s")
        starts = {len(m.group(0)) for m in map(prefix.match, rows) if m}
        if len(rows) < N or len(starts) != 1:
            fails.append("table: %d rows, KIND column at offsets %s" %
                         (len(rows), sorted(starts)[:5]))
        check_odd_names(vmmap, pid, fails)
    finally:
        p.kill()
        p.wait()


def display_width(text):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def check_odd_names(vmmap, pid, fails):
    """PATH before KIND, the last column: every row's KIND starts at the
    same display column, and the odd name is there, escaped as it must be."""
    for loc in ("C", "C.UTF-8"):
        r = subprocess.run([vmmap, "-o", "start,path,kind", pid], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=dict(os.environ, LC_ALL=loc))
        out = r.stdout.decode("utf-8", "replace")
        lines = out.splitlines()
        rows = lines[2:lines.index("")] if "" in lines else []
        odd = [x for x in rows if "/memfd:wide" in x]
        wide = "\u540d\u524d" if loc == "C.UTF-8" else "\\xe5\\x90\\x8d\\xe5\\x89\\x8d"
        want = "/memfd:wide %s \\x5cx \\xc2\\x85 \\xff (deleted)" % wide
        if r.returncode or len(rows) < N or len(odd) != 1000 or want not in odd[0]:
            fails.append("%s: exit %d, %d rows, %d memfd rows, first %r, expected %r"
                         % (loc, r.returncode, len(rows), len(odd), odd[:1], want))
            continue
        cols = {display_width(x) - len(x.split()[-1]) for x in rows}
        if len(cols) != 1:
            fails.append("%s: KIND starts at display columns %s" % (loc, sorted(cols)[:5]))
        # VMFLAGS keeps the table whole, its cells encoded and measured by
        # libsmartcols itself: each line of the chunked table, heading
        # included, must be the start of the same line there
        r = subprocess.run([vmmap, "-o", "start,path,kind,vmflags", pid], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=dict(os.environ, LC_ALL=loc))
        whole = r.stdout.decode("utf-8", "replace").splitlines()[1:]
        table = lines[1:lines.index("")]
        bad = [(a, b) for a, b in zip(table, whole) if not b.startswith(a)]
        if r.returncode or len(whole) < len(table) or bad:
            fails.append("%s: exit %d, chunked line not the start of the whole table's: %r"
                         % (loc, r.returncode, bad[:1]))
    # JSON text is UTF-8: the byte that is not becomes U+FFFD, the rest stays
    rc, out, err = run(vmmap, "--json", pid)
    paths = {r["path"] for r in json.loads(out)["regions"]} if not rc else set()
    want = "/memfd:wide \u540d\u524d \\x \u0085 \ufffd"
    if want not in paths:
        fails.append("json: exit %d, no region with path %r: %s" % (rc, want, err.strip()))


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

            # page states are read in a thread of their own beside smaps
            rc, out, err = run(vmmap, "--pages", "--json", pid)
            if rc:
                fails.append("churn pages run %d: exit %d: %s" % (i, rc, err.strip()))
                continue
            doc = json.loads(out)
            page = doc["page_size"]
            for r in doc["regions"]:
                s, e = int(r["start"], 16), int(r["end"], 16)
                pg = r.get("pages")
                if not pg:
                    continue
                runs = [(int(x["start"], 16), int(x["end"], 16)) for x in pg["residency"]]
                if pg["present"] > (e - s) // page or \
                        any(a < s or b > e or b <= a for a, b in runs):
                    fails.append("churn pages run %d: region %s has page states of another: %s"
                                 % (i, r["start"], pg))
                    break
    finally:
        p.kill()
        p.wait()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    vmmap, prog = sys.argv[1], sys.argv[2]
    fails = []
    # A private copy: other tests run manyregions at the same time, and a
    # file page mapped by two processes halves its PSS between two reports.
    with tempfile.TemporaryDirectory() as tmp:
        own = os.path.join(tmp, "manyregions")
        shutil.copy2(prog, own)
        check_still(vmmap, own, fails)
        check_churn(vmmap, own, fails)
    for f in fails:
        print("FAIL: " + f)
    if not fails:
        print("ok: pipelined reports equal whole-load ones; %d churned runs consistent"
              % (3 * CHURN_RUNS))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
