/* images.h: ELF images in a snapshot: which regions belong to which mapped
 * ELF file, at what load bias, and what each region holds (kinds, sections,
 * bss). Pure functions of the snapshot and the parsed ELF headers. */
#ifndef VMMAP_MODEL_IMAGES_H
#define VMMAP_MODEL_IMAGES_H

#include <stdbool.h>

struct snapshot;
struct region;

/* Make one image per (dev, inode) that has a private executable mapping
 * and point each of its file-backed regions at it (region->image). Images
 * start without ELF data (elf = NULL). Returns 0 or -ENOMEM. */
int images_group(struct snapshot *s);

/* Using each image's ELF headers where they were read: compute the load
 * bias, refine the kinds of its regions (code, rodata, relro, data, image
 * gaps) and find its bss tail. Regions of images whose file could not be
 * read keep the kinds their permissions gave them. Returns 0 or -ENOMEM. */
int images_classify(struct snapshot *s);

/* Sum each image's memory over its regions (bss included): after
 * images_classify(), once the counters are in. */
void images_account(struct snapshot *s);

/* Call cb for each ELF section overlapping r (in address order). Returns the
 * number of sections, 0 when r belongs to no image, or -1 when they are
 * unknown (the image's file could not be read). When the image has no
 * section headers its segments are reported instead ("LOAD r-x"). */
int region_sections(const struct snapshot *s, const struct region *r,
		    void (*cb)(void *ctx, const char *name), void *ctx);

#endif
