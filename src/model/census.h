/* census.h: the machine view (--all): every process reduced to one row of
 * sums, and the machine's sums beside /proc/meminfo.
 *
 * Each process is loaded, summed and released before the next one is read,
 * so memory does not grow with the number of processes: rows go to the
 * caller as they are made, and it keeps what it needs (census_keep for an
 * order or a top N).
 */
#ifndef VMMAP_MODEL_CENSUS_H
#define VMMAP_MODEL_CENSUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/summary.h"
#include "proc/meminfo.h"
#include "proc/procfs.h"

struct source;

/* Families of kinds, the machine view's columns. */
enum census_family {
	FAM_CODE = 0,	/* code */
	FAM_DATA,	/* rodata relro data bss */
	FAM_HEAP,	/* heap */
	FAM_STACK,	/* stack thread_stack */
	FAM_ANON,	/* anon */
	FAM_FILE,	/* file */
	FAM_SHM,	/* shm */
	FAM_OTHER,	/* guard device vdso vvar vsyscall other */
	FAM_COUNT
};

/* The family of a kind. */
enum census_family census_family_of(enum region_kind k);
/* "code", "data", ...; NULL out of range. */
const char *census_family_name(enum census_family f);

enum census_field {
	CF_PID = 0,
	CF_USER,
	CF_COMM,
	CF_RSS,
	CF_PSS,
	CF_USS,
	CF_SWAP,
	CF_SIZE,
	CF_REGIONS,
	CF_CODE,	/* CF_CODE + family: PSS of that family */
	CF_DATA,
	CF_HEAP,
	CF_STACK,
	CF_ANON,
	CF_FILE,
	CF_SHM,
	CF_OTHER,
	CF_REASON,	/* why the process could not be read */
	CF_NUMA,	/* resident bytes per NUMA node (reads numa_maps) */
	CF_COUNT
};

struct census_field_info {
	const char *name;	/* column name: "PSS", "HEAP" */
	const char *help;	/* one line for --list-columns */
	bool text;		/* text, sorted ascending; else a number,
				 * largest first */
	bool bytes;		/* a size (shown human-readable) */
};

const struct census_field_info *census_field_info(enum census_field f);
/* Look a column name up, case-insensitively. Returns the field or -1. */
int census_field_parse(const char *name, size_t len);

struct census_row {
	pid_t pid;
	char user[64];		/* user name live, uid under --sysroot, "?" */
	uid_t uid;
	bool uid_known;
	char comm[80];		/* raw: views escape it */
	bool readable;		/* false: every number is unknown, see reason */
	char reason[256];
	struct summary sum;	/* over the regions of the kinds asked */
	struct sum family_pss[FAM_COUNT];
	/* with the NUMA column: resident bytes per node, the first
	 * CENSUS_NUMA_NODES nodes */
	bool numa_known;
	uint32_t numa_nodes;
	uint64_t numa_bytes[16];
};

enum { CENSUS_NUMA_NODES = 16 };

/* The value of a numeric field of row (unknown for an unreadable row). */
struct sum census_row_value(const struct census_row *row, enum census_field f);

/* Which processes, and which regions of them, are counted. */
struct census_request {
	struct region_filter filter;	/* kinds: sums over these only */
	bool has_uid;			/* --user */
	uid_t uid;
	char *const *names;		/* PIDs or command names; none: all */
	size_t nnames;
	bool accurate;			/* --accurate: read the ELF images */
	bool numa;			/* the NUMA column: read numa_maps */
};

enum { CENSUS_WARNINGS_MAX = 1000 };

struct census {
	uint64_t listed;	/* processes with an address space asked for */
	uint64_t read;		/* of them, read */
	uint64_t unreadable;	/* of them, not: a row with a reason */
	uint64_t kthreads;	/* skipped: kernel threads */
	uint64_t zombies;	/* skipped: zombies */
	struct summary machine;	/* sums by kind over the processes read */
	struct sum machine_family_pss[FAM_COUNT];
	struct meminfo meminfo;
	int meminfo_err;	/* -errno when meminfo could not be read */
	char **warnings;	/* "PID: text", the first CENSUS_WARNINGS_MAX */
	size_t nwarnings;
	size_t warnings_cap;
	uint64_t warnings_dropped;	/* beyond CENSUS_WARNINGS_MAX */
	double seconds;		/* how long the whole census took */
	bool live;		/* false under --sysroot */
};

/* Called with each row, in pid order; the row is valid during the call
 * only. Return 0, or -errno to stop the census with that error. */
typedef int (*census_emit_fn)(void *ctx, const struct census_row *row);

/* Read every process of src that req asks for and give each row to emit,
 * in pid order, on the caller's thread. The processes are read by up to
 * four threads (one per CPU), a few rows ahead of emit: census_load_process()
 * and the loader under it keep no shared state. Fills *c (release with
 * census_release()). Returns 0,
 * or -errno when the processes cannot be listed, memory runs out or emit
 * fails; a process that cannot be read is a row, not an error. */
int census_run(const struct source *src, const struct census_request *req,
	       struct census *c, census_emit_fn emit, void *ctx);
void census_release(struct census *c);

/* Load pid and reduce it to *row (pid and names already set). The one
 * place the machine view loads a process. Returns 0, or -errno with
 * row->readable false and row->reason set; *warnings (NULL-terminated,
 * free with census_free_warnings()) gets the load's warnings. */
int census_load_process(const struct source *src, const struct census_request *req,
			struct census_row *row, char ***warnings);
void census_free_warnings(char **warnings);

/* Rows kept for an order or a top N: with top > 0 only the top rows are
 * ever held, so memory stays bounded. */
struct census_keep {
	struct census_row *rows;
	size_t n, cap;
	int sort_field;		/* enum census_field, -1: pid order */
	size_t top;		/* 0: all */
};

/* Offer row to k. Returns 0 or -ENOMEM. */
int census_keep_add(struct census_keep *k, const struct census_row *row);
/* Sort the kept rows (by sort_field, ties by pid). */
void census_keep_sort(struct census_keep *k);
void census_keep_release(struct census_keep *k);

/* Order of two rows by field f: sizes largest first with unknown last,
 * text and pids ascending, ties by pid. */
int census_row_cmp(const struct census_row *a, const struct census_row *b,
		   enum census_field f);

#endif
