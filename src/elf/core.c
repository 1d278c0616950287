/* core.c: the reader of ELF core files (see core.h).
 *
 * The layouts of the notes are the kernel's (include/linux/elfcore.h and
 * its compat twin for 32-bit processes on a 64-bit kernel); gdb's gcore
 * writes the same structures through bfd. The two differ in order and in
 * what they dump: the kernel writes the first thread's NT_PRSTATUS first,
 * then NT_PRPSINFO, NT_SIGINFO, NT_AUXV, NT_FILE and the first thread's
 * other notes, then each other thread; it gives every mapping a PT_LOAD,
 * with filesz 0 for what coredump_filter left out. gdb writes NT_PRPSINFO
 * first, then each thread (NT_PRSTATUS, registers, NT_SIGINFO), NT_AUXV,
 * NT_FILE and its own NT_GDB_TDESC, and gives no PT_LOAD to a mapping it
 * does not dump.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/core.h"
#include "util/array.h"

#ifndef NT_FILE
#define NT_FILE 0x46494c45
#endif
#ifndef NT_GDB_TDESC
#define NT_GDB_TDESC 0xff000000
#endif
#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif

/* Program headers read at a time: the table is never held whole. */
#define PHDR_CHUNK 1024

static void warn(struct core_file *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct core_file *c, const char *fmt, ...)
{
	va_list ap;

	if (c->nwarnings == CORE_MAX_WARNINGS) {
		c->warnings_dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(c->warnings[c->nwarnings++], CORE_WARNING_LEN, fmt, ap);
	va_end(ap);
}

/* Read up to len bytes at off; fewer only at the end of the file. Returns
 * the bytes read or -errno. */
static ssize_t read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	if (off > (uint64_t)INT64_MAX)
		return 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* Little-endian fields, whatever the host. */
static uint64_t le(const unsigned char *p, size_t size)
{
	uint64_t v = 0;
	size_t i;

	for (i = size; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

static const char *machine_name(int machine, int elf_class)
{
	switch (machine) {
	case EM_X86_64: return elf_class == 32 ? "x32" : "x86_64";
	case EM_386: return "i386";
	case EM_AARCH64: return "aarch64";
	case EM_ARM: return "arm";
	case EM_RISCV: return elf_class == 32 ? "riscv32" : "riscv64";
	case EM_PPC64: return "ppc64";
	case EM_PPC: return "ppc";
	case EM_S390: return "s390x";
	case EM_MIPS: return "mips";
	case EM_LOONGARCH: return "loongarch64";
	default: return NULL;
	}
}

/* The fields of the ELF header core_open() needs, either class. */
struct ehdr {
	int elf_class;
	int type;
	int machine;
	uint64_t phoff;
	uint64_t shoff;
	unsigned int phentsize;
	unsigned int shentsize;
	unsigned int phnum;
	unsigned int shnum;
};

/* 1 and *eh filled for a little-endian ELF core, 0 for anything else. */
static int parse_ehdr(const unsigned char *b, size_t n, struct ehdr *eh)
{
	if (n < EI_NIDENT || memcmp(b, ELFMAG, SELFMAG) != 0 ||
	    b[EI_DATA] != ELFDATA2LSB || b[EI_VERSION] != EV_CURRENT)
		return 0;
	if (b[EI_CLASS] == ELFCLASS64 && n >= sizeof(Elf64_Ehdr)) {
		eh->elf_class = 64;
		eh->type = (int)le(b + offsetof(Elf64_Ehdr, e_type), 2);
		eh->machine = (int)le(b + offsetof(Elf64_Ehdr, e_machine), 2);
		eh->phoff = le(b + offsetof(Elf64_Ehdr, e_phoff), 8);
		eh->shoff = le(b + offsetof(Elf64_Ehdr, e_shoff), 8);
		eh->phentsize = (unsigned int)le(b + offsetof(Elf64_Ehdr, e_phentsize), 2);
		eh->phnum = (unsigned int)le(b + offsetof(Elf64_Ehdr, e_phnum), 2);
		eh->shentsize = (unsigned int)le(b + offsetof(Elf64_Ehdr, e_shentsize), 2);
		eh->shnum = (unsigned int)le(b + offsetof(Elf64_Ehdr, e_shnum), 2);
	} else if (b[EI_CLASS] == ELFCLASS32 && n >= sizeof(Elf32_Ehdr)) {
		eh->elf_class = 32;
		eh->type = (int)le(b + offsetof(Elf32_Ehdr, e_type), 2);
		eh->machine = (int)le(b + offsetof(Elf32_Ehdr, e_machine), 2);
		eh->phoff = le(b + offsetof(Elf32_Ehdr, e_phoff), 4);
		eh->shoff = le(b + offsetof(Elf32_Ehdr, e_shoff), 4);
		eh->phentsize = (unsigned int)le(b + offsetof(Elf32_Ehdr, e_phentsize), 2);
		eh->phnum = (unsigned int)le(b + offsetof(Elf32_Ehdr, e_phnum), 2);
		eh->shentsize = (unsigned int)le(b + offsetof(Elf32_Ehdr, e_shentsize), 2);
		eh->shnum = (unsigned int)le(b + offsetof(Elf32_Ehdr, e_shnum), 2);
	} else {
		return 0;
	}
	return eh->type == ET_CORE;
}

static int read_ehdr(int fd, struct ehdr *eh)
{
	unsigned char b[sizeof(Elf64_Ehdr)];
	ssize_t n = read_at(fd, b, sizeof(b), 0);

	if (n < 0)
		return (int)n;
	return parse_ehdr(b, (size_t)n, eh);
}

int core_probe(int fd)
{
	struct ehdr eh;

	return read_ehdr(fd, &eh);
}

/* A program header, either class. */
struct phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

static void parse_phdr(int elf_class, const unsigned char *p, struct phdr *ph)
{
	if (elf_class == 64) {
		ph->type = (uint32_t)le(p + offsetof(Elf64_Phdr, p_type), 4);
		ph->flags = (uint32_t)le(p + offsetof(Elf64_Phdr, p_flags), 4);
		ph->offset = le(p + offsetof(Elf64_Phdr, p_offset), 8);
		ph->vaddr = le(p + offsetof(Elf64_Phdr, p_vaddr), 8);
		ph->filesz = le(p + offsetof(Elf64_Phdr, p_filesz), 8);
		ph->memsz = le(p + offsetof(Elf64_Phdr, p_memsz), 8);
		ph->align = le(p + offsetof(Elf64_Phdr, p_align), 8);
	} else {
		ph->type = (uint32_t)le(p + offsetof(Elf32_Phdr, p_type), 4);
		ph->flags = (uint32_t)le(p + offsetof(Elf32_Phdr, p_flags), 4);
		ph->offset = le(p + offsetof(Elf32_Phdr, p_offset), 4);
		ph->vaddr = le(p + offsetof(Elf32_Phdr, p_vaddr), 4);
		ph->filesz = le(p + offsetof(Elf32_Phdr, p_filesz), 4);
		ph->memsz = le(p + offsetof(Elf32_Phdr, p_memsz), 4);
		ph->align = le(p + offsetof(Elf32_Phdr, p_align), 4);
	}
}

/* The PT_NOTE segments, read after the program headers. */
struct note_seg {
	uint64_t offset;
	uint64_t filesz;
	uint64_t align;
};

/* The state of one core_open(). */
struct parse {
	struct core_file *c;
	int fd;
	struct note_seg *notes;
	size_t nnotes;
	size_t notes_cap;
	size_t segs_cap;
	size_t threads_cap;
	uint64_t notes_bytes;		/* read so far, against the cap */
	bool threads_capped;
	bool seen_note;
	uint64_t truncated_segs;	/* PT_LOADs the file holds only part of */
	uint64_t missing_bytes;
};

/* e_phnum, or the real count of extended numbering (PN_XNUM: sh_info of
 * section header 0). Returns the count, 0 with a warning when unknown. */
static uint64_t phdr_count(struct parse *ps, const struct ehdr *eh)
{
	struct core_file *c = ps->c;
	size_t shsize = c->elf_class == 64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	size_t info_off = c->elf_class == 64 ? offsetof(Elf64_Shdr, sh_info) :
					       offsetof(Elf32_Shdr, sh_info);
	unsigned char sh[sizeof(Elf64_Shdr)];
	ssize_t n;

	if (eh->phnum != PN_XNUM)
		return eh->phnum;
	if (eh->shoff == 0 || eh->shentsize != shsize ||
	    eh->shoff > c->file_size || c->file_size - eh->shoff < shsize) {
		warn(c, "e_phnum is PN_XNUM but there is no section header 0 in the file "
			"to give the count: the program headers are unknown");
		return 0;
	}
	n = read_at(ps->fd, sh, shsize, eh->shoff);
	if (n < (ssize_t)shsize) {
		warn(c, "the section header 0 cannot be read: the program headers are unknown");
		return 0;
	}
	return le(sh + info_off, 4);
}

static int add_segment(struct parse *ps, const struct phdr *ph)
{
	struct core_file *c = ps->c;
	struct core_segment *s;
	uint64_t present = ph->filesz;

	if (ph->memsz == 0)
		return 0;
	if (ph->vaddr + ph->memsz < ph->vaddr ||
	    (c->elf_class == 32 && ph->vaddr + ph->memsz > (1ULL << 32))) {
		warn(c, "a PT_LOAD at 0x%" PRIx64 " of 0x%" PRIx64 " bytes runs past the "
			"end of the address space: left out", ph->vaddr, ph->memsz);
		return 0;
	}
	if (present > ph->memsz) {
		warn(c, "the PT_LOAD at 0x%" PRIx64 " claims %" PRIu64 " bytes in the file "
			"for %" PRIu64 " in memory: the rest is ignored",
		     ph->vaddr, ph->filesz, ph->memsz);
		present = ph->memsz;
	}
	if (ph->offset >= c->file_size)
		present = 0;
	else if (present > c->file_size - ph->offset)
		present = c->file_size - ph->offset;
	if (present < ph->filesz && present < ph->memsz) {
		ps->truncated_segs++;
		ps->missing_bytes += (ph->filesz < ph->memsz ? ph->filesz : ph->memsz) - present;
	}
	if (ARRAY_GROW(&c->segments, &ps->segs_cap, c->nsegments + 1, 64))
		return -ENOMEM;
	s = &c->segments[c->nsegments++];
	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->filesz = ph->filesz;
	s->present = present;
	s->offset = ph->offset;
	s->flags = ph->flags & (PF_R | PF_W | PF_X);
	return 0;
}

static int add_note_seg(struct parse *ps, const struct phdr *ph)
{
	if (ph->filesz == 0)
		return 0;
	if (ARRAY_GROW(&ps->notes, &ps->notes_cap, ps->nnotes + 1, 4))
		return -ENOMEM;
	ps->notes[ps->nnotes].offset = ph->offset;
	ps->notes[ps->nnotes].filesz = ph->filesz;
	ps->notes[ps->nnotes].align = ph->align;
	ps->nnotes++;
	return 0;
}

static int read_phdrs(struct parse *ps, const struct ehdr *eh)
{
	struct core_file *c = ps->c;
	size_t entsize = c->elf_class == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t count, avail, i;
	unsigned char *buf;
	int rc = 0;

	count = phdr_count(ps, eh);
	if (count == 0) {
		warn(c, "the core has no program headers: no memory, no notes");
		return 0;
	}
	if (eh->phentsize != entsize) {
		warn(c, "the program headers are %u bytes each, not %zu: left unread",
		     eh->phentsize, entsize);
		return 0;
	}
	if (eh->phoff >= c->file_size) {
		warn(c, "the program headers lie past the end of the file "
			"(at %" PRIu64 ", the file has %" PRIu64 " bytes): a truncated core",
		     eh->phoff, c->file_size);
		return 0;
	}
	avail = (c->file_size - eh->phoff) / entsize;
	if (avail < count) {
		warn(c, "the file ends after %" PRIu64 " of its %" PRIu64 " program headers: "
			"a truncated core", avail, count);
		count = avail;
	}
	if (count > CORE_MAX_PHDRS) {
		warn(c, "the core has %" PRIu64 " program headers: the first %d are read",
		     count, CORE_MAX_PHDRS);
		count = CORE_MAX_PHDRS;
	}
	buf = malloc(PHDR_CHUNK * entsize);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < count && rc == 0; ) {
		size_t n = count - i < PHDR_CHUNK ? (size_t)(count - i) : PHDR_CHUNK;
		ssize_t got = read_at(ps->fd, buf, n * entsize, eh->phoff + i * entsize);
		size_t j;

		if (got < 0) {
			rc = (int)got;
			break;
		}
		if ((size_t)got < n * entsize) {
			/* shrank under us */
			n = (size_t)got / entsize;
			count = i + n;
		}
		for (j = 0; j < n && rc == 0; j++) {
			struct phdr ph;

			parse_phdr(c->elf_class, buf + j * entsize, &ph);
			if (ph.type == PT_LOAD)
				rc = add_segment(ps, &ph);
			else if (ph.type == PT_NOTE)
				rc = add_note_seg(ps, &ph);
		}
		i += n;
		if (n == 0)
			break;
	}
	free(buf);
	return rc;
}

static int cmp_segment(const void *a, const void *b)
{
	const struct core_segment *x = a, *y = b;

	if (x->vaddr != y->vaddr)
		return x->vaddr < y->vaddr ? -1 : 1;
	return x->memsz < y->memsz ? -1 : x->memsz > y->memsz;
}

static void sort_segments(struct parse *ps)
{
	struct core_file *c = ps->c;
	size_t i;

	if (c->nsegments > 1)	/* segments is NULL without any */
		qsort(c->segments, c->nsegments, sizeof(*c->segments), cmp_segment);
	for (i = 1; i < c->nsegments; i++) {
		const struct core_segment *a = &c->segments[i - 1], *b = &c->segments[i];

		if (a->vaddr + a->memsz > b->vaddr) {
			warn(c, "PT_LOAD segments overlap at 0x%" PRIx64 ": the first one "
				"counts there", b->vaddr);
			break;
		}
	}
	if (ps->truncated_segs)
		warn(c, "the file ends early: %" PRIu64 " PT_LOAD segments lack %" PRIu64
			" bytes of what they claim (a truncated core)",
		     ps->truncated_segs, ps->missing_bytes);
}

/* One note, as found in a PT_NOTE segment. */
struct note {
	uint32_t type;
	const char *name;	/* namesz bytes, not always terminated */
	size_t namesz;
	const unsigned char *desc;
	size_t descsz;
};

static bool note_named(const struct note *n, const char *name)
{
	size_t len = strlen(name);

	/* "CORE\0"; a name without its NUL is taken too */
	return (n->namesz == len + 1 && n->name[len] == '\0' &&
		memcmp(n->name, name, len) == 0) ||
	       (n->namesz == len && memcmp(n->name, name, len) == 0);
}

static size_t word_size(const struct core_file *c)
{
	return c->elf_class == 64 ? 8 : 4;
}

/* Where pr_reg holds the user stack pointer, for the cores we know the
 * layout of: the offset in the NT_PRSTATUS desc and the desc's size. */
static bool sp_location(const struct core_file *c, size_t *off, size_t *size)
{
	/* pr_reg follows the common part of elf_prstatus: 112 bytes in a
	 * 64-bit core, 72 in a 32-bit one */
	if (c->elf_class == 64 && c->machine == EM_X86_64) {
		*off = 112 + 19 * 8;	/* user_regs_struct.sp */
		*size = 336;
	} else if (c->elf_class == 64 && c->machine == EM_AARCH64) {
		*off = 112 + 31 * 8;	/* user_pt_regs.sp */
		*size = 392;
	} else if (c->elf_class == 32 && c->machine == EM_386) {
		*off = 72 + 15 * 4;	/* user_regs_struct.esp */
		*size = 144;
	} else {
		return false;
	}
	return true;
}

static int note_prstatus(struct parse *ps, const struct note *n)
{
	struct core_file *c = ps->c;
	size_t pid_off = c->elf_class == 64 ? 32 : 24;
	size_t sp_off, size;
	struct core_thread *t;

	if (n->descsz < pid_off + 4) {
		warn(c, "an NT_PRSTATUS of %zu bytes is too short for a thread: left out",
		     n->descsz);
		return 0;
	}
	if (c->nthreads == CORE_MAX_THREADS) {
		if (!ps->threads_capped)
			warn(c, "more than %d threads (NT_PRSTATUS): the rest are left out",
			     CORE_MAX_THREADS);
		ps->threads_capped = true;
		return 0;
	}
	if (ARRAY_GROW(&c->threads, &ps->threads_cap, c->nthreads + 1, 16))
		return -ENOMEM;
	t = &c->threads[c->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = (int)(int32_t)le(n->desc + pid_off, 4);
	t->signal = (int)(int16_t)le(n->desc + 12, 2);	/* pr_cursig */
	if (sp_location(c, &sp_off, &size)) {
		if (n->descsz == size) {
			t->has_sp = true;
			t->sp = le(n->desc + sp_off, word_size(c));
		} else {
			warn(c, "the NT_PRSTATUS of thread %d is %zu bytes, not %zu as on %s: "
				"its stack pointer is unknown", t->tid, n->descsz, size, c->arch);
		}
	}
	return 0;
}

static void copy_text(char *dst, size_t dstsize, const unsigned char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len && i + 1 < dstsize && src[i]; i++)
		dst[i] = (char)src[i];
	dst[i] = '\0';
}

static void note_prpsinfo(struct parse *ps, const struct note *n)
{
	struct core_file *c = ps->c;
	size_t uid_off, id_size, pid_off, fname_off;
	const unsigned char *d = n->desc;

	if (c->has_prpsinfo) {
		warn(c, "a second NT_PRPSINFO: the first one counts");
		return;
	}
	/* elf_prpsinfo: pr_state, pr_sname, pr_zomb, pr_nice, pr_flag (a
	 * long), then uid, gid (16-bit on i386 and a few others), pid, ppid,
	 * pgrp, sid (int), pr_fname[16], pr_psargs[80] */
	if (c->elf_class == 64 && n->descsz == 136) {
		uid_off = 16, id_size = 4, pid_off = 24, fname_off = 40;
	} else if (c->elf_class == 32 && n->descsz == 124) {
		uid_off = 8, id_size = 2, pid_off = 12, fname_off = 28;
	} else if (c->elf_class == 32 && n->descsz == 128) {
		uid_off = 8, id_size = 4, pid_off = 16, fname_off = 32;
	} else {
		warn(c, "an NT_PRPSINFO of %zu bytes, a size no %d-bit kernel writes: "
			"the process's pid and command are unknown", n->descsz, c->elf_class);
		return;
	}
	c->has_prpsinfo = true;
	c->prpsinfo.state = (char)d[1];
	c->prpsinfo.uid = (int)le(d + uid_off, id_size);
	c->prpsinfo.gid = (int)le(d + uid_off + id_size, id_size);
	c->prpsinfo.pid = (int)(int32_t)le(d + pid_off, 4);
	c->prpsinfo.ppid = (int)(int32_t)le(d + pid_off + 4, 4);
	copy_text(c->prpsinfo.fname, sizeof(c->prpsinfo.fname), d + fname_off, 16);
	copy_text(c->prpsinfo.psargs, sizeof(c->prpsinfo.psargs), d + fname_off + 16, 80);
}

static void note_auxv(struct parse *ps, const struct note *n)
{
	struct core_file *c = ps->c;
	size_t w = word_size(c), i;

	if (c->auxv_known) {
		warn(c, "a second NT_AUXV: the first one counts");
		return;
	}
	if (n->descsz % (2 * w))
		warn(c, "NT_AUXV is %zu bytes, not a whole number of entries", n->descsz);
	for (i = 0; i + 2 * w <= n->descsz; i += 2 * w) {
		uint64_t type = le(n->desc + i, w), val = le(n->desc + i + w, w);
		int a;

		switch (type) {
		case AT_NULL: return;
		case AT_PHDR: a = CORE_AUXV_PHDR; break;
		case AT_PHNUM: a = CORE_AUXV_PHNUM; break;
		case AT_ENTRY: a = CORE_AUXV_ENTRY; break;
		case AT_BASE: a = CORE_AUXV_BASE; break;
		case AT_SYSINFO_EHDR: a = CORE_AUXV_SYSINFO_EHDR; break;
		case AT_PAGESZ: a = CORE_AUXV_PAGESZ; break;
		case AT_EXECFN: a = CORE_AUXV_EXECFN; break;
		default: continue;
		}
		if (c->auxv_known & (1u << a))
			continue;
		c->auxv[a] = val;
		c->auxv_known |= 1u << a;
	}
}

/* NT_FILE: count and page size (words), count (start, end, page offset)
 * triples, then count NUL-terminated paths. */
static int note_file(struct parse *ps, const struct note *n)
{
	struct core_file *c = ps->c;
	size_t w = word_size(c), table, names_len, pos, i, kept = 0;
	uint64_t count, page_size, bad_range = 0, bad_name = 0;
	const unsigned char *d = n->desc;
	bool names_end = false;

	if (c->files || c->file_page_size) {
		warn(c, "a second NT_FILE: the first one counts");
		return 0;
	}
	if (n->descsz < 2 * w) {
		warn(c, "NT_FILE of %zu bytes is too short for its header: the mapped "
			"files are unknown", n->descsz);
		return 0;
	}
	count = le(d, w);
	page_size = le(d + w, w);
	if (count > CORE_MAX_FILES) {
		warn(c, "NT_FILE claims %" PRIu64 " mapped files, over the limit of %d: "
			"the mapped files are unknown", count, CORE_MAX_FILES);
		return 0;
	}
	if (count > (n->descsz - 2 * w) / (3 * w)) {
		warn(c, "NT_FILE claims %" PRIu64 " mapped files in %zu bytes: the mapped "
			"files are unknown", count, n->descsz);
		return 0;
	}
	if (page_size == 0 || (page_size & (page_size - 1)) || page_size > (1ULL << 30)) {
		warn(c, "NT_FILE gives a page size of %" PRIu64 ": the mapped files are unknown",
		     page_size);
		return 0;
	}
	c->file_page_size = page_size;
	if (count == 0)
		return 0;
	table = 2 * w + (size_t)count * 3 * w;
	names_len = n->descsz - table;
	c->files = calloc((size_t)count, sizeof(*c->files));
	c->names = malloc(names_len + 1);
	if (!c->files || !c->names)
		return -ENOMEM;
	pos = 0;
	for (i = 0; i < count; i++) {
		const unsigned char *e = d + 2 * w + i * 3 * w;
		struct core_mapped_file *f = &c->files[kept];
		uint64_t pgoff = le(e + 2 * w, w);
		uint32_t name = CORE_NO_NAME;

		/* the i-th path, when the ones before it were whole */
		if (!names_end) {
			const char *s = (const char *)d + table + pos;
			const char *nul = memchr(s, '\0', names_len - pos);

			if (!nul) {
				names_end = true;
			} else {
				size_t len = (size_t)(nul - s);

				if (len + 1 <= CORE_MAX_NAME) {
					memcpy(c->names + pos, s, len + 1);
					name = (uint32_t)pos;
				} else {
					bad_name++;
				}
				pos += len + 1;
			}
		}
		if (name == CORE_NO_NAME && names_end)
			bad_name++;
		f->start = le(e, w);
		f->end = le(e + w, w);
		if (f->start >= f->end || pgoff > UINT64_MAX / page_size) {
			bad_range++;
			continue;
		}
		f->offset = pgoff * page_size;
		f->name = name;
		kept++;
	}
	c->nfiles = kept;
	if (bad_range)
		warn(c, "%" PRIu64 " NT_FILE entries have an empty or inverted range or an "
			"offset out of range: left out", bad_range);
	if (bad_name)
		warn(c, "%" PRIu64 " NT_FILE paths are unterminated or longer than %d bytes: "
			"unknown", bad_name, CORE_MAX_NAME);
	return 0;
}

static int parse_notes(struct parse *ps, const unsigned char *buf, size_t len,
		       uint64_t align)
{
	struct core_file *c = ps->c;
	size_t pos = 0, a = align == 8 ? 8 : 4;
	int rc = 0;

	while (rc == 0 && len - pos >= 12) {
		struct note n;
		size_t name_at = pos + 12, desc_at, next;

		n.namesz = (size_t)le(buf + pos, 4);
		n.descsz = (size_t)le(buf + pos + 4, 4);
		n.type = (uint32_t)le(buf + pos + 8, 4);
		if (n.namesz > len - name_at ||
		    (desc_at = name_at + ((n.namesz + a - 1) & ~(a - 1))) > len ||
		    n.descsz > len - desc_at) {
			warn(c, "a note (type 0x%" PRIx32 ") claims more bytes than its "
				"PT_NOTE holds: it and the notes after it are left out", n.type);
			return 0;
		}
		n.name = (const char *)buf + name_at;
		n.desc = buf + desc_at;
		next = desc_at + ((n.descsz + a - 1) & ~(a - 1));
		pos = next < len ? next : len;

		if (note_named(&n, "GDB") && n.type == NT_GDB_TDESC)
			c->gdb = true;
		if (!note_named(&n, "CORE"))
			continue;
		if (!ps->seen_note && n.type == NT_PRPSINFO)
			c->gdb = true;
		ps->seen_note = true;
		switch (n.type) {
		case NT_PRSTATUS: rc = note_prstatus(ps, &n); break;
		case NT_PRPSINFO: note_prpsinfo(ps, &n); break;
		case NT_AUXV: note_auxv(ps, &n); break;
		case NT_FILE: rc = note_file(ps, &n); break;
		default: break;
		}
	}
	return rc;
}

static int read_notes(struct parse *ps)
{
	struct core_file *c = ps->c;
	size_t i;
	int rc = 0;

	for (i = 0; i < ps->nnotes && rc == 0; i++) {
		const struct note_seg *ns = &ps->notes[i];
		uint64_t len = ns->filesz;
		unsigned char *buf;
		ssize_t got;

		if (ns->offset >= c->file_size) {
			warn(c, "a PT_NOTE lies past the end of the file: its notes are unknown "
				"(a truncated core)");
			continue;
		}
		if (len > c->file_size - ns->offset) {
			warn(c, "the file ends inside a PT_NOTE: only its first %" PRIu64
				" of %" PRIu64 " bytes are read (a truncated core)",
			     c->file_size - ns->offset, len);
			len = c->file_size - ns->offset;
		}
		if (len > CORE_MAX_NOTES_BYTES - ps->notes_bytes) {
			warn(c, "a PT_NOTE of %" PRIu64 " bytes is over the limit of %d MiB "
				"of notes: left unread", len, CORE_MAX_NOTES_BYTES >> 20);
			continue;
		}
		ps->notes_bytes += len;
		buf = malloc((size_t)len);
		if (!buf)
			return -ENOMEM;
		got = read_at(ps->fd, buf, (size_t)len, ns->offset);
		if (got < 0)
			rc = (int)got;
		else
			rc = parse_notes(ps, buf, (size_t)got, ns->align);
		free(buf);
	}
	return rc;
}

/* The first segment whose end lies above vaddr, or nsegments. */
static size_t first_ending_above(const struct core_file *c, uint64_t vaddr)
{
	size_t lo = 0, hi = c->nsegments;

	/* segments are sorted and, but for a warned-about overlap, disjoint:
	 * their ends ascend with their starts */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct core_segment *s = &c->segments[mid];

		if (s->vaddr + s->memsz <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether [start, end) lies inside the union of the PT_LOAD segments. */
static bool covered(const struct core_file *c, uint64_t start, uint64_t end)
{
	size_t i = first_ending_above(c, start);
	uint64_t at = start;

	for (; i < c->nsegments && at < end; i++) {
		const struct core_segment *s = &c->segments[i];

		if (s->vaddr > at)
			return false;
		if (s->vaddr + s->memsz > at)
			at = s->vaddr + s->memsz;
	}
	return at >= end;
}

static void check_files(struct core_file *c)
{
	size_t i, outside = 0;

	for (i = 0; i < c->nfiles; i++) {
		c->files[i].in_load = covered(c, c->files[i].start, c->files[i].end);
		if (!c->files[i].in_load)
			outside++;
	}
	/* gdb leaves the mappings it does not dump out of the PT_LOADs; the
	 * kernel gives each one a segment, so one missing says the core is
	 * not what it claims */
	if (outside && !c->gdb)
		warn(c, "%zu NT_FILE ranges lie outside every PT_LOAD segment", outside);
}

void core_release(struct core_file *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->segments);
	free(c->files);
	free(c->names);
	free(c->threads);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

int core_open(int fd, struct core_file *out)
{
	struct parse ps = { .c = out, .fd = fd };
	struct ehdr eh;
	struct stat st;
	int rc;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	rc = read_ehdr(fd, &eh);
	if (rc <= 0)
		return rc < 0 ? rc : -ENOEXEC;
	if (fstat(fd, &st) < 0)
		return -errno;
	out->elf_class = eh.elf_class;
	out->machine = eh.machine;
	out->arch = machine_name(eh.machine, eh.elf_class);
	out->file_size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
	out->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (out->fd < 0) {
		rc = -errno;
		goto fail;
	}
	rc = read_phdrs(&ps, &eh);
	if (rc == 0) {
		sort_segments(&ps);
		rc = read_notes(&ps);
	}
	free(ps.notes);
	if (rc)
		goto fail;
	check_files(out);
	if (!out->has_prpsinfo)
		warn(out, "no NT_PRPSINFO: the process's pid and command are unknown");
	if (out->nthreads == 0)
		warn(out, "no NT_PRSTATUS: the threads are unknown");
	/* older versions of gdb wrote none */
	if (out->file_page_size == 0 && out->nsegments)
		warn(out, "no NT_FILE: the files mapped are unknown");
	return 0;
fail:
	core_release(out);
	return rc;
}

const struct core_segment *core_segment_at(const struct core_file *c, uint64_t vaddr)
{
	size_t i = first_ending_above(c, vaddr);

	if (i < c->nsegments && c->segments[i].vaddr <= vaddr)
		return &c->segments[i];
	return NULL;
}

ssize_t core_read_memory(const struct core_file *c, uint64_t vaddr, void *buf, size_t len)
{
	size_t done = 0;

	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	while (done < len) {
		uint64_t at = vaddr + done, in, want;
		const struct core_segment *s;
		ssize_t n;

		if (at < vaddr)
			break;	/* wrapped */
		s = core_segment_at(c, at);
		if (!s)
			break;
		in = at - s->vaddr;
		if (in >= s->present)
			break;
		want = s->present - in;
		if (want > len - done)
			want = len - done;
		n = read_at(c->fd, (char *)buf + done, (size_t)want, s->offset + in);
		if (n < 0)
			return done ? (ssize_t)done : n;
		done += (size_t)n;
		if ((uint64_t)n < want)
			break;	/* the file shrank */
	}
	return (ssize_t)done;
}

uint64_t core_dumped_bytes(const struct core_file *c, uint64_t start, uint64_t end)
{
	uint64_t sum = 0;
	size_t i;

	if (end <= start)
		return 0;
	for (i = first_ending_above(c, start); i < c->nsegments; i++) {
		const struct core_segment *s = &c->segments[i];
		uint64_t lo = s->vaddr > start ? s->vaddr : start;
		uint64_t hi = s->vaddr + s->present < end ? s->vaddr + s->present : end;

		if (s->vaddr >= end)
			break;
		if (hi > lo)
			sum += hi - lo;
	}
	/* overlapping segments (warned about) count once */
	return sum < end - start ? sum : end - start;
}

int core_build_id_at(const struct core_file *c, uint64_t vaddr,
		     unsigned char *id, size_t cap, size_t *len)
{
	unsigned char page[CORE_HEADER_PAGE];
	bool is64 = c->elf_class == 64;
	size_t phoff, phentsize, phnum, i;
	ssize_t got = core_read_memory(c, vaddr, page, sizeof(page));

	if (got < 0)
		return (int)got;
	if ((size_t)got < (is64 ? 64u : 52u))
		return -ENOENT;
	if (memcmp(page, ELFMAG, SELFMAG) != 0 ||
	    page[EI_CLASS] != (is64 ? ELFCLASS64 : ELFCLASS32) || page[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;
	phoff = (size_t)le(page + (is64 ? 32 : 28), is64 ? 8 : 4);
	phentsize = (size_t)le(page + (is64 ? 54 : 42), 2);
	phnum = (size_t)le(page + (is64 ? 56 : 44), 2);
	if (phentsize < (is64 ? 56u : 32u) || phoff >= (size_t)got)
		return -ENOENT;
	for (i = 0; i < phnum && phoff + (i + 1) * phentsize <= (size_t)got; i++) {
		const unsigned char *ph = page + phoff + i * phentsize;
		uint64_t off, size, pos;

		if (le(ph, 4) != PT_NOTE)
			continue;
		/* a note in the header page: its file offset is its offset
		 * from the mapping's start, which maps file offset 0 */
		off = le(ph + (is64 ? 8 : 4), is64 ? 8 : 4);
		size = le(ph + (is64 ? 32 : 16), is64 ? 8 : 4);
		if (off >= (uint64_t)got || size > (uint64_t)got - off)
			continue;
		for (pos = off; pos + 12 <= off + size;) {
			const unsigned char *n = page + pos;
			uint64_t namesz = le(n, 4), descsz = le(n + 4, 4), type = le(n + 8, 4);
			uint64_t name_end = pos + 12 + ((namesz + 3) & ~3ULL);
			uint64_t desc_end = name_end + ((descsz + 3) & ~3ULL);

			if (namesz > size || descsz > size || desc_end > off + size)
				break;
			if (type == NT_GNU_BUILD_ID && namesz == 4 &&
			    memcmp(n + 12, "GNU", 4) == 0 && descsz && descsz <= cap) {
				memcpy(id, page + name_end, descsz);
				*len = descsz;
				return 0;
			}
			pos = desc_end;
		}
	}
	return -ENOENT;
}
