/* fields.h: the attributes of a region that views show and sort by.
 * Columns of the table, the sort keys and filters all name these. Also the
 * names and values of the process's and its images' attributes, so views
 * print what readers parsed without including a reader's header. */
#ifndef VMMAP_MODEL_FIELDS_H
#define VMMAP_MODEL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct image;
struct snapshot;
struct node_bytes;
struct region;

enum region_field {
	F_START = 0,
	F_END,
	F_PERMS,
	F_OFFSET,
	F_DEV,
	F_INODE,
	F_SIZE,
	F_RSS,
	F_PSS,
	F_PSS_DIRTY,
	F_SHARED_CLEAN,
	F_SHARED_DIRTY,
	F_PRIVATE_CLEAN,
	F_PRIVATE_DIRTY,
	F_DIRTY,
	F_USS,
	F_REFERENCED,
	F_ANONYMOUS,
	F_KSM,
	F_LAZYFREE,
	F_ANONHUGE,
	F_SHMEMPMD,
	F_FILEPMD,
	F_SHARED_HUGETLB,
	F_PRIVATE_HUGETLB,
	F_SWAP,
	F_SWAPPSS,
	F_LOCKED,
	F_KPAGESIZE,
	F_KIND,
	F_DETAIL,
	F_PATH,
	F_IMAGE,
	F_SECTIONS,
	F_TID,
	F_DELETED,
	F_VMFLAGS,
	F_DUMPED,	/* a core: bytes it holds */
	F_NUMA,		/* --numa: bytes per node */
	F_NUMA_POLICY,	/* --numa: the memory policy */
	/* --pages */
	F_PRESENT,
	F_SWAPPED,
	F_EXCLUSIVE,
	F_HUGE,
	F_GUARD,
	F_PHYS_DIRTY,
	F_PHYS_ACTIVE,
	F_PHYS_SHARED,
	F_PHYS_UNEVICTABLE,
	F_RESIDENCY,
	F_COUNT
};

enum field_type {
	FIELD_ADDR,	/* hex address */
	FIELD_BYTES,	/* a size: human or bytes */
	FIELD_NUMBER,	/* a plain number */
	FIELD_TEXT,
};

struct field_info {
	const char *name;	/* column name: "START", "PRIVATE_DIRTY" */
	const char *help;	/* one line for --list-columns */
	enum field_type type;
};

const struct field_info *field_info(enum region_field f);

/* Look a column name up, case-insensitively. Returns the field or -1. */
int field_parse(const char *name, size_t len);

/* The numeric value of a field (ADDR, BYTES, NUMBER types, and F_TID).
 * Returns false when the value is unknown (the kernel did not print it) or
 * the field has no value for this region (TID of a non-stack region). */
bool region_field_number(const struct snapshot *s, const struct region *r,
			 enum region_field f, uint64_t *out);

/* Whether f is a field that adds two of r's counters (DIRTY, USS) and
 * they add up beyond 64 bits: region_field_number() says unknown then. */
bool region_field_overflows(const struct region *r, enum region_field f);

/* True for the columns only --pages fills. */
bool field_needs_pages(enum region_field f);

/* Whether the column needs numa_maps (--numa). */
bool field_needs_numa(enum region_field f);

/* The NUMA placement of r: its policy and its bytes per node
 * (nodes[0, *n), ascending), or NULL policy when unknown (not read, or
 * numa_maps had no line for it). */
const char *region_numa(const struct snapshot *s, const struct region *r,
			const struct node_bytes **nodes, size_t *n);

/* The residency strip of a region: width characters, each the state that
 * covers most of its slice of the region: '#' present, 's' swapped,
 * 'g' guard, '.' never touched, '?' beyond the runs kept. Writes a
 * NUL-terminated string to out (width + 1 bytes); false when unknown. */
bool region_residency_strip(const struct snapshot *s, const struct region *r,
			    int width, char *out);

/* The width of the RESIDENCY cell's strip. */
enum { RESIDENCY_CELL_WIDTH = 16 };

/* The text of a TEXT field, or NULL when empty. buf (at least 160 bytes) is
 * used for fields that are rendered on the fly (PERMS, DEV, VMFLAGS). */
const char *region_field_text(const struct snapshot *s, const struct region *r,
			      enum region_field f, char *buf, size_t bufsize);

/* One smaps counter of a region, under the kernel's own key, for a view
 * that lists them all. */
struct region_counter {
	const char *key;	/* "Private_Dirty" */
	uint64_t v;
	bool bytes;		/* a size in bytes; else a plain number */
};

/* How many counter slots region_counter() takes, 0 to this minus one. */
int region_counter_count(void);

/* Counter i of r, in the kernel's order. Returns false when smaps did not
 * print it (or the slot has no key of its own). */
bool region_counter(const struct region *r, int i, struct region_counter *out);

/* The bits of region vm_flags, 0 to this minus one. */
enum { REGION_VMFLAG_BITS = 64 };

/* Whether VmFlags bit i of r is set; if so *name is its two-letter
 * mnemonic ("??" for the bit that stands for mnemonics vmmap does not
 * know) and *what says what it means; either may be NULL when unknown. */
bool region_vmflag(const struct region *r, int i, const char **name, const char **what);

/* The mnemonic of VmFlags bit i whether or not a region has it set: the
 * two letters, "??" for the bit that stands for mnemonics vmmap does not
 * know, NULL for a bit without one. */
const char *region_vmflag_name(int i);

/* Attributes of the process, by index 0 to the count minus one, in the
 * order the JSON document lists them; name is set whether or not the value
 * is known. */

/* The addresses stat gives of the memory layout ("start_code", ..., and
 * "brk", the current program break). */
int process_mm_count(void);
/* Returns false when the value is unknown (stat could not be read, or brk
 * is not in it). */
bool process_mm(const struct snapshot *s, int i, const char **name, uint64_t *v);

/* The counters of status ("vm_peak", "vm_rss", ..., in bytes or counts). */
int process_status_count(void);
/* Returns false when status could not be read or did not print it. */
bool process_status(const struct snapshot *s, int i, const char **name, uint64_t *v);

/* What the ELF headers of an image said. */
struct image_elf {
	const char *type;	/* its e_type: "exec", "dyn" or "other" */
	int elf_class;		/* 32 or 64 */
	bool has_section_headers;
	char build_id[129];	/* lowercase hex, "" when it has none */
	size_t nsegments;	/* program headers, for image_segment() */
};

/* Fill *out; false when the image's file was not read (image_why_unread()
 * says why). */
bool image_elf(const struct image *im, struct image_elf *out);

/* One program header of an image. */
struct image_segment {
	char type[16];		/* "LOAD", "GNU_RELRO", ... or "0x6474e554" */
	char flags[4];		/* "r-x" */
	uint64_t vaddr;
	uint64_t memsz;
};

/* Segment i (0 to nsegments minus one) of an image whose file was read;
 * false otherwise. */
bool image_segment(const struct image *im, size_t i, struct image_segment *out);

#endif
