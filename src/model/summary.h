/* summary.h: selecting, sorting and summing regions. Pure functions. */
#ifndef VMMAP_MODEL_SUMMARY_H
#define VMMAP_MODEL_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/fields.h"
#include "model/region.h"
#include "model/sum.h"

struct snapshot;

/* Which regions to show. */
struct region_filter {
	uint32_t kinds;		/* bit per enum region_kind; 0 = all */
	bool has_range;
	uint64_t range_start;	/* regions overlapping [range_start, range_end] */
	uint64_t range_end;
};

/* Indices into snapshot->regions, in display order. */
struct selection {
	uint32_t *idx;
	size_t n;
};

/* Select the regions that pass filter, then order them by sort_field (or by
 * address when sort_field < 0): sizes and counts largest first, addresses
 * and text ascending; ties keep address order. Returns 0 or -ENOMEM. */
int selection_build(struct selection *sel, const struct snapshot *s,
		    const struct region_filter *filter, int sort_field);
void selection_release(struct selection *sel);

enum sum_field {
	SUM_SIZE = 0,
	SUM_RSS,
	SUM_PSS,
	SUM_USS,
	SUM_PRIVATE_DIRTY,
	SUM_DIRTY,
	SUM_SWAP,
	SUM_SWAP_PSS,
	SUM_NFIELDS
};

struct kind_summary {
	uint64_t regions;
	struct sum s[SUM_NFIELDS];
};

struct summary {
	struct kind_summary kinds[KIND_COUNT];
	struct kind_summary totals;
};

/* Sum the selected regions per kind and in total. A sum is unknown when
 * any of its regions lacked the counter, or when it would overflow 64 bits
 * (then its overflow is set too). */
void summary_compute(struct summary *out, const struct snapshot *s,
		     const struct selection *sel);

/* Which sums over all of s's regions overflow 64 bits, one bit (1 << f)
 * per enum sum_field: where any sum of that field, of a kind, an image or
 * a filtered set of regions, may be shown as unknown for that reason. A
 * region whose own USS or DIRTY (two counters added) overflows counts. */
uint32_t summary_overflows(const struct snapshot *s);

/* The region field each sum adds up. */
enum region_field sum_field_region_field(enum sum_field f);

/* A sum's name in messages: its column's ("RSS"). */
const char *sum_field_name(enum sum_field f);

/* --numa: the selected regions' bytes per NUMA node, by kind: a table of
 * (KIND_COUNT + 1) rows (the last the total) of s->numa_node_count
 * columns, row-major, malloc'ed into *out (free it). Regions numa_maps
 * had no line for count in no node. Returns 0, -ENOENT when numa_maps
 * was not read, or -ENOMEM. */
int summary_numa(const struct snapshot *s, const struct selection *sel, uint64_t **out);

#endif
