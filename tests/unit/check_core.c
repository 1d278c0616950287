/* check_core.c: the core file reader (src/elf/core.c).
 *
 * Over two real cores of one program (tests/fixtures/core: one written by
 * gdb's gcore, one by the kernel), then over cores built here: an i386 one,
 * an aarch64 one, and the same cores made hostile: cut short at every
 * part, notes whose sizes lie, e_phnum PN_XNUM, program headers past the
 * end, NT_FILE tables that lie, and headers claiming gigabytes in a 10 GiB
 * sparse file, which must cost neither memory nor time.
 */
#include "config.h"

#include <check.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "elf/core.h"
#include "unit_util.h"

#define GIB (1ULL << 30)
#define MIB (1ULL << 20)

/* What reading one lying core may cost at most. */
#define MAX_RSS_GROWTH (64 * MIB)
#define MAX_SECONDS 2.0

#ifndef NT_FILE
#define NT_FILE 0x46494c45
#endif

/* ---- the fixtures ---- */

/* The program of the fixtures, as nm and its output said (README). */
#define FX_PATH "/tmp/vmmap-core/threads"
#define FX_INFO 0x403000ULL		/* struct fixture_info */
#define FX_INFO_TIDS (FX_INFO + 40)	/* int tids[3] */
#define FX_INFO_HEAP (FX_INFO + 56)	/* char *heap */
#define FX_BSS 0x403040ULL		/* char fixture_bss[16384], 0x5a */
#define FX_BSS_SIZE 16384
#define FX_ENTRY 0x40105cULL
static const char fx_marker[] = "vmmap core fixture: .data marker";
static const char fx_heap_marker[] = "vmmap core fixture: heap marker";

struct fixture {
	const char *file;
	bool gdb;
	int tids[3];
	const char *psargs;
	int signal;
};

static const struct fixture fixtures[] = {
	{ "gcore-x86_64", true, { 26253, 26255, 26256 }, "./threads", 0 },
	{ "kernel-x86_64", false, { 26370, 26373, 26374 },
	  "../threads alpha beta gamma ", SIGABRT },
};

static int open_fixture(const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/core/%s", FIXTURES, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	return fd;
}

static bool has_warning(const struct core_file *c, const char *part)
{
	size_t i;

	for (i = 0; i < c->nwarnings; i++)
		if (strstr(c->warnings[i], part))
			return true;
	return false;
}

static void dump_warnings(const struct core_file *c, const char *what)
{
	size_t i;

	for (i = 0; i < c->nwarnings; i++)
		fprintf(stderr, "%s: warning: %s\n", what, c->warnings[i]);
}

#define assert_warning(c, part) \
	ck_assert_msg(has_warning(c, part), "no warning with \"%s\"", part)

START_TEST(test_fixture)
{
	const struct fixture *fx = &fixtures[_i];
	struct core_file c;
	char buf[FX_BSS_SIZE];
	uint64_t heap = 0;
	int tids[3];
	size_t i, nself = 0;
	int fd = open_fixture(fx->file);

	ck_assert_int_eq(core_probe(fd), 1);
	ck_assert_int_eq(core_open(fd, &c), 0);
	close(fd);	/* the core keeps its own */
	dump_warnings(&c, fx->file);
	ck_assert_uint_eq(c.nwarnings, 0);
	ck_assert_int_eq(c.elf_class, 64);
	ck_assert_int_eq(c.machine, EM_X86_64);
	ck_assert_str_eq(c.arch, "x86_64");
	ck_assert_int_eq(c.gdb, fx->gdb);

	/* the process */
	ck_assert(c.has_prpsinfo);
	ck_assert_int_eq(c.prpsinfo.pid, fx->tids[0]);
	ck_assert_int_eq(c.prpsinfo.uid, 0);
	ck_assert_str_eq(c.prpsinfo.fname, "threads");
	ck_assert_str_eq(c.prpsinfo.psargs, fx->psargs);

	/* the threads, main first, each SP in a dumped segment */
	ck_assert_uint_eq(c.nthreads, 3);
	for (i = 0; i < 3; i++) {
		const struct core_segment *s;

		ck_assert_int_eq(c.threads[i].tid, fx->tids[i]);
		ck_assert_int_eq(c.threads[i].signal, fx->signal);
		ck_assert(c.threads[i].has_sp);
		s = core_segment_at(&c, c.threads[i].sp);
		ck_assert_ptr_nonnull(s);
		ck_assert(s->flags & PF_W);
		ck_assert_uint_gt(s->present, c.threads[i].sp - s->vaddr);
	}
	/* what the process wrote of itself agrees */
	ck_assert_int_eq(core_read_memory(&c, FX_INFO_TIDS, tids, sizeof(tids)),
			 (ssize_t)sizeof(tids));
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(tids[i], fx->tids[i]);

	/* the segments, sorted */
	ck_assert_uint_ge(c.nsegments, 8);
	for (i = 1; i < c.nsegments; i++)
		ck_assert_uint_ge(c.segments[i].vaddr,
				  c.segments[i - 1].vaddr + c.segments[i - 1].memsz);

	/* NT_FILE: the program's four mappings */
	/* gdb gives offsets in bytes (a page size of 1), the kernel in pages */
	ck_assert_uint_eq(c.file_page_size, fx->gdb ? 1 : 4096);
	for (i = 0; i < c.nfiles; i++) {
		const char *name = core_file_name(&c, &c.files[i]);

		ck_assert_ptr_nonnull(name);
		if (strcmp(name, FX_PATH) != 0)
			continue;
		ck_assert_uint_eq(c.files[i].start, 0x400000 + nself * 0x1000);
		ck_assert_uint_eq(c.files[i].end, c.files[i].start + 0x1000);
		ck_assert_uint_eq(c.files[i].offset, nself * 0x1000);
		/* the text and rodata are not dumped: gdb gives them no
		 * segment, the kernel an empty one */
		ck_assert_int_eq(c.files[i].in_load, !fx->gdb || nself == 0 || nself == 3);
		nself++;
	}
	ck_assert_uint_eq(nself, 4);
	ck_assert_uint_eq(core_dumped_bytes(&c, 0x400000, 0x404000), 0x2000);
	ck_assert_uint_eq(core_dumped_bytes(&c, 0x400800, 0x403800), 0x1000);
	ck_assert_uint_eq(core_dumped_bytes(&c, 0x404000, 0x400000), 0);

	/* the auxiliary vector */
	ck_assert(core_has_auxv(&c, CORE_AUXV_ENTRY));
	ck_assert_uint_eq(c.auxv[CORE_AUXV_ENTRY], FX_ENTRY);
	ck_assert(core_has_auxv(&c, CORE_AUXV_PAGESZ));
	ck_assert_uint_eq(c.auxv[CORE_AUXV_PAGESZ], 4096);
	ck_assert(core_has_auxv(&c, CORE_AUXV_PHDR));
	ck_assert_uint_eq(c.auxv[CORE_AUXV_PHDR], 0x400040);
	ck_assert(core_has_auxv(&c, CORE_AUXV_SYSINFO_EHDR));
	ck_assert_ptr_nonnull(core_segment_at(&c, c.auxv[CORE_AUXV_SYSINFO_EHDR]));
	ck_assert(core_has_auxv(&c, CORE_AUXV_EXECFN));
	ck_assert_int_eq(core_read_memory(&c, c.auxv[CORE_AUXV_EXECFN], buf, 10), 10);

	/* memory: .data, .bss across two segments, the heap */
	ck_assert_int_eq(core_read_memory(&c, FX_INFO, buf, sizeof(fx_marker)),
			 (ssize_t)sizeof(fx_marker));
	ck_assert_str_eq(buf, fx_marker);
	ck_assert_int_eq(core_read_memory(&c, FX_BSS, buf, FX_BSS_SIZE), FX_BSS_SIZE);
	for (i = 0; i < FX_BSS_SIZE; i++)
		ck_assert_int_eq(buf[i], 0x5a);
	ck_assert_int_eq(core_read_memory(&c, FX_INFO_HEAP, &heap, sizeof(heap)), 8);
	ck_assert_int_eq(core_read_memory(&c, heap, buf, sizeof(fx_heap_marker)),
			 (ssize_t)sizeof(fx_heap_marker));
	ck_assert_str_eq(buf, fx_heap_marker);
	/* not dumped (text), and short at the end of what is */
	ck_assert_int_eq(core_read_memory(&c, 0x401000, buf, 16), 0);
	ck_assert_int_eq(core_read_memory(&c, 0x407ff0, buf, 64), 16);
	ck_assert_int_eq(core_read_memory(&c, 0x10, buf, 64), 0);
	core_release(&c);
}
END_TEST

