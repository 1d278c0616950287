#!/usr/bin/env python3
"""hostile.py: vmmap against mapped files whose path lies.

Usage: hostile.py VMMAP ORIGINAL_ELF        (run by hostile.sh)
       hostile.py mapper READY PATH [--unshare] [--bind-before SRC DST]
                                    [--bind-after SRC DST]   (internal)

A mapper process maps a copy of an ELF file (A) private and executable, so
vmmap takes it for an image, and then the path its maps line shows is made
to name something else:

  deleted-elf      A unlinked, another ELF (B) created at the same path
  deleted-fifo     A unlinked, a FIFO with no writer at the path
  deleted-devzero  A unlinked, a symlink to /dev/zero at the path
  deleted-symlink  A unlinked, a symlink to B at the path
  ns-fifo          in the mapper's own mount namespace, a FIFO bind-mounted
                   over the path after the mapping (outside it is still A)
  ns-devzero       the same with /dev/zero
  ns-elf           the same with B
  ns-outside       the mapper maps A through a bind mount in its own
                   namespace; outside, the path is a FIFO

The ns-* cases need root (unshare(CLONE_NEWNS) and mount(MS_BIND)); they
are skipped with a message otherwise.

One more case lies in the file's headers instead of its path:

  sparse-shstrtab  a copy of A whose section-header string table claims
                   2 GiB, in a sparse file that holds them (a hole: it costs
                   the mapper nothing). vmmap must not read them: it
                   finishes in seconds with a peak RSS under 100 MB, keeps
                   A's segments and build-id, drops the sections, and warns
                   what it skipped and why.

For each case vmmap --json runs under a 10 s timeout (a plain open() of a
FIFO with no writer would block: the timeout proves it never happens) and
must exit 0. Then either the image was read from the mapped file itself
(/proc/PID/map_files, which needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE):
why_unread null, build_id and segments those of A, sections a non-empty
subset of A's; or it was looked up by path inside the target's root and the
path named something else: why_unread says so, and nothing of the wrong
file shows (build_id, segments and the region's sections null). ns-outside
through the path must find A (the path is resolved in the target's mount
namespace, not in vmmap's). When vmmap has CAP_SYS_ADMIN, each case runs a
second time with it (and CAP_CHECKPOINT_RESTORE) dropped, to test the path
lookup as well.

Prints one line per failed assertion; exit 0 ok, 1 failure, 77 skip.
"""

import ctypes
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

CAP_SYS_ADMIN = 21
CAP_CHECKPOINT_RESTORE = 40
CLONE_NEWNS = 0x00020000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
MS_BIND = 4096
PR_CAPBSET_DROP = 24
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4

NOT_REGULAR = "not a regular file"
OTHER_FILE = "the path names another file now"

failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL: " + what)
    return cond


def libc():
    return ctypes.CDLL(None, use_errno=True)


# --- the mapper (runs as its own process) --------------------------------

def bind(c, src, dst):
    if c.mount(src.encode(), dst.encode(), None, MS_BIND, None) != 0:
        e = ctypes.get_errno()
        raise OSError(e, "mount --bind %s %s: %s" % (src, dst, os.strerror(e)))


def mapper(argv):
    import mmap
    ready, path = argv[0], argv[1]
    rest = argv[2:]
    c = libc()
    keep = []

    def say(text):
        with open(ready + ".tmp", "w") as f:
            f.write(text)
        os.rename(ready + ".tmp", ready)

    try:
        if "--unshare" in rest:
            if c.unshare(CLONE_NEWNS) != 0:
                e = ctypes.get_errno()
                say("nons unshare(CLONE_NEWNS): %s" % os.strerror(e))
                return 0
            if c.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
                e = ctypes.get_errno()
                say("nons mount(/, MS_REC|MS_PRIVATE): %s" % os.strerror(e))
                return 0
        if "--bind-before" in rest:
            i = rest.index("--bind-before")
            bind(c, rest[i + 1], rest[i + 2])
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            keep.append(mmap.mmap(fd, 0, flags=mmap.MAP_PRIVATE,
                                  prot=mmap.PROT_READ | mmap.PROT_EXEC))
        finally:
            os.close(fd)
        if "--bind-after" in rest:
            i = rest.index("--bind-after")
            bind(c, rest[i + 1], rest[i + 2])
    except OSError as e:
        say("error %s" % e)
        return 0
    say("ok %d" % os.getpid())
    while True:
        signal.pause()


# --- ELF facts, read here as the truth -----------------------------------

