#!/bin/sh
# valgrind.sh: a full run of every view leaks nothing and touches no
# uninitialised memory, on a live process and on the fixtures. (valgrind
# may warn that it does not know openat2; vmmap then falls back, and the
# warning is not an error: only valgrind's error exit status counts.)
set -u
: "${top_srcdir:?}" "${VMMAP:?}"

if [ "${SANITIZERS:-no}" = yes ]; then
	echo "skip: this build uses the sanitizers, which valgrind cannot run"
	exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "skip: valgrind is not installed (apt-get install valgrind)"
	exit 77
fi

fail=0
sleep 60 &
target=$!
trap 'kill $target 2>/dev/null' EXIT

run() {
	log=$(mktemp)
	if valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		--log-file="$log" "$VMMAP" "$@" >/dev/null 2>&1; [ $? -ne 99 ]; then
		echo "ok: vmmap $*"
	else
		echo "FAIL: vmmap $*"
		cat "$log"
		fail=1
	fi
	rm -f "$log"
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
exit $fail
