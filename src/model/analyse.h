/* analyse.h: what is computed from a snapshot's regions once they are read.
 * Pure functions of the snapshot: no I/O. */
#ifndef VMMAP_MODEL_ANALYSE_H
#define VMMAP_MODEL_ANALYSE_H

struct snapshot;
struct address_space_evidence;

/* What the regions, threads and images give without the counters: the
 * current break, every region's kind, detail, image and owning thread,
 * and the address-space geometry (not when ev is NULL). snap->kinds_wait_vmflags tells whether
 * a kind was decided without VmFlags a region has yet to get. Returns 0
 * or -ENOMEM. */
int snapshot_classify_layout(struct snapshot *snap, const struct address_space_evidence *ev);

/* What needs the counters: each image's sums, and a warning for each sum
 * over the regions that overflows. */
void snapshot_account(struct snapshot *snap);

/* Both, for a snapshot whose counters are in. Returns 0 or -ENOMEM. */
int snapshot_analyse(struct snapshot *snap, const struct address_space_evidence *ev);

#endif
