#!/bin/sh
# regress.sh: replay every kept crasher (tests/fuzz-regressions/<target>/*)
# and every seed (fuzz/corpus/<corpus>/*) through the fuzz targets once.
# libFuzzer runs the files given as arguments and exits non-zero on the
# first crash, leak or sanitizer report. A test of make check when the
# targets are built (./configure CC=clang --enable-fuzzing); skipped when
# they are not.
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

status=0
ran=0
for bin in "$builddir"/fuzz/fuzz_*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	case $bin in *.o | *.c | *.h) continue ;; esac
	target=$(basename "$bin")
	set --
	for f in "$regressions/$target"/* "$corpora/$(corpus_of "$target")"/*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	[ $# -gt 0 ] || continue
	ran=$((ran + 1))
	log=$(mktemp)
	if "$bin" -runs=1 "$@" >"$log" 2>&1; then
		echo "ok: $target: $# inputs"
	else
		echo "FAIL: $target:"
		# the input, the report and our own messages; no stack frames
		grep -vE '^ +#[0-9]|^INFO:|^MS:|^base64:|^0x|^Test unit|^artifact_prefix|^Executed|^\*\*\*|^$' "$log" | tail -n 20
		status=1
	fi
	rm -f "$log"
done
if [ "$ran" -eq 0 ]; then
	echo "no fuzz targets in $builddir/fuzz (configure CC=clang --enable-fuzzing)"
	exit 77
fi
exit $status
