/* address_space.h: the geometry of a process's virtual address space:
 * paging mode, task size, the canonical hole and the kernel half, and the
 * regions that break those rules. Pure functions of their inputs. */
#ifndef VMMAP_MODEL_ADDRESS_SPACE_H
#define VMMAP_MODEL_ADDRESS_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct region;

/* What the loader could find out; each item may be unknown. */
struct address_space_evidence {
	int cpu_la57;		/* 1 la57 in cpuinfo flags, 0 flags without it, -1 unknown */
	bool task_size_probed;	/* task_size below came from the pagemap end */
	uint64_t task_size;	/* probed task size */
	int elf_class;		/* 32, 64 or 0 */
	const char *arch;	/* "x86_64", ... or NULL */
	uint64_t page_size;
};

struct violation {
	uint64_t start;
	uint64_t end;
	const char *why;	/* static text */
};

struct address_space {
	int paging_levels;	/* 4 or 5; 0 unknown */
	int va_bits;		/* bits of the user half: 47 or 56; 0 unknown */
	bool task_size_known;
	uint64_t task_size;
	const char *task_size_source;	/* "pagemap", "paging mode" or NULL */
	bool hole_known;
	uint64_t hole_start;	/* first non-canonical address */
	uint64_t hole_end;	/* last non-canonical address (inclusive) */
	uint64_t kernel_start;
	struct violation *violations;	/* malloc'ed */
	size_t nviolations;
	const char *unknown_why;	/* why paging_levels is unknown, or NULL */
};

/* Compute the geometry from evidence and the regions (sorted by start).
 * Returns 0 or -ENOMEM. */
int address_space_compute(struct address_space *as,
			  const struct address_space_evidence *ev,
			  const struct region *regions, size_t nregions);
void address_space_release(struct address_space *as);

/* True when addr is canonical for this geometry (false when unknown). */
bool address_space_is_canonical(const struct address_space *as, uint64_t addr);

#define VSYSCALL_START 0xffffffffff600000ULL
#define VSYSCALL_END   0xffffffffff601000ULL

#endif