/* ---- cores built here ---- */

#define MAX_PARTS 8

struct spec {
	int cls;
	int machine;
	bool gdb_order;		/* NT_PRPSINFO first, as gdb writes */
	bool no_nt_file;	/* as older versions of gdb */
	struct { uint64_t vaddr, memsz, filesz; uint32_t flags; } loads[MAX_PARTS];
	size_t nloads;
	struct { int tid, sig; uint64_t sp; } threads[MAX_PARTS];
	size_t nthreads;
	int pid, ppid, uid, gid;
	const char *fname, *psargs;
	struct { uint64_t start, end, pgoff; const char *name; } files[MAX_PARTS];
	size_t nfiles;
	uint64_t entry;
	const char *marker;	/* at the start of the second load */
};

struct built {
	unsigned char *buf;
	size_t len;
	size_t ehsize, phoff, phentsize, nphdrs;
	size_t notes_off, notes_len;
	size_t prpsinfo_at, prstatus_at, file_at, auxv_at;	/* note headers */
	size_t load_off[MAX_PARTS];
};

static void put(unsigned char *p, size_t size, uint64_t v)
{
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get(const unsigned char *p, size_t size)
{
	uint64_t v = 0;
	size_t i;

	for (i = size; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Append a "CORE" note; returns the offset of its header. */
static size_t add_note(struct built *b, uint32_t type, const void *desc, size_t descsz)
{
	size_t at = b->len;

	put(b->buf + at, 4, 5);
	put(b->buf + at + 4, 4, descsz);
	put(b->buf + at + 8, 4, type);
	memcpy(b->buf + at + 12, "CORE\0\0\0", 8);
	memcpy(b->buf + at + 20, desc, descsz);
	b->len = at + 20 + align4(descsz);
	return at;
}

static size_t prstatus_size(const struct spec *s, size_t *sp_off)
{
	if (s->cls == 32) {
		*sp_off = 72 + 15 * 4;
		return 144;
	}
	if (s->machine == EM_AARCH64) {
		*sp_off = 112 + 31 * 8;
		return 392;
	}
	*sp_off = 112 + 19 * 8;
	return s->machine == EM_X86_64 ? 336 : 376;
}

static size_t add_prstatus(struct built *b, const struct spec *s, size_t i)
{
	unsigned char d[512] = { 0 };
	size_t sp_off, size = prstatus_size(s, &sp_off);

	put(d, 4, (uint64_t)s->threads[i].sig);		/* si_signo */
	put(d + 12, 2, (uint64_t)s->threads[i].sig);	/* pr_cursig */
	put(d + (s->cls == 64 ? 32 : 24), 4, (uint64_t)s->threads[i].tid);
	put(d + sp_off, s->cls / 8, s->threads[i].sp);
	return add_note(b, NT_PRSTATUS, d, size);
}

static size_t add_prpsinfo(struct built *b, const struct spec *s)
{
	unsigned char d[136] = { 0 };
	bool c64 = s->cls == 64;
	size_t fname_off = c64 ? 40 : 28;

	d[0] = 1;
	d[1] = 'S';
	if (c64) {
		put(d + 16, 4, (uint64_t)s->uid);
		put(d + 20, 4, (uint64_t)s->gid);
		put(d + 24, 4, (uint64_t)s->pid);
		put(d + 28, 4, (uint64_t)s->ppid);
	} else {	/* 16-bit ids, as i386 writes them */
		put(d + 8, 2, (uint64_t)s->uid);
		put(d + 10, 2, (uint64_t)s->gid);
		put(d + 12, 4, (uint64_t)s->pid);
		put(d + 16, 4, (uint64_t)s->ppid);
	}
	/* fixed fields, NUL-padded, unterminated when full */
	memcpy(d + fname_off, s->fname, strlen(s->fname) < 16 ? strlen(s->fname) : 16);
	memcpy(d + fname_off + 16, s->psargs, strlen(s->psargs) < 80 ? strlen(s->psargs) : 80);
	return add_note(b, NT_PRPSINFO, d, c64 ? 136 : 124);
}

static size_t add_auxv(struct built *b, const struct spec *s)
{
	unsigned char d[128];
	size_t w = (size_t)s->cls / 8, n = 0;
	const uint64_t v[] = {
		AT_PHDR, s->loads[0].vaddr + (s->cls == 64 ? 64 : 52),
		AT_PAGESZ, 4096,
		AT_ENTRY, s->entry,
		AT_NULL, 0,
		AT_ENTRY, 0xdead,	/* after AT_NULL: not read */
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++, n += w)
		put(d + n, w, v[i]);
	return add_note(b, NT_AUXV, d, n);
}

static size_t add_file(struct built *b, const struct spec *s)
{
	unsigned char d[2048];
	size_t w = (size_t)s->cls / 8, n = 0, i;

	put(d, w, s->nfiles);
	put(d + w, w, 4096);
	n = 2 * w;
	for (i = 0; i < s->nfiles; i++, n += 3 * w) {
		put(d + n, w, s->files[i].start);
		put(d + n + w, w, s->files[i].end);
		put(d + n + 2 * w, w, s->files[i].pgoff);
	}
	for (i = 0; i < s->nfiles; i++) {
		size_t len = strlen(s->files[i].name) + 1;

		memcpy(d + n, s->files[i].name, len);
		n += len;
	}
	return add_note(b, NT_FILE, d, n);
}

static void phdr(struct built *b, size_t i, uint32_t type, uint32_t flags, uint64_t off,
		 uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	unsigned char *p = b->buf + b->phoff + i * b->phentsize;

	if (b->phentsize == sizeof(Elf64_Phdr)) {
		put(p + offsetof(Elf64_Phdr, p_type), 4, type);
		put(p + offsetof(Elf64_Phdr, p_flags), 4, flags);
		put(p + offsetof(Elf64_Phdr, p_offset), 8, off);
		put(p + offsetof(Elf64_Phdr, p_vaddr), 8, vaddr);
		put(p + offsetof(Elf64_Phdr, p_filesz), 8, filesz);
		put(p + offsetof(Elf64_Phdr, p_memsz), 8, memsz);
		put(p + offsetof(Elf64_Phdr, p_align), 8, align);
	} else {
		put(p + offsetof(Elf32_Phdr, p_type), 4, type);
		put(p + offsetof(Elf32_Phdr, p_flags), 4, flags);
		put(p + offsetof(Elf32_Phdr, p_offset), 4, off);
		put(p + offsetof(Elf32_Phdr, p_vaddr), 4, vaddr);
		put(p + offsetof(Elf32_Phdr, p_filesz), 4, filesz);
		put(p + offsetof(Elf32_Phdr, p_memsz), 4, memsz);
		put(p + offsetof(Elf32_Phdr, p_align), 4, align);
	}
}

/* A field of the ELF header, by its offsets in either class. */
static void set_ehdr(struct built *b, size_t off64, size_t off32, size_t size64,
		     size_t size32, uint64_t v)
{
	if (b->ehsize == sizeof(Elf64_Ehdr))
		put(b->buf + off64, size64, v);
	else
		put(b->buf + off32, size32, v);
}

#define EH(b, field, v) set_ehdr(b, offsetof(Elf64_Ehdr, field), offsetof(Elf32_Ehdr, field), \
				 sizeof(((Elf64_Ehdr *)0)->field), \
				 sizeof(((Elf32_Ehdr *)0)->field), v)

static void build(const struct spec *s, struct built *b)
{
	bool c64 = s->cls == 64;
	size_t i, off;

	memset(b, 0, sizeof(*b));
	b->buf = calloc(1, 1 << 20);
	ck_assert_ptr_nonnull(b->buf);
	b->ehsize = c64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	b->phentsize = c64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	b->phoff = b->ehsize;
	b->nphdrs = 1 + s->nloads;
	memcpy(b->buf, ELFMAG, SELFMAG);
	b->buf[EI_CLASS] = c64 ? ELFCLASS64 : ELFCLASS32;
	b->buf[EI_DATA] = ELFDATA2LSB;
	b->buf[EI_VERSION] = EV_CURRENT;
	EH(b, e_type, ET_CORE);
	EH(b, e_machine, (uint64_t)s->machine);
	EH(b, e_version, EV_CURRENT);
	EH(b, e_phoff, b->phoff);
	EH(b, e_ehsize, b->ehsize);
	EH(b, e_phentsize, b->phentsize);
	EH(b, e_phnum, b->nphdrs);

	b->notes_off = b->len = b->phoff + b->nphdrs * b->phentsize;
	if (s->gdb_order) {
		b->prpsinfo_at = add_prpsinfo(b, s);
		for (i = 0; i < s->nthreads; i++) {
			off = add_prstatus(b, s, i);
			if (i == 0)
				b->prstatus_at = off;
		}
		b->auxv_at = add_auxv(b, s);
		if (!s->no_nt_file)
			b->file_at = add_file(b, s);
	} else {
		b->prstatus_at = add_prstatus(b, s, 0);
		b->prpsinfo_at = add_prpsinfo(b, s);
		b->auxv_at = add_auxv(b, s);
		b->file_at = add_file(b, s);
		for (i = 1; i < s->nthreads; i++)
			add_prstatus(b, s, i);
	}
	b->notes_len = b->len - b->notes_off;
	phdr(b, 0, PT_NOTE, 0, b->notes_off, 0, b->notes_len, 0, 4);

	for (i = 0; i < s->nloads; i++) {
		size_t j;

		b->len = (b->len + 15) & ~(size_t)15;
		b->load_off[i] = b->len;
		for (j = 0; j < s->loads[i].filesz; j++)
			b->buf[b->len + j] = (unsigned char)(0x10 + i);
		if (i == 1 && s->marker)
			memcpy(b->buf + b->len, s->marker, strlen(s->marker) + 1);
		phdr(b, 1 + i, PT_LOAD, s->loads[i].flags, b->len, s->loads[i].vaddr,
		     s->loads[i].filesz, s->loads[i].memsz, 1);
		b->len += s->loads[i].filesz;
	}
	ck_assert_uint_lt(b->len, 1 << 20);
}

/* The bytes as an unlinked file of size bytes: past len a hole, which
 * costs no disk and reads as zeros. */
static int file_of(const unsigned char *buf, size_t len, uint64_t size)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/vmmap-core.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	if (len > size)
		len = (size_t)size;
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	return fd;
}

/* Peak RSS and time over one core_open(). */
struct cost {
	long rss_kb;
	struct timespec t0;
};

static void cost_start(struct cost *k)
{
	struct rusage ru;

	ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
	k->rss_kb = ru.ru_maxrss;
	clock_gettime(CLOCK_MONOTONIC, &k->t0);
}

static void cost_check(const struct cost *k, const char *what)
{
	struct timespec t1;
	struct rusage ru;
	double took;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
	took = (double)(t1.tv_sec - k->t0.tv_sec) + (double)(t1.tv_nsec - k->t0.tv_nsec) / 1e9;
	ck_assert_msg((uint64_t)(ru.ru_maxrss - k->rss_kb) * 1024 < MAX_RSS_GROWTH,
		      "%s: peak RSS grew by %ld KiB", what, ru.ru_maxrss - k->rss_kb);
	ck_assert_msg(took < MAX_SECONDS, "%s: took %.2f s", what, took);
}

/* core_open() over the first len bytes of b in a file of size bytes. */
static int open_built(const struct built *b, size_t len, uint64_t size, struct core_file *c,
		      const char *what)
{
	struct cost k;
	int fd = file_of(b->buf, len, size), rc;

	cost_start(&k);
	rc = core_open(fd, c);
	cost_check(&k, what);
	close(fd);
	if (rc == 0)
		dump_warnings(c, what);
	return rc;
}

static const struct spec i386_spec = {
	.cls = 32, .machine = EM_386,
	.loads = {
		{ 0x08048000, 0x1000, 0x1000, PF_R | PF_X },
		{ 0x0804a000, 0x2000, 0x1000, PF_R | PF_W },	/* with a bss tail */
		{ 0xb7fff000, 0x1000, 0x1000, PF_R | PF_X },
		{ 0xbfffe000, 0x2000, 0x2000, PF_R | PF_W },
	},
	.nloads = 4,
	.threads = { { 4242, SIGSEGV, 0xbffff6c0 }, { 4243, 0, 0xbfffe100 } },
	.nthreads = 2,
	.pid = 4242, .ppid = 1, .uid = 1000, .gid = 100,
	.fname = "threads32", .psargs = "./threads32 alpha",
	.files = {
		{ 0x08048000, 0x08049000, 0, "/usr/bin/threads32" },
		{ 0x0804a000, 0x0804b000, 2, "/usr/bin/threads32" },
	},
	.nfiles = 2,
	.entry = 0x08048100,
	.marker = "i386 marker",
};

static const struct spec x86_64_spec = {
	.cls = 64, .machine = EM_X86_64, .gdb_order = true,
	.loads = {
		{ 0x400000, 0x1000, 0x1000, PF_R },
		{ 0x403000, 0x2000, 0x2000, PF_R | PF_W },
		{ 0x7ffff7ff0000, 0x2000, 0x2000, PF_R | PF_X },
		{ 0x7ffffffde000, 0x21000, 0x1000, PF_R | PF_W },
	},
	.nloads = 4,
	.threads = { { 77, 0, 0x7ffffffdef00 }, { 78, 0, 0x403800 } },
	.nthreads = 2,
	.pid = 77, .ppid = 76,
	.fname = "0123456789abcdef",	/* 16 bytes: unterminated */
	.psargs = "./a.out",
	.files = {
		{ 0x400000, 0x401000, 0, "/bin/a.out" },
		{ 0x403000, 0x404000, 3, "/bin/a.out" },
	},
	.nfiles = 2,
	.entry = 0x400100,
	.marker = "x86_64 marker",
};

START_TEST(test_i386)
{
	struct core_file c;
	struct built b;
	char buf[64];

	build(&i386_spec, &b);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "i386"), 0);
	ck_assert_uint_eq(c.nwarnings, 0);
	ck_assert_int_eq(c.elf_class, 32);
	ck_assert_str_eq(c.arch, "i386");
	ck_assert(!c.gdb);
	ck_assert(c.has_prpsinfo);
	ck_assert_int_eq(c.prpsinfo.pid, 4242);
	ck_assert_int_eq(c.prpsinfo.ppid, 1);
	ck_assert_int_eq(c.prpsinfo.uid, 1000);
	ck_assert_int_eq(c.prpsinfo.gid, 100);
	ck_assert_int_eq(c.prpsinfo.state, 'S');
	ck_assert_str_eq(c.prpsinfo.fname, "threads32");
	ck_assert_str_eq(c.prpsinfo.psargs, "./threads32 alpha");
	ck_assert_uint_eq(c.nthreads, 2);
	ck_assert_int_eq(c.threads[0].tid, 4242);
	ck_assert_int_eq(c.threads[0].signal, SIGSEGV);
	ck_assert(c.threads[0].has_sp);
	ck_assert_uint_eq(c.threads[0].sp, 0xbffff6c0);
	ck_assert_int_eq(c.threads[1].tid, 4243);
	ck_assert_uint_eq(c.threads[1].sp, 0xbfffe100);
	ck_assert_uint_eq(c.nsegments, 4);
	ck_assert_uint_eq(c.segments[2].vaddr, 0xb7fff000);
	ck_assert_uint_eq(c.nfiles, 2);
	ck_assert_str_eq(core_file_name(&c, &c.files[1]), "/usr/bin/threads32");
	ck_assert_uint_eq(c.files[1].start, 0x0804a000);
	ck_assert_uint_eq(c.files[1].offset, 0x2000);
	ck_assert(c.files[1].in_load);
	ck_assert_uint_eq(c.auxv[CORE_AUXV_ENTRY], 0x08048100);
	ck_assert_uint_eq(c.auxv[CORE_AUXV_PHDR], 0x08048034);
	ck_assert(!core_has_auxv(&c, CORE_AUXV_BASE));
	ck_assert_int_eq(core_read_memory(&c, 0x0804a000, buf, 12), 12);
	ck_assert_str_eq(buf, "i386 marker");
	/* the bss tail is in memory, not in the core */
	ck_assert_int_eq(core_read_memory(&c, 0x0804aff0, buf, 64), 16);
	ck_assert_int_eq(core_read_memory(&c, 0x0804b000, buf, 64), 0);
	ck_assert_uint_eq(core_dumped_bytes(&c, 0x0804a000, 0x0804c000), 0x1000);
	ck_assert_uint_eq(core_dumped_bytes(&c, 0, UINT64_MAX), 0x5000);
	core_release(&c);
	free(b.buf);
}
END_TEST

