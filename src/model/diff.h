/* diff.h: what changed between two snapshots of a process (--diff).
 * Pure functions of the two snapshots. */
#ifndef VMMAP_MODEL_DIFF_H
#define VMMAP_MODEL_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/summary.h"

struct snapshot;

/* What changed in a pair of regions, bits of diff_pair.changes. */
enum diff_change {
	DIFF_START = 1 << 0,	/* matched by overlap: it moved, or was split or merged */
	DIFF_SIZE = 1 << 1,
	DIFF_PERMS = 1 << 2,
	DIFF_KIND = 1 << 3,
	DIFF_PATH = 1 << 4,
	DIFF_RSS = 1 << 5,
	DIFF_PSS = 1 << 6,
	DIFF_DIRTY = 1 << 7,
	DIFF_SWAP = 1 << 8,
};

/* One line of the diff: a region added (before -1), removed (after -1),
 * or a pair, changed (changes != 0) or not. */
struct diff_pair {
	long before;		/* index into the before snapshot's regions */
	long after;		/* index into the after snapshot's */
	unsigned int changes;
};

/* A delta of a sum: after - before, unknown when either is. */
struct delta {
	bool known;
	int64_t v;
	struct sum before, after;
};

struct diff_image {
	const char *path;	/* in one of the snapshots' pools */
	struct delta rss, pss, dirty;
	bool in_before, in_after;
};

struct diff {
	struct diff_pair *pairs;	/* in address order (after's, then before's) */
	size_t npairs;
	size_t added, removed, changed, unchanged;
	struct summary before, after;	/* per kind, over every region */
	struct delta kinds[KIND_COUNT][SUM_NFIELDS];
	struct delta totals[SUM_NFIELDS];
	struct diff_image *images;
	size_t nimages, images_cap;
};

/* Match the regions of a (before) and b (after): by start address, then
 * the rest by the largest overlap (a region that moved, was split or was
 * merged), one partner each; what is left was added or removed. Counters
 * unknown on either side make their change unknown, not a change.
 * Returns 0 or -ENOMEM; release with diff_release(). */
int diff_compute(const struct snapshot *a, const struct snapshot *b, struct diff *out);
void diff_release(struct diff *d);

/* A delta of two sums. */
struct delta delta_of(struct sum before, struct sum after);

/* Field f (SIZE or a counter) of region rb of b less that of ra of a; a
 * missing region (NULL: added, removed) counts 0, an unknown counter makes
 * the delta unknown. */
struct delta diff_region_delta(const struct snapshot *a, const struct region *ra,
			       const struct snapshot *b, const struct region *rb,
			       enum region_field f);

#endif
