/* layout.h: the address space as the textbooks draw it, computed from a
 * snapshot: kernel half, canonical hole, stack, mmap area, heap, the
 * executable's bss/data/rodata/code, and the unmapped gaps between them,
 * each with its bounds, size, RSS and the mm_struct fields that fall in it.
 * Rows are ordered from the top of the address space down. Pure. */
#ifndef VMMAP_MODEL_LAYOUT_H
#define VMMAP_MODEL_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/region.h"
#include "model/summary.h"

struct snapshot;

enum layout_row_type {
	LROW_KERNEL,		/* the kernel half */
	LROW_HOLE,		/* the canonical hole */
	LROW_BEYOND,		/* above a 32-bit task's address space */
	LROW_GAP,		/* unmapped */
	LROW_STACK,
	LROW_MMAP,		/* libraries, anonymous mmaps, thread stacks... */
	LROW_HEAP,
	LROW_EXE,		/* a part of the executable: code, rodata, data, bss */
	LROW_LOW,		/* unmapped bottom of the address space */
};

struct layout_row {
	enum layout_row_type type;
	uint64_t start;
	uint64_t last;		/* inclusive, so the top row can end at 2^64-1 */
	int kind;		/* region kind for EXE rows, else -1 */
	char label[48];
	uint32_t nregions;
	struct sum rss;
	struct sum size_mapped;	/* bytes mapped inside (mmap rows have holes) */
	char notes[256];	/* mm fields and facts that belong to this row */
	struct kind_summary kinds[KIND_COUNT];	/* MMAP rows: what is inside */
};

struct layout {
	struct layout_row *rows;
	size_t nrows;
};

/* Compute the rows. Returns 0 or -ENOMEM. */
int layout_compute(struct layout *l, const struct snapshot *s);
void layout_release(struct layout *l);

#endif
