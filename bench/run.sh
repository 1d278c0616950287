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
	all_runs=${BENCH_ALL_RUNS:-3}
	all_extra=${BENCH_ALL_EXTRA:-30}
	rss_runs=${BENCH_RSS_RUNS:-1}
else
	ns=${BENCH_N:-"1000 10000 60000"}
	rs=${BENCH_R:-"256 256 2048"}
	runs_list=${BENCH_RUNS:-"40 20 15"}
	small_runs=${BENCH_SMALL_RUNS:-100}
	all_runs=${BENCH_ALL_RUNS:-10}
	all_extra=${BENCH_ALL_EXTRA:-100}
	rss_runs=${BENCH_RSS_RUNS:-3}
fi
warmup=${BENCH_WARMUP:-2}

# the issue's targets
TARGET_N=60000
TARGET_R=2048
TARGET_FLOOR_RATIO=1.15		# vmmap and vmmap --json, times the floor
TARGET_RSS_MIB=48		# vmmap's peak RSS, below
TARGET_SMALL_RATIO=1.5		# small process, times pmap -X
TARGET_ALL_RATIO=1.3		# vmmap --all, times cat /proc/[0-9]*/smaps
TARGET_SMEM_RATIO=10		# smem, times vmmap --all: at least
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

# an older vmmap (to compare with) may lack --pages or the machine view
help=$("$VMMAP" --help 2>/dev/null)
have_pages= have_all=
grep -q -e '--pages' <<< "$help" && have_pages=yes
grep -q -e '--all ' <<< "$help" && have_all=yes

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

declare -A median mean sd rss xfloor xpmap xall
pages_extra=

# fmt_time SECONDS: "12.3 ms"
fmt_time()
{
	awk -v t="$1" 'BEGIN {
		if (t == "") { print "-"; exit }
		if (t < 1) printf "%.1f ms\n", t * 1000; else printf "%.3f s\n", t }'
}

# two_places X: X with two decimals, or - when unknown
two_places()
{
	awk -v x="$1" 'BEGIN { if (x == "") print "-"; else printf "%.2f\n", x }'
}

