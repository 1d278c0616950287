/* rows.h: the rows of the live view's region list, in display order.
 *
 * The regions of the sampler's current snapshot, those of the chosen kinds,
 * sorted; the regions that vanished in the last full sample (ghosts) among
 * them; optionally grouped under a heading per image or per kind with the
 * group's totals; and a cursor that stays on its region from one sample to
 * the next. Pure code: no curses, no reading, so it is tested on its own;
 * the panels draw what it keeps.
 */
#ifndef VMMAP_TUI_ROWS_H
#define VMMAP_TUI_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "load/sample.h"
#include "model/summary.h"

enum row_type {
	ROW_REGION = 0,
	ROW_GHOST,		/* vanished in the last full sample */
	ROW_GROUP,		/* a group's heading */
};

struct row {
	uint32_t idx;		/* region, ghost or group index */
	uint8_t type;		/* enum row_type */
};

struct row_group {
	const char *name;	/* snapshot pool or static text */
	int kind;		/* for the colour; -1 for an image */
	uint64_t regions;	/* rows under the heading, ghosts included */
	struct sum s[SUM_NFIELDS];	/* over the live regions */
};

enum group_mode {
	GROUP_NONE = 0,
	GROUP_IMAGE,		/* by ELF image; the rest by kind */
	GROUP_KIND,
	GROUP_COUNT
};

/* The orders offered: a region field (enum region_field), or these two. */
enum { SORT_GROWTH = -2, SORT_ADDRESS = -1 };

struct row_sort {
	const char *label;	/* "address", "RSS", ... */
	int field;		/* enum region_field, SORT_ADDRESS or SORT_GROWTH */
};

enum { ROW_NSORTS = 9 };
extern const struct row_sort row_sorts[ROW_NSORTS];

struct rows {
	/* what the user chose */
	int sort;			/* into row_sorts[] */
	bool reverse;
	enum group_mode group;
	uint32_t kinds;			/* bit per kind; 0 = all */

	/* what rows_build() made of the current snapshot */
	struct selection sel;		/* the regions shown, in order */
	bool have_sel;
	struct row *v;
	size_t n;
	struct row_group *groups;
	size_t ngroups;
	unsigned long generation;	/* the sampler generation they index */
	bool valid;			/* v indexes the current snapshot */
	bool stale;			/* to be rebuilt before the next draw */

	/* the cursor, which follows its region */
	size_t cursor;
	uint64_t cursor_start;		/* the region under the cursor */
	bool cursor_known;
};

/* Rebuild the rows from smp's current snapshot after a sample or a change
 * of rs's choices, keeping the cursor on the same region when it is still
 * there (or on the last row when the list got shorter). Clears rs->stale.
 * Returns 0 or -ENOMEM (the rows are then empty). */
int rows_build(struct rows *rs, const struct sampler *smp);

/* Free the rows and forget the cursor; the choices stay. */
void rows_release(struct rows *rs);

/* Note which region the cursor is on while the rows still index smp's
 * current snapshot: after the next sample their indices mean nothing. */
void rows_remember_cursor(struct rows *rs, const struct sampler *smp);

/* The start address of a region or ghost row; 0 for a heading. */
uint64_t row_start(const struct sampler *smp, const struct row *r);

/* The kind of a row (enum region_kind; a heading's may be -1). */
int row_kind(const struct rows *rs, const struct sampler *smp, const struct row *r);

/* The path of a region or ghost row, raw (views escape it); NULL for an
 * anonymous one and a heading. */
const char *row_path(const struct sampler *smp, const struct row *r);

/* True when needle is, ignoring case, part of the row's path, kind or
 * detail. Headings never match. */
bool row_matches(const struct sampler *smp, const struct row *r, const char *needle);

/* Find the next row after index from that matches needle, going round past
 * the end (from itself comes last). Returns true with its index in *at,
 * false when none matches. */
bool rows_find(const struct rows *rs, const struct sampler *smp, const char *needle,
	       size_t from, size_t *at);

#endif
