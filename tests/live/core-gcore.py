#!/usr/bin/env python3
"""core-gcore.py: compare what the core reader found in a gcore of a live
process (tests/live/core-dump's lines) with that process as /proc showed
it while the core was taken. Called by tests/live/core-gcore.sh:

    core-gcore.py DUMPER CORE MAPS TASKS PID COMM CLASS ARCH

Prints a line per failed check and exits 1 when there is one.
"""
import subprocess
import sys


def parse_maps(path):
    """The maps lines as dicts; path is the text after the inode, as the
    kernel wrote it (escapes included), '' for none."""
    rows = []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            parts = line.rstrip("\n").split(None, 5)
            start, end = (int(x, 16) for x in parts[0].split("-"))
            rows.append({
                "start": start, "end": end, "perms": parts[1],
                "offset": int(parts[2], 16), "inode": int(parts[4]),
                "path": parts[5] if len(parts) > 5 else "",
            })
    return rows


def run_dumper(dumper, core, *extra):
    out = subprocess.run([dumper, core, *extra], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=False)
    if out.returncode != 0:
        print(f"FAIL: core-dump {core} exited {out.returncode}: "
              f"{out.stderr.decode(errors='replace').strip()}")
        sys.exit(1)
    return out.stdout.decode("utf-8", errors="surrogateescape").splitlines()


def parse_dump(lines):
    d = {"segments": [], "files": [], "threads": [], "warnings": [], "auxv": {}}
    for line in lines:
        key, _, rest = line.partition(" ")
        if key == "segment":
            v, m, fz, pr, fl = rest.split(" ")
            d["segments"].append({"start": int(v, 16), "end": int(v, 16) + int(m, 16),
                                  "filesz": int(fz, 16), "present": int(pr, 16),
                                  "flags": fl})
        elif key == "file":
            s, e, o, inl, path = rest.split(" ", 4)
            d["files"].append({"start": int(s, 16), "end": int(e, 16),
                               "offset": int(o, 16), "path": path})
        elif key == "thread":
            tid, sig, sp = rest.split(" ")
            d["threads"].append({"tid": int(tid), "sp": None if sp == "-" else int(sp, 16)})
        elif key == "warning":
            d["warnings"].append(rest)
        elif key == "auxv":
            name, val = rest.split(" ")
            d["auxv"][name] = int(val, 16)
        elif key == "prpsinfo":
            pid, ppid, uid, gid, state = rest.split(" ")
            d["pid"] = int(pid)
        elif key in ("probe", "class", "arch", "gdb", "fname", "psargs", "memory"):
            d[key] = rest
    return d


def main():
    dumper, core, maps_path, tasks_path, pid, comm, cls, arch = sys.argv[1:9]
    pid = int(pid)
    maps = parse_maps(maps_path)
    with open(tasks_path, encoding="ascii") as f:
        tasks = sorted(int(x) for x in f.read().split())
    d = parse_dump(run_dumper(dumper, core))
    fails = []

    def check(ok, what):
        if not ok:
            fails.append(what)

    check(d.get("probe") == "1", f"core_probe gave {d.get('probe')}, want 1")
    check(d.get("class") == cls, f"class {d.get('class')}, want {cls}")
    check(d.get("arch") == arch, f"arch {d.get('arch')}, want {arch}")
    check(d.get("gdb") == "1", "not recognised as written by gdb")
    check(d.get("pid") == pid, f"NT_PRPSINFO pid {d.get('pid')}, want {pid}")
    check(d.get("fname") == comm[:15], f"NT_PRPSINFO fname {d.get('fname')!r}, want {comm!r}")
    check(not d["warnings"], f"warnings: {d['warnings']}")

    # threads: the TIDs of task/, each stack pointer in a writable mapping
    tids = sorted(t["tid"] for t in d["threads"])
    check(tids == tasks, f"thread TIDs {tids}, task/ has {tasks}")
    for t in d["threads"]:
        if t["sp"] is None:
            fails.append(f"thread {t['tid']}: no stack pointer")
            continue
        m = [r for r in maps if r["start"] <= t["sp"] < r["end"]]
        check(m and "w" in m[0]["perms"],
              f"thread {t['tid']}: SP {t['sp']:#x} is not in a writable mapping")

    # NT_FILE: exactly the file-backed lines of maps
    backed = {(r["start"], r["end"], r["offset"], r["path"])
              for r in maps if r["inode"] != 0}
    files = {(f["start"], f["end"], f["offset"], f["path"]) for f in d["files"]}
    check(len(files) == len(d["files"]), "NT_FILE lists a mapping twice")
    for f in sorted(files - backed):
        fails.append(f"NT_FILE entry {f[0]:#x}-{f[1]:#x} +{f[2]:#x} {f[3]!r} "
                     "is no file-backed line of maps")
    for f in sorted(backed - files):
        fails.append(f"maps line {f[0]:#x}-{f[1]:#x} +{f[2]:#x} {f[3]!r} "
                     "is not in NT_FILE")

    # PT_LOAD: each one a whole mapping, with its permissions where it is
    # readable (gdb marks what it could not read r--)
    by_start = {r["start"]: r for r in maps}
    for s in d["segments"]:
        r = by_start.get(s["start"])
        if not r or r["end"] != s["end"]:
            fails.append(f"PT_LOAD {s['start']:#x}-{s['end']:#x} is no line of maps")
            continue
        if r["perms"][0] == "r":
            check(s["flags"] == r["perms"][:3],
                  f"PT_LOAD {s['start']:#x}: {s['flags']}, maps says {r['perms']}")
        check(s["present"] == s["filesz"], f"PT_LOAD {s['start']:#x}: truncated")

    # the auxv: the entry point in the executable's text, the vdso
    exe = [r for r in maps if r["inode"] != 0 and r["offset"] == 0][0]
    entry = d["auxv"].get("AT_ENTRY")
    check(entry is not None and any(r["start"] <= entry < r["end"] and "x" in r["perms"]
                                    and r["path"] == exe["path"] for r in maps),
          f"AT_ENTRY {entry} is not in the executable's text")
    vdso = [r["start"] for r in maps if r["path"] == "[vdso]"]
    check(d["auxv"].get("AT_SYSINFO_EHDR") in vdso,
          f"AT_SYSINFO_EHDR {d['auxv'].get('AT_SYSINFO_EHDR')}, vdso at {vdso}")

    # memory: the executable's ELF header, the one page the filter dumps
    mem = parse_dump(run_dumper(dumper, core, hex(exe["start"]), "4")).get("memory")
    check(mem == "4 7f454c46", f"memory at {exe['start']:#x}: {mem}, want the ELF magic")

    for f in fails:
        print(f"FAIL: {f}")
    if not fails:
        print(f"ok: {len(d['segments'])} segments, {len(d['files'])} files, "
              f"{len(d['threads'])} threads agree with the process")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
