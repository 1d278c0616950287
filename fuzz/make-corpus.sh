#!/bin/sh
# make-corpus.sh: (re)build the seed corpora in fuzz/corpus/ from the test
# fixtures (tests/fixtures), plus a few hand-made inputs and a tiny compiled
# ELF program. Run it from anywhere; it rewrites fuzz/corpus/ in the source
# tree. Seeds are small on purpose: the whole corpus stays under 1 MiB.
#
#   fuzz/make-corpus.sh [CC]
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
fx=$src/tests/fixtures
out=$src/fuzz/corpus
cc=${1:-${CC:-cc}}

rm -rf "$out"
mkdir -p "$out"/maps "$out"/smaps "$out"/stat "$out"/status "$out"/task \
	"$out"/cpuinfo "$out"/elf "$out"/snapshot

# name a seed after the fixture it comes from: <capture>-<file>
put() {	# put DIR NAME FILE
	cp "$3" "$1/$2"
}

for d in "$fx"/*/proc/[0-9]*; do
	cap=$(basename "$(dirname "$(dirname "$d")")")
	put "$out/maps" "$cap" "$d/maps"
	put "$out/smaps" "$cap" "$d/smaps"
	put "$out/smaps" "$cap-rollup" "$d/smaps_rollup"
	put "$out/stat" "$cap" "$d/stat"
	put "$out/status" "$cap" "$d/status"
	put "$out/task" "$cap-cmdline" "$d/cmdline"
	for t in "$d"/task/*; do
		tid=$(basename "$t")
		put "$out/stat" "$cap-task-$tid" "$t/stat"
		put "$out/task" "$cap-syscall-$tid" "$t/syscall"
	done
	[ -f "$d/limits" ] && put "$out/status" "$cap-limits" "$d/limits"

	# snapshot: smaps \0 stat \0 one syscall line per thread \0 the executable
	exe=$fx/$cap/$(cat "$d/exe")
	{
		cat "$d/smaps"
		printf '\0'
		cat "$d/stat"
		printf '\0'
		pid=$(basename "$d")
		cat "$d/task/$pid/syscall"
		for t in "$d"/task/*; do
			[ "$(basename "$t")" = "$pid" ] || cat "$t/syscall"
		done
		printf '\0'
		[ -f "$exe" ] && cat "$exe"
	} >"$out/snapshot/$cap-full"
done
cp "$fx"/zoo/proc/cpuinfo "$out/cpuinfo/fixture"

for f in "$fx"/edge/*; do
	n=$(basename "$f")
	case $n in
	maps-*) put "$out/maps" "edge-$n" "$f" ;;
	smaps-*) put "$out/smaps" "edge-$n" "$f"; put "$out/snapshot" "edge-$n" "$f" ;;
	stat-*) put "$out/stat" "edge-$n" "$f" ;;
	status-*) put "$out/status" "edge-$n" "$f" ;;
	esac
done

# the zoo's smaps alone: no stat, no threads, no ELF
cp "$fx"/zoo/proc/*/smaps "$out/snapshot/zoo-smaps-only"

