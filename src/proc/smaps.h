/* smaps.h: /proc/PID/smaps and /proc/PID/smaps_rollup.
 *
 * smaps is parsed as a stream: the opener feeds whatever read() returned and
 * the parser calls back once per complete region (header line + its "Key:"
 * lines). Keys are matched by name, never by position, and unknown keys are
 * ignored, so older and newer kernels parse alike.
 */
#ifndef VMMAP_PROC_SMAPS_H
#define VMMAP_PROC_SMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/maps.h"
#include "proc/procfs.h"

/* Counters in smaps blocks. Values of "kB" keys are stored in bytes. */
enum smaps_field {
	SMAPS_RSS = 0,
	SMAPS_PSS,
	SMAPS_PSS_DIRTY,
	SMAPS_SHARED_CLEAN,
	SMAPS_SHARED_DIRTY,
	SMAPS_PRIVATE_CLEAN,
	SMAPS_PRIVATE_DIRTY,
	SMAPS_REFERENCED,
	SMAPS_ANONYMOUS,
	SMAPS_KSM,
	SMAPS_LAZY_FREE,
	SMAPS_ANON_HUGE,
	SMAPS_SHMEM_PMD,
	SMAPS_FILE_PMD,
	SMAPS_SHARED_HUGETLB,
	SMAPS_PRIVATE_HUGETLB,
	SMAPS_SWAP,
	SMAPS_SWAP_PSS,
	SMAPS_LOCKED,
	SMAPS_KERNEL_PAGE_SIZE,
	SMAPS_MMU_PAGE_SIZE,
	SMAPS_THP_ELIGIBLE,	/* 0/1, not bytes */
	SMAPS_PROTECTION_KEY,	/* number, not bytes */
	SMAPS_SIZE,
	/* smaps_rollup only */
	SMAPS_PSS_ANON,
	SMAPS_PSS_FILE,
	SMAPS_PSS_SHMEM,
	SMAPS_NFIELDS
};

struct smaps_counters {
	uint64_t v[SMAPS_NFIELDS];
	uint32_t present;	/* bit (1 << field) set when the key was seen */
};

static inline bool smaps_has(const struct smaps_counters *c, enum smaps_field f)
{
	return (c->present >> f) & 1;
}

/* The kernel's own key for a field ("Private_Dirty"). */
const char *smaps_field_key(enum smaps_field f);

/* VmFlags mnemonics, as bit numbers of a uint64_t mask. */
enum { VMFLAG_UNKNOWN_BIT = 63 };	/* set when a mnemonic was not recognised */
int vmflag_index(const char name[2]);	/* -1 when unknown */
const char *vmflag_name(int index);	/* 2-letter mnemonic or NULL */
const char *vmflag_description(int index);
int vmflag_count(void);

/* One complete smaps block. name points into parser storage that is valid
 * only during the callback. */
struct smaps_entry {
	struct maps_entry map;
	struct smaps_counters counters;
	uint64_t vm_flags;
	bool has_vm_flags;
};

typedef int (*smaps_region_cb)(void *ctx, const struct smaps_entry *e);

struct smaps_parser {
	smaps_region_cb on_region;
	void *ctx;
	struct smaps_entry cur;
	bool have_cur;
	char *namebuf;
	size_t namebuf_size;
	char *carry;		/* an incomplete line from the previous feed */
	size_t carry_len;
	size_t carry_cap;
	unsigned long line_no;	/* of the last line seen, for error messages */
	unsigned int next_key;	/* the key the kernel's order says comes next */
	unsigned long regions;
};

void smaps_parser_init(struct smaps_parser *p, smaps_region_cb cb, void *ctx);
void smaps_parser_release(struct smaps_parser *p);

/* Feed len bytes of smaps text. Complete regions are passed to the callback;
 * a non-zero callback return stops parsing and is returned.
 * Returns 0, -EINVAL on a malformed line (p->line_no says which), -ENOMEM. */
int smaps_parser_feed(struct smaps_parser *p, const char *data, size_t len);

/* Flush the last region. A final line without '\n' is parsed as a line.
 * Returns as smaps_parser_feed(). */
int smaps_parser_finish(struct smaps_parser *p);

/* Parse a whole smaps text in one call (tests, fuzzing). */
int smaps_parse(const char *text, size_t len, smaps_region_cb cb, void *ctx,
		unsigned long *bad_line);

/* Read PID's smaps through h, streaming it through a parser. Returns 0,
 * -errno from open/read (ESRCH when the process went away), or the parser's
 * error with *bad_line set. */
int smaps_read(const struct proc_handle *h, smaps_region_cb cb, void *ctx,
	       unsigned long *bad_line);

/* Parsing smaps a chunk at a time in the thread that reads it (see
 * prefetch.h): each chunk's regions are collected in a batch, the chunk
 * slot's state, with their names copied into the batch. A region whose
 * text spans two chunks is in the batch of the chunk where it ends. */
struct smaps_batch {
	struct smaps_entry *entries;	/* map.name points into names */
	size_t n;
	size_t cap;
	char *names;
	size_t names_len;
	size_t names_cap;
};

struct smaps_batcher {
	struct smaps_parser parser;	/* line_no names a malformed line */
};

void smaps_batcher_init(struct smaps_batcher *b);
void smaps_batcher_release(struct smaps_batcher *b);

/* A prefetch_work function (ctx a struct smaps_batcher): parse data into
 * the batch *state, allocated the first time. Returns 0 or the parser's
 * error (-EINVAL, -ENOMEM). */
int smaps_batch_chunk(void *ctx, const char *data, size_t len, bool last, void **state);

/* Free a batch (a prefetch_work free_state function). */
void smaps_batch_free(void *state);

/* Parse smaps_rollup text: the "[rollup]" header and the counters.
 * Returns 0 or -EINVAL. */
int smaps_rollup_parse(const char *text, size_t len, struct smaps_counters *out);

/* Read and parse smaps_rollup through h: the totals the kernel sums
 * itself, far cheaper to refresh than smaps. Returns 0 or -errno (ESRCH
 * for a process without mm). */
int smaps_rollup_read(const struct proc_handle *h, struct smaps_counters *out);

/* Parse one "Key:   value kB" line into c; unknown keys are ignored.
 * Returns 0 or -EINVAL for a known key with a malformed value. If vm_flags is
 * not NULL a VmFlags line is decoded into it. */
int smaps_parse_key_line(const char *line, size_t len, struct smaps_counters *c,
			 uint64_t *vm_flags, bool *has_vm_flags);

#endif