def read_elf(path):
    """build-id, program headers and SHF_ALLOC section names of an ELF."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        return None
    cls, end = data[4], "<" if data[5] == 1 else ">"
    if cls == 2:
        phoff, shoff = struct.unpack_from(end + "QQ", data, 32)
        phentsize, phnum, shentsize, shnum, shstrndx = \
            struct.unpack_from(end + "HHHHH", data, 54)
    else:
        phoff, shoff = struct.unpack_from(end + "II", data, 28)
        phentsize, phnum, shentsize, shnum, shstrndx = \
            struct.unpack_from(end + "HHHHH", data, 42)
    phdrs, build_id = [], None
    for i in range(phnum):
        o = phoff + i * phentsize
        if cls == 2:
            p_type, p_flags, p_offset, p_vaddr, _, p_filesz, p_memsz, _ = \
                struct.unpack_from(end + "IIQQQQQQ", data, o)
        else:
            p_type, p_offset, p_vaddr, _, p_filesz, p_memsz, p_flags, _ = \
                struct.unpack_from(end + "IIIIIIII", data, o)
        phdrs.append((p_type, p_flags, p_vaddr, p_memsz))
        if p_type == 4:		# PT_NOTE
            n = p_offset
            while n + 12 <= p_offset + p_filesz:
                namesz, descsz, ntype = struct.unpack_from(end + "III", data, n)
                name = data[n + 12:n + 12 + namesz]
                d0 = n + 12 + ((namesz + 3) & ~3)
                if ntype == 3 and name == b"GNU\0":
                    build_id = data[d0:d0 + descsz].hex()
                n = d0 + ((descsz + 3) & ~3)
    sections = set()
    if shoff and shnum:
        def shdr(i):
            o = shoff + i * shentsize
            if cls == 2:
                return struct.unpack_from(end + "IIQQQQ", data, o)
            return struct.unpack_from(end + "IIIIII", data, o)
        str_off = shdr(shstrndx)[4]
        for i in range(shnum):
            sh_name, _, sh_flags = shdr(i)[:3]
            if sh_flags & 2:	# SHF_ALLOC
                e = data.index(b"\0", str_off + sh_name)
                sections.add(data[str_off + sh_name:e].decode())
    return {"build_id": build_id, "phdrs": phdrs, "sections": sections}


def seg_tuple(s):
    fl = s.get("flags") or "---"
    f = (4 if fl[0] == "r" else 0) | (2 if fl[1] == "w" else 0) | \
        (1 if fl[2] == "x" else 0)
    return (s.get("vaddr"), f, s.get("memsz"))


def phdr_tuples(phdrs):
    return [("0x%x" % v, f, m) for (_t, f, v, m) in phdrs]


# --- capabilities ----------------------------------------------------------

def cap_eff():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    return 0


def drop_caps():
    """preexec_fn: lose CAP_SYS_ADMIN and CAP_CHECKPOINT_RESTORE for good."""
    c = libc()
    for cap in (CAP_SYS_ADMIN, CAP_CHECKPOINT_RESTORE):
        c.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)	# EINVAL: kernel lacks it
    c.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)


def can_drop_caps(py):
    """True when drop_caps() really removes both from a child after exec."""
    try:
        out = subprocess.run(
            [py, "-c", "print([int(l.split()[1], 16) for l in open('/proc/self/status') "
             "if l.startswith('CapEff:')][0])"],
            preexec_fn=drop_caps, capture_output=True, text=True, timeout=10)
        eff = int(out.stdout.strip())
    except (OSError, ValueError, subprocess.SubprocessError):
        return False
    return not eff & ((1 << CAP_SYS_ADMIN) | (1 << CAP_CHECKPOINT_RESTORE))


# --- the cases -------------------------------------------------------------

class Case:
    def __init__(self, name, outside_is_a=False):
        self.name = name
        self.outside_is_a = outside_is_a	# through the path, A is found
        self.proc = None
        self.pid = None
        self.path = None		# the path the maps line shows
        self.inode = None		# A's inode, as mapped


def start_mapper(case, tmp, path, args):
    ready = os.path.join(tmp, case.name + ".ready")
    case.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__),
                                  "mapper", ready, path] + args,
                                 stdin=subprocess.DEVNULL)
    deadline = time.time() + 10
    while not os.path.exists(ready):
        if case.proc.poll() is not None or time.time() > deadline:
            return "the mapper exited (%s) before saying it was ready" % case.proc.returncode
        time.sleep(0.01)
    with open(ready) as f:
        text = f.read()
    if text.startswith("ok "):
        case.pid = int(text.split()[1])
        return None
    return text


def stop(case):
    if case.proc and case.proc.poll() is None:
        case.proc.kill()
        case.proc.wait()


def run_vmmap(vmmap, pid, dropped):
    t0 = time.time()
    try:
        p = subprocess.run([vmmap, "--json", str(pid)], capture_output=True,
                           text=True, timeout=10,
                           preexec_fn=drop_caps if dropped else None)
    except subprocess.TimeoutExpired:
        return None, None, "vmmap --json %d did not finish in 10 s (it must not open a FIFO)" % pid
    return p, time.time() - t0, None


def judge(case, vmmap, elf_a, elf_b, privileged, dropped):
    how = "%s%s" % (case.name, " (CAP_SYS_ADMIN dropped)" if dropped else "")
    p, took, err = run_vmmap(vmmap, case.pid, dropped)
    if not check(err is None, "%s: %s" % (how, err)):
        return
    if not check(p.returncode == 0, "%s: vmmap --json exited %d, want 0; stderr: %s" %
                 (how, p.returncode, p.stderr.strip())):
        return
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        check(False, "%s: vmmap --json printed no JSON: %s" % (how, e))
        return
    regs = [r for r in doc.get("regions") or []
            if r.get("inode") == case.inode and r.get("perms") == "r-xp"]
    if not check(len(regs) == 1, "%s: %d r-xp regions with inode %d, want 1" %
                 (how, len(regs), case.inode)):
        return
    r = regs[0]
    deleted = case.name.startswith("deleted")
    check(r.get("path") == case.path, "%s: region path %r, want %r" %
          (how, r.get("path"), case.path))
    check(r.get("deleted") is deleted, "%s: region deleted %r, want %r" %
          (how, r.get("deleted"), deleted))
    check(r.get("kind") == "code", "%s: region kind %r, want code" % (how, r.get("kind")))
    check(r.get("image") == case.path, "%s: region image %r, want %r" %
          (how, r.get("image"), case.path))
    ims = [im for im in doc.get("images") or [] if im.get("path") == case.path]
    if not check(len(ims) == 1, "%s: %d images with path %s, want 1" %
                 (how, len(ims), case.path)):
        return
    im = ims[0]
    check(im.get("deleted") is deleted, "%s: image deleted %r, want %r" %
          (how, im.get("deleted"), deleted))
    via_map_files = privileged and not dropped
    if via_map_files or case.outside_is_a:
        # read from A itself: through map_files, or (ns-outside) through the
        # path resolved in the target's own mount namespace
        check(im.get("why_unread") is None,
              "%s: image why_unread %r, want null (the mapped file is readable%s)" %
              (how, im.get("why_unread"),
               " through /proc/PID/map_files" if via_map_files else
               " through the path inside the target's root"))
        if elf_a["build_id"]:
            check(im.get("build_id") == elf_a["build_id"],
                  "%s: image build_id %r, want %s (the mapped file's)%s" %
                  (how, im.get("build_id"), elf_a["build_id"],
                   "; that is the OTHER file's" if elf_b and
                   im.get("build_id") == elf_b["build_id"] else ""))
        segs = [seg_tuple(s) for s in im.get("segments") or []]
        check(segs == phdr_tuples(elf_a["phdrs"]),
              "%s: image segments %r, want the mapped file's %r" %
              (how, segs, phdr_tuples(elf_a["phdrs"])))
        secs = r.get("sections")
        check(isinstance(secs, list) and secs and set(secs) <= elf_a["sections"] and
              ".text" in secs,
              "%s: region sections %r, want a non-empty list with .text, all of "
              "them sections of the mapped file" % (how, secs))
    else:
        want = OTHER_FILE if case.name.endswith(("-elf", "-symlink")) else NOT_REGULAR
        check(im.get("why_unread") == want, "%s: image why_unread %r, want %r" %
              (how, im.get("why_unread"), want))
        for key in ("build_id", "type", "elf_class", "segments", "has_section_headers"):
            check(im.get(key) is None, "%s: image %s %r, want null (the file at the "
                  "path is not the mapped one)" % (how, key, im.get(key)))
        check(r.get("sections") is None, "%s: region sections %r, want null" %
              (how, r.get("sections")))
        check(any(case.path in w for w in doc.get("warnings") or []),
              "%s: no warning names %s: %r" % (how, case.path, doc.get("warnings")))
    print("%s: vmmap took %.2f s, image %s" %
          (how, took, "read" if im.get("why_unread") is None else
           "unread: " + im.get("why_unread")))


# --- headers that lie ------------------------------------------------------

SPARSE_CLAIM = 2 << 30		# what the section-header string table claims
MAX_PEAK_RSS_KB = 100 * 1024


def make_sparse_shstrtab(orig, path):
    """Copy orig to path with its section-header string table moved past
    the end and claiming SPARSE_CLAIM bytes, the file grown over them with
    a hole. Returns None, or why it cannot be done."""
    shutil.copyfile(orig, path)
    with open(path, "r+b") as f:
        head = f.read(64)
        cls, end = head[4], "<" if head[5] == 1 else ">"
        if cls == 2:
            shoff, = struct.unpack_from(end + "Q", head, 40)
            shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", head, 58)
            at, fmt = 24, end + "QQ"		# sh_offset, sh_size
        else:
            shoff, = struct.unpack_from(end + "I", head, 32)
            shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", head, 46)
            at, fmt = 16, end + "II"
        if not shoff or not shnum or not shstrndx or shstrndx >= shnum:
            return "%s has no section-header string table" % orig
        size = os.fstat(f.fileno()).st_size
        off = (size + 4095) & ~4095
        f.seek(shoff + shstrndx * shentsize + at)
        f.write(struct.pack(fmt, off, SPARSE_CLAIM))
        f.truncate(off + SPARSE_CLAIM)
        st = os.fstat(f.fileno())
    if st.st_blocks * 512 > size + (1 << 20):
        return "the file system holds no sparse files"
    return None


def run_measured(argv, timeout):
    """Run argv; returns (exit status, stdout, stderr, peak RSS in KiB,
    seconds), or None on a timeout. The peak is this child's alone
    (wait4), not the largest of all children so far."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.time()
        p = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.time() - t0 > timeout:
                p.kill()
                os.wait4(p.pid, 0)
                p.returncode = -9	# reaped here: keep Popen from waiting
                return None
            time.sleep(0.02)
        took = time.time() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (p.returncode, out.read().decode(errors="replace"),
                err.read().decode(errors="replace"), ru.ru_maxrss, took)


