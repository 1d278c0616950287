#!/bin/bash
# bench/run.sh: vmmap against the kernel floor (cat /proc/PID/smaps) and
# pmap -X, on processes with many regions and much resident memory, and on
# a small process.  Run by `make bench`; see bench/README.md.
#
# It reports and never gates: the targets are printed with PASS or MISS and
# the script exits 0 either way.  It exits 0 with "skipped" when a tool it
# needs is missing, and 1 only when the benchmark itself cannot run (the
# generator does not start, vmmap fails on the process).

set -u
export LC_ALL=C

VMMAP=${VMMAP:-./vmmap}
MANYMAPS=${MANYMAPS:-bench/manymaps}
OUT=${BENCH_OUT:-bench/results}
QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 0 ] && QUICK=

if [ -n "$QUICK" ]; then
	ns=${BENCH_N:-"1000 10000 60000"}
	rs=${BENCH_R:-"32 64 256"}
	runs_list=${BENCH_RUNS:-"5 5 3"}
	small_runs=${BENCH_SMALL_RUNS:-10}
	rss_runs=${BENCH_RSS_RUNS:-1}
else
	ns=${BENCH_N:-"1000 10000 60000"}
	rs=${BENCH_R:-"256 256 2048"}
	runs_list=${BENCH_RUNS:-"40 20 15"}
	small_runs=${BENCH_SMALL_RUNS:-100}
	rss_runs=${BENCH_RSS_RUNS:-3}
fi
warmup=${BENCH_WARMUP:-2}

# the issue's targets
TARGET_N=60000
TARGET_R=2048
TARGET_FLOOR_RATIO=1.15		# vmmap and vmmap --json, times the floor
TARGET_RSS_MIB=48		# vmmap's peak RSS, below
TARGET_SMALL_RATIO=1.5		# small process, times pmap -X
PMAP_FLOOR_RATIO=5		# the issue's "pmap -X is about 5x"

say() { printf '%s\n' "$*"; }
die() { say "bench: $*" >&2; exit 1; }
skip() { say "bench: skipped: $*"; exit 0; }

# ---- tools ----------------------------------------------------------------

command -v pmap > /dev/null ||
	skip "pmap not found; it comes with the Debian package procps"
[ -x /usr/bin/time ] ||
	skip "/usr/bin/time not found; it comes with the Debian package time"
[ -x "$VMMAP" ] || die "$VMMAP: not found or not executable (run make)"
[ -x "$MANYMAPS" ] || die "$MANYMAPS: not found (run make bench)"

use_hyperfine=yes
if [ "${BENCH_HYPERFINE:-yes}" = no ]; then
	use_hyperfine=
	say "bench: BENCH_HYPERFINE=no: timing with repeated runs and medians"
elif ! command -v hyperfine > /dev/null; then
	use_hyperfine=
	say "bench: hyperfine not found (Debian package hyperfine):" \
		"timing with repeated runs and medians instead"
fi

have_pages=
if "$VMMAP" --help 2>/dev/null | grep -q -e '--pages'; then
	have_pages=yes
fi

mkdir -p "$OUT" || die "cannot create $OUT"

# ---- the generator's lifetime ---------------------------------------------

gen_pid=
stop_gen()
{
	if [ -n "$gen_pid" ]; then
		kill "$gen_pid" 2> /dev/null
		wait "$gen_pid" 2> /dev/null
		gen_pid=
	fi
}
trap stop_gen EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mem_available_mib()
{
	awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo
}

# start_gen N R: start the generator and wait for its "ready"
start_gen()
{
	local i

	: > "$OUT/manymaps.out"
	"$MANYMAPS" "$1" "$2" > "$OUT/manymaps.out" 2> "$OUT/manymaps.err" &
	gen_pid=$!
	for ((i = 0; i < 1200; i++)); do
		if grep -qx ready "$OUT/manymaps.out"; then
			return 0
		fi
		if ! kill -0 "$gen_pid" 2> /dev/null; then
			wait "$gen_pid" 2> /dev/null
			gen_pid=
			sed 's/^/  /' "$OUT/manymaps.err" >&2
			return 1
		fi
		sleep 0.1
	done
	say "bench: manymaps did not get ready in 120 s" >&2
	stop_gen
	return 1
}

