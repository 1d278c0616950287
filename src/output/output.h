/* output.h: the two report views, a table (libsmartcols) and JSON (json-c).
 * Views only read a snapshot; they never open anything under /proc. */
#ifndef VMMAP_OUTPUT_OUTPUT_H
#define VMMAP_OUTPUT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/census.h"
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
	bool diff_all_regions;	/* --diff --all-regions: the unchanged too */
	bool summary_only;	/* --summary */
	bool by_image;		/* --by-image: regions grouped under their image */
	bool color;		/* resolved from --color and the terminal */
	size_t width;		/* fit tables to this many columns: --width, or the
				 * terminal's; 0: never cut */
	struct region_filter filter;
	int sort_field;		/* -1 = address order */
	const struct lookup *lookups;	/* --addr results for this process */
	size_t nlookups;
	/* the machine view (--all, --openmetrics) */
	int census_columns[CF_COUNT];	/* enum census_field */
	size_t ncensus_columns;
	bool by_comm;		/* --by-comm: metrics summed by command name */
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

/* A string from a process or a capture as a JSON string (NULL on out of
 * memory), for this module's JSON writers: JSON text must be UTF-8, so
 * each byte that is not part of a valid UTF-8 sequence becomes U+FFFD. */
struct json_object;
struct json_object *json_text_obj(const char *s);

/*
 * Reports printed while the process is still being read (see
 * snapshot_load_streamed()): begin once the regions and their kinds are
 * known, then the regions in order as their counters arrive, then end once
 * the snapshot is complete. json_print() and table_print() are the same
 * three steps at once, so both ways print the same bytes.
 */
struct json_stream;

/* Write the document up to its regions. On success *js (freed by
 * json_stream_end() or json_stream_free()) holds the selection of regions
 * to write. Returns 0 or -errno. */
int json_stream_begin(struct json_stream **js, FILE *out, const struct snapshot *s,
		      const struct output_options *o);
/* Write the selected regions [from, to). Returns 0 or -errno. */
int json_stream_regions(struct json_stream *js, const struct snapshot *s,
			size_t from, size_t to);
/* Write the rest (images, summary, totals, warnings) and free js.
 * Returns 0 or -errno. */
int json_stream_end(struct json_stream *js, const struct snapshot *s);
void json_stream_free(struct json_stream *js);

/* The table the same way. table_stream_begin() returns 1 when the table is
 * printed in chunks (more than 2048 rows, not --raw, --by-image, --summary
 * or the VMFLAGS column) and fills *ts, 0 when it must be printed whole
 * with table_print(), or -errno. The process line is not part of it (it
 * shows totals): print it with table_print_process_line() first. */
struct table_stream;

int table_stream_begin(struct table_stream **ts, FILE *out, const struct snapshot *s,
		       const struct output_options *o);
/* Print every complete chunk of the rows below upto. Returns 0 or -errno. */
int table_stream_regions(struct table_stream *ts, const struct snapshot *s, size_t upto);
/* Print the remaining rows, the summary (and --pages' RAM use) and free ts.
 * Returns 0 or -errno. */
int table_stream_end(struct table_stream *ts, const struct snapshot *s);
void table_stream_free(struct table_stream *ts);
/* The line naming the process and its totals (nothing with --raw or
 * --noheadings). Returns 0 or -errno. */
int table_print_process_line(FILE *out, const struct snapshot *s,
			     const struct output_options *o);

/*
 * The machine view (--all) and the metrics (--openmetrics): the rows of a
 * census as they are made (model/census.h), then its sums. A table, a
 * JSON document (output/json.c) or the Prometheus text format, valid
 * OpenMetrics too (output/openmetrics.c).
 */
enum all_format { ALL_TABLE, ALL_JSON, ALL_OPENMETRICS };
struct all_view;

/* Start a view on out. Returns 0 or -errno. */
int all_view_begin(struct all_view **v, FILE *out, enum all_format format,
		   const struct output_options *o);
/* Add one row. Returns 0 or -errno. */
int all_view_row(struct all_view *v, const struct census_row *row);
/* Write what is left (the machine's sums, the warnings) and free v.
 * Returns 0 or -errno. */
int all_view_end(struct all_view *v, const struct census *c);
void all_view_free(struct all_view *v);

/* Print the machine view's columns (--all --list-columns). */
void all_list_columns(FILE *out, bool raw);

/* The JSON and metrics halves of all_view (output/json.c,
 * output/openmetrics.c): the same three steps. */
struct all_json;
int all_json_begin(struct all_json **j, FILE *out, const struct output_options *o);
int all_json_row(struct all_json *j, const struct census_row *row);
int all_json_end(struct all_json *j, const struct census *c);
void all_json_free(struct all_json *j);

struct openmetrics;
int openmetrics_begin(struct openmetrics **m, FILE *out, const struct output_options *o);
int openmetrics_row(struct openmetrics *m, const struct census_row *row);
int openmetrics_end(struct openmetrics *m, const struct census *c);
void openmetrics_free(struct openmetrics *m);

/* A label value as the exposition format quotes it: backslash, double
 * quote and newline escaped, bytes that are not UTF-8 replaced by U+FFFD.
 * Writes at most outsize bytes, NUL included. */
void openmetrics_escape_label(const char *s, char *out, size_t outsize);

/* The colour a kind is shown in, as a libsmartcols/terminal colour name. */
const char *kind_color(int kind);

/* --diff: what changed from a to b (diff_compute()), as text (output/diff.c)
 * or as a JSON document. o's filter (--kind) and diff_all_regions apply.
 * Return 0 or -errno. */
struct diff;
int diff_print(FILE *out, const struct snapshot *a, const struct snapshot *b,
	       const struct diff *d, const struct output_options *o);
int json_diff_print(FILE *out, const struct snapshot *a, const struct snapshot *b,
		    const struct diff *d, const struct output_options *o);

#endif
