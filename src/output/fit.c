/* fit.c: tables fitted to a width, a terminal's or --width's. vmmap
 * decides every column's width itself and hands libsmartcols cells that
 * already fit: libsmartcols would cut a number, or the art of a tree. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "output/fit.h"
#include "output/format.h"

/* Free text narrower than this is hardly read: columns are left out
 * before it gets narrower. */
enum { READABLE_TEXT = 16 };

/* The narrowest col gets with text cells of text. */
static size_t narrowest(const struct fit_column *col, size_t text)
{
	size_t w = col->art + text;

	if (w < col->heading)
		w = col->heading;
	return w < col->natural ? w : col->natural;
}

/* The width of the columns not left out, free text at most text cells. */
static size_t needed(const struct fit_column *cols, size_t n, size_t text)
{
	size_t i, w = 0, shown = 0;

	for (i = 0; i < n; i++) {
		if (cols[i].hidden)
			continue;
		w += cols[i].spec.kind == FIT_FIXED ? cols[i].natural : narrowest(&cols[i], text);
		shown++;
	}
	return w + (shown ? shown - 1 : 0);
}

void fit_columns(struct fit_column *cols, size_t n, size_t width)
{
	size_t i, total;

	for (i = 0; i < n; i++) {
		cols[i].hidden = false;
		cols[i].width = cols[i].natural;
	}
	if (!width)
		return;
	while (needed(cols, n, READABLE_TEXT) > width) {
		size_t pick = n;

		for (i = 0; i < n; i++)
			if (!cols[i].hidden && cols[i].spec.drop &&
			    (pick == n || cols[i].spec.drop < cols[pick].spec.drop))
				pick = i;
		if (pick == n)
			break;
		cols[pick].hidden = true;
	}
	while (needed(cols, n, 1) > width) {
		size_t last = n, shown = 0;

		for (i = 0; i < n; i++)
			if (!cols[i].hidden) {
				last = i;
				shown++;
			}
		if (shown <= 1)
			break;
		cols[last].hidden = true;
	}
	for (i = 0, total = 0; i < n; i++)
		if (!cols[i].hidden)
			total += cols[i].width + 1;
	if (total)
		total--;
	while (total > width) {
		size_t pick = n;

		for (i = 0; i < n; i++) {
			const struct fit_column *c = &cols[i];

			if (c->hidden || c->spec.kind == FIT_FIXED || c->width <= narrowest(c, 1))
				continue;
			if (pick == n || c->width > cols[pick].width)
				pick = i;
		}
		if (pick == n)
			break;
		cols[pick].width--;
		total--;
	}
}

void fit_cut(char *s, size_t width, enum fit_kind kind)
{
	if (kind == FIT_KEEP_END)
		format_text_keep_end(s, width);
	else
		format_text_truncate(s, width);
}

/* The tree art libsmartcols draws before the text of a line: two cells a
 * level. */
static size_t art_width(struct libscols_line *ln)
{
	size_t w = 0;

	while ((ln = scols_line_get_parent(ln)))
		w += 2;
	return w;
}

/* text broken into lines of at most width cells, between words where it
 * can be, never in a character or an escape: a malloc'ed string, or
 * NULL */
static char *wrapped(const char *text, size_t width)
{
	size_t len = strlen(text), o = 0;
	char *out = malloc(2 * len + 1), *piece = malloc(len + 1);

	if (!out || !piece || !width) {
		free(out);
		free(piece);
		return NULL;
	}
	while (*text) {
		size_t n;

		strcpy(piece, text);
		format_text_truncate(piece, width);
		n = strlen(piece);
		if (!n)		/* a character wider than the column */
			n = 1;
		/* between words, when a word ends in the line's second half */
		if (text[n]) {
			char *sp = memrchr(piece, ' ', n);

			if (sp && (size_t)(sp - piece) >= n / 2)
				n = (size_t)(sp - piece) + 1;
		}
		if (o)
			out[o++] = '\n';
		memcpy(out + o, text, n);
		o += n;
		text += n;
	}
	out[o] = '\0';
	free(piece);
	return out;
}

int fit_table(struct libscols_table *tb, size_t width, const struct fit_spec *spec)
{
	size_t i, n = scols_table_get_ncols(tb);
	struct libscols_iter *itr;
	struct fit_column *cols;
	struct libscols_line *ln;
	int rc = 0;

	if (!width || !n || scols_table_is_raw(tb))
		return 0;
	cols = calloc(n, sizeof(*cols));
	itr = scols_new_iter(SCOLS_ITER_FORWARD);
	if (!cols || !itr) {
		free(cols);
		scols_free_iter(itr);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct libscols_column *cl = scols_table_get_column(tb, i);
		const char *h = scols_cell_get_data(scols_column_get_header(cl));

		cols[i].spec = spec[i];
		cols[i].heading = h ? format_text_width(h) : 0;
		cols[i].natural = cols[i].heading;
	}
	while (scols_table_next_line(tb, itr, &ln) == 0) {
		size_t art = art_width(ln);

		for (i = 0; i < n; i++) {
			const char *d = scols_cell_get_data(scols_line_get_cell(ln, i));
			bool tree = scols_column_is_tree(scols_table_get_column(tb, i));
			size_t w = (d ? format_text_width(d) : 0) + (tree ? art : 0);

			if (tree && art > cols[i].art)
				cols[i].art = art;
			if (w > cols[i].natural)
				cols[i].natural = w;
		}
	}
	fit_columns(cols, n, width);

	for (i = 0; i < n && !rc; i++) {
		struct libscols_column *cl = scols_table_get_column(tb, i);
		bool tree = scols_column_is_tree(cl);

		if (cols[i].hidden) {
			scols_column_set_flags(cl, scols_column_get_flags(cl) | SCOLS_FL_HIDDEN);
			continue;
		}
		if (cols[i].width >= cols[i].natural)
			continue;
		if (spec[i].kind == FIT_WRAP) {
			scols_column_set_flags(cl, scols_column_get_flags(cl) | SCOLS_FL_WRAP);
			if (scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						      scols_wrapnl_nextchunk, NULL))
				rc = -ENOMEM;
		}
		scols_reset_iter(itr, SCOLS_ITER_FORWARD);
		while (!rc && scols_table_next_line(tb, itr, &ln) == 0) {
			const char *d = scols_cell_get_data(scols_line_get_cell(ln, i));
			size_t art = tree ? art_width(ln) : 0;
			size_t room = cols[i].width > art ? cols[i].width - art : 1;
			char *t;

			if (!d || format_text_width(d) <= room)
				continue;
			if (spec[i].kind == FIT_WRAP) {
				t = wrapped(d, room);
			} else {
				t = strdup(d);
				if (t)
					fit_cut(t, room, spec[i].kind);
			}
			if (!t || scols_line_refer_data(ln, i, t)) {
				free(t);
				rc = -ENOMEM;
			}
		}
	}
	scols_free_iter(itr);
	free(cols);
	return rc;
}

void fit_print_items(FILE *out, const char *const *items, const char *const *seps,
		     size_t n, size_t width)
{
	size_t i, used = 0;

	for (i = 0; i < n; i++) {
		size_t w = format_text_width(items[i]);

		if (i && width && used + format_text_width(seps[i]) + w > width) {
			fputc('\n', out);
			used = 0;
		} else if (i) {
			fputs(seps[i], out);
			used += format_text_width(seps[i]);
		}
		fputs(items[i], out);
		used += w;
	}
	fputc('\n', out);
}