START_TEST(test_x86_64_gdb_order)
{
	struct core_file c;
	struct built b;
	char buf[64];

	build(&x86_64_spec, &b);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "x86_64"), 0);
	ck_assert_uint_eq(c.nwarnings, 0);
	ck_assert(c.gdb);
	ck_assert_str_eq(c.prpsinfo.fname, "0123456789abcdef");
	ck_assert_uint_eq(c.nthreads, 2);
	ck_assert_uint_eq(c.threads[1].sp, 0x403800);
	ck_assert_int_eq(core_read_memory(&c, 0x403000, buf, 14), 14);
	ck_assert_str_eq(buf, "x86_64 marker");
	/* only the first page of the stack segment is in the file */
	ck_assert_uint_eq(core_dumped_bytes(&c, 0x7ffffffde000, 0x7ffffffff000), 0x1000);
	core_release(&c);
	free(b.buf);
}
END_TEST

/* Older versions of gdb wrote no NT_FILE: the rest is read, the files are
 * unknown. */
START_TEST(test_no_nt_file)
{
	struct spec s = x86_64_spec;
	struct core_file c;
	struct built b;

	s.no_nt_file = true;
	build(&s, &b);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "no NT_FILE"), 0);
	ck_assert_uint_eq(c.nwarnings, 1);
	assert_warning(&c, "no NT_FILE");
	ck_assert_uint_eq(c.nfiles, 0);
	ck_assert_uint_eq(c.file_page_size, 0);
	ck_assert_uint_eq(c.nthreads, 2);
	ck_assert(core_has_auxv(&c, CORE_AUXV_ENTRY));
	core_release(&c);
	free(b.buf);
}
END_TEST

