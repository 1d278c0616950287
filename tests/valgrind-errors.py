"""valgrind-errors.py: the errors of a memcheck run, less the reads of the
page regions PAGEMAP_SCAN returns, which memcheck cannot know are defined.

    valgrind-errors.py LOG.xml

LOG.xml comes from valgrind --xml=yes --xml-file=LOG.xml --track-origins=yes
(and --show-leak-kinds equal to --errors-for-leak-kinds: every <error> is
one). Prints every error that is not excused, with its first frames, and
exits 1 when there is one, 2 when the log is unreadable or cut short (valgrind
killed), 0 otherwise.

When valgrind's headers were found at build time (HAVE_VALGRIND_MEMCHECK_H),
pagemap.c tells memcheck itself which entries the kernel wrote, and nothing
needs excusing: what follows is for a build without them.

Why: vmmap --pages and the live view's detail pane (as a user who cannot
read /proc/kpageflags), and --addr, read page states with the PAGEMAP_SCAN
ioctl of /proc/PID/pagemap (src/proc/pagemap.c, scan_with_ioctl). valgrind 3.19 does not know that
ioctl: from its _IOWR number it takes the 96-byte pm_scan_arg as read and
written, but not the array of page_region the argument points to, which the
kernel fills in. Every region read from that array is "uninitialised" to
memcheck, and the values flow on into the counts, the residency runs and
the numbers the views print, so the reports land in pagemap.c, fields.c,
format.c, json.c and write(2). A suppression file matches where a value is
used, not where it came from: one that covered these would hide every real
uninitialised value in the views too. This script excuses an error by where
its value was created instead:

  - an uninitialised-value error whose origin (--track-origins) is the
    heap block of that array: allocated by scan_with_ioctl at the line of
    src/proc/pagemap.c that says "vec = malloc(" (looked up at each run;
    when no line or several say it, the check fails rather than guess);
  - one with no origin (memcheck loses some) used inside the code that
    reads that array: every frame up to scan_with_ioctl is scan_with_ioctl,
    page_scan_feed_region or page_scan_feed_run.

Everything else counts: leaks, invalid reads and writes, and uninitialised
values from anywhere else. What no tool here can tell is a read of an entry
of the array the kernel did not write (past the count the ioctl returned):
the array is one block, so ASan does not see it either. Needs debug
information (the default -g) to name the frames.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

UNINIT = {"UninitCondition", "UninitValue", "SyscallParam"}
READERS = {"scan_with_ioctl", "page_scan_feed_region", "page_scan_feed_run"}


def frames(stack):
    return [(f.findtext("fn") or "?", f.findtext("file"), f.findtext("line"),
             os.path.basename(f.findtext("obj") or "?"))
            for f in stack.findall("frame")]


def array_line():
    """The line of pagemap.c that allocates the array PAGEMAP_SCAN fills."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "src", "proc", "pagemap.c")
    with open(src) as f:
        hits = [i for i, l in enumerate(f, 1) if re.search(r"\bvec = malloc\(", l)]
    if len(hits) != 1:
        print("valgrind-errors.py: %d lines of %s allocate vec, not one" % (len(hits), src))
        sys.exit(2)
    return str(hits[0])


def excused(err, line):
    if err.findtext("kind") not in UNINIT:
        return False
    stacks = err.findall("stack")
    auxwhat = [a.text or "" for a in err.findall("auxwhat")]
    if any("created by a heap allocation" in a for a in auxwhat) and len(stacks) > 1:
        origin = frames(stacks[-1])
        return (len(origin) > 1 and origin[0][0] in ("malloc", "calloc", "realloc")
                and origin[1][0] == "scan_with_ioctl" and origin[1][1] == "pagemap.c"
                and origin[1][2] == line)
    if any("created by" in a for a in auxwhat):
        return False	# another origin
    use = [f[0] for f in frames(stacks[0])]
    if "scan_with_ioctl" not in use:
        return False
    return all(fn in READERS for fn in use[:use.index("scan_with_ioctl") + 1])


def describe(err):
    what = err.findtext("what") or err.findtext("xwhat/text") or "?"
    lines = ["%s: %s" % (err.findtext("kind"), what)]
    stacks = err.findall("stack")
    for fn, file, line, obj in frames(stacks[0])[:6]:
        lines.append("    %s (%s)" % (fn, "%s:%s" % (file, line) if file else "in " + obj))
    for a in err.findall("auxwhat"):
        lines.append("  " + (a.text or ""))
    if len(stacks) > 1:
        for fn, file, line, obj in frames(stacks[-1])[:4]:
            lines.append("    %s (%s)" % (fn, "%s:%s" % (file, line) if file else "in " + obj))
    return "\n".join(lines)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: valgrind-errors.py LOG.xml")
    try:
        root = ET.parse(sys.argv[1]).getroot()
    except (OSError, ET.ParseError) as e:
        print("valgrind-errors.py: %s: %s (valgrind did not finish?)" % (sys.argv[1], e))
        sys.exit(2)
    line = array_line()
    errors = root.findall("error")
    left = [e for e in errors if not excused(e, line)]
    for e in left:
        print(describe(e))
    if len(errors) > len(left):
        print("note: %d reports of reading PAGEMAP_SCAN's output excused"
              % (len(errors) - len(left)))
    sys.exit(1 if left else 0)


main()
