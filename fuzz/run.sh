#!/bin/bash
# run.sh: run every fuzz target found in the build directory for SECONDS
# each (default 60), on a scratch copy of its seed corpus (the source tree
# does not grow) with its dictionary (fuzz/dict/), and print one line per
# target: executions, coverage, crashes. Builds nothing: build first with
#   ./configure CC=clang --enable-fuzzing && make
#
#   fuzz/run.sh [SECONDS] [BUILDDIR] [TARGET...]
#
# Environment: JOBS (targets run at a time, default 1), WORKDIR (scratch
# directory, default a new one under /tmp; kept, with each target's log,
# grown corpus and crash files). Exit status 1 when a target crashed.
set -u

secs=${1:-60}
builddir=${2:-.}
shift $(($# < 2 ? $# : 2))
srcdir=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-1}
work=${WORKDIR:-$(mktemp -d /tmp/vmmap-fuzz.XXXXXX)}
mkdir -p "$work"

declare -A max_len=(
	[fuzz_maps]=16384 [fuzz_smaps]=65536 [fuzz_stat]=4096
	[fuzz_status]=8192 [fuzz_task]=4096 [fuzz_cpuinfo]=8192 [fuzz_meminfo]=8192
	[fuzz_elf]=65536 [fuzz_core]=65536 [fuzz_snapshot]=65536 [fuzz_report]=65536
)
corpus_of() {
	case $1 in
	fuzz_report) echo snapshot ;;
	*) echo "${1#fuzz_}" ;;
	esac
}

if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=()
	for bin in "$builddir"/fuzz/fuzz_*; do
		[ -x "$bin" ] && [ -f "$bin" ] && targets+=("$(basename "$bin")")
	done
fi
if [ ${#targets[@]} -eq 0 ]; then
	echo "run.sh: no fuzz targets in $builddir/fuzz (configure CC=clang --enable-fuzzing; make)" >&2
	exit 2
fi

# the other builds link the same targets with fuzz/replay_main.c, which
# only replays files: it has no -help
for t in "${targets[@]}"; do
	if ! "$builddir/fuzz/$t" -help=1 2>&1 | grep -q max_total_time; then
		echo "run.sh: $builddir/fuzz/$t is not a libFuzzer build (configure CC=clang --enable-fuzzing; make)" >&2
		exit 2
	fi
done

# UBSan reports must stop the run, or libFuzzer never records them
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:disable_coredump=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
	local t=$1 bin=$builddir/fuzz/$1 dir=$work/$1 c
	local -a extra=()
	c=$(corpus_of "$t")
	[ -f "$srcdir/fuzz/dict/$c.dict" ] && extra+=("-dict=$srcdir/fuzz/dict/$c.dict")
	mkdir -p "$dir/corpus" "$dir/crashes"
	cp "$srcdir/fuzz/corpus/$c"/* "$dir/corpus/" 2>/dev/null
	# -fork=1: a crash is recorded and fuzzing goes on to the next one
	"$bin" -max_total_time="$secs" -max_len="${max_len[$t]:-65536}" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
		-use_value_profile=1 "${extra[@]}" \
		-artifact_prefix="$dir/crashes/" \
		"$dir/corpus" >"$dir/log" 2>&1
}

summary() {
	local t=$1 dir=$work/$1 runs cov ft crashes n
	# executions: fork mode's last "#N: cov: ..." line
	runs=$(grep -Eo '^#[0-9]+' "$dir/log" | tail -n 1 | tr -d '#')
	# coverage: replay the grown corpus once, without value profiles, and
	# take libFuzzer's "INITED cov: EDGES ft: FEATURES"
	"$builddir/fuzz/$t" -runs=0 -max_len="${max_len[$t]:-65536}" \
		"$dir/corpus" >"$dir/replay.log" 2>&1
	cov=$(grep -Eo 'INITED cov: [0-9]+' "$dir/replay.log" | grep -Eo '[0-9]+$')
	ft=$(grep -Eo 'INITED cov: [0-9]+ ft: [0-9]+' "$dir/replay.log" | grep -Eo '[0-9]+$')
	n=$(find "$dir/corpus" -type f | wc -l)
	crashes=$(find "$dir/crashes" -type f | wc -l)
	printf '%-14s runs %10s  cov %5s  ft %6s  corpus %5d  crashes %d\n' \
		"$t" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$n" "$crashes"
	[ "$crashes" -eq 0 ]
}

echo "run.sh: ${#targets[@]} targets, ${secs}s each, $jobs at a time, in $work"
running=0
for t in "${targets[@]}"; do
	run_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

status=0
for t in "${targets[@]}"; do
	summary "$t" || status=1
done
if [ $status -ne 0 ]; then
	echo "crash inputs: $work/*/crashes/ (logs next to them); rerun and minimise one with"
	echo "  UBSAN_OPTIONS=halt_on_error=1 $builddir/fuzz/TARGET CRASH"
	echo "  UBSAN_OPTIONS=halt_on_error=1 $builddir/fuzz/TARGET -minimize_crash=1 -runs=100000 -exact_artifact_path=min CRASH"
fi
exit $status