/* The stack pointer on aarch64; none on a machine whose registers we do
 * not know; none, with a warning, from an NT_PRSTATUS of a wrong size. */
START_TEST(test_machines)
{
	struct spec s = x86_64_spec;
	struct core_file c;
	struct built b;

	s.machine = EM_AARCH64;
	build(&s, &b);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "aarch64"), 0);
	ck_assert_uint_eq(c.nwarnings, 0);
	ck_assert_str_eq(c.arch, "aarch64");
	ck_assert(c.threads[0].has_sp);
	ck_assert_uint_eq(c.threads[0].sp, 0x7ffffffdef00);
	core_release(&c);
	free(b.buf);

	s.machine = EM_RISCV;
	build(&s, &b);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "riscv64"), 0);
	ck_assert_uint_eq(c.nwarnings, 0);
	ck_assert_str_eq(c.arch, "riscv64");
	ck_assert_uint_eq(c.nthreads, 2);
	ck_assert(!c.threads[0].has_sp);
	ck_assert_int_eq(c.threads[0].tid, 77);
	core_release(&c);
	free(b.buf);

	/* an x86_64 NT_PRSTATUS that is 4 bytes short */
	build(&x86_64_spec, &b);
	put(b.buf + b.prstatus_at + 4, 4, 332);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "short prstatus"), 0);
	ck_assert(!c.threads[0].has_sp);
	ck_assert_int_eq(c.threads[0].tid, 77);
	assert_warning(&c, "stack pointer is unknown");
	core_release(&c);
	free(b.buf);
}
END_TEST

