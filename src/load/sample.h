/* sample.h: the live view's model: one process sampled again and again.
 *
 * Every tick reads the cheap files (stat, smaps_rollup, uptime) for the
 * header's totals and their history. The full snapshot (smaps, threads,
 * ELF images through a cache that outlives the snapshots) is reloaded only
 * when the totals or the mapped size changed, or every few ticks, and
 * never more often than its own cost allows. Each full load is compared
 * with the one before: which regions appeared, vanished, grew or shrank,
 * and how much each grew since the first sample.
 *
 * Readers only, no output: the live view (src/tui/screen.c) draws what
 * this keeps and src/tui/json_lines.c prints it.
 */
#ifndef VMMAP_MODEL_SAMPLE_H
#define VMMAP_MODEL_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/snapshot.h"
#include "model/summary.h"
#include "load/load.h"
#include "proc/procfs.h"
#include "proc/smaps.h"
#include "proc/stat.h"

struct elf_cache;

/* The totals of the header, from smaps_rollup. */
enum total_field {
	TOTAL_RSS = 0,
	TOTAL_PSS,
	TOTAL_USS,	/* Private_Clean + Private_Dirty */
	TOTAL_DIRTY,	/* Shared_Dirty + Private_Dirty */
	TOTAL_SWAP,
	TOTAL_COUNT
};

struct totals {
	uint64_t v[TOTAL_COUNT];
	uint32_t known;		/* bit per enum total_field */
};

static inline bool totals_has(const struct totals *t, enum total_field f)
{
	return (t->known >> f) & 1;
}

/* What a region did between the last two full samples. */
enum region_change_state {
	CHANGE_NONE = 0,
	CHANGE_NEW,		/* not there before */
	CHANGE_GREW,		/* larger or more resident */
	CHANGE_SHRANK,		/* smaller or less resident */
};

struct region_change {
	int64_t d_last;		/* RSS change since the previous full sample */
	int64_t d_start;	/* since the first one (a newer region: all of it) */
	int64_t d_size;		/* size change since the previous full sample */
	bool known;		/* RSS known now (and before, for an old region) */
	uint8_t state;		/* enum region_change_state */
};

/* A region that vanished in the last full sample, kept for one more. */
struct ghost {
	uint64_t start;
	uint64_t end;
	uint64_t rss;
	bool rss_known;
	uint8_t perms;
	uint8_t kind;
	char *path;		/* malloc'ed; NULL when anonymous */
};

/* What the previous full sample knew of each region (sorted by start). */
struct region_mark {
	uint64_t start;
	uint64_t end;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint64_t rss;
	uint64_t base_rss;	/* RSS when first seen; 0 when it came later */
	bool rss_known;
	uint8_t perms;
	uint8_t kind;
};

enum { SAMPLE_HISTORY = 512 };

struct sampler {
	const struct source *src;
	pid_t pid;
	struct proc_handle h;		/* kept open: a reused pid never mixes in */
	struct elf_cache *cache;	/* borrowed */
	unsigned long long starttime;

	bool exited;
	char exit_msg[256];

	/* every tick */
	struct stat_info stat;
	bool age_known;
	double age;			/* seconds the process has run */
	struct totals first, prev, cur;
	int rollup_err;			/* why cur is unknown, or 0 */
	uint64_t history[2][SAMPLE_HISTORY];	/* RSS, PSS; a ring */
	uint8_t history_known[SAMPLE_HISTORY];	/* bit 0 RSS, bit 1 PSS */
	size_t history_n;		/* samples kept, up to SAMPLE_HISTORY */
	size_t history_next;		/* ring position of the next sample */
	unsigned long ticks;

	/* every full sample */
	struct snapshot snap;
	bool have_snap;
	unsigned long generation;	/* bumped by each full sample */
	struct region_change *changes;	/* one per snap region */
	struct region_mark *marks;
	size_t nmarks;
	struct ghost *ghosts;
	size_t nghosts;
	struct summary first_summary;	/* by kind, at the first full sample */
	bool baseline;			/* first and first_summary are a saved snapshot's */
	double full_cost;		/* seconds the last full load took */
	double full_at;			/* when it ended (monotonic) */
	double pages_cost;		/* seconds snapshot_load_pages took, 0 never */

	/* what the last full sample saw, to tell whether another is due */
	struct smaps_counters full_rollup;
	bool full_rollup_known;
	uint64_t full_vsize;
	long full_threads;
	unsigned long ticks_since_full;

	/* the newest warning not shown before; seq counts them */
	char warning[512];
	unsigned long warning_seq;
	char **seen;
	size_t nseen, seen_cap;
};

/* Open pid and take the first full sample and totals. cache (may be NULL)
 * must outlive the sampler. On failure returns -errno with *err filled
 * (err->kind LOAD_NOT_FOUND when there is no such process) and leaves
 * nothing to release. */
int sampler_open(struct sampler *s, const struct source *src, pid_t pid,
		 struct elf_cache *cache, struct load_error *err);
void sampler_close(struct sampler *s);

/* A cache of parsed ELF files for samplers to share, which outlives them:
 * watching another process keeps what was read. NULL when out of memory
 * (a sampler works without one). */
struct elf_cache *sample_cache_new(void);
void sample_cache_free(struct elf_cache *c);

enum {
	SAMPLE_FULL = 1 << 0,		/* the snapshot was reloaded */
	SAMPLE_EXITED = 1 << 1,		/* the process is gone (exit_msg says) */
};

/* One tick: read the totals, and the full snapshot when it is due or
 * force_full. Returns SAMPLE_* bits, or -ENOMEM. A process that exited
 * keeps its last state. */
int sampler_tick(struct sampler *s, bool force_full);

/* The history sample i ago (0 = newest), false when unknown or older than
 * what is kept. which: 0 RSS, 1 PSS. */
bool sampler_history(const struct sampler *s, int which, size_t ago, uint64_t *v);

/* Read the page tables of the current snapshot (for the residency strip),
 * unless they were read already. Returns 0, -EFBIG when the address space
 * is larger than SAMPLE_PAGES_MAX_VSIZE (too slow to scan on every look),
 * or -errno; sets pages_cost. */
#define SAMPLE_PAGES_MAX_VSIZE (64ULL << 30)

int sampler_load_pages(struct sampler *s);

/* Monotonic seconds. */
double sample_now(void);

/* SIGINT, SIGTERM and SIGHUP set a flag instead of killing, so the live
 * view restores the terminal and JSON Lines end on a whole line. */
/* Sleep up to seconds, waking early for a stop signal. Returns false when
 * one came (watch_stop_requested()). */
bool sample_sleep(double seconds);

void watch_catch_stop_signals(void);
bool watch_stop_requested(void);

/* Measure the changes "since the start" against base instead (--watch
 * --diff): the header's totals, the summary by kind, and each region's
 * growth (a region base had no region at the start of: all of it). For
 * an open sampler of the same process. Returns 0 or -ENOMEM. */
int sampler_set_baseline(struct sampler *s, const struct snapshot *base);

#endif