# ---- measuring ------------------------------------------------------------

# The commands of one table: parallel arrays of names and command lines.
# Names are the commands with the pid written as PID.
names=()
cmds=()
add_cmd() { names+=("$1"); cmds+=("$2"); }

declare -A median mean sd rss

# fmt_time SECONDS: "12.3 ms"
fmt_time()
{
	awk -v t="$1" 'BEGIN {
		if (t == "") { print "-"; exit }
		if (t < 1) printf "%.1f ms\n", t * 1000; else printf "%.3f s\n", t }'
}

# ratio A B: A/B with two decimals, or - when unknown
ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f\n", a / b }'
}

# measure_hyperfine LABEL RUNS: median/mean/sd of every command
measure_hyperfine()
{
	local label=$1 runs=$2 i args=() name m me s

	for i in "${!names[@]}"; do
		args+=(-n "${names[$i]}" "${cmds[$i]}")
	done
	if ! hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
		--export-json "$OUT/$label.json" \
		--export-csv "$OUT/$label.csv" \
		"${args[@]}" > "$OUT/$label.log" 2>&1; then
		sed 's/^/  /' "$OUT/$label.log" >&2
		return 1
	fi
	# command,mean,stddev,median,user,system,min,max (seconds)
	while IFS=, read -r name me s m _; do
		median[$name]=$m
		mean[$name]=$me
		sd[$name]=$s
	done < <(tail -n +2 "$OUT/$label.csv")
}