START_TEST(test_not_core)
{
	struct core_file c;
	struct built b;
	int fd;

	build(&x86_64_spec, &b);
	/* an executable */
	EH(&b, e_type, ET_EXEC);
	fd = file_of(b.buf, b.len, b.len);
	ck_assert_int_eq(core_probe(fd), 0);
	ck_assert_int_eq(core_open(fd, &c), -ENOEXEC);
	close(fd);
	/* big-endian */
	EH(&b, e_type, ET_CORE);
	b.buf[EI_DATA] = ELFDATA2MSB;
	fd = file_of(b.buf, b.len, b.len);
	ck_assert_int_eq(core_probe(fd), 0);
	close(fd);
	/* text */
	fd = file_of((const unsigned char *)"hello, world\n", 13, 13);
	ck_assert_int_eq(core_probe(fd), 0);
	ck_assert_int_eq(core_open(fd, &c), -ENOEXEC);
	close(fd);
	/* a directory cannot be read */
	fd = open("/", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(core_probe(fd), -EISDIR);
	close(fd);
	free(b.buf);
}
END_TEST

/* Cut short at each part of the file: the ELF header, the program
 * headers, the notes, the memory. What is there is read, the rest is a
 * warning. */
START_TEST(test_truncated)
{
	struct core_file c;
	struct built b;
	size_t cuts[16], n = 0, i;

	build(&i386_spec, &b);
	cuts[n++] = 0;
	cuts[n++] = 20;
	cuts[n++] = b.ehsize;
	cuts[n++] = b.phoff + b.phentsize + 3;
	cuts[n++] = b.notes_off + 10;
	cuts[n++] = b.prpsinfo_at + 30;
	cuts[n++] = b.file_at + 24;
	cuts[n++] = b.notes_off + b.notes_len;
	cuts[n++] = b.load_off[1] + 0x800;
	cuts[n++] = b.len - 1;
	for (i = 0; i < n; i++) {
		char what[64];
		int rc;

		snprintf(what, sizeof(what), "cut at %zu of %zu", cuts[i], b.len);
		rc = open_built(&b, cuts[i], cuts[i], &c, what);
		if (cuts[i] < b.ehsize) {
			ck_assert_int_eq(rc, -ENOEXEC);
			continue;
		}
		ck_assert_int_eq(rc, 0);
		ck_assert_msg(c.nwarnings > 0, "%s: no warning", what);
		ck_assert_uint_eq(c.file_size, cuts[i]);
		ck_assert_uint_le(core_dumped_bytes(&c, 0, UINT64_MAX), cuts[i]);
		if (cuts[i] >= b.notes_off + b.notes_len) {
			ck_assert_uint_eq(c.nthreads, 2);
			ck_assert_uint_eq(c.nfiles, 2);
			ck_assert_uint_eq(c.nsegments, 4);
			assert_warning(&c, "truncated core");
		}
		core_release(&c);
	}
	/* half the .data page is there */
	ck_assert_int_eq(open_built(&b, b.load_off[1] + 0x800, b.load_off[1] + 0x800, &c,
				    "half a page"), 0);
	{
		char buf[0x1000];

		ck_assert_int_eq(core_read_memory(&c, 0x0804a000, buf, sizeof(buf)), 0x800);
		ck_assert_str_eq(buf, "i386 marker");
		ck_assert_uint_eq(core_dumped_bytes(&c, 0x0804a000, 0x0804c000), 0x800);
	}
	core_release(&c);
	free(b.buf);
}
END_TEST

/* The real kernel core cut after its notes: the process and threads are
 * all there, its memory is not. */
START_TEST(test_truncated_fixture)
{
	struct core_file c;
	struct built b = { 0 };
	char path[4096];
	size_t len;

	snprintf(path, sizeof(path), "%s/core/kernel-x86_64", FIXTURES);
	b.buf = (unsigned char *)util_read_file(path, &len);
	ck_assert_int_eq(open_built(&b, 0x3000, 0x3000, &c, "kernel core cut at 0x3000"), 0);
	ck_assert_uint_eq(c.nthreads, 3);
	ck_assert_uint_eq(c.nfiles, 4);
	ck_assert_uint_eq(core_dumped_bytes(&c, 0, UINT64_MAX), 0);
	assert_warning(&c, "truncated core");
	core_release(&c);
	ck_assert_int_eq(open_built(&b, 0x3800, 0x3800, &c, "kernel core cut at 0x3800"), 0);
	ck_assert_uint_eq(core_dumped_bytes(&c, 0, UINT64_MAX), 0x800);
	core_release(&c);
	free(b.buf);
}
END_TEST

START_TEST(test_note_sizes_lie)
{
	struct core_file c;
	struct built b;

	/* the first note claims 4 GiB: no note is read */
	build(&x86_64_spec, &b);
	put(b.buf + b.prpsinfo_at + 4, 4, 0xfffffff0u);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "descsz 4G"), 0);
	assert_warning(&c, "claims more bytes than its PT_NOTE holds");
	ck_assert(!c.has_prpsinfo);
	ck_assert_uint_eq(c.nthreads, 0);
	ck_assert_uint_eq(c.nsegments, 4);
	core_release(&c);
	free(b.buf);

	/* a name size that lies */
	build(&x86_64_spec, &b);
	put(b.buf + b.auxv_at, 4, 0x7fffffff);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "namesz 2G"), 0);
	assert_warning(&c, "claims more bytes");
	ck_assert(c.has_prpsinfo);
	ck_assert_uint_eq(c.nthreads, 2);
	ck_assert_uint_eq(c.nfiles, 0);
	ck_assert_uint_eq(c.auxv_known, 0);
	core_release(&c);
	free(b.buf);

	/* an NT_PRSTATUS that claims 8 bytes: the rest of it is read as
	 * notes, whatever they say */
	build(&i386_spec, &b);
	put(b.buf + b.prstatus_at + 4, 4, 8);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "prstatus of 8 bytes"), 0);
	ck_assert_uint_gt(c.nwarnings, 0);
	core_release(&c);
	free(b.buf);

	/* a PT_NOTE larger than the file */
	build(&i386_spec, &b);
	phdr(&b, 0, PT_NOTE, 0, b.notes_off, 0, 0x7fffffff, 0, 4);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "PT_NOTE of 2G"), 0);
	assert_warning(&c, "the file ends inside a PT_NOTE");
	ck_assert_uint_eq(c.nthreads, 2);
	core_release(&c);
	free(b.buf);

	/* an NT_PRPSINFO of a size no kernel writes */
	build(&i386_spec, &b);
	put(b.buf + b.prpsinfo_at + 4, 4, 120);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "prpsinfo of 120"), 0);
	ck_assert(!c.has_prpsinfo);
	assert_warning(&c, "NT_PRPSINFO of 120 bytes");
	core_release(&c);
	free(b.buf);
}
END_TEST

