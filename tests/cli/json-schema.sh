#!/bin/sh
# json-schema.sh: validate real `vmmap --json` output against doc/vmmap.schema.json
#
# Validates the JSON of the captured fixtures (--sysroot), of live processes
# (this shell and a sleep it starts), of several pids in one call (an array of
# documents), of --summary (no regions) and of the hostile captures
# (tests/fixtures/hostile: --json, --summary, --pages, --addr and --watch
# --json, or a clean failure). Every document must also add up: its totals
# are the sums of its summary rows and regions, never a wrapped number. Then
# it proves the schema bites by mutating a valid document in ways JSON.md
# forbids and checking each one is rejected.
#
# Environment (set by make check): top_srcdir, VMMAP, PYTHON3 (a python3 with
# the jsonschema module, or empty: then the test is skipped).
#
# Exit status: 0 pass, 1 fail, 77 skipped.

: "${top_srcdir:?top_srcdir is not set}"
: "${VMMAP:?VMMAP is not set}"

if [ -z "${PYTHON3:-}" ]; then
	echo "SKIP: no python3 with the jsonschema module (configure found none;" \
	     "on Debian: apt-get install python3-jsonschema, then re-run configure)"
	exit 77
fi

schema=$top_srcdir/doc/vmmap.schema.json
fixtures=$top_srcdir/tests/fixtures
tmp=
sleeper=

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ -n "$sleeper" ]; then
		kill "$sleeper" 2>/dev/null
		wait "$sleeper" 2>/dev/null
	fi
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-json-schema.XXXXXX") || exit 1
status=0

fail() {
	echo "FAIL: $*"
	status=1
}

# run NAME ARGS...: vmmap ARGS > $tmp/NAME.json, which must exit 0
run() {
	name=$1
	shift
	if "$VMMAP" "$@" >"$tmp/$name.json" 2>"$tmp/$name.err"; then
		echo "ran: vmmap $*"
	else
		fail "vmmap $* exited $?"
		sed 's/^/  stderr: /' "$tmp/$name.err"
	fi
}

