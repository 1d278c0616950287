#!/usr/bin/env python3
"""diff.py: vmmap --diff between saved snapshots, cores and a live process.

Usage: diff.py VMMAP SRCDIR TMPDIR

The snapshots are made here from the captures in tests/fixtures (through
--sysroot) and changed by hand the way a process changes: a region grows,
one goes, one comes. The diff must find exactly that, as text and as a
JSON document that validates against doc/vmmap.schema.json (when the
jsonschema module is there), with exit 0 for no change and 2 for some.
Files that are not snapshots (cut short, another schema, several
processes, a wrong value) must be refused with the file and the place
named, and two different processes without --force. Standard library
(and jsonschema when installed).
"""
import copy
import json
import os
import subprocess
import sys

fails = []


def run(*args):
    r = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def check(what, cond, detail=""):
    if cond:
        print("ok " + what)
    else:
        fails.append("%s %s" % (what, detail))
        print("FAIL: %s %s" % (what, detail))


def main():
    vmmap, srcdir, tmp = sys.argv[1:4]
    fixtures = os.path.join(srcdir, "tests", "fixtures")
    try:
        import jsonschema
        schema = json.load(open(os.path.join(srcdir, "doc", "vmmap.schema.json")))
        validator = jsonschema.Draft202012Validator(schema)
    except ImportError:
        validator = None

    def valid(doc):
        if not validator:
            return True
        errs = list(validator.iter_errors(doc))
        return not errs or print(errs[0]) or False

    root = os.path.join(fixtures, "sleep")
    pid = [d for d in os.listdir(os.path.join(root, "proc")) if d.isdigit()][0]
    rc, out, err = run(vmmap, "--sysroot", root, "--json", pid)
    check("save a snapshot", rc == 0, err)
    before_path = os.path.join(tmp, "before.json")
    open(before_path, "w").write(out)
    before = json.loads(out)

    # the same snapshot twice: no change, exit 0
    rc, out, err = run(vmmap, "--diff", before_path, before_path)
    check("no change: exit 0", rc == 0, "exit %d %s" % (rc, err))
    check("no change: said", "0 added, 0 removed, 0 changed" in out, out[:300])

    # the heap grows by 8 KiB resident, the first anonymous region goes,
    # a new one comes high up
    after = copy.deepcopy(before)
    heap = [r for r in after["regions"] if r["kind"] == "heap"][0]
    heap["rss"] += 8192
    heap["pss"] += 8192
    heap["private_dirty"] += 8192
    anon = [r for r in after["regions"] if r["kind"] == "anon"][0]
    after["regions"].remove(anon)
    new = copy.deepcopy(anon)
    new["start"], new["end"], new["size"] = "0x7ff000000000", "0x7ff000010000", 0x10000
    new["rss"] = 4096
    after["regions"].insert([i for i, r in enumerate(after["regions"])
                             if int(r["start"], 16) > 0x7ff000000000][0], new)
    after_path = os.path.join(tmp, "after.json")
    json.dump(after, open(after_path, "w"))
    rc, out, err = run(vmmap, "--diff", before_path, after_path)
    check("changes: exit 2", rc == 2, "exit %d %s" % (rc, err))
    check("changes: counted", "1 added, 1 removed, 1 changed" in out, out[:400])
    check("changes: the heap line", any(l.startswith("~") and "[heap]" in l and "+8K" in l
                                         for l in out.splitlines()), out)
    rc, out, err = run(vmmap, "--diff", before_path, "--json", after_path)
    d = json.loads(out) if rc == 2 else {}
    check("json: exit 2", rc == 2, err)
    check("json: validates", d and valid(d))
    check("json: added/removed", d and [r["start"] for r in d["added"]] == ["0x7ff000000000"]
          and [r["start"] for r in d["removed"]] == [anon["start"]], str(d.get("added")))
    ch = d.get("changed", [])
    check("json: changed heap", len(ch) == 1 and ch[0]["after"]["kind"] == "heap"
          and ch[0]["delta"]["rss"] == 8192 and "rss" in ch[0]["changes"], str(ch)[:300])
    hk = [k for k in d.get("summary", []) if k["kind"] == "heap"]
    check("json: heap summary", hk and hk[0]["delta"]["rss"] == 8192, str(hk))
    check("json: sides", d and d["before"]["file"] == before_path and d["before"]["source"] == "saved"
          and d["before"]["pid"] == int(pid), str(d.get("before")))
    rc, out, err = run(vmmap, "--diff", before_path, "--json", "--all-regions", after_path)
    d = json.loads(out) if rc == 2 else {}
    check("--all-regions", len(d.get("unchanged", [])) == len(before["regions"]) - 2 and valid(d),
          "%d unchanged" % len(d.get("unchanged", [])))
    rc, out, err = run(vmmap, "--diff", before_path, "--json", "--kind", "anon", after_path)
    d = json.loads(out) if rc == 2 else {}
    check("--kind filters", d and not d["changed"] and len(d["added"]) == 1, str(d)[:200])

    # unknown stays unknown: rss null on one side makes its delta null
    unk = copy.deepcopy(after)
    [r for r in unk["regions"] if r["kind"] == "heap"][0]["rss"] = None
    unk_path = os.path.join(tmp, "unknown.json")
    json.dump(unk, open(unk_path, "w"))
    rc, out, err = run(vmmap, "--diff", before_path, "--json", unk_path)
    d = json.loads(out) if rc == 2 else {}
    hk = [k for k in d.get("summary", []) if k["kind"] == "heap"]
    check("unknown stays unknown", hk and hk[0]["delta"]["rss"] is None and valid(d), str(hk))

    # another process: refused, unless --force
    other = copy.deepcopy(before)
    other["pid"] += 1
    other_path = os.path.join(tmp, "other.json")
    json.dump(other, open(other_path, "w"))
    rc, out, err = run(vmmap, "--diff", before_path, other_path)
    check("another process refused", rc == 1 and "--force" in err, "exit %d %s" % (rc, err))
    rc, out, err = run(vmmap, "--diff", before_path, "--force", other_path)
    check("--force compares", rc == 0, "exit %d %s" % (rc, err))

    # files that are not snapshots: the file and the place named
    text = open(before_path).read()
    cases = [
        ("cut.json", text[:len(text) // 2], "line"),
        ("schema2.json", text.replace('"schema": 1', '"schema": 2', 1), "schema 2"),
        ("array.json", "[" + text + "," + text + "]", "several processes"),
        ("badstart.json", None, "regions[3].start: not an address"),
        ("badkind.json", None, "regions[0].kind: not a kind"),
        ("overlap.json", None, "regions[1]: overlaps"),
        ("notjson.json", "hello\n", "line 1, column 1"),
        ("other.txt", '{"a": 1}', "no schema or regions"),
    ]
    for name, content, want in cases:
        path = os.path.join(tmp, name)
        if content is None:
            doc = copy.deepcopy(before)
            if name == "badstart.json":
                doc["regions"][3]["start"] = "12345"
            elif name == "badkind.json":
                doc["regions"][0]["kind"] = "treasure"
            else:
                doc["regions"][1]["start"] = doc["regions"][0]["start"]
            content = json.dumps(doc)
        open(path, "w").write(content)
        rc, out, err = run(vmmap, "--diff", path, before_path)
        check("refused: " + name, rc == 1 and want in err and name in err and not out,
              "exit %d, stderr %r" % (rc, err[:300]))

    # a core against its own saved report: nothing changed, counters unknown
    core = os.path.join(fixtures, "core", "kernel-x86_64")
    rc, out, err = run(vmmap, "--json", core)
    core_json = os.path.join(tmp, "core.json")
    open(core_json, "w").write(out)
    rc, out, err = run(vmmap, "--diff", core_json, "--json", core)
    d = json.loads(out) if rc == 0 else {}
    check("core against its saved report", rc == 0 and valid(d)
          and d["totals"]["delta"]["rss"] is None and d["after"]["source"] == "core",
          "exit %d %s" % (rc, err[:300]))

    # a live process against its own snapshot
    p = subprocess.Popen(["sleep", "30"])
    try:
        rc, out, err = run(vmmap, "--json", str(p.pid))
        live_json = os.path.join(tmp, "live.json")
        open(live_json, "w").write(out)
        rc, out, err = run(vmmap, "--diff", live_json, "--json", str(p.pid))
        d = json.loads(out) if rc in (0, 2) else {}
        check("live against its snapshot", rc in (0, 2) and valid(d) and
              d["after"]["source"] == "live" and d["before"]["time"] is not None,
              "exit %d %s" % (rc, err[:300]))
    finally:
        p.kill()
        p.wait()
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