START_TEST(test_program_headers)
{
	struct core_file c;
	struct built b;
	size_t shoff;

	/* PN_XNUM without a section header to give the count */
	build(&x86_64_spec, &b);
	EH(&b, e_phnum, PN_XNUM);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "PN_XNUM"), 0);
	assert_warning(&c, "PN_XNUM");
	ck_assert_uint_eq(c.nsegments, 0);
	ck_assert_uint_eq(c.nthreads, 0);
	core_release(&c);

	/* with one: extended numbering, as the kernel writes it past 65535
	 * mappings */
	shoff = (b.len + 7) & ~(size_t)7;
	memset(b.buf + shoff, 0, sizeof(Elf64_Shdr));
	put(b.buf + shoff + offsetof(Elf64_Shdr, sh_info), 4, b.nphdrs);
	EH(&b, e_shoff, shoff);
	EH(&b, e_shentsize, sizeof(Elf64_Shdr));
	EH(&b, e_shnum, 0);
	b.len = shoff + sizeof(Elf64_Shdr);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "PN_XNUM + shdr"), 0);
	ck_assert_uint_eq(c.nwarnings, 0);
	ck_assert_uint_eq(c.nsegments, 4);
	ck_assert_uint_eq(c.nthreads, 2);
	core_release(&c);

	/* and its count lies: 2^32 - 1 headers, the file ends after ours */
	put(b.buf + shoff + offsetof(Elf64_Shdr, sh_info), 4, 0xffffffff);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "2^32 phdrs"), 0);
	assert_warning(&c, "a truncated core");
	core_release(&c);
	free(b.buf);

	/* e_phoff past the end */
	build(&i386_spec, &b);
	EH(&b, e_phoff, b.len + 100);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "phoff past EOF"), 0);
	assert_warning(&c, "past the end of the file");
	ck_assert_uint_eq(c.nsegments, 0);
	ck_assert_int_eq(c.elf_class, 32);
	core_release(&c);

	/* e_phentsize that is not the class's */
	EH(&b, e_phoff, b.phoff);
	EH(&b, e_phentsize, 40);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "phentsize 40"), 0);
	assert_warning(&c, "not 32");
	core_release(&c);
	free(b.buf);

	/* a PT_LOAD that wraps around the address space, one whose filesz
	 * is over its memsz, overlapping ones */
	build(&x86_64_spec, &b);
	phdr(&b, 1, PT_LOAD, PF_R, b.load_off[0], UINT64_MAX - 0xfff, 0x1000, 0x2000, 1);
	phdr(&b, 2, PT_LOAD, PF_R, b.load_off[1], 0x403000, 0x3000, 0x1000, 1);
	phdr(&b, 3, PT_LOAD, PF_R, b.load_off[2], 0x403800, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "lying PT_LOADs"), 0);
	assert_warning(&c, "past the end of the address space");
	assert_warning(&c, "claims 12288 bytes in the file for 4096");
	assert_warning(&c, "overlap");
	ck_assert_uint_eq(c.nsegments, 3);
	ck_assert_uint_le(core_dumped_bytes(&c, 0x403000, 0x405000), 0x2000);
	core_release(&c);
	free(b.buf);
}
END_TEST

