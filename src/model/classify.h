/* classify.h: give every region of a snapshot its kind, detail, image and
 * owning thread. A pure function of the snapshot: no I/O. */
#ifndef VMMAP_MODEL_CLASSIFY_H
#define VMMAP_MODEL_CLASSIFY_H

struct snapshot;

/* Classify every region in place (kind, detail, image, tid) and link each
 * thread to its stack region. Returns 0 or -ENOMEM. */
int snapshot_classify(struct snapshot *snap);

#endif