def judge_sparse(case, vmmap, elf_a):
    how = case.name
    # time enough for a vmmap that reads the 2 GiB to finish and be judged
    r = run_measured([vmmap, "--json", str(case.pid)], 60)
    if not check(r is not None, "%s: vmmap --json %d did not finish in 60 s (it read "
                 "what the string table claims)" % (how, case.pid)):
        return
    rc, out, err, peak_kb, took = r
    check(took < 5, "%s: vmmap took %.1f s, want under 5 s" % (how, took))
    if not check(rc == 0, "%s: vmmap --json exited %d, want 0; stderr: %s" %
                 (how, rc, err.strip())):
        return
    check(peak_kb < MAX_PEAK_RSS_KB, "%s: vmmap's peak RSS was %d MB, want under %d MB "
          "(the string table claims %d MB)" % (how, peak_kb // 1024,
                                              MAX_PEAK_RSS_KB // 1024, SPARSE_CLAIM >> 20))
    try:
        doc = json.loads(out)
    except ValueError as e:
        check(False, "%s: vmmap --json printed no JSON: %s" % (how, e))
        return
    ims = [im for im in doc.get("images") or [] if im.get("path") == case.path]
    if not check(len(ims) == 1, "%s: %d images with path %s, want 1" %
                 (how, len(ims), case.path)):
        return
    im = ims[0]
    check(im.get("why_unread") is None, "%s: image why_unread %r, want null (its "
          "program headers are sound)" % (how, im.get("why_unread")))
    segs = [seg_tuple(s) for s in im.get("segments") or []]
    check(segs == phdr_tuples(elf_a["phdrs"]), "%s: image segments %r, want the "
          "file's %r" % (how, segs, phdr_tuples(elf_a["phdrs"])))
    if elf_a["build_id"]:
        check(im.get("build_id") == elf_a["build_id"], "%s: image build_id %r, want %s" %
              (how, im.get("build_id"), elf_a["build_id"]))
    check(im.get("has_section_headers") is False, "%s: image has_section_headers %r, "
          "want false (the section names were not read)" %
          (how, im.get("has_section_headers")))
    want = ("cannot read the section names of %s: the string table claims 2.0G "
            "(limit 16M): its sections are unknown" % case.path)
    check(want in (doc.get("warnings") or []), "%s: no warning %r in %r" %
          (how, want, doc.get("warnings")))
    print("%s: vmmap took %.2f s, peak RSS %d MB" % (how, took, peak_kb // 1024))


def pick_other_elf(a):
    for cand in ("/bin/true", "/bin/sh", "/bin/ls", sys.executable):
        path = os.path.realpath(cand)
        try:
            b = read_elf(path)
        except OSError:
            continue
        if b and b["phdrs"] != a["phdrs"] and b["build_id"] != a["build_id"]:
            return path, b
    return None, None


def main(argv):
    if len(argv) >= 1 and argv[0] == "mapper":
        return mapper(argv[1:])
    if len(argv) != 2:
        print(__doc__)
        return 2
    vmmap, orig = argv
    elf_a = read_elf(orig)
    if elf_a is None:
        print("SKIP: %s is not an ELF file" % orig)
        return 77
    other, elf_b = pick_other_elf(elf_a)
    privileged = bool(cap_eff() & ((1 << CAP_SYS_ADMIN) | (1 << CAP_CHECKPOINT_RESTORE)))
    also_dropped = privileged and can_drop_caps(sys.executable)
    print("vmmap %s CAP_SYS_ADMIN/CAP_CHECKPOINT_RESTORE: map_files %s" %
          ("has" if privileged else "lacks", "usable" if privileged else "unusable"))
    if privileged and not also_dropped:
        print("SKIP part: cannot drop CAP_SYS_ADMIN for a second run: the path lookup "
              "is tested only without privileges")
    tmp = tempfile.mkdtemp(prefix="vmmap-hostile.")
    tmp = os.path.realpath(tmp)
    cases = []
    ran = 0
    try:
        def prepare(name, outside_is_a=False):
            case = Case(name, outside_is_a)
            d = os.path.join(tmp, name)
            os.mkdir(d)
            case.path = os.path.join(d, "lib.so")
            cases.append(case)
            return case, d

        # deleted and replaced: needs nothing special
        for name in ("deleted-elf", "deleted-fifo", "deleted-devzero", "deleted-symlink"):
            if name in ("deleted-elf", "deleted-symlink") and not other:
                print("SKIP part: %s: no second ELF file found" % name)
                continue
            case, d = prepare(name)
            shutil.copyfile(orig, case.path)
            case.inode = os.stat(case.path).st_ino
            err = start_mapper(case, tmp, case.path, [])
            if err:
                print("SKIP part: %s: cannot map %s: %s" % (name, case.path, err))
                cases.remove(case)
                continue
            os.unlink(case.path)
            if name == "deleted-elf":
                shutil.copyfile(other, case.path)
            elif name == "deleted-fifo":
                os.mkfifo(case.path)
            elif name == "deleted-devzero":
                os.symlink("/dev/zero", case.path)
            else:
                os.symlink(other, case.path)

        # in the mapper's own mount namespace
        ns_ok = True
        for name in ("ns-fifo", "ns-devzero", "ns-elf", "ns-outside"):
            if not ns_ok:
                break
            if name == "ns-elf" and not other:
                print("SKIP part: %s: no second ELF file found" % name)
                continue
            case, d = prepare(name, outside_is_a=name == "ns-outside")
            if name == "ns-outside":
                real = os.path.join(d, "real.so")
                shutil.copyfile(orig, real)
                os.mkfifo(case.path)
                case.inode = os.stat(real).st_ino
                args = ["--unshare", "--bind-before", real, case.path]
            else:
                shutil.copyfile(orig, case.path)
                case.inode = os.stat(case.path).st_ino
                src = os.path.join(d, "over")
                if name == "ns-fifo":
                    os.mkfifo(src)
                elif name == "ns-devzero":
                    src = "/dev/zero"
                else:
                    shutil.copyfile(other, src)
                args = ["--unshare", "--bind-after", src, case.path]
            err = start_mapper(case, tmp, case.path, args)
            if err:
                print("SKIP part: ns-*: %s" % err)
                cases.remove(case)
                stop(case)
                ns_ok = False

        # the headers lie, not the path
        sparse, d = prepare("sparse-shstrtab")
        err = make_sparse_shstrtab(orig, sparse.path)
        if not err:
            sparse.inode = os.stat(sparse.path).st_ino
            err = start_mapper(sparse, tmp, sparse.path, [])
        if err:
            print("SKIP part: sparse-shstrtab: %s" % err)
            cases.remove(sparse)
            stop(sparse)
            sparse = None

        for case in cases:
            if case is sparse:
                judge_sparse(case, vmmap, elf_a)
                ran += 1
                continue
            judge(case, vmmap, elf_a, elf_b, privileged, False)
            if also_dropped:
                judge(case, vmmap, elf_a, elf_b, privileged, True)
            ran += 1
    finally:
        for case in cases:
            stop(case)
        shutil.rmtree(tmp, ignore_errors=True)
    if not ran:
        print("SKIP: no case could be set up")
        return 77
    print("hostile: %d cases, %d checks, %d failed" % (ran, checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