/* The NT_FILE desc of b, and where its table begins. */
static unsigned char *file_desc(struct built *b)
{
	return b->buf + b->file_at + 20;
}

START_TEST(test_nt_file)
{
	struct core_file c;
	struct built b;
	unsigned char *d;
	size_t descsz;

	/* a count of 2^40 */
	build(&x86_64_spec, &b);
	put(file_desc(&b), 8, 1ULL << 40);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "2^40 files"), 0);
	assert_warning(&c, "over the limit");
	ck_assert_uint_eq(c.nfiles, 0);
	ck_assert_uint_eq(c.nthreads, 2);
	core_release(&c);

	/* a count under the limit that the note cannot hold */
	put(file_desc(&b), 8, 1000);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "1000 files"), 0);
	assert_warning(&c, "claims 1000 mapped files");
	ck_assert_uint_eq(c.nfiles, 0);
	core_release(&c);

	/* a page size of 3 */
	put(file_desc(&b), 8, 2);
	put(file_desc(&b) + 8, 8, 3);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "page size 3"), 0);
	assert_warning(&c, "page size of 3");
	ck_assert_uint_eq(c.nfiles, 0);
	core_release(&c);
	free(b.buf);

	/* an inverted range, an offset that overflows */
	build(&i386_spec, &b);
	d = file_desc(&b);
	put(d + 8, 4, 0x08049000);	/* start > end */
	put(d + 8 + 12 + 8, 4, 0xffffffff);	/* page 2^32 - 1: fine in 64 bits */
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "bad ranges"), 0);
	assert_warning(&c, "empty or inverted");
	ck_assert_uint_eq(c.nfiles, 1);
	ck_assert_uint_eq(c.files[0].offset, 0xffffffffULL * 4096);
	ck_assert_str_eq(core_file_name(&c, &c.files[0]), "/usr/bin/threads32");
	core_release(&c);
	free(b.buf);

	/* a range outside every PT_LOAD, in a kernel core */
	build(&i386_spec, &b);
	d = file_desc(&b);
	put(d + 8 + 12, 4, 0x70000000);
	put(d + 8 + 12 + 4, 4, 0x70001000);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "outside"), 0);
	assert_warning(&c, "1 NT_FILE ranges lie outside every PT_LOAD");
	ck_assert(c.files[0].in_load);
	ck_assert(!c.files[1].in_load);
	core_release(&c);
	free(b.buf);

	/* the last path unterminated: the note ends inside it */
	build(&i386_spec, &b);
	descsz = get(b.buf + b.file_at + 4, 4);
	file_desc(&b)[descsz - 1] = 'x';
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "unterminated"), 0);
	assert_warning(&c, "1 NT_FILE paths are unterminated");
	ck_assert_uint_eq(c.nfiles, 2);
	ck_assert_str_eq(core_file_name(&c, &c.files[0]), "/usr/bin/threads32");
	ck_assert_ptr_null(core_file_name(&c, &c.files[1]));
	core_release(&c);
	free(b.buf);
}
END_TEST

