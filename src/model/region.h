/* region.h: one VMA as vmmap models it, and the vocabulary of kinds. */
#ifndef VMMAP_MODEL_REGION_H
#define VMMAP_MODEL_REGION_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/smaps.h"

/* The order is the one summaries are printed in. */
enum region_kind {
	KIND_CODE = 0,
	KIND_RODATA,
	KIND_RELRO,
	KIND_DATA,
	KIND_BSS,
	KIND_HEAP,
	KIND_STACK,
	KIND_THREAD_STACK,
	KIND_GUARD,
	KIND_ANON,
	KIND_FILE,
	KIND_SHM,
	KIND_DEVICE,
	KIND_VDSO,
	KIND_VVAR,
	KIND_VSYSCALL,
	KIND_OTHER,
	KIND_COUNT
};

/* "code", "thread_stack", ...; NULL for an out-of-range kind. */
const char *region_kind_name(enum region_kind k);

/* Parse a kind name; returns the kind or -1. */
int region_kind_parse(const char *name, size_t len);

/* region flags */
enum {
	REGION_DELETED = 1 << 0,	/* the file was unlinked */
	REGION_HAS_VMFLAGS = 1 << 1,	/* smaps printed VmFlags */
};

/* Compact on purpose: a process may have 65,530 of these. Strings live in
 * the snapshot's string pool and are referenced by offset (0 = none). */
struct region {
	uint64_t start;
	uint64_t end;
	uint64_t offset;
	uint64_t inode;
	uint64_t vm_flags;	/* VmFlags mnemonics as vmflag_index() bits */
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t path;		/* decoded name */
	uint32_t detail;	/* free text set by classification */
	uint32_t image;		/* index + 1 into snapshot images, 0 = none */
	int32_t tid;		/* owning thread, 0 = none */
	uint8_t perms;		/* MAPS_* */
	uint8_t kind;		/* enum region_kind */
	uint8_t name_kind;	/* enum maps_name_kind */
	uint8_t flags;		/* REGION_* */
	struct smaps_counters counters;
};

static inline uint64_t region_size(const struct region *r)
{
	return r->end - r->start;
}

/* perms (a region's or a vanished one's) as maps prints them: "rw-p". */
static inline void region_perms_text(unsigned int perms, char out[5])
{
	maps_perms_string(perms, out);
}

/* Writable and executable at once (W^X broken). */
static inline bool region_perms_wx(unsigned int perms)
{
	return (perms & MAPS_WRITE) && (perms & MAPS_EXEC);
}

#endif
