#!/usr/bin/env python3
"""hostile_captures.py: vmmap --sysroot over captures made to hurt it.

Usage: hostile_captures.py VMMAP FIXTURES SCHEMA

A capture is anyone's directory, and root may be the one replaying it. Each
case copies the sleep fixture, breaks one thing in it, runs vmmap under a
20 s timeout and checks that it:

  - finishes (a FIFO opened blocking would hang it),
  - stays small (a symlink to /dev/zero read to the end would not),
  - never reads a file outside the capture (a 32-bit ELF planted beside
    the capture would show as "32-bit" if the executable's lookup left it),
  - and says which file is wrong and why, with the documented exit status.

The cases are made at test time: git keeps neither FIFOs nor device nodes.
Every JSON document vmmap prints is validated against the schema when
python3-jsonschema is there. Prints one line per failure; exit 0 ok, 1
failure.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

VMMAP, FIXTURES, SCHEMA = sys.argv[1:4]
TIMEOUT = 20
MAX_RSS_KB = 200 * 1024		# ASan builds start near 30 MB; the bug took 1.4 GB

failures = []
tmp = tempfile.mkdtemp(prefix="vmmap-hostile.")

try:
    import jsonschema
    with open(SCHEMA) as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
except ImportError:
    validator = None


def fail(case, why):
    failures.append(f"FAIL {case}: {why}")


def fixture_pid(name):
    return next(e for e in os.listdir(os.path.join(FIXTURES, name, "proc"))
                if e.isdigit())


PID = fixture_pid("sleep")
# A 32-bit ELF outside every capture: the canary for lookups that escape.
CANARY = os.path.join(tmp, "outside", "elf32")
os.makedirs(os.path.dirname(CANARY))
i386 = os.path.join(FIXTURES, "i386")
with open(os.path.join(i386, "proc", fixture_pid("i386"), "exe")) as f:
    shutil.copy(os.path.join(i386, f.read().strip().lstrip("/")), CANARY)


captures = []


def capture(case):
    root = os.path.join(tmp, case)
    shutil.copytree(os.path.join(FIXTURES, "sleep"), root, symlinks=True)
    captures.append((case, root))
    return root, os.path.join(root, "proc", PID)


def replace(path, how, arg=None):
    """Put a FIFO, a symlink, a sparse file or a device where path was."""
    if os.path.lexists(path):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    if how == "fifo":
        os.mkfifo(path)
    elif how == "symlink":
        os.symlink(arg, path)
    elif how == "sparse":
        with open(path, "wb") as f:
            f.truncate(arg)
    elif how == "text":
        with open(path, "w") as f:
            f.write(arg)


def run(case, root, *args, pid=PID):
    """Run vmmap; returns (exit status, stdout, stderr) or None on timeout.
    Checks time and peak memory on the way."""
    out = open(os.path.join(tmp, case + ".out"), "w+")
    err = open(os.path.join(tmp, case + ".err"), "w+")
    p = subprocess.Popen([VMMAP, "--sysroot", root, *args] + ([pid] if pid else []),
                         stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                         env=dict(os.environ, LC_ALL="C", NO_COLOR="1"))
    start = time.monotonic()
    while True:
        wpid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if wpid:
            break
        if time.monotonic() - start > TIMEOUT:
            p.kill()
            os.wait4(p.pid, 0)
            fail(case, f"vmmap {' '.join(args)} still running after {TIMEOUT} s")
            return None
        time.sleep(0.02)
    p.returncode = os.waitstatus_to_exitcode(status)
    if usage.ru_maxrss > MAX_RSS_KB:
        fail(case, f"vmmap {' '.join(args)} grew to {usage.ru_maxrss // 1024} MB")
    if p.returncode < 0:
        fail(case, f"vmmap {' '.join(args)} killed by signal {-p.returncode}")
    out.seek(0)
    err.seek(0)
    res = (p.returncode, out.read(), err.read())
    if "--json" in args and "--kernel" not in args:	# the schema is the process document's
        check_json(case, res)
    return res


def check_json(case, res):
    code, out, _ = res
    if code not in (0, 64) or not out:
        if out:
            fail(case, f"exit {code} with a document on stdout")
        return
    try:
        doc = json.loads(out)
    except ValueError as e:
        fail(case, f"stdout is not JSON: {e}")
        return
    if validator:
        for e in validator.iter_errors(doc):
            fail(case, f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}")


def expect(case, res, code, *texts, absent=()):
    if res is None:
        return
    got, out, err = res
    if got != code:
        fail(case, f"exit {got}, expected {code}; stderr: {err.strip()[:300]}")
    for t in texts:
        if t not in err:
            fail(case, f"stderr lacks {t!r}: {err.strip()[:300]}")
    for t in absent:
        if t in out or t in err:
            fail(case, f"output holds {t!r}")


# The executable is looked up inside the sysroot, whatever exe says.
root, proc = capture("exe-dotdot")
replace(os.path.join(proc, "exe"), "text",
        "/" + "../" * 12 + CANARY.lstrip("/") + "\n")
expect("exe-dotdot", run("exe-dotdot", root), 0,
       "cannot open the executable", absent=("32-bit",))
expect("exe-dotdot-json", run("exe-dotdot-json", root, "--json"), 0)

root, proc = capture("exe-symlink")
replace(os.path.join(root, "usr/bin/sleep"), "symlink", CANARY)
expect("exe-symlink", run("exe-symlink", root), 0,
       "cannot open the executable /usr/bin/sleep: no such file",
       absent=("32-bit",))

root, proc = capture("exe-relative")
replace(os.path.join(proc, "exe"), "text", "../../outside/elf32\n")
expect("exe-relative", run("exe-relative", root), 0,
       f"{proc}/exe: malformed", absent=("32-bit",))

root, proc = capture("exe-devzero")
replace(os.path.join(root, "usr/bin/sleep"), "symlink", "/dev/zero")
expect("exe-devzero", run("exe-devzero", root), 0, "cannot open the executable")

root, proc = capture("exe-fifo-in-root")
replace(os.path.join(root, "usr/bin/sleep"), "fifo")
expect("exe-fifo-in-root", run("exe-fifo-in-root", root), 0,
       "cannot open the executable /usr/bin/sleep: not a regular file")

# A FIFO in place of each file vmmap reads: never opened for reading.
tid = PID
for name, code, text in [
        ("smaps", 1, "smaps: not a regular file"),
        ("stat", 1, "stat: not a regular file"),
        ("status", 0, "status: not a regular file"),
        ("cmdline", 0, "cmdline: not a regular file"),
        ("exe", 0, "exe: not a regular file"),
        ("limits", 0, None),
        ("comm", 0, None),
        (f"task/{tid}/syscall", 0, None),
        (f"task/{tid}/comm", 0, None),
        ("../cpuinfo", 0, None)]:
    case = "fifo-" + name.replace("/", "-").replace(".", "")
    root, proc = capture(case)
    replace(os.path.normpath(os.path.join(proc, name)), "fifo")
    res = run(case, root)
    expect(case, res, code, *([f"{proc}/{name}: not a regular file"] if text else []))
    run(case + "-json", root, "--json")

# Symlinks out of the capture, absolute and relative, to a device.
for case, target in [("smaps-devzero", "/dev/zero"),
                     ("smaps-dotdot", "../" * 12 + "dev/zero")]:
    root, proc = capture(case)
    replace(os.path.join(proc, "smaps"), "symlink", target)
    expect(case, run(case, root), 1,
           f"cannot read {proc}/smaps: it leads outside the capture")

root, proc = capture("status-devzero")
replace(os.path.join(proc, "status"), "symlink", "/dev/zero")
expect("status-devzero", run("status-devzero", root), 0,
       "status: it leads outside the capture")

# A device node, as a tar extracted by root can hold.
root, proc = capture("status-device")
try:
    replace(os.path.join(proc, "status"), "text", "")
    os.unlink(os.path.join(proc, "status"))
    os.mknod(os.path.join(proc, "status"), 0o600 | 0o020000, os.makedev(1, 5))
except PermissionError:
    print("skip status-device: mknod needs CAP_MKNOD")
else:
    expect("status-device", run("status-device", root), 0,
           "status: not a regular file")

# Huge files: refused before reading, or stopped at a bound.
root, proc = capture("smaps-10g")
replace(os.path.join(proc, "smaps"), "sparse", 10 << 30)
expect("smaps-10g", run("smaps-10g", root), 1, "smaps: file too large")

root, proc = capture("smaps-endless-line")
replace(os.path.join(proc, "smaps"), "sparse", 200 << 20)
expect("smaps-endless-line", run("smaps-endless-line", root), 1,
       "smaps: malformed line 1")

root, proc = capture("cmdline-100m")
replace(os.path.join(proc, "cmdline"), "sparse", 100 << 20)
expect("cmdline-100m", run("cmdline-100m", root), 0, "cmdline: file too large")

# The process directory and the proc root may not lead out either.
root, proc = capture("pid-symlink")
replace(proc, "symlink", "/proc/self")
expect("pid-symlink", run("pid-symlink", root), 1,
       f"cannot open {proc}: it leads outside the capture")

root, proc = capture("proc-symlink")
replace(os.path.join(root, "proc"), "symlink", "/proc")
expect("proc-symlink", run("proc-symlink", root, pid=str(os.getpid())), 1,
       "it leads outside the capture")

# A capture cannot exit: a missing file is named as missing.
for name, text in [("smaps", "smaps: no such file or directory"),
                   ("stat", "stat: no such file or directory")]:
    case = "missing-" + name
    root, proc = capture(case)
    os.unlink(os.path.join(proc, name))
    expect(case, run(case, root), 1, f"cannot read {proc}/{text}",
           absent=("exited", "not found"))

root, proc = capture("empty-stat")
replace(os.path.join(proc, "stat"), "text", "")
expect("empty-stat", run("empty-stat", root), 1, "stat: the file is empty")

root, proc = capture("missing-pid")
expect("missing-pid", run("missing-pid", root, pid="99999"), 32,
       f"process 99999 not found in {root}/proc")

# Only canonical decimal TIDs that are directories are threads.
root, proc = capture("task-entries")
task = os.path.join(proc, "task")
for d in ("-1", "00020098", "+7", "0", "99999999999"):
    os.mkdir(os.path.join(task, d))
replace(os.path.join(task, "12345"), "text", "not a thread\n")
replace(os.path.join(task, "777"), "symlink", "/etc")
res = run("task-entries", root, "--json")
if res and res[0] == 0:
    tids = [t["tid"] for t in json.loads(res[1])["threads"]]
    if tids != [int(PID)]:
        fail("task-entries", f"threads {tids}, expected [{PID}]")
else:
    expect("task-entries", res, 0)

# The machine's files are a capture too: a zone's page count of 2^64 - 1
# is printed as the unsigned number it is, never as -1.
root = os.path.join(tmp, "zoneinfo-huge")
shutil.copytree(os.path.join(FIXTURES, "machine", "root"), root)
with open(os.path.join(root, "proc", "zoneinfo")) as f:
    text = f.read()
with open(os.path.join(root, "proc", "zoneinfo"), "w") as f:
    f.write(text.replace("spanned  4095", "spanned  18446744073709551615", 1))
res = run("zoneinfo-huge", root, "--kernel", "--json", pid="")
if res and res[0] == 0:
    spanned = [z["spanned"] for z in json.loads(res[1])["zones"]]
    if 18446744073709551615 not in spanned or min(spanned) < 0:
        fail("zoneinfo-huge", f"zones spanned {spanned}")
else:
    expect("zoneinfo-huge", res, 0)

# The machine view reads every capture above too, on its reader threads:
# no hang, no crash, bounded memory, and a table whatever the process's
# files turned out to be (a row, a row with the reason, or none when its
# stat cannot be read), or one clear error when /proc itself is hostile.
for case, root in captures:
    res = run(case + "+all", root, "--all", pid="")
    if not res:
        continue
    if res[0] == 0 and "Processes: " in res[1]:
        continue
    if res[0] == 1 and res[2].startswith("vmmap: ") and not res[1]:
        continue	# a capture that cannot be listed at all: a clear error
    fail(case + "+all", f"vmmap --all exited {res[0]}: {res[2].strip()[:200]}")
print(f"vmmap --all read {len(captures)} hostile captures")

shutil.rmtree(tmp)
for f in failures:
    print(f)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
