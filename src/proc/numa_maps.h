/* numa_maps.h: /proc/PID/numa_maps, the memory policy of each region and
 * the pages it has on each NUMA node.
 *
 * One line per region, as show_numa_map() (fs/proc/task_mmu.c) prints it:
 *
 *   <start> <policy>[ file=<path> | heap | stack][ huge][ anon=N][ dirty=N]
 *	[ mapped=N][ mapmax=N][ swapcache=N][ active=N][ writeback=N]
 *	[ N<node>=N...][ kernelpagesize_kB=N]
 *
 * The counters are in pages of kernelpagesize_kB and are printed only when
 * not zero (see numa_maps_pages()); a region without any page present has
 * only the start, the policy and the name words. The kernel walks the page
 * tables of every region for this file, under the mmap lock: it costs about
 * what smaps costs.
 *
 * The policy is mpol_to_str()'s (mm/mempolicy.c):
 * <mode>[=<flags>][:<nodelist>], where mode may hold a space ("prefer
 * (many)", "weighted interleave"). It is printed into a 64-byte buffer (50
 * in older kernels), so a long node list is cut short.
 *
 * The path after "file=" is seq_path()'s with "\n", "\t", " " and "=" escaped
 * as \ooo, so it is one word; " (deleted)" is escaped with it.
 *
 * Keys this parser does not know are skipped (kernels add them), and counted.
 */
#ifndef VMMAP_PROC_NUMA_MAPS_H
#define VMMAP_PROC_NUMA_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc_handle;

/* The largest node number taken, plus one: MAX_NUMNODES at the kernel's
 * largest NODES_SHIFT (10). A line naming a node at or above it is
 * malformed. */
#define NUMA_MAPS_NODE_MAX	1024

/* The mode of a memory policy (the kernel's enum mempolicy mode). */
enum numa_policy_mode {
	NUMA_POLICY_UNKNOWN = 0,	/* "unknown", or a mode this parser does not know */
	NUMA_POLICY_DEFAULT,		/* "default" */
	NUMA_POLICY_PREFERRED,		/* "prefer" */
	NUMA_POLICY_BIND,		/* "bind" */
	NUMA_POLICY_INTERLEAVE,		/* "interleave" */
	NUMA_POLICY_WEIGHTED_INTERLEAVE,	/* "weighted interleave" (6.9) */
	NUMA_POLICY_LOCAL,		/* "local" */
	NUMA_POLICY_PREFERRED_MANY,	/* "prefer (many)" (5.15) */
};

/* Mode flags, after '=' ("bind=static|balancing:0-1"). */
enum {
	NUMA_POLICY_F_STATIC	= 1 << 0,	/* MPOL_F_STATIC_NODES */
	NUMA_POLICY_F_RELATIVE	= 1 << 1,	/* MPOL_F_RELATIVE_NODES */
	NUMA_POLICY_F_BALANCING	= 1 << 2,	/* MPOL_F_NUMA_BALANCING */
	NUMA_POLICY_F_UNKNOWN	= 1 << 3,	/* a flag this parser does not know */
};

struct numa_policy {
	enum numa_policy_mode mode;
	unsigned int flags;		/* NUMA_POLICY_F_* */
	const char *text;		/* as printed, NUL-terminated */
	size_t text_len;
	const char *nodelist;		/* the text after ':' (into text), "" when none */
	size_t nodelist_len;
	/* The nodes of nodelist, bit n of word n / 64. */
	uint64_t nodes[NUMA_MAPS_NODE_MAX / 64];
	/* The text has the length a cut by the kernel's buffer leaves: its
	 * last node list element may be cut ("1" for "12") and is left out
	 * of nodes, which then holds only nodes the policy does name. */
	bool nodes_incomplete;
};

static inline bool numa_policy_has_node(const struct numa_policy *pol, unsigned int node)
{
	return node < NUMA_MAPS_NODE_MAX && ((pol->nodes[node / 64] >> (node % 64)) & 1);
}

/* The policy text's mode name ("prefer (many)"); "unknown" for
 * NUMA_POLICY_UNKNOWN. */
const char *numa_policy_mode_name(enum numa_policy_mode mode);

/* Counters of a line. All but NUMA_KERNEL_PAGE_SIZE are page counts. */
enum numa_maps_field {
	NUMA_ANON = 0,		/* anon= */
	NUMA_DIRTY,		/* dirty= */
	NUMA_MAPPED,		/* mapped=: pages, when neither anon nor dirty */
	NUMA_MAPMAX,		/* mapmax=: the largest map count of a page */
	NUMA_SWAPCACHE,		/* swapcache= */
	NUMA_ACTIVE,		/* active=: printed only when below the pages */
	NUMA_WRITEBACK,		/* writeback= */
	NUMA_KERNEL_PAGE_SIZE,	/* kernelpagesize_kB=, in bytes */
	NUMA_NFIELDS
};

