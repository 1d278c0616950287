/*
 * manymaps: a process with many memory regions and a chosen amount of
 * resident memory, for benchmarking vmmap against cat /proc/PID/smaps and
 * pmap -X.  Built only by `make bench`.
 *
 *   manymaps N RESIDENT_MIB
 *
 * It maps one private anonymous area, writes to RESIDENT_MIB of it spread
 * evenly over the whole area, then makes every other chunk read-only: the
 * chunks alternate rw-p and r--p, so the kernel cannot merge them and the
 * area shows as N regions in /proc/PID/maps, each holding its share of the
 * resident pages.  N is clamped so that the process stays under
 * vm.max_map_count together with the mappings it already has.
 *
 * When the area is set up it prints "ready" on standard output and waits
 * until it is killed.  It also dies with its parent (PR_SET_PDEATHSIG), so
 * an interrupted benchmark leaves nothing behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

/* room left for mappings made after the count (stdio buffers, malloc) */
#define MAP_MARGIN 16

static void usage(FILE *out)
{
	fputs("usage: manymaps N RESIDENT_MIB\n"
	      "Map N alternating rw-p/r--p anonymous regions with RESIDENT_MIB\n"
	      "MiB written, print \"ready\", then wait until killed.\n", out);
}

static int parse_count(const char *s, const char *what, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "manymaps: invalid %s: %s\n", what, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* A number from a one-line /proc/sys file, or -1. */
static long read_sysctl(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* MemAvailable from /proc/meminfo in KiB, or -1. */
static long mem_available_kib(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* Lines in /proc/self/maps: the regions this process has now, or -1. */
static long count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long n = 0;
	int c;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		if (c == '\n')
			n++;
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	long n, mib, max_maps, have, avail, page;
	size_t total_pages, resident_pages, off, i, k;
	char *area;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc != 3) {
		usage(stderr);
		return 2;
	}
	if (parse_count(argv[1], "region count", &n) ||
	    parse_count(argv[2], "resident size", &mib))
		return 2;
	if (n < 1)
		n = 1;

	/* die with the benchmark script, even if it is killed hard */
	prctl(PR_SET_PDEATHSIG, SIGKILL);

	page = sysconf(_SC_PAGESIZE);
	max_maps = read_sysctl("/proc/sys/vm/max_map_count");
	have = count_maps();
	if (max_maps > 0 && have >= 0 && n > max_maps - have - MAP_MARGIN) {
		long fit = max_maps - have - MAP_MARGIN;

		if (fit < 1) {
			fprintf(stderr, "manymaps: vm.max_map_count is %ld and "
				"%ld regions are mapped already\n", max_maps, have);
			return 1;
		}
		fprintf(stderr, "manymaps: clamping %ld regions to %ld: "
			"vm.max_map_count is %ld and %ld regions are mapped "
			"already\n", n, fit, max_maps, have);
		n = fit;
	}

	resident_pages = (size_t)mib * (1024 * 1024 / (size_t)page);
	total_pages = resident_pages > (size_t)n ? resident_pages : (size_t)n;

	avail = mem_available_kib();
	if (avail >= 0 && (size_t)avail / 1024 < (size_t)mib + 256) {
		fprintf(stderr, "manymaps: %ld MiB resident asked but only %ld "
			"MiB available; need 256 MiB more than that\n",
			mib, avail / 1024);
		return 1;
	}

	area = mmap(NULL, total_pages * (size_t)page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (area == MAP_FAILED) {
		fprintf(stderr, "manymaps: cannot map %zu MiB: %s\n",
			total_pages * (size_t)page >> 20, strerror(errno));
		return 1;
	}
	/* 4 KiB pages only: regions of a few pages cannot hold huge pages
	 * anyway, and a huge page split by mprotect would add noise */
	madvise(area, total_pages * (size_t)page, MADV_NOHUGEPAGE);

	/* write resident_pages pages spread evenly over the area */
	for (k = 0; k < resident_pages; k++) {
		i = (size_t)((unsigned long long)k * total_pages / resident_pages);
		area[i * (size_t)page] = 1;
	}

	/* region r covers pages [r*T/N, (r+1)*T/N); odd regions read-only */
	for (k = 1; k < (size_t)n; k += 2) {
		size_t start = (size_t)((unsigned long long)k * total_pages / (size_t)n);
		size_t end = (size_t)((unsigned long long)(k + 1) * total_pages / (size_t)n);

		off = start * (size_t)page;
		if (mprotect(area + off, (end - start) * (size_t)page, PROT_READ)) {
			fprintf(stderr, "manymaps: mprotect of region %zu failed "
				"after %ld maps: %s\n", k, count_maps(),
				strerror(errno));
			return 1;
		}
	}

	fprintf(stderr, "manymaps: pid %ld: %ld regions of %zu KiB on average, "
		"%ld MiB written, %ld maps in all\n", (long)getpid(), n,
		total_pages * (size_t)page / 1024 / (size_t)n, mib, count_maps());
	printf("ready\n");
	fflush(stdout);

	for (;;)
		pause();
}