# fixture_pid DIR: the only numeric directory under DIR/proc
fixture_pid() {
	pids=
	n=0
	for d in "$1"/proc/*; do
		case ${d##*/} in
		*[!0-9]*) ;;
		*) [ -d "$d" ] && { pids=${d##*/}; n=$((n + 1)); } ;;
		esac
	done
	if [ "$n" -ne 1 ]; then
		echo "FAIL: $1/proc has $n numeric directories, want 1" >&2
		return 1
	fi
	echo "$pids"
}

# Checks handed to the validator: "NAME EXPECT" lines, EXPECT one of
#   doc:PID        one document of process PID
#   array:PID,PID  an array of documents of these processes, in this order
#   summary:PID    one document of PID with an empty regions array
#   mutate         the base for the negative checks (must itself be valid)
checks=$tmp/checks
: >"$checks"

# (a) captured fixtures, replayed through --sysroot
first=
for f in sleep python-threads; do
	if pid=$(fixture_pid "$fixtures/$f"); then
		run "$f" --sysroot "$fixtures/$f" --json "$pid"
		echo "$f doc:$pid" >>"$checks"
		[ -n "$first" ] || first=$f
	else
		status=1
	fi
done

# (a1) --numa: a capture with numa_maps of two nodes
run numa --sysroot "$fixtures/numa" --numa --json 6522
echo "numa doc:6522" >>"$checks"

# (a2) core files: the kernel's and gdb's
for c in kernel-x86_64 gcore-x86_64; do
	run "core-$c" --json "$fixtures/core/$c"
	echo "core-$c doc:$(sed -n 's/^.*"pid": *\([0-9]*\).*$/\1/p' "$tmp/core-$c.json" | head -n 1)" >>"$checks"
done

# (b) live: this shell, and a sleep started here
run self --json $$
echo "self doc:$$" >>"$checks"

sleep 30 &
sleeper=$!
# wait (up to ~5 s) until the child has become sleep, not a forking shell
i=0
while [ "$(cat "/proc/$sleeper/comm" 2>/dev/null)" != sleep ] && [ $i -lt 50 ]; do
	sleep 0.1 2>/dev/null || sleep 1
	i=$((i + 1))
done
run sleeper --json "$sleeper"
echo "sleeper doc:$sleeper" >>"$checks"

# (c) two processes in one call: an array of two documents
run two --json $$ "$sleeper"
echo "two array:$$,$sleeper" >>"$checks"

# (d) --summary: no regions, but summary and totals
run summary --summary --json "$sleeper"
echo "summary summary:$sleeper" >>"$checks"
if [ -n "$first" ]; then
	pid=$(fixture_pid "$fixtures/$first")
	run fixture-summary --sysroot "$fixtures/$first" --summary --json "$pid"
	echo "fixture-summary summary:$pid" >>"$checks"
fi

# (e2) the machine view: a capture with processes read, unreadable and
# skipped, and this machine live
run all-fixture --sysroot "$fixtures/machine/all" --all --json
echo "all-fixture all" >>"$checks"
run all-live --all --json
echo "all-live all" >>"$checks"
run all-top --all --json --top 2 --kind heap,stack
echo "all-top all" >>"$checks"

# (e) hostile captures (tests/fixtures/hostile, see its README). Each run
# either prints documents, which must match the schema and add up like any
# other, or fails: then with a message on stderr and nothing on stdout, not
# half a document. The expected outcome of each case, "doc" or "fail:TEXT"
# with TEXT in the message:
hostile=$fixtures/hostile
hostile_cases="
image-unreadable doc
tids-odd doc
smaps-huge doc
rss-2e53-twice doc
smaps-truncated doc
status-huge doc
status-negative doc
smaps-negative fail:malformed
smaps-too-big fail:malformed
smaps-cut-value fail:malformed
smaps-missing fail:no_such_file
stat-missing fail:no_such_file
stat-negative fail:malformed
"
# addresses in a region, in a gap and far above: for --addr
addrs=0x555555555010,0x7ffff7d01000,0x7ffffffff000,0xffffffffff600000

# hostile_fail NAME WANT ARGS...: vmmap ARGS must exit 1 with WANT (its
# underscores as spaces) on stderr and nothing on stdout
hostile_fail() {
	name=$1 want=$(echo "$2" | tr _ ' ')
	shift 2
	"$VMMAP" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	if [ "$rc" -ne 1 ]; then
		fail "vmmap $* exited $rc, want 1"
	elif [ -s "$tmp/$name.out" ]; then
		fail "vmmap $* failed but printed $(wc -c <"$tmp/$name.out") bytes on stdout"
	elif ! grep -q "^vmmap: .*$want" "$tmp/$name.err"; then
		fail "vmmap $*: stderr does not say '$want'"
		sed 's/^/  stderr: /' "$tmp/$name.err"
	else
		echo "failed cleanly: vmmap $*: $(grep -v warning "$tmp/$name.err" | head -n 1)"
	fi
}

for d in "$hostile"/*/; do
	[ -d "$d" ] || continue
	c=$(basename "$d")
	case $hostile_cases in
	*"
$c "*) ;;
	*) fail "hostile/$c has no expected outcome in $0" ;;
	esac
done
hostile_n=0
while read -r c outcome; do
	[ -n "$c" ] || continue
	hostile_n=$((hostile_n + 1))
	dir=$hostile/$c
	pid=$(fixture_pid "$dir") || { status=1; continue; }
	case $outcome in
	doc)
		run "h-$c" --sysroot "$dir" --json "$pid"
		echo "h-$c doc:$pid" >>"$checks"
		run "h-$c-summary" --sysroot "$dir" --summary --json "$pid"
		echo "h-$c-summary summary:$pid" >>"$checks"
		run "h-$c-pages" --sysroot "$dir" --pages --json "$pid"
		echo "h-$c-pages doc:$pid" >>"$checks"
		run "h-$c-addr" --sysroot "$dir" --addr "$addrs" --json "$pid"
		echo "h-$c-addr doc:$pid" >>"$checks"
		run "h-$c-watch" --sysroot "$dir" --watch --iterations 1 --json "$pid"
		echo "h-$c-watch doc:$pid" >>"$checks"
		;;
	fail:*)
		want=${outcome#fail:}
		hostile_fail "h-$c" "$want" --sysroot "$dir" --json "$pid"
		hostile_fail "h-$c-summary" "$want" --sysroot "$dir" --summary --json "$pid"
		hostile_fail "h-$c-watch" "$want" --sysroot "$dir" --watch --iterations 1 --json "$pid"
		;;
	*)
		fail "hostile/$c: unknown outcome $outcome"
		;;
	esac
done <<EOF_CASES
$hostile_cases
EOF_CASES
[ "$hostile_n" -ge 13 ] || fail "only $hostile_n hostile captures were run"

# (f) the schema must reject documents that break JSON.md
echo "${first:-self} mutate" >>"$checks"

cat >"$tmp/validate.py" <<'EOF'
import copy
import json
import sys

import jsonschema
from jsonschema.exceptions import best_match

schema_path, tmp, checks_path = sys.argv[1:4]
with open(schema_path) as f:
    schema = json.load(f)
cls = jsonschema.Draft202012Validator
try:
    cls.check_schema(schema)
except jsonschema.exceptions.SchemaError as e:
    print("FAIL: %s is not a valid Draft 2020-12 schema: %s" % (schema_path, e.message))
    sys.exit(1)
validator = cls(schema)
# The root is "a document or an array of them", so its errors wrap the real
# ones; diagnostics validate each document against the document alone.
doc_validator = cls({"$ref": "#/$defs/document", "$defs": schema.get("$defs", {})})
failed = False


def fail(msg):
    global failed
    failed = True
    print("FAIL: " + msg)


def where(err):
    return "/".join(str(p) for p in err.absolute_path) or "(root)"


def errors(doc):
    return list(validator.iter_errors(doc))


def details(doc):
    """The errors inside the documents of doc, as 'path: message' strings"""
    if isinstance(doc, list) and doc:
        docs = [(str(i) + "/", d) for i, d in enumerate(doc)]
    else:
        docs = [("", doc)]
    out = []
    for prefix, d in docs:
        errs = sorted(doc_validator.iter_errors(d), key=lambda e: [
            (0, p, "") if isinstance(p, int) else (1, 0, p) for p in e.absolute_path])
        out += ["%s%s: %s" % (prefix, where(e), e.message[:120]) for e in errs]
    return out


def describe(errs, doc):
    found = details(doc)
    if found:
        return found[0]
    err = best_match(errs)
    return "%s: %s" % (where(err), err.message[:120])


def load(name):
    path = "%s/%s.json" % (tmp, name)
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: not JSON: %s" % (path, e))
        return None


U64 = 2 ** 64


def add_up(terms):
    """What vmmap must print for the sum of terms: None when a term is
    unknown or the sum does not fit in 64 bits."""
    if any(t is None for t in terms):
        return None
    total = sum(terms)
    return total if total < U64 else None


def pair(a, b):
    return add_up([a, b])


def sum_errors(doc):
    """A script adding up the document must find what vmmap printed: the
    totals are the sums of the summary rows and of the regions, an image's
    sums those of its regions. A sum that wrapped around breaks this."""
    bad = []
    totals, rows, regions = doc["totals"], doc["summary"], doc["regions"]
    for f in ("size", "rss", "pss", "uss", "dirty", "swap"):
        want = add_up([r.get(f) for r in rows])
        if totals[f] != want:
            bad.append("totals %s is %s, the summary rows add up to %s" % (f, totals[f], want))
    if sum(r["regions"] for r in rows) != totals["regions"]:
        bad.append("totals regions is not the sum of the summary rows'")
    if regions:
        per_region = {
            "size": lambda r: r["size"], "rss": lambda r: r["rss"], "pss": lambda r: r["pss"],
            "uss": lambda r: pair(r["private_clean"], r["private_dirty"]),
            "dirty": lambda r: pair(r["shared_dirty"], r["private_dirty"]),
            "swap": lambda r: r["swap"], "swap_pss": lambda r: r["swap_pss"],
        }
        for f, get in per_region.items():
            want = add_up([get(r) for r in regions])
            if totals[f] != want:
                bad.append("totals %s is %s, the regions add up to %s" % (f, totals[f], want))
        for im in doc.get("images", []):
            mine = [r for r in regions if r["image"] == im["path"]]
            for f, get in (("rss", per_region["rss"]), ("pss", per_region["pss"]),
                           ("dirty", per_region["dirty"])):
                want = add_up([get(r) for r in mine])
                if im[f] != want:
                    bad.append("image %s %s is %s, its regions add up to %s" % (
                        im["path"], f, im[f], want))
    return bad


def check_sums(name, doc):
    bad = sum_errors(doc)
    for b in bad:
        fail("%s.json: %s" % (name, b))
    return not bad


def summarize(doc):
    return "pid %s (%s, %s): %d regions, %d threads, %d summary rows" % (
        doc.get("pid"), doc.get("comm"), doc.get("source"),
        len(doc.get("regions", [])), len(doc.get("threads", [])),
        len(doc.get("summary", [])))


def mutations(base):
    """(description, function turning a deep copy of base into an invalid one)"""
    def region(d):
        return d["regions"][0]

    def setp(path, value):
        def f(d):
            o = d
            for k in path[:-1]:
                o = o[k]
            o[path[-1]] = value
            return d
        return f

    def delp(path):
        def f(d):
            o = d
            for k in path[:-1]:
                o = o[k]
            del o[path[-1]]
            return d
        return f

    r0 = ["regions", 0]
    m = [
        ('region rss is the string "4 kB"', setp(r0 + ["rss"], "4 kB")),
        ("region start is a number", setp(r0 + ["start"], int(region(base)["start"], 16))),
        ("region has no kind", delp(r0 + ["kind"])),
        ('region kind is "heapish"', setp(r0 + ["kind"], "heapish")),
        ("region size is negative", setp(r0 + ["size"], -4096)),
        ("region size is fractional", setp(r0 + ["size"], 4096.5)),
        ("region end is uppercase hex", setp(r0 + ["end"], "0x7FFD9CDE4000")),
        ('region offset is an address string', setp(r0 + ["offset"], "0x1000")),
        ('region perms "rwxq"', setp(r0 + ["perms"], "rwxq")),
        ('region dev "fe00"', setp(r0 + ["dev"], "fe00")),
        ('region deleted is "no"', setp(r0 + ["deleted"], "no")),
        ('region sections is a string', setp(r0 + ["sections"], ".text")),
        ('region vm_flags holds "rdx"', setp(r0 + ["vm_flags"], ["rd", "rdx"])),
        ("region has no pss", delp(r0 + ["pss"])),
        ("schema is 2", setp(["schema"], 2)),
        ('source is "file"', setp(["source"], "file")),
        ('pid is the string "1"', setp(["pid"], "1")),
        ("totals is missing", delp(["totals"])),
        ("totals rss is negative", setp(["totals", "rss"], -1)),
        ("elf_class is 16", setp(["elf_class"], 16)),
        ("mm start_code has no 0x", setp(["mm", "start_code"], "55939bbd4000")),
        ("mm is missing brk", delp(["mm", "brk"])),
        ('status vm_rss is "1 MB"', setp(["status", "vm_rss"], "1 MB")),
        ("address_space task_size is a number", setp(["address_space", "task_size"], 0x7ffffffff000)),
        ("address_space has no violations", delp(["address_space", "violations"])),
        ("thread sp is a number", setp(["threads", 0, "sp"], 140737488351232)),
        ("thread has no tid", delp(["threads", 0, "tid"])),
        ("thread tid is -1", setp(["threads", 0, "tid"], -1)),
        ("region tid is -1", setp(r0 + ["tid"], -1)),
        ("region tid is 0", setp(r0 + ["tid"], 0)),
        ("totals rss is 2^64", setp(["totals", "rss"], 2 ** 64)),
        ("summary row rss is negative", setp(["summary", 0, "rss"], -9223372036854775808)),
        ("status vm_peak is negative", setp(["status", "vm_peak"], -1024)),
        ('summary row kind "heap2"', setp(["summary", 0, "kind"], "heap2")),
        ("summary row has no regions", delp(["summary", 0, "regions"])),
        ("warnings holds a number", setp(["warnings"], [42])),
        ("cmdline is a string", setp(["cmdline"], "sleep 1000")),
    ]
    # the later keys, when present, must have their shape
    image = {"path": "/usr/lib/x86_64-linux-gnu/libc.so.6", "build_id": "4f3c00",
             "type": "dyn", "elf_class": 64, "load_bias": "0x7f69103a2000",
             "segments": [{"type": "LOAD", "flags": "r-x", "vaddr": "0x26000",
                           "memsz": 1400832}],
             "rss": 0, "pss": 0, "dirty": 0}
    pages = {"present": 1, "swapped": 0, "file": 1, "anon": 0, "exclusive": 1,
             "soft_dirty": 0, "zero": 0, "huge": 0, "guard": 0, "kpf": None,
             "residency": [{"start": "0x1000", "end": "0x2000", "state": "present"}]}
    lookup = {"addr": "0x55e8ef3b3160", "canonical": True, "why": None,
              "region": {"start": "0x55e8ef3b3000", "end": "0x55e8ef3b4000",
                         "kind": "data", "path": "/usr/bin/demo"},
              "offset": 352, "image": "/usr/bin/demo", "section": ".data",
              "symbol": "demo_data", "symbol_offset": 0, "file_offset": 20832,
              "tid": None,
              "page": {"present": True, "swapped": False, "huge": False,
                       "exclusive": True, "file": False},
              "phys_addr": None, "iomem": "System RAM", "zone": "Normal"}

    def add_later(img=image, pg=pages, lk=lookup):
        def f(d):
            d["images"] = [copy.deepcopy(img)]
            d["regions"][0]["pages"] = copy.deepcopy(pg)
            d["lookup"] = [copy.deepcopy(lk)]
            return d
        return f

    def with_change(obj, key, value):
        o = copy.deepcopy(obj)
        if value is KeyError:
            del o[key]
        else:
            o[key] = value
        return o

    valid_later = add_later()
    # what vmmap prints for an image it could not read, or of another ELF
    # type, and for an address when the paging mode is unknown
    valid_unknowns = [
        add_later(img=with_change(with_change(with_change(image, "type", None),
                                              "segments", None), "elf_class", None),
                  lk=with_change(lookup, "canonical", None)),
        add_later(img=with_change(image, "type", "other")),
    ]
    m += [
        ('image type "so"', add_later(img=with_change(image, "type", "so"))),
        ("image load_bias is a number", add_later(img=with_change(image, "load_bias", 4096))),
        ("image has no segments", add_later(img=with_change(image, "segments", KeyError))),
        ('image segment flags "rwxp"', add_later(img=with_change(
            image, "segments", [dict(image["segments"][0], flags="rwxp")]))),
        ('pages present is "1"', add_later(pg=with_change(pages, "present", "1"))),
        ('pages residency state "maybe"', add_later(pg=with_change(
            pages, "residency", [dict(pages["residency"][0], state="maybe")]))),
        ("pages kpf is a list", add_later(pg=with_change(pages, "kpf", []))),
        ("lookup addr is a number", add_later(lk=with_change(lookup, "addr", 1234))),
        ('lookup region kind "text"', add_later(lk=with_change(
            lookup, "region", dict(lookup["region"], kind="text")))),
        ("lookup has no phys_addr", add_later(lk=with_change(lookup, "phys_addr", KeyError))),
        ('lookup page present is "yes"', add_later(lk=with_change(
            lookup, "page", dict(lookup["page"], present="yes")))),
    ]
    return m, valid_later, valid_unknowns


def all_mutations():
    """(description, function) breaking an --all document (the capture's:
    it has a process read and one unreadable)"""
    def read(d):
        return [p for p in d["processes"] if p["totals"]][0]

    def unread(d):
        return [p for p in d["processes"] if p["reason"]][0]

    zeros = {"regions": 0, "size": 0, "rss": 0, "pss": 0, "uss": 0, "dirty": 0,
             "swap": 0, "swap_pss": 0}
    return [
        ("a process pss is a string", lambda d: read(d)["totals"].update(pss="1M") or d),
        ("a process has no reason", lambda d: read(d).pop("reason", 0) or d),
        ("an unreadable process has totals 0",
         lambda d: unread(d).update(totals=dict(zeros)) or d),
        ("a process read has a reason", lambda d: read(d).update(reason="gone") or d),
        ("machine is missing", lambda d: d.pop("machine") and d),
        ("machine zombies is negative", lambda d: d["machine"].update(zombies=-1) or d),
        ('meminfo mapped is "39 MB"', lambda d: d["machine"]["meminfo"].update(mapped="39 MB") or d),
        ("a process pid is 0", lambda d: read(d).update(pid=0) or d),
    ]


n_all_rejected = 0


def check_all(name, doc):
    """An --all document: the schema, each process adding up as a single
    document does, the machine's totals the sum of the processes read."""
    global n_valid, n_all_rejected
    errs = errors(doc)
    if errs:
        fail("%s.json does not match the schema: %s" % (name, best_match(errs).message[:200]))
        return
    procs = doc["processes"]
    read = [p for p in procs if p["reason"] is None]
    for p in read:
        for b in sum_errors({"totals": p["totals"], "summary": p["summary"], "regions": []}):
            fail("%s.json: pid %s: %s" % (name, p["pid"], b))
    m = doc["machine"]
    if "--top" not in name and name != "all-top":
        if m["processes_read"] != len(read) or \
           m["processes_unreadable"] != len(procs) - len(read):
            fail("%s.json: machine counts do not match the processes" % name)
        for f in ("size", "rss", "pss", "uss", "dirty", "swap"):
            want = add_up([p["totals"][f] for p in read])
            if m["totals"][f] != want:
                fail("%s.json: machine %s is %s, the processes add up to %s" % (
                    name, f, m["totals"][f], want))
    print("valid: %s.json: %d processes (%d read), %d kernel threads, %d zombies skipped" % (
        name, len(procs), len(read), m["kernel_threads"], m["zombies"]))
    n_valid += 1
    if name != "all-fixture":
        return
    for desc, mutate in all_mutations():
        bad = mutate(copy.deepcopy(doc))
        if errors(bad):
            print("rejected: --all document where %s" % desc)
            n_all_rejected += 1
        else:
            fail("schema accepts an --all document where %s" % desc)


n_valid = 0
for line in open(checks_path):
    name, expect = line.split()
    doc = load(name)
    if doc is None:
        continue
    if expect == "mutate":
        continue
    if expect == "all":
        check_all(name, doc)
        continue
    errs = errors(doc)
    if errs:
        found = details(doc) or [describe(errs, doc)]
        fail("%s.json does not match the schema: %d errors" % (name, len(found)))
        for e in found[:10]:
            print("  " + e)
        if len(found) > 10:
            print("  ...")
        continue
    what, _, arg = expect.partition(":")
    want = [int(p) for p in arg.split(",")]
    if not all([check_sums(name, d) for d in (doc if isinstance(doc, list) else [doc])]):
        continue
    if what == "array":
        if not isinstance(doc, list) or [d["pid"] for d in doc] != want:
            fail("%s.json: want an array of the documents of %s" % (name, arg))
            continue
        print("valid: %s.json: array of %d documents: %s" % (
            name, len(doc), "; ".join(summarize(d) for d in doc)))
    else:
        if not isinstance(doc, dict) or doc["pid"] != want[0]:
            fail("%s.json: want one document of pid %s" % (name, arg))
            continue
        if what == "summary" and (doc["regions"] != [] or not doc["summary"]):
            fail("%s.json: --summary wants no regions and a summary" % name)
            continue
        print("valid: %s.json: %s" % (name, summarize(doc)))
    n_valid += 1

n_rejected = 0
for line in open(checks_path):
    name, expect = line.split()
    if expect != "mutate":
        continue
    base = load(name)
    if base is None or errors(base):
        fail("no valid document to mutate (%s.json)" % name)
        break
    if not base["regions"] or not base["threads"] or not base["summary"]:
        fail("%s.json has no region, thread or summary row to mutate" % name)
        break
    muts, valid_later, valid_unknowns = mutations(base)
    # the controls: the base, the base with the later keys, and an array must pass
    controls = [("the base document", base),
                ("the base with images, pages and lookup", valid_later(copy.deepcopy(base))),
                ("an unread image (type null) and canonical null",
                 valid_unknowns[0](copy.deepcopy(base))),
                ('an image of type "other"', valid_unknowns[1](copy.deepcopy(base))),
                ("an array of two base documents", [base, base])]
    for desc, doc in controls:
        errs = errors(doc)
        if errs:
            fail("schema rejects %s: %s" % (desc, describe(errs, doc)))
        else:
            print("valid: control: %s" % desc)
    muts += [("an empty array of documents", lambda d: []),
             ("an array whose second document has no regions",
              lambda d: [copy.deepcopy(d), {k: v for k, v in d.items() if k != "regions"}]),
             ("a bare list of regions", lambda d: d["regions"])]
    # a sum wrapped around is a valid count: the adding up must catch it
    wrapped = copy.deepcopy(base)
    wrapped["totals"]["rss"] = (wrapped["totals"]["rss"] + 2 ** 63) % 2 ** 64
    if sum_errors(base) or not sum_errors(wrapped):
        fail("adding up the documents does not tell a wrapped total rss")
    else:
        print("rejected: a wrapped total rss (%s)" % sum_errors(wrapped)[0])
        n_rejected += 1
    for desc, mutate in muts:
        doc = mutate(copy.deepcopy(base))
        errs = errors(doc)
        if errs:
            print("rejected: %s (%s)" % (desc, describe(errs, doc)))
            n_rejected += 1
        else:
            fail("schema accepts a document where %s" % desc)
    break
else:
    fail("no negative checks were run")

if n_all_rejected < len(all_mutations()):
    fail("only %d broken --all documents were rejected" % n_all_rejected)
print("%d outputs valid, %d broken documents rejected" % (n_valid, n_rejected + n_all_rejected))
sys.exit(1 if failed else 0)
EOF

echo "schema: $schema"
"$PYTHON3" "$tmp/validate.py" "$schema" "$tmp" "$checks" || status=1

if [ "$status" -eq 0 ]; then
	echo "PASS"
else
	echo "FAIL"
fi
exit "$status"
