#!/usr/bin/env python3
"""escapes.py: no name a process chose reaches the terminal raw.

Usage: escapes.py VMMAP ODDNAMES FIXTURES

A process names itself, a thread, a mapping and files with control
characters (tests/live/oddnames.c): ESC, BEL, a title-setting OSC, a
clear-screen CSI, CSI as one byte (0x9b) and as UTF-8 (U+009B), NEL, DEL,
CR, LF, TAB, BS and a byte that is not UTF-8. Every human view of it, in
the C and a UTF-8 locale, must hold no control a terminal would act on:

- live: the table, --summary, --by-image, --layout, --output-all, --raw
  (also with --output-all), --addr on the odd ELF image (its section and
  symbol have the odd name) and --color=always (whose own colour
  sequences are allowed), on standard output and standard error (the
  warning about the file that is not ELF quotes its path). Each must show
  the odd names escaped the one way every view escapes them (octal for
  control bytes, \\xhh for what the locale cannot print), not leave them
  out. In the C locale no byte above 127 may appear; in a UTF-8 locale the
  output must be UTF-8 without a C0 control (but the newline), DEL or a C1
  control. JSON (--json, --watch --json) must parse as UTF-8 and give the
  names back, the bytes that are not UTF-8 as U+FFFD.
- capture: a capture (--sysroot, tests/fixtures/sleep and machine/root)
  may hold what a kernel refuses a process, such as an anonymous
  mapping's name ([anon:...]) full of controls, and an /proc/iomem name
  for --kernel.

Standard library only.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ODD = (b"\x1b]0;PWN\x07\x1b[2J\x9b" b"1m\xc2\x9b" b"2J\xc2\x85\x7f\r\n\t\b\xff")
ODD_COMM = b"\x1b]0;PWN\x07\x1b[2J\x9b\x7f\n"
ODD_THREAD = b"\x1b]0;PWN\x07\r\t\b\xff\xc2\x9b"
# as every human view shows them
ESC_ODD = (r"\033]0;PWN\007\033[2J\x9b1m\xc2\x9b2J\xc2\x85"
           r"\177\015\012\011\010\xff")
ESC_COMM = r"\033]0;PWN\007\033[2J\x9b\177\012"
# what --raw makes of that: libsmartcols writes each backslash as \x5c
RAW_ODD = ESC_ODD.replace("\\", r"\x5c")
# vmmap's own colours with --color=always
SGR = re.compile(rb"\x1b\[[0-9;]*m")


def utf8_locale():
    try:
        out = subprocess.run(["locale", "-a"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL).stdout.decode("ascii", "replace")
    except OSError:
        return None
    for want in ("c.utf8", "c.utf-8", "en_us.utf8", "en_us.utf-8"):
        for loc in out.split():
            if loc.lower() == want:
                return loc
    return None


def controls(data, loc, color):
    """What in data a terminal could take as a control: a list of
    descriptions, empty when there is none."""
    if color:
        data = SGR.sub(b"", data)
    bad = []
    if loc == "C":
        for i, b in enumerate(data):
            if (b < 0x20 and b != 0x0a) or b >= 0x7f:
                bad.append("byte 0x%02x at %d: %r" % (b, i, data[max(0, i - 20):i + 20]))
        return bad
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["not UTF-8: %s: %r" % (e, data[max(0, e.start - 20):e.start + 20])]
    for i, c in enumerate(text):
        o = ord(c)
        if (o < 0x20 and c != "\n") or 0x7f <= o < 0xa0:
            bad.append("U+%04X at %d: %r" % (o, i, text[max(0, i - 20):i + 20]))
    return bad


def run(vmmap, args, loc):
    env = dict(os.environ, LC_ALL=loc)
    env.pop("NO_COLOR", None)
    r = subprocess.run([vmmap, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=60)
    return r.returncode, r.stdout, r.stderr


def check_views(vmmap, pid, views, locales, fails, what):
    """views: (name, args, [(stream, text that must be there)])."""
    for loc in locales:
        for name, args, wants in views:
            rc, out, err = run(vmmap, args + [pid], loc)
            label = "%s %s, LC_ALL=%s" % (what, name, loc)
            if rc:
                fails.append("%s: exit %d: %s" % (label, rc, err.decode("utf-8", "replace")))
                continue
            color = "--color=always" in args
            for stream, data in (("stdout", out), ("stderr", err)):
                bad = controls(data, loc, color)
                if bad:
                    fails.append("%s: raw control on %s: %s" % (label, stream, "; ".join(bad[:3])))
            for stream, want in wants:
                data = (out if stream == "stdout" else err).decode("utf-8", "replace")
                if want not in data:
                    fails.append("%s: %s lacks %r:\n%s" % (label, stream, want, data[:3000]))


def json_name(raw):
    """A name as JSON gives it back: bytes that are not UTF-8 as U+FFFD."""
    return raw.decode("utf-8", "replace")


def check_json(vmmap, pid, ready, fails):
    rc, out, err = run(vmmap, ["--json", pid], "C")
    try:
        doc = json.loads(out.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        fails.append("json: exit %d, not UTF-8 JSON: %s" % (rc, e))
        return
    if doc["comm"] != json_name(ODD_COMM):
        fails.append("json: comm %r, expected %r" % (doc["comm"], json_name(ODD_COMM)))
    if json_name(ODD_THREAD) not in [t["comm"] for t in doc["threads"]]:
        fails.append("json: no thread named %r in %r" % (json_name(ODD_THREAD), doc["threads"]))
    paths = [r["path"] or "" for r in doc["regions"]]
    for name in ("elf", "junk"):
        if not any(p.endswith("/" + name + json_name(ODD) + (".so" if name == "elf" else ""))
                   for p in paths):
            fails.append("json: no region of the %s file: %r" % (name, paths))
    sections = [s for r in doc["regions"] for s in r["sections"] or []]
    if json_name(ODD) not in sections:
        fails.append("json: no section named %r" % json_name(ODD))
    if ready["exe"] == "odd" and not (doc["exe"] or "").endswith("/exe" + json_name(ODD)):
        fails.append("json: exe %r" % doc["exe"])
    if not any("cannot read the ELF headers of" in w and json_name(ODD) in w
               for w in doc["warnings"]):
        fails.append("json: no warning naming the file that is not ELF: %r" % doc["warnings"])
    # one document a line: each must be UTF-8 JSON too
    rc, out, err = run(vmmap, ["--watch", "--json", "--iterations", "1", pid], "C")
    try:
        # split at newlines only: U+0085 in a string is a line end to
        # splitlines()
        lines = [json.loads(x) for x in out.decode("utf-8").split("\n") if x]
        if not lines or lines[0].get("comm") != json_name(ODD_COMM):
            fails.append("watch --json: exit %d, comm %r" % (rc, lines[0].get("comm") if lines else None))
    except (UnicodeDecodeError, ValueError) as e:
        fails.append("watch --json: exit %d, not UTF-8 JSON lines: %s" % (rc, e))


def check_live(vmmap, prog, locales, fails):
    tmp = tempfile.mkdtemp(prefix="vmmap-escapes.")
    ready_file = os.path.join(tmp, "ready")
    p = subprocess.Popen([prog, ready_file, tmp])
    try:
        for _ in range(1000):
            if os.path.exists(ready_file) or p.poll() is not None:
                break
            time.sleep(0.01)
        if not os.path.exists(ready_file):
            fails.append("oddnames did not start (exit %s)" % p.poll())
            return
        with open(ready_file) as f:
            ready = dict(line.strip().split("=", 1) for line in f if "=" in line)
        pid = str(p.pid)
        exe = "/exe" + ESC_ODD if ready["exe"] == "odd" else ""
        head = "%s (%s) " % (pid, ESC_COMM)
        warning = "cannot read the ELF headers of %s/junk%s: " % (tmp, ESC_ODD)
        common = [("stdout", head), ("stdout", "/elf%s.so" % ESC_ODD), ("stderr", warning)]
        if exe:
            common.append(("stdout", exe))
        if ready["anon"] == "control":
            common.append(("stdout", ESC_ODD))
        else:
            print("note: the kernel refused the odd anonymous mapping name (%s): "
                  "the capture checks it" % ready["anon"])
        views = [
            ("table", [], common),
            ("--summary", ["--summary"], [("stdout", head), ("stderr", warning)]),
            ("--by-image", ["--by-image"], common),
            ("--layout", ["--layout"], [("stdout", head + tmp + exe if exe else head),
                                        ("stderr", warning)]),
            ("--output-all", ["--output-all"], common + [("stdout", "SECTIONS")]),
            ("--raw", ["--raw"], [("stdout", "/elf%s.so" % RAW_ODD), ("stderr", warning)]),
            ("--output-all --raw", ["--output-all", "--raw"],
             [("stdout", "/elf%s.so" % RAW_ODD)]),
            ("--addr", ["--addr", ready["elf"]],
             [("stdout", "section      " + ESC_ODD), ("stdout", "symbol       " + ESC_ODD + "+0x80"),
              ("stdout", "/elf%s.so" % ESC_ODD), ("stderr", warning)]),
            ("--color=always", ["--color=always"], common),
            ("--by-image --color=always", ["--by-image", "--color=always"], common),
            ("--layout --color=always", ["--layout", "--color=always"], [("stdout", head)]),
        ]
        check_views(vmmap, pid, views, locales, fails, "live")
        check_json(vmmap, pid, ready, fails)
    finally:
        p.kill()
        p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def check_capture(vmmap, fixtures, locales, fails):
    """A capture may say what a live kernel refuses: an anonymous mapping
    named with controls, controls in /proc/iomem."""
    odd = ODD.replace(b"\n", b"")	# a line of maps cannot hold a newline
    tmp = tempfile.mkdtemp(prefix="vmmap-escapes.")
    try:
        root = os.path.join(tmp, "sleep")
        shutil.copytree(os.path.join(fixtures, "sleep"), root, symlinks=True)
        pid = "6522"
        d = os.path.join(root, "proc", pid)
        anon = b"7f858f0c6000-7f858f0c9000 rw-p 00000000 00:00 0 "
        for name in ("maps", "smaps"):
            with open(os.path.join(d, name), "rb") as f:
                text = f.read()
            if anon + b"\n" not in text:
                fails.append("capture: the fixture's %s lacks %r" % (name, anon))
                return
            text = text.replace(anon + b"\n", anon + b"[anon:" + odd + b"]\n")
            with open(os.path.join(d, name), "wb") as f:
                f.write(text)
        for name in ("stat", "task/%s/stat" % pid):
            with open(os.path.join(d, name), "rb") as f:
                text = f.read()
            with open(os.path.join(d, name), "wb") as f:
                f.write(text.replace(b"(sleep)", b"(" + ODD_COMM + b")"))
        for name in ("comm", "task/%s/comm" % pid):
            with open(os.path.join(d, name), "wb") as f:
                f.write(ODD_COMM + b"\n")
        esc_odd = ESC_ODD.replace(r"\012", "")
        head = "%s (%s) " % (pid, ESC_COMM)
        views = [
            ("table", ["--sysroot", root], [("stdout", head), ("stdout", esc_odd)]),
            ("--by-image", ["--sysroot", root, "--by-image"], [("stdout", esc_odd)]),
            ("--output-all", ["--sysroot", root, "--output-all"], [("stdout", esc_odd)]),
            ("--layout", ["--sysroot", root, "--layout"], [("stdout", head)]),
            ("--raw", ["--sysroot", root, "--raw"], [("stdout", RAW_ODD.replace(r"\x5c012", ""))]),
            ("--addr", ["--sysroot", root, "--addr", "7f858f0c6000"], [("stdout", esc_odd)]),
        ]
        check_views(vmmap, pid, views, locales, fails, "capture")
        rc, out, err = run(vmmap, ["--sysroot", root, "--json", pid], "C")
        try:
            details = [r["detail"] for r in json.loads(out.decode("utf-8"))["regions"]]
            if json_name(odd) not in details:
                fails.append("capture json: no region with detail %r" % json_name(odd))
        except (UnicodeDecodeError, ValueError) as e:
            fails.append("capture json: exit %d, not UTF-8 JSON: %s" % (rc, e))

        # --kernel: a name in /proc/iomem
        machine = os.path.join(tmp, "machine")
        shutil.copytree(os.path.join(fixtures, "machine", "root"), machine, symlinks=True)
        iomem = os.path.join(machine, "proc", "iomem")
        with open(iomem, "rb") as f:
            text = f.read()
        if b" : System RAM\n" not in text:
            fails.append("capture: the fixture's iomem has no System RAM line")
            return
        text = text.replace(b" : System RAM\n", b" : " + odd + b"\n", 1)
        with open(iomem, "wb") as f:
            f.write(text)
        for loc in locales:
            for extra in ([], ["--raw"]):
                r = subprocess.run([vmmap, "--sysroot", machine, "--kernel", *extra],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=dict(os.environ, LC_ALL=loc))
                label = "capture --kernel %s, LC_ALL=%s" % (" ".join(extra), loc)
                want = RAW_ODD.replace(r"\x5c012", "") if extra else esc_odd
                for stream, data in (("stdout", r.stdout), ("stderr", r.stderr)):
                    bad = controls(data, loc, False)
                    if bad:
                        fails.append("%s: raw control on %s: %s" % (label, stream, "; ".join(bad[:3])))
                if r.returncode or want not in r.stdout.decode("utf-8", "replace"):
                    fails.append("%s: exit %d, no %r in:\n%s" % (label, r.returncode, want,
                                 r.stdout.decode("utf-8", "replace")[:2000]))
        r = subprocess.run([vmmap, "--sysroot", machine, "--kernel", "--json"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            doc = json.loads(r.stdout.decode("utf-8"))
            if json_name(odd) not in [x["name"] for x in doc["iomem"] or []]:
                fails.append("capture --kernel --json: no iomem name %r" % json_name(odd))
        except (UnicodeDecodeError, ValueError) as e:
            fails.append("capture --kernel --json: exit %d, not UTF-8 JSON: %s" % (r.returncode, e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    vmmap, prog, fixtures = sys.argv[1:4]
    locales = ["C"]
    loc = utf8_locale()
    if loc:
        locales.append(loc)
    else:
        print("note: no UTF-8 locale on this machine: checked in the C locale only")
    fails = []
    check_live(vmmap, prog, locales, fails)
    check_capture(vmmap, fixtures, locales, fails)
    for f in fails:
        print("FAIL: " + f)
    if not fails:
        print("ok: no view passes a control character from a name to the terminal")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
