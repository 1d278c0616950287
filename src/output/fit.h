/* fit.h: tables fitted to a width, a terminal's or --width's (inside the
 * output module only). */
#ifndef VMMAP_OUTPUT_FIT_H
#define VMMAP_OUTPUT_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* How a column gives way when its table is too wide. */
enum fit_kind {
	FIT_FIXED,	/* numbers, addresses, short words: never cut */
	FIT_TRUNC,	/* free text: cut short */
	FIT_KEEP_END,	/* a path: its start cut, for a "..." mark */
	FIT_WRAP,	/* free text: continued on the lines below */
};

struct fit_spec {
	enum fit_kind kind;
	/* 0: kept while the table can be fitted otherwise; else left out,
	 * whole, in this order (1 first) when the table is too wide */
	unsigned int drop;
};

struct fit_column {
	/* in */
	struct fit_spec spec;
	size_t natural;		/* widest cell or heading, tree art included */
	size_t heading;		/* width of the heading: no narrower */
	size_t art;		/* widest tree art before a cell's text */
	/* out */
	bool hidden;		/* left out */
	size_t width;		/* width to print it at */
};

/*
 * Fit n columns, separated by one space, to width cells (0: leave them as
 * they are). Free-text columns give way first, the widest first, down to
 * 16 cells of text; then columns with a drop order are left out, in that
 * order; then free text gets narrower, down to its heading; last, columns
 * are left out from the right, all but the first. A fixed column is never
 * cut: a number shown in part would be a wrong number.
 */
void fit_columns(struct fit_column *cols, size_t n, size_t width);

/* Cut s to width cells as kind says (FIT_TRUNC or FIT_KEEP_END). */
void fit_cut(char *s, size_t width, enum fit_kind kind);

/*
 * Fit a libsmartcols table holding all its lines to width cells (0, or a
 * raw table: leave it), spec giving each of its columns: columns left out
 * are hidden, free-text cells cut or broken over lines (spec kinds). The
 * cells are measured as they are printed (format_text_width()), so they
 * must be printable text: escaped names, or vmmap's own text. Returns 0
 * or -ENOMEM.
 */
struct libscols_table;
int fit_table(struct libscols_table *tb, size_t width, const struct fit_spec *spec);

/*
 * Print n items on one line, item i after seps[i] (seps[0] is not
 * printed), then a newline; with a width, the line is broken before an
 * item that would pass it (its separator dropped). An item wider than the
 * width stays whole on a line of its own.
 */
void fit_print_items(FILE *out, const char *const *items, const char *const *seps,
		     size_t n, size_t width);

#endif
