/* numa.c: where each region's pages are by NUMA node, and its memory
 * policy, from /proc/PID/numa_maps (--numa). numa_maps walks the page
 * tables as smaps does: it is read only when asked for. Its lines are
 * joined to the regions by start address; a line that names no region
 * (the process changed between the two reads) is counted and said. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "load/internal.h"
#include "proc/numa_maps.h"
#include "util/array.h"

struct numa_fill {
	struct snapshot *snap;
	size_t unmatched;
	int err;
};

static int add_entry(void *ctx, const struct numa_maps_entry *e)
{
	struct numa_fill *f = ctx;
	struct snapshot *s = f->snap;
	long i = snapshot_find_region(s, e->start);
	struct region_numa *rn;
	uint64_t page = numa_maps_has(e, NUMA_KERNEL_PAGE_SIZE) ? e->v[NUMA_KERNEL_PAGE_SIZE] :
			s->page_size;
	size_t k;

	if (i < 0 || s->regions[i].start != e->start || s->numa[i].known) {
		f->unmatched++;
		return 0;
	}
	rn = &s->numa[i];
	if (strpool_add(&s->pool, e->policy.text, e->policy.text_len, &rn->policy) ||
	    ARRAY_GROW(&s->numa_nodes, &s->numa_nodes_cap, s->nnuma_nodes + e->n_nodes, 64))
		return -ENOMEM;
	rn->first = (uint32_t)s->nnuma_nodes;
	rn->n = (uint32_t)e->n_nodes;
	for (k = 0; k < e->n_nodes; k++) {
		struct node_bytes *nb = &s->numa_nodes[s->nnuma_nodes++];

		nb->node = e->nodes[k].node;
		/* pages of a kernel page size each: a count the parser bounded */
		nb->bytes = __builtin_mul_overflow(e->nodes[k].pages, page, &nb->bytes) ?
			    UINT64_MAX : nb->bytes;
		if (nb->node + 1 > s->numa_node_count)
			s->numa_node_count = nb->node + 1;
	}
	rn->known = true;
	return 0;
}

int load_read_numa(struct snapshot *snap, const struct proc_handle *h)
{
	struct numa_fill f = { .snap = snap };
	unsigned long bad_line = 0;
	int rc;

	snap->numa = calloc(snap->nregions ? snap->nregions : 1, sizeof(*snap->numa));
	if (!snap->numa)
		return -ENOMEM;
	rc = numa_maps_read(h, add_entry, &f, &bad_line);
	if (rc == -ENOMEM)
		return rc;
	if (rc == -ENOENT)
		snapshot_warn(snap, "NUMA placement unknown: %s/numa_maps is missing (%s)", h->path,
			      h->capture ? "the capture has none" : "a kernel without NUMA support");
	else if (rc == -EINVAL)
		snapshot_warn(snap, "NUMA placement unknown from line %lu on: %s/numa_maps is "
			      "malformed there", bad_line, h->path);
	else if (rc)
		snapshot_warn(snap, "NUMA placement unknown: cannot read %s/numa_maps: %s%s",
			      h->path, errno_text(rc), load_access_hint(h, rc));
	if (f.unmatched)
		snapshot_warn(snap, "%zu line%s of %s/numa_maps name%s no region: the process "
			      "changed between the reads", f.unmatched, f.unmatched == 1 ? "" : "s",
			      h->path, f.unmatched == 1 ? "s" : "");
	return 0;
}
