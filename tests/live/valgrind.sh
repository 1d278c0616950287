#!/bin/sh
# valgrind.sh: a full run of every view leaks nothing, touches no memory it
# does not own and no uninitialised memory, on a live process and on the
# fixtures. (valgrind may warn that it does not know openat2; vmmap then
# falls back, and the warning is not an error: only valgrind's errors
# count.)
#
# Page states come two ways: with pread(2) of /proc/PID/pagemap when vmmap
# can read /proc/kpageflags (root: the PFNs give the physical flags), and
# with the PAGEMAP_SCAN ioctl otherwise (and, even as root, for --addr's
# huge page bit). valgrind does not model that ioctl's output, the page
# regions the kernel writes into vmmap's array, so every run's errors go
# through tests/valgrind-errors.py, which excuses the reads of that array
# and nothing else (why a suppression file cannot: see there). The --pages
# runs are on tests/live/pages, as nobody when root, so that they take the
# ioctl path whichever user runs the test.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"

if [ "${SANITIZERS:-no}" = yes ]; then
	echo "skip: this build uses the sanitizers, which valgrind cannot run"
	exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "skip: valgrind is not installed (apt-get install valgrind)"
	exit 77
fi
need_python "to read valgrind's XML reports"
pages=$top_builddir/tests/live/pages
[ -x "$pages" ] || { echo "skip: $pages is not built (make check builds it)"; exit 77; }

fail=0
dir=$(mktemp -d)
chmod 711 "$dir"
mkdir "$dir/vg" && chmod 777 "$dir/vg"	# nobody writes there too
sleep 60 &
target=$!
ppid=
trap 'kill $target $ppid 2>/dev/null; rm -rf "$dir"' EXIT

# run [--as USER] ARGS...: vmmap ARGS under memcheck, as USER (setpriv)
# or as ourselves; its output is left in $dir/vg/out
n=0
run() {
	as='' who=''
	if [ "$1" = --as ]; then
		as="setpriv --reuid=$2 --regid=$2 --clear-groups"
		who=" (as uid $2)"
		shift 2
	fi
	n=$((n + 1))
	xml=$dir/vg/$n.xml
	$as valgrind -q --track-origins=yes --leak-check=full \
		--show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible \
		--xml=yes --xml-file="$xml" --log-file="$dir/vg/$n.log" \
		"$VMMAP" "$@" >"$dir/vg/out" 2>/dev/null
	if report=$("$py" "$top_srcdir/tests/valgrind-errors.py" "$xml"); then
		echo "ok: vmmap $*$who"
		[ -z "$report" ] || echo "$report"
	else
		echo "FAIL: vmmap $*$who"
		echo "$report"
		fail=1
	fi
}

zoo=$top_srcdir/tests/fixtures/zoo
zpid=$(ls "$zoo/proc" | grep -E '^[0-9]+$')
run "$target"
run --json "$target"
run --layout "$target"
run --by-image --output-all "$target"
run --json --sysroot "$zoo" "$zpid"
run --sort rss --kind heap,anon,shm --sysroot "$zoo" "$zpid"
run --pages --json "$target"
run --addr 0x10,0x800000000000 "$target"
run --json --addr 0x1000 --sysroot "$zoo" "$zpid"
run 999999 "$target"
# a saved snapshot against the live process, and the live view's baseline
# released when the process named is not found
run --json "$target"
cp "$dir/vg/out" "$dir/vg/before.json"
run --diff "$dir/vg/before.json" "$target"
run --diff --json "$dir/vg/before.json" "$dir/vg/before.json"
run --watch --diff "$dir/vg/before.json" no-such-process-name
run --openmetrics "$target"
run --all --json

# PAGEMAP_SCAN: a process whose pages are known, read by a user who cannot
# read /proc/kpageflags; nobody when we are root (on a process of its own)
user=
if [ "$(id -u)" != 0 ]; then
	"$pages" "$dir/vg/truth.json" &
	ppid=$!
elif command -v setpriv >/dev/null 2>&1; then
	user=65534
	setpriv --reuid=$user --regid=$user --clear-groups "$pages" "$dir/vg/truth.json" &
	ppid=$!
else
	echo "note: PAGEMAP_SCAN not run: as root it needs setpriv to run vmmap as nobody"
fi
if [ -n "$ppid" ]; then
	i=0
	while [ ! -f "$dir/vg/truth.json" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ -f "$dir/vg/truth.json" ] || { echo "FAIL: tests/live/pages did not start"; exit 1; }
	third=$(sed -n 's/.*"third": *"\(0x[0-9a-f]*\)".*/\1/p' "$dir/vg/truth.json")
	asuser=${user:+--as $user}
	# shellcheck disable=SC2086
	run $asuser --pages --json "$ppid"
	if grep -q '"pages_method": *"PAGEMAP_SCAN"' "$dir/vg/out"; then
		echo "ok: the page states came from PAGEMAP_SCAN"
	else
		echo "note: PAGEMAP_SCAN not run: this kernel does not have it (6.7+): $(grep -o '"pages_method": *[^,]*' "$dir/vg/out")"
	fi
	# shellcheck disable=SC2086
	run $asuser --pages "$ppid"
	# shellcheck disable=SC2086
	run $asuser --json --addr "$third" "$ppid"
	run --addr "$third" "$ppid"
fi
exit $fail
