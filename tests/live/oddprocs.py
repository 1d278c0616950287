#!/usr/bin/env python3
"""oddprocs.py: processes the issue names besides kernel threads, zombies
and other users' processes (tests/live/errors.sh has those).

Usage: oddprocs.py VMMAP STATIC_PROGRAM

- A process whose executable was deleted (a copy of a static test program
  under a name with a space, unlinked once it runs): vmmap reports it,
  exe_deleted is true, the executable's regions are marked deleted and,
  as root (map_files), still get their ELF kinds (code).
- A non-dumpable process (prctl(PR_SET_DUMPABLE, 0)): as root it is
  reported; run as nobody against nobody's own non-dumpable process, whose
  /proc files the kernel gives to root, vmmap exits 1 and says permission
  denied and what would help.

Standard library only. Parts that need root or setpriv are skipped with a
note.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
NONDUMPABLE = ("import ctypes, sys, time\n"
               "ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)\n"   # PR_SET_DUMPABLE
               "print('ready', flush=True)\n"
               "time.sleep(60)\n")


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, cwd="/")
    return r.returncode, r.stdout, r.stderr


def wait_ready(p):
    line = p.stdout.readline()
    if not line.startswith("ready"):
        p.kill()
        raise RuntimeError("test process did not start")


def check_deleted_exe(vmmap, prog, fails):
    tmp = tempfile.mkdtemp(prefix="vmmap-odd.")
    exe = os.path.join(tmp, "vmmap test exe")
    shutil.copy(prog, exe)
    p = subprocess.Popen([exe, "10", "still"], stdout=subprocess.PIPE, text=True)
    try:
        wait_ready(p)
        os.unlink(exe)
        rc, out, err = run([vmmap, "--json", str(p.pid)])
        if rc:
            fails.append("deleted exe: exit %d: %s" % (rc, err.strip()))
            return
        doc = json.loads(out)
        if doc["exe_deleted"] is not True or not (doc["exe"] or "").endswith("vmmap test exe"):
            fails.append("deleted exe: exe %r, exe_deleted %r" % (doc["exe"], doc["exe_deleted"]))
        mine = [r for r in doc["regions"] if (r["path"] or "").endswith("vmmap test exe")]
        if not mine or not all(r["deleted"] for r in mine):
            fails.append("deleted exe: its regions %s are not all marked deleted"
                         % [(r["start"], r["deleted"]) for r in mine])
        if os.geteuid() == 0 and not any(r["kind"] == "code" for r in mine):
            fails.append("deleted exe: no code region among %s (ELF headers unread: %s)"
                         % ([r["kind"] for r in mine], doc["warnings"]))
        rc, out, err = run([vmmap, str(p.pid)])
        if rc or "(deleted)" not in out:
            fails.append("deleted exe: table exit %d, no \"(deleted)\" path" % rc)
    finally:
        p.kill()
        p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def check_nondumpable(vmmap, fails):
    py = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable
    p = subprocess.Popen([py, "-c", NONDUMPABLE], stdout=subprocess.PIPE, text=True)
    try:
        wait_ready(p)
        rc, out, err = run([vmmap, "--json", str(p.pid)])
        if os.geteuid() == 0:
            if rc or not json.loads(out)["regions"]:
                fails.append("non-dumpable as root: exit %d: %s" % (rc, err.strip()))
        elif rc not in (0, 1) or (rc and "permission denied" not in err):
            fails.append("non-dumpable, own: exit %d: %s" % (rc, err.strip()))
    finally:
        p.kill()
        p.wait()

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        print("note: skipped nobody against its own non-dumpable process (needs root and setpriv)")
        return
    if run(NOBODY + ["test", "-x", vmmap])[0] or run(NOBODY + ["test", "-x", py])[0]:
        print("note: skipped nobody against its own non-dumpable process (vmmap or python3 not reachable by nobody)")
        return
    p = subprocess.Popen(NOBODY + [py, "-c", NONDUMPABLE], stdout=subprocess.PIPE,
                         text=True, cwd="/")
    try:
        wait_ready(p)
        # setpriv execs: the pid is the non-dumpable python's
        rc, out, err = run(NOBODY + [vmmap, str(p.pid)])
        # being its owner does not help: the message must say why
        if (rc != 1 or "permission denied" not in err or "not dumpable" not in err
                or "CAP_SYS_PTRACE" not in err or "process's owner" in err or out):
            fails.append("nobody -> own non-dumpable: exit %d, stdout %d bytes, stderr %r"
                         % (rc, len(out), err.strip()))
    finally:
        p.kill()
        p.wait()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    vmmap, prog = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    fails = []
    check_deleted_exe(vmmap, prog, fails)
    check_nondumpable(vmmap, fails)
    for f in fails:
        print("FAIL: " + f)
    if not fails:
        print("ok: deleted executable and non-dumpable processes")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
