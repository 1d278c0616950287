#!/usr/bin/env python3
"""race.py: run vmmap on processes that exit or are killed while it reads.

Usage: race.py VMMAP [ITERATIONS] [SECONDS] [ZOO]

Each iteration starts a short-lived `sleep`, starts vmmap on it at once and
ends the target at a random moment during vmmap's run, one of four ways:
it exits by itself and is reaped at once or only after vmmap is done (so
vmmap may meet a zombie), or it is killed with SIGKILL and reaped at once or
later. With ZOO (tests/live/zoo), every fifth target is a copy of the zoo
instead: four threads, mappings being created while vmmap reads, killed at
a random moment. vmmap must never crash or hang; it exits 0 (it got a
snapshot), 1 or 32, and when it fails stderr says why ("not found",
"exited", "exiting", "zombie") and stdout holds nothing (no half document).

Before the loop, one deterministic case: a process caught in exit() after
its address space is gone but before it is a zombie (/proc/PID/stat still
says R, smaps is empty). Its exit is made slow on purpose: the last
reference to a big memfd goes away after the mm, so the kernel frees the
memfd's pages in that window.

Stops early after SECONDS (default 15) so the test stays short.
Standard library only.
"""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

REASON = re.compile(r"not found|exited|exiting|zombie")
CRASH = re.compile(r"Segmentation fault|Aborted|core dumped|AddressSanitizer|runtime error")


def remove_sysv_of(pid):
    """Remove the SysV segments a killed zoo created but had not yet marked
    for removal (it does so right after shmat, a window a SIGKILL can hit)."""
    try:
        with open("/proc/sysvipc/shm") as f:
            rows = [line.split() for line in f][1:]
    except OSError:
        return
    libc = None
    for row in rows:
        if len(row) > 4 and row[4] == str(pid):
            if libc is None:
                import ctypes
                libc = ctypes.CDLL(None, use_errno=True)
            libc.shmctl(int(row[1]), 0, None)   # IPC_RMID


def mem_available():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def stat_fields(pid):
    """Fields of /proc/PID/stat after the comm: [state, ppid, ...]."""
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()


