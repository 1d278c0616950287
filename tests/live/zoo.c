/* zoo.c: a process whose address space is known, for the live tests.
 *
 * Usage: zoo TRUTH_FILE TMPDIR
 *
 * It builds a collection of mappings of every interesting sort, writes what
 * it built as JSON to TRUTH_FILE (atomically: a temporary file renamed into
 * place, so a reader never sees half a document) and then sleeps in pause()
 * until killed. Every thread is asleep in a system call by the time the
 * truth file appears, so the process is idle and its memory numbers stay put.
 *
 * Most mappings live inside one PROT_NONE reservation, each carved out with
 * MAP_FIXED and separated from the next by a PROT_NONE gap: a mapping is
 * never adjacent to another with the same flags, so the kernel cannot merge
 * it and every one is exactly one VMA. The gaps are "guard" regions.
 *
 * The test links it statically (see Makemodule.am): then no page of it is
 * shared with another process, Pss equals Rss page for page and its totals
 * do not move when other processes start or exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KIB (1024UL)
#define MIB (1024UL * 1024UL)

static void die(const char *what)
{
	fprintf(stderr, "zoo: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void die_msg(const char *what)
{
	fprintf(stderr, "zoo: %s\n", what);
	exit(2);
}

/* One mapping the test should find, and what vmmap should call it. */
struct exhibit {
	const char *name;
	const char *kind;
	uintptr_t start;
	size_t length;
	const char *path;	/* file-backed exhibits: the real file name */
	bool have_stat;
	unsigned long long inode;
	bool locked;		/* mlock() succeeded */
	bool touched;		/* every page is resident */
};

#define MAX_EXHIBITS 16
static struct exhibit exhibits[MAX_EXHIBITS];
static int nexhibits;

static struct exhibit *add_exhibit(const char *name, const char *kind,
				   void *start, size_t length)
{
	struct exhibit *e;

	if (nexhibits == MAX_EXHIBITS)
		die_msg("too many exhibits");
	e = &exhibits[nexhibits++];
	memset(e, 0, sizeof(*e));
	e->name = name;
	e->kind = kind;
	e->start = (uintptr_t)start;
	e->length = length;
	return e;
}

#include "../fixture_threads.h"

/* Threads with stacks of 256 KiB, 1 MiB and glibc's default size. */
#define NTHREADS 3
static struct fixture_thread threads[NTHREADS];

static void start_threads(void)
{
	static const size_t sizes[NTHREADS] = { 256 * KIB, 1 * MIB, 0 };
	int i;

	for (i = 0; i < NTHREADS; i++)
		threads[i].requested = sizes[i];
	fixture_start_threads(threads, NTHREADS, false);
	fixture_wait_threads_asleep(threads, NTHREADS);
}

static void touch(void *p, size_t len)
{
	volatile char *c = p;
	size_t i;

	for (i = 0; i < len; i += 4096)
		c[i] = (char)(i / 4096 + 1);
}

static void read_pages(const void *p, size_t len)
{
	const volatile char *c = p;
	size_t i;
	char sum = 0;

	for (i = 0; i < len; i += 4096)
		sum += c[i];
	(void)sum;
}

static void make_file(const char *path, size_t len)
{
	char page[4096];
	size_t done;
	int fd;

	memset(page, 'z', sizeof(page));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(path);
	for (done = 0; done < len; done += sizeof(page))
		if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page))
			die(path);
	if (close(fd))
		die(path);
}