# awk: the median of a[1..n] (sorts a)
awk_median='
	function median(a, n,   k, j, t) {
		for (k = 2; k <= n; k++)
			for (j = k; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}'

# measure_rounds LABEL RUNS: RUNS rounds after the warmup, each running
# every command once, in turn, timed with bash's microsecond clock. Each
# command's median, mean and stddev over the rounds, and its ratios to the
# floor and to pmap -X as the median of the ratios within a round: a
# machine whose speed drifts (another guest, a frequency change) moves
# both sides of a ratio alike, where it would skew the ratio of two
# medians taken minutes apart. The --pages target's ratio is paired too.
measure_rounds()
{
	local label=$1 runs=$2 i j t0 t1 name stats m me s rf rp ra
	local -a argv line

	for ((j = 0; j < warmup; j++)); do
		for i in "${!cmds[@]}"; do
			read -r -a argv <<< "${cmds[$i]}"
			"${argv[@]}" > /dev/null 2>&1
		done
	done
	# one line per round, a column per command (microseconds)
	(IFS=$'\t'; say "${names[*]}") > "$OUT/$label.times"
	for ((j = 0; j < runs; j++)); do
		line=()
		for i in "${!cmds[@]}"; do
			read -r -a argv <<< "${cmds[$i]}"
			t0=${EPOCHREALTIME/[.,]/}
			"${argv[@]}" > /dev/null 2>&1 ||
				{ say "bench: ${cmds[$i]} failed" >&2; return 1; }
			t1=${EPOCHREALTIME/[.,]/}
			line+=($((t1 - t0)))
		done
		(IFS=$'\t'; say "${line[*]}") >> "$OUT/$label.times"
	done
	for i in "${!names[@]}"; do
		name=${names[$i]}
		stats=$(awk -F'\t' -v c=$((i + 1)) "$awk_median"'
			NR == 1 {
				for (k = 1; k <= NF; k++) {
					if ($k == "cat /proc/PID/smaps" || $k == "cat /proc/[0-9]*/smaps") fc = k
					if ($k == "pmap -X PID") pc = k
					if ($k == "vmmap --all") ac = k
				}
				next
			}
			{
				n++; v[n] = $c / 1e6; s += v[n]; q += v[n] * v[n]
				if (fc && $fc > 0) rf[n] = $c / $fc
				if (pc && $pc > 0) rp[n] = $c / $pc
				if (ac && $ac > 0) ra[n] = $c / $ac
			}
			END {
				a = s / n; d = q / n - a * a
				printf "%.6f %.6f %.6f %s %s %s\n", median(v, n), a,
					(d > 0 ? sqrt(d) : 0),
					(fc ? sprintf("%.4f", median(rf, n)) : "-"),
					(pc ? sprintf("%.4f", median(rp, n)) : "-"),
					(ac ? sprintf("%.4f", median(ra, n)) : "-")
			}' "$OUT/$label.times")
		read -r m me s rf rp ra <<< "$stats"
		median[$name]=$m
		mean[$name]=$me
		sd[$name]=$s
		[ "$rf" != - ] && xfloor[$name]=$rf
		[ "$rp" != - ] && xpmap[$name]=$rp
		[ "$ra" != - ] && xall[$name]=$ra
	done
	pages_extra=$(awk -F'\t' "$awk_median"'
		NR == 1 {
			for (k = 1; k <= NF; k++) {
				if ($k == "vmmap PID") t = k
				if ($k == "vmmap --pages PID") p = k
				if ($k == "pagemap pread PID") r = k
			}
			next
		}
		t && p && r && $r > 0 { n++; d = $p - $t; x[n] = (d > 0 ? d : 0) / $r }
		END { if (n) printf "%.2f\n", median(x, n) }' "$OUT/$label.times")
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
	median=() mean=() sd=() rss=() xfloor=() xpmap=() xall=()
	pages_extra=
	measure_rounds "$label" "$runs" || return 1
	measure_rss
}

# print_table: one line per command
print_table()
{
	local name k noisy

	printf '%-22s %10s %10s %9s %8s %10s %10s\n' \
		command median mean stddev "x floor" "x pmap -X" "peak RSS"
	for name in "${names[@]}"; do
		k=${rss[$name]:-}
		printf '%-22s %10s %10s %9s %8s %10s %10s\n' "$name" \
			"$(fmt_time "${median[$name]:-}")" \
			"$(fmt_time "${mean[$name]:-}")" \
			"$(fmt_time "${sd[$name]:-}")" \
			"$(two_places "${xfloor[$name]:-}")" \
			"$(two_places "${xpmap[$name]:-}")" \
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
# target TEXT VALUE LIMIT OP UNIT: one PASS/MISS line; OP is le, lt or ge
target()
{
	local text=$1 value=$2 limit=$3 op=$4 unit=$5 verdict

	if [ -z "$value" ] || [ "$value" = - ]; then
		verdict=MISS
		value="-"
		unit=
	elif awk -v v="$value" -v l="$limit" -v op="$op" \
		'BEGIN { exit !(op == "le" ? v <= l : op == "ge" ? v >= l : v < l) }'; then
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
say "timing: rounds of every command in turn, bash's microsecond clock, warmup $warmup;" \
	"medians, ratios paired within a round; peak RSS: /usr/bin/time -f %M, max of $rss_runs run(s)"
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
		say ""
		say "targets (the issue's, for $TARGET_N regions and $TARGET_R MiB resident):"
		if [ "$n" != "$TARGET_N" ] || [ "$r" != "$TARGET_R" ]; then
			say "  note: this run used $n regions and $r MiB; the numbers are not comparable"
		fi
		target "vmmap PID <= ${TARGET_FLOOR_RATIO}x floor" \
			"$(two_places "${xfloor["vmmap PID"]:-}")" "$TARGET_FLOOR_RATIO" le x
		target "vmmap --json PID <= ${TARGET_FLOOR_RATIO}x floor" \
			"$(two_places "${xfloor["vmmap --json PID"]:-}")" "$TARGET_FLOOR_RATIO" le x
		target "vmmap PID peak RSS < $TARGET_RSS_MIB MiB" \
			"$(awk -v k="${rss["vmmap PID"]:-}" 'BEGIN { if (k != "") printf "%.1f\n", k / 1024 }')" \
			"$TARGET_RSS_MIB" lt " MiB"
		target "vmmap --json PID peak RSS < $TARGET_RSS_MIB MiB" \
			"$(awk -v k="${rss["vmmap --json PID"]:-}" 'BEGIN { if (k != "") printf "%.1f\n", k / 1024 }')" \
			"$TARGET_RSS_MIB" lt " MiB"
		say "  reference: pmap -X is about ${PMAP_FLOOR_RATIO}x floor;" \
			"measured $(two_places "${xfloor["pmap -X PID"]:-}")x"
		if [ -n "$pages_extra" ]; then
			# what --pages adds to the report, against a bare pread of
			# the same pagemap ranges; as root that includes a
			# kpageflags/kpagecount lookup of every present page
			target "vmmap --pages - vmmap <= 1x pagemap pread$( [ "$(id -u)" = 0 ] && echo ' (root: + kpageflags)')" \
				"$pages_extra" 1 le x
		fi
	fi
done

# the machine: vmmap --all against the kernel printing every smaps, and
# against smem (optional: Debian package smem) on the same processes
all_floor()
{
	cat /proc/[0-9]*/smaps > /dev/null 2>&1
	return 0
}
# machine LABEL TITLE: one table of the machine view and its targets;
# LABEL names the results file, TITLE is added to the headings
machine()
{
	local label=$1

	say "== the machine$2: vmmap --all vs cat /proc/[0-9]*/smaps" \
		"($(ls -d /proc/[0-9]* | wc -l) processes and kernel threads); $all_runs runs =="
	names=() cmds=()
	add_cmd "cat /proc/[0-9]*/smaps" all_floor
	add_cmd "vmmap --all" "$VMMAP --all"
	add_cmd "vmmap --all --json" "$VMMAP --all --json"
	add_cmd "vmmap --all --openmetrics" "$VMMAP --all --openmetrics"
	have_smem=
	if command -v smem > /dev/null; then
		have_smem=yes
		add_cmd "smem" "smem"
	fi
	measure "$label" "$all_runs" 0 || die "measuring the machine view failed"
	print_table
	[ -n "$have_smem" ] ||
		say "smem                   skipped: not installed (Debian package smem)"
	say ""
	say "targets (the issue's, for the machine view$2):"
	target "vmmap --all <= ${TARGET_ALL_RATIO}x cat /proc/[0-9]*/smaps" \
		"$(two_places "${xfloor["vmmap --all"]:-}")" "$TARGET_ALL_RATIO" le x
	if [ -n "$have_smem" ]; then
		# smem's time over vmmap's, paired within a round
		target "smem >= ${TARGET_SMEM_RATIO}x vmmap --all" \
			"$(two_places "${xall["smem"]:-}")" "$TARGET_SMEM_RATIO" ge x
		say "  reference: smem is $(two_places "${xfloor["smem"]:-}")x cat of every smaps"
	fi
}

# extra_start N: N more small processes (64 regions, 4 MiB resident
# each), as a server has; extra_stop ends them
extra_pids=()
extra_start()
{
	local i

	for ((i = 0; i < $1; i++)); do
		"$MANYMAPS" 64 4 > /dev/null 2>&1 &
		extra_pids+=($!)
	done
	sleep 1		# each writes its 4 MiB
}
extra_stop()
{
	[ "${#extra_pids[@]}" -gt 0 ] || return 0
	kill "${extra_pids[@]}" 2> /dev/null
	wait "${extra_pids[@]}" 2> /dev/null
	extra_pids=()
}
trap 'stop_gen; extra_stop' EXIT

stop_gen		# not the generator's regions: the machine as it is
say ""
if [ -z "$have_all" ]; then
	say "== the machine: skipped: vmmap --help does not list --all =="
else
	machine all ""
	if [ "$all_extra" -gt 0 ]; then
		say ""
		extra_start "$all_extra"
		machine all-extra " with $all_extra more processes"
		extra_stop
	fi
fi

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
	"$(two_places "${xpmap["vmmap PID"]:-}")" "$TARGET_SMALL_RATIO" le x

say ""
say "targets: $passes PASS, $misses MISS (reported, not enforced)"
exit 0