/* A path of 5000 bytes: over CORE_MAX_NAME, unknown; the next one is read. */
START_TEST(test_long_name)
{
	static unsigned char d[8192];
	static char longname[5001];
	struct core_file c;
	struct built b;
	size_t n = 16, i, at;

	memset(longname, 'a', 5000);
	longname[0] = '/';
	put(d, 8, 2);
	put(d + 8, 8, 4096);
	for (i = 0; i < 2; i++, n += 24) {
		put(d + n, 8, x86_64_spec.files[i].start);
		put(d + n + 8, 8, x86_64_spec.files[i].end);
		put(d + n + 16, 8, x86_64_spec.files[i].pgoff);
	}
	memcpy(d + n, longname, sizeof(longname));
	n += sizeof(longname);
	memcpy(d + n, "/bin/a.out", 11);
	n += 11;
	/* the note after the memory, the only one PT_NOTE points to */
	build(&x86_64_spec, &b);
	b.len = align4(b.len);
	at = add_note(&b, NT_FILE, d, n);
	phdr(&b, 0, PT_NOTE, 0, at, 0, b.len - at, 0, 4);
	ck_assert_int_eq(open_built(&b, b.len, b.len, &c, "long name"), 0);
	assert_warning(&c, "longer than 4096");
	ck_assert_uint_eq(c.nfiles, 2);
	ck_assert_ptr_null(core_file_name(&c, &c.files[0]));
	ck_assert_str_eq(core_file_name(&c, &c.files[1]), "/bin/a.out");
	core_release(&c);
	free(b.buf);
}
END_TEST

/* A 10 GiB sparse core whose headers claim gigabytes everywhere: 2^32
 * program headers, a PT_NOTE of 8 GiB, PT_LOADs of terabytes. Reading it
 * costs the caps, not the claims. */
START_TEST(test_sparse_10g)
{
	struct core_file c;
	struct built b;
	uint64_t size = 10 * GIB;
	size_t shoff;
	char buf[64];

	build(&x86_64_spec, &b);
	/* section header 0, then the program headers again, last: the
	 * table they begin runs on into the hole */
	shoff = (b.len + 7) & ~(size_t)7;
	memset(b.buf + shoff, 0, sizeof(Elf64_Shdr));
	put(b.buf + shoff + offsetof(Elf64_Shdr, sh_info), 4, 0xffffffff);
	memcpy(b.buf + shoff + sizeof(Elf64_Shdr), b.buf + b.phoff, b.nphdrs * b.phentsize);
	b.phoff = shoff + sizeof(Elf64_Shdr);
	b.len = b.phoff + b.nphdrs * b.phentsize;
	EH(&b, e_phoff, b.phoff);
	EH(&b, e_phnum, PN_XNUM);
	EH(&b, e_shoff, shoff);
	EH(&b, e_shentsize, sizeof(Elf64_Shdr));
	phdr(&b, 0, PT_NOTE, 0, b.notes_off, 0, 8 * GIB, 0, 4);
	phdr(&b, 4, PT_LOAD, PF_R | PF_W, 4096, 0x100000000000ULL, 9 * GIB, 1ULL << 40, 1);
	ck_assert_int_eq(open_built(&b, b.len, size, &c, "10 GiB sparse"), 0);
	assert_warning(&c, "program headers: the first 262144 are read");
	assert_warning(&c, "over the limit of 64 MiB");
	ck_assert_uint_eq(c.nthreads, 0);
	ck_assert_uint_eq(c.nsegments, 4);
	ck_assert_uint_eq(core_dumped_bytes(&c, 0x100000000000ULL, 0x200000000000ULL), 9 * GIB);
	/* the hole reads as zeros */
	ck_assert_int_eq(core_read_memory(&c, 0x100100000000ULL, buf, sizeof(buf)), 64);
	ck_assert_int_eq(buf[0], 0);
	core_release(&c);

	/* the same claims, the notes within the cap */
	phdr(&b, 0, PT_NOTE, 0, b.notes_off, 0, 32 * MIB, 0, 4);
	ck_assert_int_eq(open_built(&b, b.len, size, &c, "32 MiB of notes"), 0);
	ck_assert(c.has_prpsinfo);
	core_release(&c);
	free(b.buf);
}
END_TEST

static Suite *core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_fixture, 0, sizeof(fixtures) / sizeof(fixtures[0]));
	tcase_add_test(tc, test_i386);
	tcase_add_test(tc, test_x86_64_gdb_order);
	tcase_add_test(tc, test_no_nt_file);
	tcase_add_test(tc, test_machines);
	tcase_add_test(tc, test_not_core);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_truncated_fixture);
	tcase_add_test(tc, test_note_sizes_lie);
	tcase_add_test(tc, test_program_headers);
	tcase_add_test(tc, test_nt_file);
	tcase_add_test(tc, test_long_name);
	tcase_add_test(tc, test_sparse_10g);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(core_suite());
}
