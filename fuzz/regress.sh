#!/bin/sh
# regress.sh: run every fuzz target once over the crashers kept for it
# (tests/fuzz-regressions/<target>/*) and over its seed corpus
# (fuzz/corpus/<corpus>/*). A test of make check in every build: the
# targets are libFuzzer fuzzers with ./configure CC=clang --enable-fuzzing
# and replayers (fuzz/replay_main.c) otherwise, in the plain build and in
# the sanitizer one; both run the files they are given and exit non-zero
# on the first crash, failed check or sanitizer report (and libFuzzer on a
# leak). Every fuzz/fuzz_*.c must be built, have inputs, and every
# directory of kept crashers must name a target, or the test fails.
#
#   fuzz/regress.sh [BUILDDIR]
set -u

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${1:-${top_builddir:-.}}
regressions=$srcdir/tests/fuzz-regressions
corpora=$srcdir/fuzz/corpus

# target -> seed corpus
corpus_of() {
	case $1 in
	fuzz_report) echo snapshot ;;
	*) echo "${1#fuzz_}" ;;
	esac
}

# the sanitizers' own reports, with symbols, and no core files
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:disable_coredump=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
ulimit -c 0 2>/dev/null

status=0
targets=
for src in "$srcdir"/fuzz/fuzz_*.c; do
	target=$(basename "$src" .c)
	targets="$targets $target "
	bin=$builddir/fuzz/$target
	if [ ! -x "$bin" ]; then
		echo "FAIL: $target: $bin is not built (add it to fuzz_targets in fuzz/Makemodule.am)"
		status=1
		continue
	fi
	seeds=$corpora/$(corpus_of "$target")
	set --
	for f in "$regressions/$target"/* "$seeds"/*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	if [ $# -eq 0 ] || [ ! -d "$seeds" ]; then
		echo "FAIL: $target: no seed corpus in $seeds"
		status=1
		continue
	fi
	log=$(mktemp)
	"$bin" -runs=1 "$@" >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok: $target: $# inputs"
	else
		if [ $rc -gt 128 ]; then
			how="killed by signal $((rc - 128))"
		else
			how="exit status $rc"
		fi
		echo "FAIL: $target: $how on $(grep '^Running: ' "$log" | tail -n 1 | cut -c10-)"
		# the report and our own messages; no stack frames
		grep -vE '^ +#[0-9]|^Running:|^INFO:|^MS:|^base64:|^0x|^Test unit|^artifact_prefix|^Executed|^\*\*\*|^$' "$log" | tail -n 20
		status=1
	fi
	rm -f "$log"
done

# a directory of crashers that no target reads would never run
for dir in "$regressions"/*/; do
	[ -d "$dir" ] || continue
	name=$(basename "$dir")
	case $targets in
	*" $name "*) ;;
	*) echo "FAIL: tests/fuzz-regressions/$name: there is no fuzz/$name.c"; status=1 ;;
	esac
done
exit $status
