/* output.h: the two report views, a table (libsmartcols) and JSON (json-c).
 * Views only read a snapshot; they never open anything under /proc. */
#ifndef VMMAP_OUTPUT_OUTPUT_H
#define VMMAP_OUTPUT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/fields.h"
#include "model/summary.h"

struct snapshot;
struct lookup;
struct kernel_view;

struct output_options {
	int columns[F_COUNT];
	size_t ncolumns;
	bool raw;		/* --raw */
	bool noheadings;	/* --noheadings */
	bool bytes;		/* --bytes */
	bool summary_only;	/* --summary */
	bool by_image;		/* --by-image: regions grouped under their image */
	bool color;		/* resolved from --color and the terminal */
	bool pretty_json;	/* indent the JSON document */
	struct region_filter filter;
	int sort_field;		/* -1 = address order */
	const struct lookup *lookups;	/* --addr results for this process */
	size_t nlookups;
};

/* Print the report for one snapshot as a table: a line naming the process,
 * the regions, then the summary by kind and the totals. Returns 0 or -errno. */
int table_print(FILE *out, const struct snapshot *s, const struct output_options *o);

/* Print the address space top to bottom as the textbooks draw it
 * (--layout). Returns 0 or -errno. */
int layout_print(FILE *out, const struct snapshot *s, const struct output_options *o);

/* Print the --addr results: for each address a tree of what it is.
 * Returns 0 or -errno. */
int lookup_print(FILE *out, const struct snapshot *s, const struct output_options *o);

/* --kernel: the kernel half, /proc/iomem and the zones, as tables or as
 * one JSON document. Return 0 or -errno. */
int kernel_print(FILE *out, const struct kernel_view *kv, const struct output_options *o);
int kernel_json_print(FILE *out, const struct kernel_view *kv);

/* Print the column names and what they mean (--list-columns). */
void table_list_columns(FILE *out, bool raw);

/* Print one JSON document (schema 1 of doc/vmmap.schema.json) for s.
 * Regions are serialised one at a time, so memory does not grow with them.
 * Returns 0 or -errno. */
int json_print(FILE *out, const struct snapshot *s, const struct output_options *o);

/* The colour a kind is shown in, as a libsmartcols/terminal colour name. */
const char *kind_color(int kind);

#endif
