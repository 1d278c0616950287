/* core.h: an ELF core file (ET_CORE), as the kernel or gdb's gcore write
 * it: the process's memory (PT_LOAD segments), its mapped files (NT_FILE),
 * the process (NT_PRPSINFO), one thread per NT_PRSTATUS and the auxiliary
 * vector (NT_AUXV). 32- and 64-bit little-endian cores.
 *
 * Parsed by hand with <elf.h> from a file descriptor (pread), without
 * libelf. The file is hostile: headers may claim tables of gigabytes in a
 * sparse file, notes may lie about their sizes, the file may end early.
 * Every table is checked against the file size and a cap below before it
 * is read; what is over a cap or inconsistent is skipped and a warning
 * says so, and the rest stays usable. Memory stays bounded whatever the
 * file says: the program headers, the notes and the tables built from
 * them, nothing of the dumped memory itself.
 */
#ifndef VMMAP_ELF_CORE_H
#define VMMAP_ELF_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What is read of a core at most, whatever its headers claim. A process has
 * at most vm.max_map_count mappings (65530 by default, 262144 where
 * databases raise it), each one PT_LOAD and at most one NT_FILE entry; the
 * kernel caps NT_FILE at 4 MiB (kernel.core_file_note_size_limit) unless
 * told otherwise. */
#define CORE_MAX_PHDRS		(1 << 18)	/* program headers (14 MiB of them) */
#define CORE_MAX_NOTES_BYTES	(64 << 20)	/* all PT_NOTE segments together */
#define CORE_MAX_FILES		(1 << 18)	/* NT_FILE entries */
#define CORE_MAX_THREADS	(1 << 18)	/* NT_PRSTATUS notes */
#define CORE_MAX_NAME		4096		/* one NT_FILE path, NUL included (PATH_MAX) */
#define CORE_MAX_WARNINGS	32		/* kept; the rest are counted */
#define CORE_WARNING_LEN	160

struct core_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t filesz;	/* as the header says */
	uint64_t present;	/* bytes of filesz the file really holds (a
				 * truncated core holds fewer) */
	uint64_t offset;
	uint32_t flags;		/* PF_R | PF_W | PF_X */
};

#define CORE_NO_NAME UINT32_MAX

struct core_mapped_file {
	uint64_t start;
	uint64_t end;
	uint64_t offset;	/* in bytes: page offset * the note's page size */
	uint32_t name;		/* offset into names, or CORE_NO_NAME (unknown) */
	bool in_load;		/* the range lies inside the PT_LOAD segments */
};

struct core_thread {
	int tid;		/* pr_pid */
	int signal;		/* pr_cursig */
	bool has_sp;
	uint64_t sp;		/* user stack pointer, when has_sp */
};

/* Known NT_AUXV entries: bit (1 << CORE_AUXV_x) of auxv_known */
enum core_auxv {
	CORE_AUXV_PHDR,
	CORE_AUXV_PHNUM,
	CORE_AUXV_ENTRY,
	CORE_AUXV_BASE,
	CORE_AUXV_SYSINFO_EHDR,
	CORE_AUXV_PAGESZ,
	CORE_AUXV_EXECFN,
	CORE_AUXV_COUNT
};

struct core_file {
	int fd;			/* a dup of core_open()'s fd, for the memory */
	int elf_class;		/* 32 or 64 */
	int machine;		/* EM_* */
	const char *arch;	/* "x86_64", "i386", "aarch64"... or NULL */
	uint64_t file_size;
	bool gdb;		/* written by gdb (gcore): gdb leaves out the
				 * mappings it does not dump, the kernel gives
				 * every mapping a PT_LOAD */

	struct core_segment *segments;	/* PT_LOAD, sorted by vaddr */
	size_t nsegments;

	struct core_mapped_file *files;	/* NT_FILE, in the note's order */
	size_t nfiles;
	uint64_t file_page_size;	/* NT_FILE's page size; 0 without NT_FILE */
	char *names;			/* the paths, NUL-terminated */

