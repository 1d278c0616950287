#!/usr/bin/env python3
"""vmmap --all against processes this test starts: the effective user of
each (one running as nobody, one whose real uid is root and effective uid
nobody), a zombie (counted, not listed), a process holding 32 MiB of its
own anonymous memory (its PSS by kind), vmmap itself (left out), and, run
as nobody, root's processes listed with unknown numbers and the reason."""
import json
import os
import pwd
import subprocess
import sys

NOBODY = 65534
HOLD = ("import sys\n"
        "b = b'x' * (32 << 20)\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n")
ZOMBIE_PARENT = ("import os, sys\n"
                 "pid = os.fork()\n"
                 "if pid == 0:\n"
                 "    os._exit(0)\n"
                 "print('ready', pid, flush=True)\n"
                 "sys.stdin.read()\n")

fails = []


def fail(msg):
    print("FAIL: " + msg)
    fails.append(msg)


def ok(msg):
    print("ok: " + msg)


def start(argv):
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().split()
    if not line or line[0] != "ready":
        p.kill()
        raise SystemExit("FAIL: %s did not start" % argv)
    return p, line[1:]


def state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def all_json(vmmap, *args, prefix=()):
    p = subprocess.Popen(list(prefix) + [vmmap, "--all", "--json"] + list(args),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    if p.returncode != 0:
        raise SystemExit("FAIL: vmmap --all --json %s exited %d: %s"
                         % (" ".join(args), p.returncode, err))
    return json.loads(out), p.pid


def main():
    vmmap = sys.argv[1]
    py = sys.executable
    root = os.geteuid() == 0
    setpriv = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"]
    procs = []
    try:
        holder, _ = start([py, "-c", HOLD])
        procs.append(holder)
        zparent, (zpid,) = start([py, "-c", ZOMBIE_PARENT])
        procs.append(zparent)
        zpid = int(zpid)
        for _ in range(500):
            if state(zpid) == "Z":
                break
            subprocess.run(["sleep", "0.01"])
        if state(zpid) != "Z":
            fail("the zombie %d did not become one" % zpid)
        as_nobody = euid_nobody = None
        if root:
            as_nobody, _ = start(setpriv + [py, "-c", HOLD])
            procs.append(as_nobody)
            euid_nobody, _ = start(["setpriv", "--euid=%d" % NOBODY, py, "-c", HOLD])
            procs.append(euid_nobody)

        doc, self_pid = all_json(vmmap)
        rows = {p["pid"]: p for p in doc["processes"]}
        m = doc["machine"]

        # the holder: 32 MiB of its own, in the heap or anonymous kinds
        h = rows.get(holder.pid)
        if not h or not h["totals"]:
            fail("the holder %d is not a readable row: %s" % (holder.pid, h))
        else:
            own = sum(k["pss"] for k in h["summary"] if k["kind"] in ("heap", "anon"))
            if own >= 32 << 20 and h["totals"]["pss"] >= own:
                ok("the holder's heap and anonymous PSS is %d bytes, of PSS %d"
                   % (own, h["totals"]["pss"]))
            else:
                fail("the holder's heap+anon PSS is %d, PSS %d: want >= 32 MiB"
                     % (own, h["totals"]["pss"]))
            me = pwd.getpwuid(os.geteuid()).pw_name
            if h["user"] == me and h["uid"] == os.geteuid():
                ok("the holder's user is %s (uid %d)" % (h["user"], h["uid"]))
            else:
                fail("the holder's user is %s uid %s" % (h["user"], h["uid"]))

        # the zombie: counted, not listed; vmmap itself: not listed
        if zpid in rows:
            fail("the zombie %d is listed: %s" % (zpid, rows[zpid]))
        elif m["zombies"] >= 1:
            ok("the zombie is not listed and zombies counts %d" % m["zombies"])
        else:
            fail("zombies is %d with a zombie present" % m["zombies"])
        if self_pid in rows:
            fail("vmmap lists itself (pid %d)" % self_pid)
        kthreads = 0
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open("/proc/%s/stat" % d) as f:
                        flags = int(f.read().rsplit(")", 1)[1].split()[6])
                except (OSError, ValueError, IndexError):
                    continue
                if flags & 0x00200000:
                    kthreads += 1
                    if int(d) in rows:
                        fail("kernel thread %s is listed" % d)
        if (m["kernel_threads"] > 0) == (kthreads > 0):
            ok("kernel threads: %d counted, %d seen after" % (m["kernel_threads"], kthreads))
        else:
            fail("kernel threads counted %d, seen %d" % (m["kernel_threads"], kthreads))

        if root:
            # effective users, by name
            for p, what in ((as_nobody, "setpriv --reuid"), (euid_nobody, "setpriv --euid")):
                row = rows.get(p.pid)
                if row and row["uid"] == NOBODY and row["user"] == "nobody":
                    ok("%s: user nobody (uid %d)" % (what, NOBODY))
                else:
                    fail("%s: want user nobody uid %d, got %s" % (what, NOBODY, row))
            doc, _ = all_json(vmmap, "--user", "nobody")
            pids = {p["pid"] for p in doc["processes"]}
            if {as_nobody.pid, euid_nobody.pid} <= pids and \
               all(p["uid"] == NOBODY for p in doc["processes"]):
                ok("--user nobody: %d rows, all nobody's" % len(pids))
            else:
                fail("--user nobody: %s" % [(p["pid"], p["user"]) for p in doc["processes"]])

            # as nobody: root's processes are rows with unknown numbers
            doc, _ = all_json(vmmap, prefix=setpriv)
            rows = {p["pid"]: p for p in doc["processes"]}
            mine = rows.get(os.getpid())
            if mine and mine["totals"] is None and mine["summary"] is None and \
               "permission denied" in (mine["reason"] or ""):
                ok("as nobody, root's test process is unreadable: %s" % mine["reason"])
            else:
                fail("as nobody, root's test process: %s" % mine)
            if doc["machine"]["processes_unreadable"] >= 1 and \
               rows.get(as_nobody.pid, {}).get("totals"):
                ok("as nobody: %d unreadable, nobody's own process read"
                   % doc["machine"]["processes_unreadable"])
            else:
                fail("as nobody: unreadable %d, own row %s"
                     % (doc["machine"]["processes_unreadable"], rows.get(as_nobody.pid)))
            r = subprocess.run(setpriv + [vmmap, "--all"], capture_output=True, text=True)
            if r.returncode == 0 and "unreadable" in r.stdout:
                ok("as nobody, the table's summary line counts the unreadable")
            else:
                fail("as nobody, vmmap --all exited %d:\n%s" % (r.returncode, r.stdout[-400:]))
        else:
            print("note: not root: the other users' cases are not run")
    finally:
        for p in procs:
            p.kill()
            p.wait()
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