# measure_loop LABEL RUNS: the same without hyperfine, timing each run with
# bash's microsecond clock; the median of RUNS runs after the warmup
measure_loop()
{
	local label=$1 runs=$2 i j t0 t1 stats m me s
	local -a argv

	: > "$OUT/$label.times"
	for i in "${!names[@]}"; do
		read -r -a argv <<< "${cmds[$i]}"
		for ((j = 0; j < warmup; j++)); do
			"${argv[@]}" > /dev/null 2>&1
		done
		: > "$OUT/$label.$i.times"
		for ((j = 0; j < runs; j++)); do
			t0=${EPOCHREALTIME/[.,]/}
			"${argv[@]}" > /dev/null 2>&1 ||
				{ say "bench: ${cmds[$i]} failed" >&2; return 1; }
			t1=${EPOCHREALTIME/[.,]/}
			say $((t1 - t0)) >> "$OUT/$label.$i.times"
		done
		stats=$(sort -n "$OUT/$label.$i.times" | awk '
				{ v[NR] = $1 / 1e6; s += v[NR]; q += v[NR] * v[NR] }
				END {
					m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
					a = s / NR; d = q / NR - a * a
					printf "%.6f %.6f %.6f\n", m, a, (d > 0 ? sqrt(d) : 0) }')
		read -r m me s <<< "$stats"
		median[${names[$i]}]=$m
		mean[${names[$i]}]=$me
		sd[${names[$i]}]=$s
		{ say "${names[$i]}"; cat "$OUT/$label.$i.times"; } >> "$OUT/$label.times"
		rm -f "$OUT/$label.$i.times"
	done
}

# measure_rss: peak RSS in KiB of every command, the max of rss_runs runs
measure_rss()
{
	local i j k max
	local -a argv

	for i in "${!names[@]}"; do
		read -r -a argv <<< "${cmds[$i]}"
		max=
		for ((j = 0; j < rss_runs; j++)); do
			/usr/bin/time -f %M -o "$OUT/rss" "${argv[@]}" > /dev/null 2>&1 ||
				continue
			k=$(tail -n 1 "$OUT/rss")
			if [ -z "$max" ] || [ "$k" -gt "$max" ]; then max=$k; fi
		done
		rss[${names[$i]}]=$max
	done
	rm -f "$OUT/rss"
}

# measure LABEL RUNS PID: fill the arrays for the commands on PID
measure()
{
	local label=$1 runs=$2 pid=$3 i

	# every command must work once before it is timed
	for i in "${!cmds[@]}"; do
		if ! ${cmds[$i]} > /dev/null 2> "$OUT/$label.err"; then
			say "bench: '${cmds[$i]}' failed:" >&2
			sed 's/^/  /' "$OUT/$label.err" >&2
			return 1
		fi
	done
	rm -f "$OUT/$label.err"
	median=() mean=() sd=() rss=()
	if [ -n "$use_hyperfine" ]; then
		measure_hyperfine "$label" "$runs" || return 1
	else
		measure_loop "$label" "$runs" || return 1
	fi
	measure_rss
}

# print_table: one line per command
print_table()
{
	local name floor=${median["cat /proc/PID/smaps"]:-} pm=${median["pmap -X PID"]:-}
	local k noisy

	printf '%-22s %10s %10s %9s %8s %10s %10s\n' \
		command median mean stddev "x floor" "x pmap -X" "peak RSS"
	for name in "${names[@]}"; do
		k=${rss[$name]:-}
		printf '%-22s %10s %10s %9s %8s %10s %10s\n' "$name" \
			"$(fmt_time "${median[$name]:-}")" \
			"$(fmt_time "${mean[$name]:-}")" \
			"$(fmt_time "${sd[$name]:-}")" \
			"$(ratio "${median[$name]:-}" "$floor")" \
			"$(ratio "${median[$name]:-}" "$pm")" \
			"$( [ -n "$k" ] && awk -v k="$k" 'BEGIN { printf "%.1f MiB\n", k / 1024 }' || echo -)"
	done
	if [ -z "$have_pages" ]; then
		printf '%-22s %s\n' "vmmap --pages PID" \
			"skipped: vmmap --help does not list --pages"
	fi
	noisy=()
	for name in "${names[@]}"; do
		if awk -v m="${mean[$name]:-}" -v s="${sd[$name]:-}" \
			'BEGIN { exit !(m != "" && s != "" && m > 0 && s / m > 0.25) }'; then
			noisy+=("$name")
		fi
	done
	if [ "${#noisy[@]}" -gt 0 ]; then
		say "note: noisy (stddev above 25% of the mean): $(IFS=,; say "${noisy[*]}" | sed 's/,/, /g');" \
			"load average $(cut -d' ' -f1-3 /proc/loadavg)"
	fi
}

passes=0
misses=0
# target TEXT VALUE LIMIT OP UNIT: one PASS/MISS line; OP is le or lt
target()
{
	local text=$1 value=$2 limit=$3 op=$4 unit=$5 verdict

	if [ -z "$value" ] || [ "$value" = - ]; then
		verdict=MISS
		value="-"
		unit=
	elif awk -v v="$value" -v l="$limit" -v op="$op" \
		'BEGIN { exit !(op == "le" ? v <= l : v < l) }'; then
		verdict=PASS
	else
		verdict=MISS
	fi
	[ "$verdict" = PASS ] && passes=$((passes + 1)) || misses=$((misses + 1))
	printf '  %-44s %10s  %s\n' "$text" "$value$unit" "$verdict"
}

set_cmds()
{
	local pid=$1

	names=() cmds=()
	add_cmd "cat /proc/PID/smaps" "cat /proc/$pid/smaps"
	add_cmd "pmap -X PID" "pmap -X $pid"
	add_cmd "vmmap PID" "$VMMAP $pid"
	add_cmd "vmmap --json PID" "$VMMAP --json $pid"
	if [ -n "$have_pages" ]; then
		add_cmd "vmmap --pages PID" "$VMMAP --pages $pid"
		[ -x "${PAGEMAP_PREAD:-}" ] &&
			add_cmd "pagemap pread PID" "$PAGEMAP_PREAD $pid"
	fi
}

# ---- scenarios ------------------------------------------------------------

read -r -a n_arr <<< "$ns"
read -r -a r_arr <<< "$rs"
read -r -a runs_arr <<< "$runs_list"
[ "${#r_arr[@]}" -eq "${#n_arr[@]}" ] ||
	die "BENCH_N has ${#n_arr[@]} entries but BENCH_R has ${#r_arr[@]}"

say "vmmap benchmark${QUICK:+ (quick mode)}: $("$VMMAP" --version 2>/dev/null | head -n 1)," \
	"$(uname -r), $(nproc) CPUs, vm.max_map_count" \
	"$(cat /proc/sys/vm/max_map_count), load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "timing: ${use_hyperfine:+hyperfine $(hyperfine --version | awk '{ print $2 }'), }warmup $warmup," \
	"median of the runs; peak RSS: /usr/bin/time -f %M, max of $rss_runs run(s)"
say "results: $OUT"

last=$((${#n_arr[@]} - 1))
for i in "${!n_arr[@]}"; do
	n=${n_arr[$i]}
	r=${r_arr[$i]}
	runs=${runs_arr[$i]:-${runs_arr[-1]}}
	label="n$n-r$r"
	say ""
	avail=$(mem_available_mib)
	if [ "$avail" -lt $((r + 512)) ]; then
		say "== $n regions, $r MiB resident: skipped: $avail MiB available," \
			"$((r + 512)) MiB needed =="
		continue
	fi
	start_gen "$n" "$r" || die "manymaps $n $r did not start"
	maps=$(wc -l < "/proc/$gen_pid/maps")
	rss_gen=$(awk '/^Rss:/ { print int($2 / 1024) }' "/proc/$gen_pid/smaps_rollup" 2>/dev/null)
	say "== $n regions, $r MiB resident: pid $gen_pid has $maps maps," \
		"Rss ${rss_gen:-?} MiB; $runs runs =="
	grep '^manymaps: clamping' "$OUT/manymaps.err"
	set_cmds "$gen_pid"
	measure "$label" "$runs" "$gen_pid" || die "measuring $label failed"
	stop_gen
	print_table

	if [ "$i" -eq "$last" ]; then
		floor=${median["cat /proc/PID/smaps"]}
		say ""
		say "targets (the issue's, for $TARGET_N regions and $TARGET_R MiB resident):"
		if [ "$n" != "$TARGET_N" ] || [ "$r" != "$TARGET_R" ]; then
			say "  note: this run used $n regions and $r MiB; the numbers are not comparable"
		fi
		target "vmmap PID <= ${TARGET_FLOOR_RATIO}x floor" \
			"$(ratio "${median["vmmap PID"]}" "$floor")" "$TARGET_FLOOR_RATIO" le x
		target "vmmap --json PID <= ${TARGET_FLOOR_RATIO}x floor" \
			"$(ratio "${median["vmmap --json PID"]}" "$floor")" "$TARGET_FLOOR_RATIO" le x
		target "vmmap PID peak RSS < $TARGET_RSS_MIB MiB" \
			"$(awk -v k="${rss["vmmap PID"]:-}" 'BEGIN { if (k != "") printf "%.1f\n", k / 1024 }')" \
			"$TARGET_RSS_MIB" lt " MiB"
		target "vmmap --json PID peak RSS < $TARGET_RSS_MIB MiB" \
			"$(awk -v k="${rss["vmmap --json PID"]:-}" 'BEGIN { if (k != "") printf "%.1f\n", k / 1024 }')" \
			"$TARGET_RSS_MIB" lt " MiB"
		say "  reference: pmap -X is about ${PMAP_FLOOR_RATIO}x floor;" \
			"measured $(ratio "${median["pmap -X PID"]}" "$floor")x"
		if [ -n "${median["pagemap pread PID"]:-}" ]; then
			# what --pages adds to the report, against a bare pread of
			# the same pagemap ranges; as root that includes a
			# kpageflags/kpagecount lookup of every present page
			extra=$(awk -v a="${median["vmmap --pages PID"]}" -v b="${median["vmmap PID"]}" \
				'BEGIN { d = a - b; if (d < 0) d = 0; printf "%.6f\n", d }')
			target "vmmap --pages - vmmap <= 1x pagemap pread$( [ "$(id -u)" = 0 ] && echo ' (root: + kpageflags)')" \
				"$(ratio "$extra" "${median["pagemap pread PID"]}")" 1 le x
		fi
	fi
done

# the small process: this script's own shell
say ""
say "== small process: vmmap \$\$ vs pmap -X \$\$ (this bash, pid $$," \
	"$(wc -l < /proc/$$/maps) maps); $small_runs runs =="
set_cmds "$$"
measure small "$small_runs" "$$" || die "measuring the small process failed"
print_table
say ""
say "targets (the issue's, for a small process):"
target "vmmap PID <= ${TARGET_SMALL_RATIO}x pmap -X" \
	"$(ratio "${median["vmmap PID"]}" "${median["pmap -X PID"]}")" "$TARGET_SMALL_RATIO" le x

say ""
say "targets: $passes PASS, $misses MISS (reported, not enforced)"
exit 0