def check_exiting(vmmap):
    """vmmap on a process between exit_mm() and exit_notify(): alive by
    /proc/PID/stat (state R, PF_EXITING set), but with no address space.
    Returns a list of failures; prints a note when it cannot set this up."""
    size = 256 << 20
    if not hasattr(os, "memfd_create") or mem_available() < 4 * size:
        print("note: skipped the exiting-process case (no memfd_create or little memory)")
        return []
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.memfd_create("vmmap-race-big")
            os.ftruncate(fd, size)
            os.posix_fallocate(fd, 0, size)
            os.write(w, b"x")
        finally:
            os._exit(0)
    os.close(w)
    ready = os.read(r, 1)
    os.close(r)
    caught = False
    deadline = time.monotonic() + 5
    try:
        while ready and time.monotonic() < deadline:
            f = stat_fields(pid)
            if f[0] in "ZX":
                break
            if int(f[6]) & 0x4:  # PF_EXITING
                caught = True
                break
    except OSError:
        pass
    if not caught:
        os.waitpid(pid, 0)
        print("note: could not catch a process in exit; skipped that case")
        return []
    v = subprocess.run([vmmap, str(pid)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    state = "?"
    try:
        state = stat_fields(pid)[0]
    except OSError:
        pass
    os.waitpid(pid, 0)
    err = v.stderr.decode("utf-8", "replace")
    what = ("vmmap on a process in exit, address space gone (state %s "
            "after the run): exit %d, stderr %r" % (state, v.returncode, err.strip()))
    print(what)
    bad = []
    if v.returncode not in (1, 32):
        bad.append("%s: want exit status 1 or 32" % what)
    if not REASON.search(err):
        bad.append("%s: want stderr to say it exited (not found/exited/exiting/zombie)" % what)
    if v.stdout:
        bad.append("%s: want nothing on stdout" % what)
    return bad


def run_vmmap(vmmap, args):
    return subprocess.Popen([vmmap] + args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def calibrate(vmmap, sleep):
    """Median wall time of vmmap on a live sleep, in seconds."""
    target = subprocess.Popen([sleep, "30"])
    times = []
    try:
        for _ in range(5):
            t0 = time.monotonic()
            v = run_vmmap(vmmap, ["--json", str(target.pid)])
            v.communicate(timeout=30)
            times.append(time.monotonic() - t0)
    finally:
        target.kill()
        target.wait()
    times.sort()
    return times[len(times) // 2]


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    vmmap = sys.argv[1]
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    budget = float(sys.argv[3]) if len(sys.argv) > 3 else 15.0
    sleep = shutil.which("sleep")
    if not sleep:
        print("SKIP: no sleep(1)")
        return 77
    tmp = tempfile.TemporaryDirectory(prefix="vmmap-race.")
    zoo = None
    if len(sys.argv) > 4 and os.access(sys.argv[4], os.X_OK):
        # a copy: its pages must not be shared with the zoo of live.sh,
        # whose Pss would move when this one starts and exits
        zoo = os.path.join(tmp.name, "zoo")
        shutil.copy(sys.argv[4], zoo)

    failures = 0
    for msg in check_exiting(vmmap):
        print("FAIL: " + msg)
        failures += 1

    rng = random.Random(os.environ.get("RACE_SEED") or None)
    runtime = calibrate(vmmap, sleep)
    print("vmmap takes about %.1f ms on a sleep" % (runtime * 1000))
    window = max(runtime * 1.5, 0.002)

    outcomes = {}
    start = time.monotonic()
    done = 0
    for i in range(iterations):
        if time.monotonic() - start > budget:
            print("note: stopped after %d iterations (%.0f s budget)" % (done, budget))
            break
        mode = i % 4
        kill = mode >= 2
        reap_now = mode % 2 == 0
        delay = rng.uniform(0, window)
        if zoo and i % 5 == 4:
            kill = True
            delay = rng.uniform(0, 4 * window)
            target = subprocess.Popen([zoo, os.path.join(tmp.name, "truth"), tmp.name])
        elif kill:
            target = subprocess.Popen([sleep, "30"])
        else:
            target = subprocess.Popen([sleep, "%.6f" % delay])
        reaper = None
        if reap_now and not kill:
            reaper = threading.Thread(target=target.wait)
            reaper.start()
        # Popen returns once sleep has been exec'd: vmmap meets sleep, not
        # a copy of python on its way to exec.
        args = (["--json"] if i % 3 == 0 else []) + [str(target.pid)]
        v = run_vmmap(vmmap, args)
        if kill:
            time.sleep(delay)
            target.send_signal(signal.SIGKILL)
            if reap_now:
                target.wait()
        try:
            out, err = v.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            v.kill()
            out, err = v.communicate()
            print("FAIL: iteration %d: vmmap %s hung (killed after 20 s)" % (i, " ".join(args)))
            failures += 1
            continue
        finally:
            if reaper:
                reaper.join()
            target.kill() if target.poll() is None else None
            target.wait()
            if target.args[0] == zoo:
                remove_sysv_of(target.pid)
        done += 1
        err_text = err.decode("utf-8", "replace")
        rc = v.returncode
        what = "iteration %d (%s %s, %s): vmmap %s" % (
            i, os.path.basename(target.args[0]), "killed" if kill else "exits after %.1f ms" % (delay * 1000),
            "reaped at once" if reap_now else "reaped later", " ".join(args))
        key = "%s %d" % (os.path.basename(target.args[0]), rc)
        if rc != 0:
            m = REASON.search(err_text)
            key += " " + (m.group(0) if m else "?")
        outcomes[key] = outcomes.get(key, 0) + 1

        bad = []
        if rc < 0:
            bad.append("killed by signal %d" % -rc)
        elif rc >= 128:
            bad.append("exit status %d" % rc)
        elif rc not in (0, 1, 32):
            bad.append("exit status %d, want 0, 1 or 32" % rc)
        if CRASH.search(err_text):
            bad.append("crash message on stderr")
        if rc != 0 and not REASON.search(err_text):
            bad.append("exit %d but stderr does not say not found/exited/exiting/zombie" % rc)
        if rc != 0 and out:
            bad.append("exit %d but stdout is not empty (%d bytes)" % (rc, len(out)))
        if rc == 0:
            if not out:
                bad.append("exit 0 and empty stdout")
            elif "--json" in args:
                try:
                    doc = json.loads(out.decode("utf-8"))
                    if doc.get("pid") != target.pid:
                        bad.append("JSON pid %r, want %d" % (doc.get("pid"), target.pid))
                except ValueError as e:
                    bad.append("exit 0 but stdout is not valid JSON: %s" % e)
        if bad:
            failures += 1
            print("FAIL: %s: %s" % (what, "; ".join(bad)))
            print("  stderr: %r" % err_text[:500])

    print("%d runs in %.1f s; outcomes (exit status, reason): %s" % (
        done, time.monotonic() - start,
        ", ".join("%s: %d" % kv for kv in sorted(outcomes.items()))))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