for f in "$fx"/*/usr/*/* "$fx"/*/usr/*/*/* "$fx"/*/opt/*/*; do
	[ -f "$f" ] || continue
	cap=${f#"$fx"/}
	cap=${cap%%/*}
	put "$out/elf" "$cap-$(basename "$f")" "$f"
done

# hand-made inputs: the corners the captures do not have
printf '%s\n' \
	'00400000-00401000 r-xp 00000000 fe:00 123 /a\012b (deleted)' \
	'7f0000000000-7f0000001000 rw-s 00000000 00:01 4 /SYSV0000002a (deleted)' \
	'7f0000001000-7f0000002000 rw-s 00000000 00:01 5 /memfd:x (deleted)' \
	'7f0000002000-7f0000003000 rw-p 00000000 00:00 0 [anon:glibc: malloc]' \
	'7f0000003000-7f0000004000 rw-s 00000000 00:00 0 [anon_shmem:shm]' \
	'7f0000004000-7f0000005000 rw-p 00000000 00:0e 6 anon_inode:[io_uring]' \
	'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]' \
	>"$out/maps/hand-names"
printf 'processor\t: 0\nflags\t\t: fpu la57 pse\n\nprocessor\t: 1\nflags:\n' \
	>"$out/cpuinfo/hand-la57"

mkdir -p "$out"/iomem "$out"/zoneinfo "$out"/kallsyms "$out"/pagemap "$out"/meminfo
put "$out/kallsyms" machine-root "$fx/machine/root/proc/kallsyms"
put "$out/kallsyms" machine-user "$fx/machine/user/proc/kallsyms"
# run cap 5, then pagemap words: present|exclusive, a guard marker, swap
printf '\005\000\000\000\000\000\000\000\201\000\000\000\000\000\000\000\000\237\000\000\000\000\000\000\104\000\000\000\000\000\000\000\000' \
	>"$out/pagemap/hand-entries"
m=$fx/machine
put "$out/iomem" machine-root "$m/root/proc/iomem"
put "$out/iomem" machine-user "$m/user/proc/iomem"
put "$out/zoneinfo" machine-root "$m/root/proc/zoneinfo"
put "$out/meminfo" machine "$m/meminfo-6.18"
for f in "$m"/iomem-* "$m"/zoneinfo-*; do
	n=$(basename "$f")
	case $n in
	iomem-*) put "$out/iomem" "edge-$n" "$f" ;;
	zoneinfo-*) put "$out/zoneinfo" "edge-$n" "$f" ;;
	esac
done
printf 'MemTotal: 18014398509481983 kB\nMapped: 18014398509481984 kB\nShmem:\t 7 kB\nShmem: 8 kB\nCached: 1' >"$out/meminfo/hand-forms"
printf '0000-ffffffffffffffff : all : of it\n  00001000-00001fff : \n  00004000-00003fff : inverted\n  fffffffffffff000-ffffffffffffffff : top' >"$out/iomem/hand-forms"
printf 'Node 0, zone   Normal\n  pages free     1\n        spanned  2\n  pagesets\n    cpu: 0\n              count:    5\n              spanned  9\n  start_pfn:           18446744073709551615\nNode 2147483647, zone ZONE_NAME_15_BY\n' >"$out/zoneinfo/hand-forms"
printf 'running\n' >"$out/task/hand-running"
printf -- '-1 0x7ffd00001000 0x7f0000001234\n' >"$out/task/hand-nosyscall"
printf 'a\0b c\0\0d' >"$out/task/hand-cmdline-unterminated"
printf 'Name:\tx\nUid:\t1000\t1000\t1000\t1000\nThreads:\t3\nVmRSS:\t     12 kB\n' \
	>"$out/status/hand-short"

# a tiny program with and without section headers
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'int main(void) { return 0; }\n' >"$tmp/t.c"
printf 'void _start(void) { for (;;) ; }\n' >"$tmp/s.c"
if $cc -Os -s -o "$tmp/tiny-pie" "$tmp/t.c" 2>/dev/null; then
	cp "$tmp/tiny-pie" "$out/elf/tiny-pie"
fi
if $cc -Os -s -static -nostdlib -no-pie -Wl,--build-id -o "$tmp/tiny-static" "$tmp/s.c" 2>/dev/null; then
	cp "$tmp/tiny-static" "$out/elf/tiny-static"
	# section headers cut off: segments only
	python3 - "$tmp/tiny-static" "$out/elf/tiny-static-noshdr" <<'PY' || true
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
struct.pack_into('<Q', d, 0x28, 0)		# e_shoff
struct.pack_into('<HHH', d, 0x3a, 0, 0, 0)	# e_shentsize, e_shnum, e_shstrndx
open(sys.argv[2], 'wb').write(d)
PY
fi
du -sh "$out"
