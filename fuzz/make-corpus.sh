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
mkdir -p "$out"/numa_maps
for f in "$fx"/numa_maps/*; do
	n=$(basename "$f")
	[ "$n" = README ] || put "$out/numa_maps" "$n" "$f"
done
printf 'running\n' >"$out/task/hand-running"
printf -- '-1 0x7ffd00001000 0x7f0000001234\n' >"$out/task/hand-nosyscall"
printf 'a\0b c\0\0d' >"$out/task/hand-cmdline-unterminated"
printf 'Name:\tx\nUid:\t1000\t1000\t1000\t1000\nThreads:\t3\nVmRSS:\t     12 kB\n' \
	>"$out/status/hand-short"

# cores: the fixtures' headers and notes without their memory, and a
# 32-bit core made here in the kernel's layout
mkdir -p "$out"/core
python3 - "$fx/core" "$out/core" <<'PY'
import struct, sys
src, out = sys.argv[1], sys.argv[2]
k = open(src + '/kernel-x86_64', 'rb').read()
# the kernel's notes come first: cut where the memory begins
open(out + '/kernel-x86_64-notes', 'wb').write(k[:0x3000])
# gdb's come last: move them after the program headers, memory left out
g = bytearray(open(src + '/gcore-x86_64', 'rb').read())
phoff, = struct.unpack_from('<Q', g, 0x20)
phnum, = struct.unpack_from('<H', g, 0x38)
end = phoff + phnum * 56
head = bytearray(g[:end])
for i in range(phnum):
    at = phoff + i * 56
    if struct.unpack_from('<I', head, at)[0] == 4:		# PT_NOTE
        off, size = struct.unpack_from('<QQQQ', head, at + 8)[0], \
            struct.unpack_from('<Q', head, at + 32)[0]
        notes = g[off:off + size]
        struct.pack_into('<Q', head, at + 8, end)
open(out + '/gcore-x86_64-notes', 'wb').write(bytes(head + notes))

def note(t, desc):
    return struct.pack('<III', 5, len(desc), t) + b'CORE\0\0\0\0' + \
        desc + b'\0' * (-len(desc) % 4)
def prstatus(tid, sig, esp):
    d = bytearray(144)
    struct.pack_into('<ih', d, 0, sig, 0)
    struct.pack_into('<h', d, 12, sig)
    struct.pack_into('<i', d, 24, tid)
    struct.pack_into('<I', d, 72 + 15 * 4, esp)
    return bytes(d)
ps = bytearray(124)
ps[1:2] = b'S'
struct.pack_into('<HHii', ps, 8, 1000, 100, 4242, 1)
ps[28:28 + 9] = b'threads32'
ps[44:44 + 17] = b'./threads32 alpha'
auxv = struct.pack('<8I', 3, 0x08048034, 6, 4096, 9, 0x08048100, 0, 0)
names = b'/usr/bin/threads32\0/usr/bin/threads32\0'
nt_file = struct.pack('<8I', 2, 4096, 0x08048000, 0x08049000, 0,
                      0x0804a000, 0x0804b000, 2) + names
notes = note(1, prstatus(4242, 11, 0xbffff6c0)) + note(3, bytes(ps)) + \
    note(6, auxv) + note(0x46494c45, nt_file) + note(1, prstatus(4243, 0, 0xbfffe100))
loads = [(0x08048000, 0x1000, 0x1000, 5), (0x0804a000, 0x1000, 0x2000, 6),
         (0xbfffe000, 0x2000, 0x2000, 6)]
phnum = 1 + len(loads)
off = 52 + 32 * phnum
ph = struct.pack('<8I', 4, off, 0, 0, len(notes), 0, 0, 4)
data = b''
pos = off + len(notes)
for va, fs, ms, fl in loads:
    ph += struct.pack('<8I', 1, pos, va, 0, fs, ms, fl, 0x1000)
    data += bytes([0x10 + len(data) % 7]) * fs
    pos += fs
eh = b'\x7fELF\x01\x01\x01' + b'\0' * 9 + struct.pack('<HHIIIIIHHHHHH',
    4, 3, 1, 0, 52, 0, 0, 52, 32, phnum, 0, 0, 0)
open(out + '/made-i386', 'wb').write(eh + ph + notes + data)
PY

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