/* Map path read-only at addr; the exhibit records its inode. */
static struct exhibit *map_file(const char *name, char *at, size_t len,
				const char *path)
{
	struct exhibit *e;
	struct stat st;
	void *p;
	int fd;

	make_file(path, len);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		die(path);
	p = mmap(at, len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	close(fd);
	read_pages(p, len);
	e = add_exhibit(name, "file", p, len);
	e->path = strdup(path);
	e->have_stat = true;
	e->inode = (unsigned long long)st.st_ino;
	e->touched = true;
	return e;
}

/* The reservation, cut into slots separated by gaps. */
struct arena {
	char *base;
	size_t size, used;
};

static char *arena_take(struct arena *a, size_t len)
{
	const size_t gap = 64 * KIB;
	char *p;

	if (a->used + len + gap > a->size)
		die_msg("reservation too small");
	p = a->base + a->used;
	a->used += len + gap;
	return p;
}

static void build_zoo(const char *dir)
{
	struct arena a;
	struct exhibit *e;
	char path[PATH_MAX + 64];
	char *p, *gap_start;
	int fd, id;

	a.size = 64 * MIB;
	a.used = 64 * KIB;	/* a gap before the first slot too */
	a.base = mmap(NULL, a.size, PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a.base == MAP_FAILED)
		die("mmap reservation");

	/* private anonymous memory, every page touched: known RSS */
	p = mmap(arena_take(&a, 3 * MIB), 3 * MIB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		die("mmap anon");
	touch(p, 3 * MIB);
	add_exhibit("anon", "anon", p, 3 * MIB)->touched = true;

	/* a PROT_NONE reserve, never touched: the gap after the anonymous
	 * slot, made longer than the others; it lies between two slots, so
	 * it is one VMA of known bounds */
	gap_start = p + 3 * MIB;
	a.used += 192 * KIB;

	/* shared anonymous memory */
	p = mmap(arena_take(&a, 256 * KIB), 256 * KIB, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		die("mmap shared anon");
	touch(p, 256 * KIB);
	add_exhibit("prot_none", "guard", gap_start, (size_t)(p - gap_start));
	add_exhibit("shared_anon", "shm", p, 256 * KIB)->touched = true;

	/* memfd, mapped shared */
	fd = (int)syscall(SYS_memfd_create, "zoo-memfd", 0);
	if (fd < 0)
		die("memfd_create");
	if (ftruncate(fd, 128 * KIB))
		die("ftruncate memfd");
	p = mmap(arena_take(&a, 128 * KIB), 128 * KIB, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap memfd");
	close(fd);
	touch(p, 128 * KIB);
	add_exhibit("memfd", "shm", p, 128 * KIB)->touched = true;

	/* SysV shared memory, removed at once so it never outlives us */
	id = shmget(IPC_PRIVATE, 192 * KIB, IPC_CREAT | 0600);
	if (id < 0)
		die("shmget");
	p = shmat(id, arena_take(&a, 192 * KIB), SHM_REMAP);
	if (p == (void *)-1) {
		int err = errno;

		shmctl(id, IPC_RMID, NULL);
		errno = err;
		die("shmat");
	}
	if (shmctl(id, IPC_RMID, NULL))
		die("shmctl IPC_RMID");
	touch(p, 192 * KIB);
	add_exhibit("sysv", "shm", p, 192 * KIB)->touched = true;

	/* mlocked private anonymous memory */
	p = mmap(arena_take(&a, 64 * KIB), 64 * KIB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		die("mmap mlocked");
	touch(p, 64 * KIB);
	e = add_exhibit("mlocked", "anon", p, 64 * KIB);
	e->touched = true;
	if (mlock(p, 64 * KIB) == 0)
		e->locked = true;
	else if (errno != EPERM && errno != ENOMEM && errno != EAGAIN)
		die("mlock");

	/* a data file with a space and a newline in its name */
	snprintf(path, sizeof(path), "%s/zoo data\nfile", dir);
	map_file("odd_name", arena_take(&a, 8 * KIB), 8 * KIB, path);

	/* a file mapped, then deleted */
	snprintf(path, sizeof(path), "%s/zoo-deleted", dir);
	map_file("deleted", arena_take(&a, 12 * KIB), 12 * KIB, path);
	if (unlink(path))
		die("unlink");
}

/* JSON output */

static void put_string(FILE *f, const char *s)
{
	const unsigned char *c;

	fputc('"', f);
	for (c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", f);
		else if (*c < 0x20)
			fprintf(f, "\\u%04x", *c);
		else
			fputc(*c, f);
	}
	fputc('"', f);
}

static void write_truth(const char *truth, uintptr_t main_stack)
{
	char tmp[PATH_MAX];
	FILE *f;
	int i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", truth);
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "{\n  \"pid\": %d,\n", (int)getpid());
	fprintf(f, "  \"page_size\": %ld,\n", sysconf(_SC_PAGESIZE));
	fprintf(f, "  \"main_stack\": \"0x%jx\",\n", (uintmax_t)main_stack);
	fputs("  \"threads\": [\n", f);
	for (i = 0; i < NTHREADS; i++) {
		const struct fixture_thread *t = &threads[i];

		fprintf(f, "    {\"tid\": %d, \"addr\": \"0x%jx\", "
			"\"stack_lo\": \"0x%jx\", \"stack_hi\": \"0x%jx\", "
			"\"requested\": %zu}%s\n",
			(int)t->tid, (uintmax_t)t->addr, (uintmax_t)t->stack_lo,
			(uintmax_t)t->stack_hi, t->requested,
			i + 1 < NTHREADS ? "," : "");
	}
	fputs("  ],\n  \"mappings\": [\n", f);
	for (i = 0; i < nexhibits; i++) {
		const struct exhibit *e = &exhibits[i];

		fprintf(f, "    {\"name\": \"%s\", \"kind\": \"%s\", "
			"\"start\": \"0x%jx\", \"length\": %zu, "
			"\"touched\": %s, \"locked\": %s",
			e->name, e->kind, (uintmax_t)e->start, e->length,
			e->touched ? "true" : "false",
			e->locked ? "true" : "false");
		if (e->path) {
			fputs(", \"path\": ", f);
			put_string(f, e->path);
		}
		if (e->have_stat)
			fprintf(f, ", \"inode\": %llu", e->inode);
		fprintf(f, "}%s\n", i + 1 < nexhibits ? "," : "");
	}
	fputs("  ]\n}\n", f);
	if (fclose(f))
		die(tmp);
	if (rename(tmp, truth))
		die("rename truth file");
}

int main(int argc, char **argv)
{
	volatile char on_stack[64];
	char dir[PATH_MAX];

	if (argc != 3) {
		fprintf(stderr, "usage: zoo TRUTH_FILE TMPDIR\n");
		return 2;
	}
	on_stack[0] = 1;
	/* maps shows canonical paths */
	if (!realpath(argv[2], dir))
		die(argv[2]);

	build_zoo(dir);
	start_threads();
	write_truth(argv[1], (uintptr_t)&on_stack[0]);

	for (;;)
		pause();
	return 0;
}