/* The kernel's key for a field ("kernelpagesize_kB"). */
const char *numa_maps_field_key(enum numa_maps_field f);

/* N<node>=<pages> */
struct numa_node_pages {
	uint32_t node;
	uint64_t pages;
};

/* One line. Pointers are into parser storage valid only during the
 * callback. */
struct numa_maps_entry {
	uint64_t start;
	struct numa_policy policy;
	const char *file;	/* decoded path after "file=", NUL-terminated; NULL when none */
	size_t file_len;
	bool deleted;		/* " (deleted)" was stripped from file */
	bool heap;		/* "heap": the initial brk area */
	bool stack;		/* "stack" or "stack:<tid>" */
	uint32_t stack_tid;	/* <tid> of "stack:<tid>" (kernels before 4.5), else 0 */
	bool huge;		/* "huge": hugetlbfs */
	uint64_t v[NUMA_NFIELDS];
	uint32_t present;	/* bit (1 << field) set when the key was seen */
	const struct numa_node_pages *nodes;	/* ascending node numbers */
	size_t n_nodes;
	unsigned int unknown_keys;	/* words skipped as unknown */
};

static inline bool numa_maps_has(const struct numa_maps_entry *e, enum numa_maps_field f)
{
	return (e->present >> f) & 1;
}

/* The pages of the region that are present, as the kernel counted them
 * (also the sum of the N<node>= counts): mapped= when printed, else the
 * larger of anon= and dirty= (the kernel leaves mapped= out when it equals
 * one of them), 0 when none is printed. */
uint64_t numa_maps_pages(const struct numa_maps_entry *e);

typedef int (*numa_maps_entry_cb)(void *ctx, const struct numa_maps_entry *e);

struct numa_maps_parser {
	numa_maps_entry_cb on_entry;
	void *ctx;
	struct numa_maps_entry cur;
	char *text;		/* decoded file and policy text of the line */
	size_t text_cap;
	struct numa_node_pages *nodes;	/* NUMA_MAPS_NODE_MAX slots */
	char *carry;		/* an incomplete line from the previous feed */
	size_t carry_len;
	size_t carry_cap;
	unsigned long line_no;	/* of the last line seen, for error messages */
	unsigned long entries;
};

void numa_maps_parser_init(struct numa_maps_parser *p, numa_maps_entry_cb cb, void *ctx);
void numa_maps_parser_release(struct numa_maps_parser *p);

/* Feed len bytes of numa_maps text; each complete line is passed to the
 * callback, and a non-zero callback return stops parsing and is returned.
 * A line longer than MAPS_LINE_MAX is malformed. Returns 0, -EINVAL on a
 * malformed line (p->line_no says which, from 1) or -ENOMEM. */
int numa_maps_parser_feed(struct numa_maps_parser *p, const char *data, size_t len);

/* Parse a last line without '\n', if any. Returns as numa_maps_parser_feed(). */
int numa_maps_parser_finish(struct numa_maps_parser *p);

/* Parse a whole numa_maps text in one call. *bad_line (may be NULL) is set
 * to the malformed line on -EINVAL, else 0. */
int numa_maps_parse(const char *text, size_t len, numa_maps_entry_cb cb, void *ctx,
		    unsigned long *bad_line);

/* Read PID's numa_maps through h, a piece at a time. Returns 0, -errno from
 * open/read (-ENOENT on a kernel built without CONFIG_NUMA, ESRCH when the
 * process went away), or the parser's error with *bad_line (may be NULL)
 * set. */
int numa_maps_read(const struct proc_handle *h, numa_maps_entry_cb cb, void *ctx,
		   unsigned long *bad_line);

/* Match numa_maps lines to regions by start address. region_starts
 * (n_regions) and numa_starts (n_numa) must each be strictly ascending, as
 * the kernel lists them. out[i] (n_regions slots) is set to the index in
 * numa_starts of the line starting where region i starts, or SIZE_MAX when
 * there is none (the mappings changed between the two reads). Returns the
 * number of regions matched, or -EINVAL when an array is not strictly
 * ascending (out is then undefined). */
long numa_maps_join(const uint64_t *region_starts, size_t n_regions,
		    const uint64_t *numa_starts, size_t n_numa, size_t *out);

#endif
