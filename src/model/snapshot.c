/* snapshot.c: the snapshot container: create, fill, find, warn, release.
 * The loading is src/load's. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/image.h"
#include "model/snapshot.h"
#include "util/array.h"

int snapshot_init(struct snapshot *snap, pid_t pid)
{
	memset(snap, 0, sizeof(*snap));
	snap->pid = pid;
	snap->proc.dir_fd = -1;
	snap->page_size = 4096;
	snap->source = "sysroot";	/* a snapshot made by hand reads as a capture */
	return strpool_init(&snap->pool);
}

void snapshot_release(struct snapshot *snap)
{
	size_t i;

	free(snap->exe);
	free(snap->argv);
	proc_close(&snap->proc);
	free(snap->phys_zone_names);
	free(snap->phys_zone_bytes);
	free(snap->phys_ram_range);
	free(snap->phys_ram_bytes);
	free(snap->pages);
	free(snap->dumped_bytes);
	free(snap->numa);
	free(snap->numa_nodes);
	for (i = 0; i < snap->nrun_blocks; i++)
		free(snap->run_blocks[i]);
	free(snap->run_blocks);
	free(snap->regions);
	free(snap->threads);
	for (i = 0; i < snap->nimages; i++)
		elf_image_unref(snap->images[i].elf);
	free(snap->images);
	strpool_release(&snap->pool);
	address_space_release(&snap->as);
	for (i = 0; i < snap->nwarnings; i++)
		free(snap->warnings[i]);
	free(snap->warnings);
	memset(snap, 0, sizeof(*snap));
}

int snapshot_warn(struct snapshot *snap, const char *fmt, ...)
{
	char *msg;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	if (ARRAY_GROW(&snap->warnings, &snap->warnings_cap, snap->nwarnings + 1, 8)) {
		free(msg);
		return -ENOMEM;
	}
	snap->warnings[snap->nwarnings++] = msg;
	return 0;
}

int snapshot_add_region(struct snapshot *snap, const struct maps_entry *m,
			const struct smaps_counters *c, uint64_t vm_flags,
			bool has_vm_flags)
{
	struct region *r;
	int rc;

	if (ARRAY_GROW(&snap->regions, &snap->cap, snap->nregions + 1, 256))
		return -ENOMEM;
	r = &snap->regions[snap->nregions];
	memset(r, 0, sizeof(*r));
	r->start = m->start;
	r->end = m->end;
	r->offset = m->offset;
	r->inode = m->inode;
	r->dev_major = m->dev_major;
	r->dev_minor = m->dev_minor;
	r->perms = (uint8_t)m->perms;
	r->name_kind = (uint8_t)m->name_kind;
	r->kind = KIND_OTHER;
	if (m->deleted)
		r->flags |= REGION_DELETED;
	if (has_vm_flags) {
		r->flags |= REGION_HAS_VMFLAGS;
		r->vm_flags = vm_flags;
	}
	if (c)
		r->counters = *c;
	rc = strpool_add(&snap->pool, m->name, m->name_len, &r->path);
	if (rc)
		return rc;
	snap->nregions++;
	return 0;
}

long snapshot_find_region(const struct snapshot *s, uint64_t addr)
{
	size_t lo = 0, hi = s->nregions;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct region *r = &s->regions[mid];

		if (addr < r->start)
			hi = mid;
		else if (addr >= r->end)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}
