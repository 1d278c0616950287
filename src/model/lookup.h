/* lookup.h: what one address of a process is (--addr): canonical or not,
 * the region holding it and its neighbours, the image, section and nearest
 * symbol, the thread whose stack holds it, the state of its page, and
 * where it sits in physical memory. */
#ifndef VMMAP_MODEL_LOOKUP_H
#define VMMAP_MODEL_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proc/pagemap.h"
#include "proc/procfs.h"

struct snapshot;
struct source;

struct lookup {
	uint64_t addr;
	bool canonical;
	const char *why;	/* static text: why not canonical / not mapped, or NULL */
	long region;		/* index into snapshot regions, -1 = unmapped */
	long prev, next;	/* the regions around it (or around the gap) */
	uint64_t offset;	/* into the region */
	bool file_offset_known;
	uint64_t file_offset;
	char section[64];	/* "" when unknown */
	char symbol[256];	/* "" when none */
	uint64_t symbol_offset;
	pid_t tid;		/* the thread whose stack holds it, 0 = none */
	bool page_known;
	struct pagemap_page page;
	bool huge_known;
	bool huge;
	bool phys_known;
	uint64_t phys_addr;
	char iomem[64];		/* "" when unknown */
	char zone[16];		/* "" when unknown */
};

/* Parse "ADDR[,ADDR...]" (hex, 0x optional) into a new array. Returns 0 or
 * -EINVAL (*bad points at the offending item) / -ENOMEM. */
int lookup_parse_list(const char *arg, uint64_t **addrs, size_t *n, const char **bad);

/* Look every address up in snap (a live snapshot, or one from --sysroot,
 * where page state and physical memory are unknown). *out is a new array
 * the caller frees; warnings go to the snapshot. Returns 0 or -ENOMEM. */
int lookup_addresses(const struct source *src, struct snapshot *snap,
		     const uint64_t *addrs, size_t n, struct lookup **out);

#endif
