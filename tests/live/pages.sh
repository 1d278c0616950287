#!/bin/sh
# pages.sh: vmmap --pages against a process whose pages are known: every
# third page touched, an untouched region, guard pages, a THP region.
#
# Both ways vmmap reads page states are checked: pread(2) of
# /proc/PID/pagemap, with the physical page flags, when it can read
# /proc/kpageflags (root), and the PAGEMAP_SCAN ioctl when it cannot (any
# other user; as root, nobody on a process of its own). The sanitizer
# build runs this too, so ASan and UBSan watch both.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"
need_python "to compare vmmap's JSON with what the test program did"

dir=$(mktemp -d)
chmod 711 "$dir"
pids=
trap 'kill $pids 2>/dev/null; rm -rf "$dir"' EXIT
fail=0

# check NAME [UID]: start the test program, as UID when given (setpriv),
# read it with vmmap --pages as the same user, and check the result
check() {
	name=$1 as=''
	[ $# -gt 1 ] && as="setpriv --reuid=$2 --regid=$2 --clear-groups"
	d=$dir/$name
	mkdir "$d" && chmod 777 "$d"	# the program writes its truth there
	$as "$top_builddir/tests/live/pages" "$d/truth.json" &
	pids="$pids $!"
	pid=$!
	i=0
	while [ ! -f "$d/truth.json" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ -f "$d/truth.json" ] || { echo "FAIL: $name: the test program did not start"; fail=1; return; }

	$as "$VMMAP" --pages --json "$pid" >"$d/out.json" 2>"$d/err" ||
		{ echo "FAIL: $name: vmmap --pages exited $?"; cat "$d/err"; fail=1; return; }
	$as "$VMMAP" --pages "$pid" >"$d/table" 2>&1 ||
		{ echo "FAIL: $name: vmmap --pages (table) exited $?"; cat "$d/table"; fail=1; return; }
	echo "$name: $(grep -o '"pages_method": *"[^"]*"' "$d/out.json")"
	$py - "$d/truth.json" "$d/out.json" "$d/table" "${2:-$(id -u)}" <<'PY' || fail=1
import json, sys
truth = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
table = open(sys.argv[3]).read()
root = sys.argv[4] == "0"
ps = truth["page_size"]
fails = []

def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        fails.append(what)

def region_at(addr):
    a = int(addr, 16)
    for r in doc["regions"]:
        if int(r["start"], 16) <= a < int(r["end"], 16):
            return r
    return None

check(doc["pages_method"] in ("PAGEMAP_SCAN", "pagemap read"), "pages_method " + str(doc["pages_method"]))
third = region_at(truth["third"])
p = third["pages"]
check(p["present"] == 22, "every third page: 22 of 64 present (%d)" % p["present"])
check(p["anon"] == 22 and p["file"] == 0, "they are anonymous")
check(p["swapped"] == 0, "none swapped")
runs = p["residency"]
check(len(runs) == 43, "43 residency runs (%d)" % len(runs))
check(runs[0]["state"] == "present" and int(runs[0]["end"], 16) - int(runs[0]["start"], 16) == ps,
      "the first run is one present page")
check(runs[1]["state"] == "none" and int(runs[1]["end"], 16) - int(runs[1]["start"], 16) == 2 * ps,
      "then two untouched pages")
check(int(runs[-1]["end"], 16) == int(third["end"], 16), "runs cover the whole region")
if p["exclusive"] is not None:
    check(p["exclusive"] == 22, "all 22 exclusive (%s)" % p["exclusive"])

u = region_at(truth["untouched"])["pages"]
check(u["present"] == 0 and len(u["residency"]) == 1 and u["residency"][0]["state"] == "none",
      "the untouched region has no present page, one 'none' run")

g = region_at(truth["guarded"])["pages"]
if truth["guard_installed"]:
    check(g["guard"] == 2, "2 guard pages (%d)" % g["guard"])
    check(g["swapped"] == 0, "guard pages are not counted as swap")
    check(g["present"] == 14, "14 present around them (%d)" % g["present"])
    check([r["state"] for r in g["residency"]] == ["present", "guard", "present"],
          "residency present, guard, present")
else:
    print("skip: MADV_GUARD_INSTALL is not supported by this kernel")

h = region_at(truth["huge"])["pages"]
check(h["present"] == truth["huge_len"] // ps, "the huge region is fully present")
hr = region_at(truth["huge"])
# PAGEMAP_SCAN, kpageflags (root) or smaps's AnonHugePages: one of them
# always knows, so the count is never unknown
check(h["huge"] is not None, "the huge page count is known (%s, by %s)" %
      (h["huge"], doc["pages_method"]))
if h["huge"] is not None:
    print("note: %d of %d pages in huge pages" % (h["huge"], h["present"]))
    check(h["huge"] <= h["present"], "huge pages are present pages")
    if hr["anon_huge"]:
        check(h["huge"] == hr["anon_huge"] // ps,
              "as many as AnonHugePages says (%d)" % (hr["anon_huge"] // ps))
    if h.get("kpf") and h["kpf"]["thp"]:
        check(h["huge"] == h["kpf"]["thp"], "as many as kpageflags THP (%d)" % h["kpf"]["thp"])

present = sum(r["pages"]["present"] for r in doc["regions"] if r.get("pages")) * ps
if root:
    ph = doc["phys"]
    check(ph is not None, "root: where the pages are in RAM is known")
    if ph:
        z = sum(e["bytes"] for e in ph["zones"])
        ram = sum(e["bytes"] for e in ph["ram"])
        check(z == present, "root: the zones hold every present page (%d of %d)" % (z, present))
        check(ram == present, "root: System RAM holds every present page (%d of %d)" % (ram, present))
    check(p["kpf"] is not None, "root: physical page flags are known")
    check(p["kpf"]["shared"] == 0, "root: private pages are mapped once")
else:
    check(p["kpf"] is None, "not root: physical page flags are unknown (null)")
    check(doc["phys"] is None, "not root: where the pages are in RAM is unknown (null)")
    check(any("physical page flags unknown" in w for w in doc["warnings"]),
          "not root: a warning says why")

check("RESIDENCY" in table and "PRESENT" in table, "the table has the page columns")
if not root and doc["pages_method"] != "PAGEMAP_SCAN":
    print("note: this kernel has no PAGEMAP_SCAN (6.7+): pages read with pread")
sys.exit(1 if fails else 0)
PY
}

if [ "$(id -u)" = 0 ]; then
	check root
	if command -v setpriv >/dev/null 2>&1; then
		check nobody 65534
	else
		echo "note: PAGEMAP_SCAN not checked: as root it needs setpriv to run as nobody"
	fi
else
	check user
fi
exit $fail
