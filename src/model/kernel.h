/* kernel.h: the kernel half of the address space for a paging mode
 * (Documentation/arch/x86/x86_64/mm.rst, reference §5.1), with the
 * kernel text's real address when kallsyms shows it. Pure. */
#ifndef VMMAP_MODEL_KERNEL_H
#define VMMAP_MODEL_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "proc/iomem.h"
#include "proc/kallsyms.h"
#include "proc/procfs.h"
#include "proc/zoneinfo.h"

struct kernel_area {
	const char *name;
	uint64_t start;
	uint64_t last;		/* inclusive */
	char note[160];
};

/* Fill up to max areas for x86-64 with paging_levels 4 or 5, top of the
 * address space last. Returns the number filled, or 0 for other levels. */
size_t kernel_layout(int paging_levels, const struct kernel_text *kt,
		     struct kernel_area *areas, size_t max);

/* Everything --kernel shows about the machine. */
struct kernel_view {
	int paging_levels;		/* 0 unknown */
	struct kernel_text text;
	int text_err;			/* -errno reading kallsyms, 0 */
	struct kernel_area areas[16];
	size_t nareas;
	struct iomem iomem;
	int iomem_err;
	struct zoneinfo zones;
	int zones_err;
	uint64_t page_size;
};

/* Read cpuinfo, kallsyms, iomem and zoneinfo under src. Never fails as a
 * whole: each part records its own error. Release with
 * kernel_view_release(). */
void kernel_view_load(const struct proc_source *src, uint64_t page_size,
		      struct kernel_view *kv);
void kernel_view_release(struct kernel_view *kv);

#endif
