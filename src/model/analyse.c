/* analyse.c: classification, geometry and accounting over a read snapshot. */
#include "config.h"

#include "model/analyse.h"
#include "model/classify.h"
#include "model/images.h"
#include "model/snapshot.h"
#include "model/summary.h"

static void fill_brk(struct snapshot *snap)
{
	size_t i;

	/* The current break is not exported; it is the end of [heap]. */
	for (i = 0; i < snap->nregions; i++)
		if (snap->regions[i].name_kind == MAPS_NAME_HEAP) {
			snap->stat.mm[MM_BRK] = snap->regions[i].end;
			snap->brk_known = true;
			return;
		}
	/* No heap yet: the break has not moved from start_brk. */
	if (snap->mm_known) {
		snap->stat.mm[MM_BRK] = snap->stat.mm[MM_START_BRK];
		snap->brk_known = true;
	}
}

/* Counters from a capture can be anything: sums of them that do not fit
 * in 64 bits are shown as unknown, and said so once here. */
static void warn_overflows(struct snapshot *snap)
{
	uint32_t mask = summary_overflows(snap);
	int f;

	for (f = 0; f < SUM_NFIELDS; f++)
		if (mask & (1u << f))
			snapshot_warn(snap, "%s summed over the regions overflows 64 bits: shown as unknown",
				      sum_field_name(f));
}

int snapshot_classify_layout(struct snapshot *snap, const struct address_space_evidence *ev)
{
	int rc;

	fill_brk(snap);
	rc = snapshot_classify(snap);
	if (rc || !ev)
		return rc;	/* no geometry asked for */
	address_space_release(&snap->as);
	rc = address_space_compute(&snap->as, ev, snap->regions, snap->nregions);
	if (rc)
		return rc;
	if (!snap->as.paging_levels && snap->as.unknown_why)
		snapshot_warn(snap, "paging mode unknown: %s", snap->as.unknown_why);
	return 0;
}

void snapshot_account(struct snapshot *snap)
{
	images_account(snap);
	warn_overflows(snap);
}

int snapshot_analyse(struct snapshot *snap, const struct address_space_evidence *ev)
{
	int rc = snapshot_classify_layout(snap, ev);

	if (!rc)
		snapshot_account(snap);
	return rc;
}
