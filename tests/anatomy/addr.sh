#!/bin/sh
# addr.sh: vmmap --addr on a program whose symbols, threads and arena are
# known (tests/anatomy/anat_pie), plus a non-canonical address; as root the
# physical side too, as nobody its absence with a warning.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${VMMAP:?}"

py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
prog=$top_builddir/tests/anatomy/anat_pie
[ -x "$prog" ] || { echo "skip: $prog is not built"; exit 77; }
dir=$(mktemp -d)
chmod 755 "$dir"
"$prog" "$dir/truth.json" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
i=0
while [ ! -f "$dir/truth.json" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -f "$dir/truth.json" ] || { echo "FAIL: anat_pie did not start"; exit 1; }

list=$($py -c 'import json,sys; t=json.load(open(sys.argv[1]))
print(",".join([t["data"], t["bss_last"], t["code"], t["rodata"], t["threads"][0]["addr"], "0x800000000000", "0x10"]))' "$dir/truth.json")

"$VMMAP" --json --addr "$list" "$pid" >"$dir/root.json" 2>"$dir/root.err" || { echo "FAIL: vmmap --addr exited $?"; exit 1; }
"$VMMAP" --addr "$list" "$pid" >"$dir/table" 2>&1 || { echo "FAIL: vmmap --addr (table) exited $?"; exit 1; }
nobody=
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	# nobody cannot read a root process: look at one of its own
	mkdir "$dir/nobody" && chmod 777 "$dir/nobody"
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c \
		'"$1" "$2/nobody-truth.json" & p=$!; i=0
		 while [ ! -f "$2/nobody-truth.json" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		 "$3" --json --addr 0x1000,"$(sed -n "s/.*\"data\": *\"\\(0x[0-9a-f]*\\)\".*/\\1/p" "$2/nobody-truth.json")" $p > "$2/nobody.json" 2>"$2/nobody.err"
		 kill $p' sh "$prog" "$dir/nobody" "$VMMAP"
	nobody=$dir/nobody/nobody.json
	[ -s "$nobody" ] || { echo "FAIL: vmmap --addr as nobody printed nothing"; cat "$dir/nobody/nobody.err"; exit 1; }
fi

$py - "$dir/truth.json" "$dir/root.json" "$dir/table" "$(id -u)" "$nobody" "${PYTHON3:-}" \
	"$top_srcdir/doc/vmmap.schema.json" <<'PY'
import json, sys
truth = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
table = open(sys.argv[3]).read()
root = sys.argv[4] == "0"
nobody = sys.argv[5]
fails = []

def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        fails.append(what)

look = {int(l["addr"], 16): l for l in doc["lookup"]}
check(len(doc["lookup"]) == 7, "one lookup per address")

def at(key):
    return look[int(truth[key], 16)]

d = at("data")
check(d["region"]["kind"] == "data" and d["section"] == ".data", "anat_data: data, .data")
check(d["symbol"] == "anat_data" and d["symbol_offset"] == 0, "anat_data: symbol anat_data+0")
check(d["file_offset"] is not None, "anat_data: file offset known")
b = at("bss_last")
check(b["section"] == ".bss" and b["symbol"] == "anat_bss", "last byte of anat_bss: .bss, anat_bss")
c = at("code")
check(c["region"]["kind"] == "code" and c["section"] == ".text" and c["symbol"] == "anat_code",
      "anat_code: code, .text, anat_code")
r = at("rodata")
check(r["section"] == ".rodata", "anat_rodata: .rodata")
t = truth["threads"][0]
s = look[int(t["addr"], 16)]
check(s["tid"] == t["tid"] and s["region"]["kind"] == "thread_stack", "a stack variable: its thread")
n = look[0x800000000000]
check(n["canonical"] is False and "canonical hole" in (n["why"] or ""), "0x800000000000 is non-canonical")
z = look[0x10]
check(z["region"] is None and z["why"] == "not mapped", "0x10 is not mapped")
check(d["page"] is not None and d["page"]["present"], "anat_data's page is present")
if root:
    check(d["phys_addr"] is not None and d["iomem"] == "System RAM", "root: physical address in System RAM")
    check(d["zone"] is not None, "root: a memory zone")
for word in ("symbol", "anat_data+0x0", "canonical", "physical"):
    check(word in table, "the table says " + word)
if nobody:
    nd = json.load(open(nobody))
    l = [x for x in nd["lookup"] if x["region"] and x["region"]["kind"] == "data"]
    check(l and l[0]["phys_addr"] is None, "nobody: physical address unknown (null)")
    check(any("physical addresses unknown" in w for w in nd["warnings"]), "nobody: a warning says why")
py3, schema = sys.argv[6], sys.argv[7]
try:
    import jsonschema
    jsonschema.Draft202012Validator(json.load(open(schema))).validate(doc)
    print("ok: the document with lookups validates against the schema")
except ImportError:
    print("note: no jsonschema module here; schema not checked")
except Exception as e:
    check(False, "schema: %s" % e)
sys.exit(1 if fails else 0)
PY