	bool has_prpsinfo;
	struct {
		int pid, ppid, uid, gid;
		char state;		/* pr_sname: 'R', 'S', 'D', 'T', 'Z'... */
		char fname[17];		/* pr_fname, NUL-terminated */
		char psargs[81];	/* pr_psargs: the arguments, ' '-joined
					 * (the kernel turns their final NUL into
					 * a space too), the first 80 bytes */
	} prpsinfo;

	struct core_thread *threads;	/* in the notes' order: the first is
					 * the thread that dumped (kernel) */
	size_t nthreads;

	uint64_t auxv[CORE_AUXV_COUNT];
	unsigned int auxv_known;	/* bits 1 << CORE_AUXV_x */

	/* what was skipped or inconsistent, in the order found */
	char warnings[CORE_MAX_WARNINGS][CORE_WARNING_LEN];
	size_t nwarnings;
	size_t warnings_dropped;	/* beyond CORE_MAX_WARNINGS */
};

/* Whether fd holds an ELF core: 1 when it does (ET_CORE, 32- or 64-bit
 * little-endian), 0 when it is something else (another ELF type, not ELF,
 * shorter than an ELF header), or -errno when it cannot be read. */
int core_probe(int fd);

/* Parse the core on fd. The caller keeps fd: the core keeps a dup of it
 * (O_CLOEXEC) for core_read_memory(), closed by core_release(). Returns 0 with *out filled (release it
 * with core_release()), possibly with warnings for what was skipped;
 * -ENOEXEC when fd is not a core core_open() can read (not ELF, not
 * ET_CORE, big-endian, no program headers that fit in the file), -ENOMEM,
 * or -errno of a read. On error *out holds nothing to release. */
int core_open(int fd, struct core_file *out);

void core_release(struct core_file *c);

/* The path of an NT_FILE entry, or NULL when it is unknown. */
static inline const char *core_file_name(const struct core_file *c,
					 const struct core_mapped_file *f)
{
	return f->name == CORE_NO_NAME ? NULL : c->names + f->name;
}

/* Whether auxv entry a was in NT_AUXV. */
static inline bool core_has_auxv(const struct core_file *c, enum core_auxv a)
{
	return c->auxv_known & (1u << a);
}

/* Copy the process's memory [vaddr, vaddr + len) that the core holds (the
 * filesz part of the PT_LOAD segments covering it, as far as the file
 * holds it) into buf. Returns the bytes
 * copied from vaddr on: len, fewer when the core lacks the rest, 0 when
 * vaddr is not dumped; or -errno of a read. */
ssize_t core_read_memory(const struct core_file *c, uint64_t vaddr, void *buf, size_t len);

/* Bytes of [start, end) that the core holds (the overlaps with the
 * present part of each PT_LOAD segment). */
uint64_t core_dumped_bytes(const struct core_file *c, uint64_t start, uint64_t end);

/* How much of a mapped ELF file's first page core_build_id_at() reads: the
 * kernel dumps that page of every ELF mapping (coredump_filter bit 4) so
 * that the file can be identified. */
#define CORE_HEADER_PAGE	4096

/* The GNU build-id of the ELF file whose first page (file offset 0) is
 * mapped at vaddr, from that page as the core holds it: its program
 * headers and a PT_NOTE within the page. Copies at most cap bytes to id
 * and sets *len. Returns 0, -ENOENT when the page is not dumped or holds
 * no build-id, -ENOEXEC when it is not an ELF header of the core's class,
 * or -errno of a read. */
int core_build_id_at(const struct core_file *c, uint64_t vaddr,
		     unsigned char *id, size_t cap, size_t *len);

/* The PT_LOAD segment covering vaddr (in memsz), or NULL. */
const struct core_segment *core_segment_at(const struct core_file *c, uint64_t vaddr);

#endif
