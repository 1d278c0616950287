/* table.c: the human report through libsmartcols. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "model/fields.h"
#include "model/snapshot.h"
#include "output/fit.h"
#include "output/format.h"
#include "output/output.h"

const char *kind_color(int kind)
{
	switch (kind) {
	case KIND_CODE: return "red";
	case KIND_RODATA: return "yellow";
	case KIND_RELRO: return "brown";
	case KIND_DATA: return "green";
	case KIND_BSS: return "green";
	case KIND_HEAP: return "magenta";
	case KIND_STACK:
	case KIND_THREAD_STACK: return "blue";
	case KIND_GUARD: return "gray";
	case KIND_SHM: return "cyan";
	case KIND_DEVICE: return "lightred";
	case KIND_VDSO:
	case KIND_VVAR:
	case KIND_VSYSCALL: return "lightmagenta";
	default: return NULL;
	}
}

static int column_flags(enum region_field f)
{
	const struct field_info *fi = field_info(f);

	switch (f) {
	case F_PATH:
	case F_IMAGE:
		return SCOLS_FL_NOEXTREMES;
	case F_DETAIL:
	case F_VMFLAGS:
		return SCOLS_FL_TRUNC;
	default:
		return fi->type == FIELD_BYTES || fi->type == FIELD_NUMBER ?
		       SCOLS_FL_RIGHT : 0;
	}
}

/* How a region column gives way to a narrow terminal (fit_columns()):
 * free text is cut short, a path at its start (its end names the file).
 * Left out first are the default columns a glance needs least, then the
 * others but START, SIZE, RSS, KIND and PATH, the right-most first. pos
 * is the column's place among n. */
static struct fit_spec region_fit(enum region_field f, size_t pos, size_t n)
{
	static const int dispensable[] = {
		F_SWAP, F_DIRTY, F_PSS, F_END, F_DETAIL, F_PERMS,
	};
	struct fit_spec fs = { FIT_FIXED, 0 };
	size_t i;

	switch (f) {
	case F_PATH:
	case F_IMAGE:
		fs.kind = FIT_KEEP_END;
		break;
	case F_DETAIL:
	case F_SECTIONS:
	case F_VMFLAGS:
		fs.kind = FIT_TRUNC;
		break;
	default:
		break;
	}
	switch (f) {
	case F_START:
	case F_SIZE:
	case F_RSS:
	case F_KIND:
	case F_PATH:
		return fs;
	default:
		break;
	}
	fs.drop = (unsigned int)(sizeof(dispensable) / sizeof(dispensable[0]) + n - pos);
	for (i = 0; i < sizeof(dispensable) / sizeof(dispensable[0]); i++)
		if (dispensable[i] == (int)f)
			fs.drop = (unsigned int)i + 1;
	return fs;
}

/* Render one cell into buf (CELL_MAX bytes). Returns the text (buf or a
 * constant), or NULL for an empty cell. */
enum { CELL_MAX = 4096 };

static const char *cell_format(const struct snapshot *s, const struct region *r,
			       enum region_field f, const struct output_options *o,
			       char *buf)
{
	const struct field_info *fi = field_info(f);
	const char *t;
	uint64_t v;

	switch (fi->type) {
	case FIELD_ADDR:
		region_field_number(s, r, f, &v);
		if (f == F_OFFSET)
			format_hex(v, buf, CELL_MAX);
		else
			format_addr(v, s->elf_class == 32 ? 8 : 12, buf, CELL_MAX);
		return buf;
	case FIELD_BYTES:
		if (!region_field_number(s, r, f, &v))
			return "-";
		format_size(v, o->bytes, buf, CELL_MAX);
		return buf;
	case FIELD_NUMBER:
		if (!region_field_number(s, r, f, &v))
			return f == F_TID ? NULL : "-";
		format_number(v, buf, CELL_MAX);
		return buf;
	case FIELD_TEXT:
	default: {
		static const char deleted[] = " (deleted)";
		const struct node_bytes *nb;
		size_t nn, i, len = 0;

		if (f == F_NUMA) {
			/* "0:1.2G 1:300M": the sizes formatted as every size is */
			if (!region_numa(s, r, &nb, &nn))
				return "-";
			buf[0] = '\0';
			for (i = 0; i < nn && len + 32 < CELL_MAX; i++) {
				char size[24];

				format_size(nb[i].bytes, o->bytes, size, sizeof(size));
				len += (size_t)snprintf(buf + len, CELL_MAX - len, "%s%u:%s",
							i ? " " : "", nb[i].node, size);
			}
			return nn ? buf : "0";
		}
		char tmp[CELL_MAX];
		size_t n;

		t = region_field_text(s, r, f, tmp, sizeof(tmp));
		if ((!t || !*t) && f == F_RESIDENCY)
			return "-";	/* unknown, not empty */
		if (!t || !*t)
			return NULL;
		if (f != F_PATH || !(r->flags & REGION_DELETED)) {
			format_escape_name(t, buf, CELL_MAX);
			return buf;
		}
		format_escape_name(t, buf, CELL_MAX - (sizeof(deleted) - 1));
		n = strlen(buf);
		memcpy(buf + n, deleted, sizeof(deleted));
		return buf;
	}
	}
}

/* The cell as a malloc'ed string, or NULL (empty, or out of memory). Text
 * comes encoded by format_escape_name() (cell_format()), so libsmartcols
 * prints every cell as it is (scols_table_enable_noencoding()): encoding
 * it again would turn the backslash of each escape into another. */
static char *cell_text(const struct snapshot *s, const struct region *r,
		       enum region_field f, const struct output_options *o)
{
	char buf[CELL_MAX];
	const char *t = cell_format(s, r, f, o, buf);

	return t ? strdup(t) : NULL;
}

/* The line naming the process, broken between its items to fit a width:
 * the executable's path is not cut, whatever its length. */
static void process_line(FILE *out, const struct snapshot *s,
			 const struct summary *sum, const struct output_options *o)
{
	static const struct {
		const char *label;
		int sum;
	} totals[] = {
		{ "RSS", SUM_RSS }, { "PSS", SUM_PSS }, { "USS", SUM_USS }, { "swap", SUM_SWAP },
	};
	char comm[FORMAT_ESCAPED_SIZE(sizeof(s->stat.comm))];
	char who[sizeof(comm) + 24], threads[40], bits[16], tot[4][48];
	const char *items[8], *seps[8];
	char *exe = NULL, *esc;
	size_t i, n = 0;

	format_escape_name(s->stat.comm, comm, sizeof(comm));
	snprintf(who, sizeof(who), "%d (%s)", (int)s->pid, comm);
	seps[n] = "";
	items[n++] = who;
	if (s->exe) {
		esc = format_escape_name_dup(s->exe);
		exe = esc ? malloc(strlen(esc) + sizeof(" (deleted)")) : NULL;
		if (exe)
			sprintf(exe, "%s%s", esc, s->exe_deleted ? " (deleted)" : "");
		free(esc);
		seps[n] = " ";
		items[n++] = exe ? exe : "?";
	}
	if (s->nthreads) {
		snprintf(threads, sizeof(threads), "threads %zu", s->nthreads);
		seps[n] = "  ";
		items[n++] = threads;
	}
	if (s->elf_class) {
		snprintf(bits, sizeof(bits), "%d-bit", s->elf_class);
		seps[n] = "  ";
		items[n++] = bits;
	}
	for (i = 0; i < 4; i++) {
		const struct sum *v = &sum->totals.s[totals[i].sum];
		char buf[32];

		if (v->known)
			format_size(v->v, o->bytes, buf, sizeof(buf));
		snprintf(tot[i], sizeof(tot[i]), "%s %s", totals[i].label, v->known ? buf : "-");
		seps[n] = "  ";
		items[n++] = tot[i];
	}
	fit_print_items(out, items, seps, n, o->width);
	free(exe);
}

static struct libscols_table *new_table(const struct output_options *o)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_colors(tb, o->color);
	/* vmmap fits its tables itself (fit_table()), to --width or the
	 * terminal's: libsmartcols would cut numbers */
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	return tb;
}

/* A cell of an image's line in --by-image: sums and bounds over the
 * image's selected regions. Returns a malloc'ed string or NULL. */
static char *image_cell_text(const struct snapshot *s, uint32_t image,
			     const struct selection *sel, enum region_field f,
			     const struct output_options *o)
{
	const struct image *im = &s->images[image - 1];
	const struct field_info *fi = field_info(f);
	struct image_elf ie;
	uint64_t lo = UINT64_MAX, hi = 0, v = 0;
	struct sum sum;
	char buf[160];
	size_t i;

	sum_init(&sum);
	for (i = 0; i < sel->n; i++) {
		const struct region *r = &s->regions[sel->idx[i]];

		if (r->image != image)
			continue;
		lo = r->start < lo ? r->start : lo;
		hi = r->end > hi ? r->end : hi;
		if (fi->type == FIELD_BYTES) {
			bool known = region_field_number(s, r, f, &v);

			sum_add(&sum, known, v);
		}
	}
	switch (f) {
	case F_START:
	case F_END:
		format_addr(f == F_START ? lo : hi, s->elf_class == 32 ? 8 : 12,
			    buf, sizeof(buf));
		return strdup(buf);
	case F_KIND:
		return strdup("image");
	case F_PATH:
	case F_IMAGE:
		return format_escape_name_dup(strpool_get(&s->pool, im->path));
	case F_DETAIL:
		if (!image_elf(im, &ie))
			snprintf(buf, sizeof(buf), "unread: %s", image_why_unread(s, im));
		else if (im->bias_known)
			snprintf(buf, sizeof(buf), "%s, bias 0x%" PRIx64, ie.type, im->bias);
		else
			snprintf(buf, sizeof(buf), "%s", ie.type);
		return strdup(buf);
	default:
		if (fi->type != FIELD_BYTES)
			return NULL;
		if (!sum.known)
			return strdup("-");
		format_size(sum.v, o->bytes, buf, sizeof(buf));
		return strdup(buf);
	}
}

/* Chunked tables measure their cells themselves (format_text_width()), so
 * libsmartcols is handed that measure through its custom-wrap hooks rather
 * than decoding every cell again to size columns whose widths are fixed.
 * A padded column's width is already the widest of its cells (userdata
 * points to it), and libsmartcols only takes the largest measure: that
 * width is the answer for each cell. The last column is measured. No cell
 * is ever split: there is no next chunk. */
static size_t cell_chunk_width(const struct libscols_column *cl, const char *data,
			       void *userdata)
{
	(void)cl;
	return userdata ? *(const size_t *)userdata : format_text_width(data);
}

static char *cell_next_chunk(const struct libscols_column *cl, char *data, void *userdata)
{
	(void)cl;
	(void)data;
	(void)userdata;
	return NULL;
}

/* The columns of a chunked table as fitted: the fields shown, each one's
 * width, and how its cells are cut to it. */
struct chunk_layout {
	size_t n;
	int field[F_COUNT];
	size_t width[F_COUNT];
	enum fit_kind cut[F_COUNT];	/* FIT_FIXED: cells are not cut */
};

/* Rows [from, to) of sel as one libsmartcols table. lay (may be NULL: the
 * columns of o, fitted to o->width here) fixes every column and its
 * width, so consecutive tables line up. */
static int print_region_rows(FILE *out, const struct snapshot *s,
			     const struct selection *sel, size_t from, size_t to,
			     const struct output_options *o, const struct chunk_layout *lay,
			     bool headings)
{
	struct libscols_table *tb = new_table(o);
	struct libscols_line **image_lines = NULL;
	size_t ncols = lay ? lay->n : o->ncolumns;
	size_t i, c, tree_col = 0;
	int rc = 0;

#define FIELD(c) (lay ? lay->field[c] : o->columns[c])
	if (!tb)
		return -ENOMEM;
	scols_table_set_stream(tb, out);
	if (!headings)
		scols_table_enable_noheadings(tb, 1);
	/* the cells come encoded (cell_text()) */
	scols_table_enable_noencoding(tb, 1);

	if (o->by_image) {
		image_lines = calloc(s->nimages + 1, sizeof(*image_lines));
		if (!image_lines) {
			rc = -ENOMEM;
			goto out;
		}
		for (c = 0; c < ncols; c++)
			if (FIELD(c) == F_PATH)
				tree_col = c;
	}
	for (c = 0; c < ncols; c++) {
		const struct field_info *fi = field_info(FIELD(c));
		int flags = column_flags(FIELD(c));
		bool padded = lay && c + 1 < ncols;
		struct libscols_column *cl;

		if (o->by_image && c == tree_col)
			flags |= SCOLS_FL_TREE;
		/* A fixed width makes each chunk lay out exactly as one big
		 * table would (the last column is never padded). libsmartcols
		 * widens a column to its hint only when it is strict, and to
		 * its heading only when it is not. */
		if (padded && lay->width[c] > strlen(fi->name))
			flags |= SCOLS_FL_STRICTWIDTH;
		if (lay)
			flags |= SCOLS_FL_WRAP;	/* for the hooks; nothing wraps */
		cl = scols_table_new_column(tb, fi->name, padded ? (double)lay->width[c] : 0,
					    flags);
		if (!cl) {
			rc = -ENOMEM;
			goto out;
		}
		if (lay && scols_column_set_wrapfunc(cl, cell_chunk_width, cell_next_chunk,
						     padded ? (void *)&lay->width[c] : NULL)) {
			rc = -ENOMEM;
			goto out;
		}
	}
	for (i = from; i < to; i++) {
		const struct region *r = &s->regions[sel->idx[i]];
		struct libscols_line *parent = NULL, *ln;
		const char *color = o->color ? kind_color(r->kind) : NULL;

		if (image_lines && r->image) {
			/* the image's own line comes before its first region */
			if (!image_lines[r->image]) {
				image_lines[r->image] = scols_table_new_line(tb, NULL);
				if (!image_lines[r->image]) {
					rc = -ENOMEM;
					goto out;
				}
				for (c = 0; c < ncols; c++) {
					char *t = image_cell_text(s, r->image, sel, FIELD(c), o);

					if (t && scols_line_refer_data(image_lines[r->image], c, t)) {
						free(t);
						rc = -ENOMEM;
						goto out;
					}
				}
			}
			parent = image_lines[r->image];
		}
		ln = scols_table_new_line(tb, parent);
		if (!ln) {
			rc = -ENOMEM;
			goto out;
		}
		if (color)
			scols_line_set_color(ln, color);
		for (c = 0; c < ncols; c++) {
			char *t = cell_text(s, r, FIELD(c), o);

			if (t && lay && lay->cut[c] != FIT_FIXED)
				fit_cut(t, lay->width[c], lay->cut[c]);
			if (t && scols_line_refer_data(ln, c, t)) {
				free(t);
				rc = -ENOMEM;
				goto out;
			}
		}
	}
	if (!lay && o->width) {
		struct fit_spec spec[F_COUNT];

		for (c = 0; c < ncols; c++)
			spec[c] = region_fit(FIELD(c), c, ncols);
		rc = fit_table(tb, o->width, spec);
	}
#undef FIELD
	if (!rc)
		rc = scols_print_table(tb);
out:
	free(image_lines);
	scols_unref_table(tb);
	return rc;
}

/* A flat table of more than TABLE_CHUNKED rows is printed as consecutive
 * tables of TABLE_CHUNK rows, their column widths fixed first, so memory
 * stays flat whatever the number of regions. Small chunks also keep short
 * what is left to print once smaps has been read. */
enum { TABLE_CHUNKED = 2048, TABLE_CHUNK = 512 };

/* Widest text a size column can show for a region of the given size: human
 * sizes are at most 5 characters ("1023K"), byte counts no wider than the
 * region's own size. */
static size_t counter_width_bound(const struct snapshot *s, const struct selection *sel,
				  const struct output_options *o)
{
	size_t i, w = 1;

	if (!o->bytes)
		return 5;
	for (i = 0; i < sel->n; i++) {
		char buf[32];
		size_t n;

		format_size(region_size(&s->regions[sel->idx[i]]), true, buf, sizeof(buf));
		n = strlen(buf);
		if (n > w)
			w = n;
	}
	return w;
}

/* A column whose cells are counters that only smaps gives, bounded by the
 * region's size: its width is known before the counters are. */
static bool counter_column(enum region_field f)
{
	return field_info(f)->type == FIELD_BYTES && f != F_SIZE;
}

/* The widest cell of column f over sel when it follows from one value, so
 * that 60,000 cells need not be printed to find it: an address or a number
 * is widest at its largest value (its digits only grow), a kind at its
 * longest name, permissions are always four characters. Returns false
 * when each cell has to be measured. */
static bool widest_from_values(const struct snapshot *s, const struct selection *sel,
			       enum region_field f, const struct output_options *o,
			       size_t *widest)
{
	const struct field_info *fi = field_info(f);
	char buf[CELL_MAX];
	uint64_t v, max = 0;
	bool any = false, unknown = false;
	size_t i;

	if (f == F_PERMS) {
		*widest = sel->n ? 4 : 0;
		return true;
	}
	if (f == F_KIND) {
		*widest = 0;
		for (i = 0; i < sel->n; i++) {
			const char *name = region_kind_name(s->regions[sel->idx[i]].kind);
			size_t n = name ? strlen(name) : 0;

			if (n > *widest)
				*widest = n;
		}
		return true;
	}
	/* human sizes are not ordered by their width ("1023K", "1M") */
	if (fi->type != FIELD_ADDR && fi->type != FIELD_NUMBER &&
	    !(fi->type == FIELD_BYTES && o->bytes))
		return false;
	for (i = 0; i < sel->n; i++) {
		if (!region_field_number(s, &s->regions[sel->idx[i]], f, &v)) {
			unknown = true;
			continue;
		}
		if (!any || v > max)
			max = v;
		any = true;
	}
	*widest = 0;
	if (any) {
		if (fi->type == FIELD_ADDR && f == F_OFFSET)
			format_hex(max, buf, sizeof(buf));
		else if (fi->type == FIELD_ADDR)
			format_addr(max, s->elf_class == 32 ? 8 : 12, buf, sizeof(buf));
		else
			format_number(max, buf, sizeof(buf));
		*widest = strlen(buf);
	}
	/* an unknown value prints as "-", an unknown TID as nothing */
	if (unknown && f != F_TID && *widest < 1)
		*widest = 1;
	return true;
}

/* The width of every column of a chunked table: the widest cell, but for
 * counter columns and the residency strip the widest they could be, so
 * that the widths are known as soon as the regions are (a table printed
 * while smaps and the page tables are still being read lays out exactly as
 * one printed afterwards). The last column is never padded, so its cells
 * are not measured, unless the table is to fit a width. */
static void chunk_widths(const struct snapshot *s, const struct selection *sel,
			 const struct output_options *o, size_t *widths)
{
	size_t i, c, bound = counter_width_bound(s, sel, o);
	size_t padded = o->ncolumns ? o->ncolumns - 1 : 0;
	bool measure[F_COUNT] = { false };

	if (o->width)
		padded = o->ncolumns;

	for (c = 0; c < o->ncolumns; c++) {
		enum region_field f = o->columns[c];
		size_t widest = counter_column(f) ? bound :
				f == F_RESIDENCY && s->pages ? RESIDENCY_CELL_WIDTH : 0;

		if (c < padded && !counter_column(f) && f != F_RESIDENCY)
			measure[c] = !widest_from_values(s, sel, f, o, &widest);
		widths[c] = o->noheadings ? 1 : strlen(field_info(f)->name);
		if (widest > widths[c])
			widths[c] = widest;
	}
	for (i = 0; i < sel->n; i++)
		for (c = 0; c < padded; c++) {
			char buf[CELL_MAX];
			const char *t;

			if (!measure[c])
				continue;
			t = cell_format(s, &s->regions[sel->idx[i]], o->columns[c], o, buf);
			if (t) {
				size_t w = format_text_width(t);

				if (w > widths[c])
					widths[c] = w;
			}
		}
}

/* The columns of a chunked table fitted to o->width (all of them at
 * their widths without one). */
static void chunk_layout(const struct output_options *o, const size_t *widths,
			 struct chunk_layout *lay)
{
	struct fit_column cols[F_COUNT];
	size_t c;

	memset(cols, 0, sizeof(cols));
	for (c = 0; c < o->ncolumns; c++) {
		/* libsmartcols makes a column as wide as its heading, shown
		 * or not, unless the column's width is strict (only when
		 * wider, print_region_rows()) */
		size_t heading = strlen(field_info(o->columns[c])->name);

		cols[c].spec = region_fit(o->columns[c], c, o->ncolumns);
		cols[c].natural = widths[c] > heading ? widths[c] : heading;
		cols[c].heading = heading;
	}
	fit_columns(cols, o->ncolumns, o->width);
	lay->n = 0;
	for (c = 0; c < o->ncolumns; c++) {
		if (cols[c].hidden)
			continue;
		lay->field[lay->n] = o->columns[c];
		lay->width[lay->n] = cols[c].width;
		lay->cut[lay->n] = cols[c].width < cols[c].natural ?
				   cols[c].spec.kind : FIT_FIXED;
		lay->n++;
	}
}

struct table_stream {
	FILE *out;
	const struct output_options *o;
	struct selection sel;
	struct chunk_layout lay;
	size_t printed;		/* rows printed so far */
};

void table_stream_free(struct table_stream *ts)
{
	if (!ts)
		return;
	selection_release(&ts->sel);
	free(ts);
}

int table_stream_begin(struct table_stream **out_ts, FILE *out, const struct snapshot *s,
		       const struct output_options *o)
{
	struct table_stream *ts;
	size_t c, widths[F_COUNT];
	int rc;

	*out_ts = NULL;
	/* a tree, a table without alignment or none, or cells that need
	 * VmFlags */
	if (o->by_image || o->raw || o->summary_only)
		return 0;
	for (c = 0; c < o->ncolumns; c++)
		if (o->columns[c] == F_VMFLAGS)
			return 0;
	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return -ENOMEM;
	rc = selection_build(&ts->sel, s, &o->filter, o->sort_field);
	if (rc) {
		free(ts);
		return rc;
	}
	if (ts->sel.n <= TABLE_CHUNKED) {
		table_stream_free(ts);
		return 0;
	}
	ts->out = out;
	ts->o = o;
	chunk_widths(s, &ts->sel, o, widths);
	chunk_layout(o, widths, &ts->lay);
	*out_ts = ts;
	return 1;
}

/* Print the chunks of rows complete below upto (all of them when last). */
static int print_chunks(struct table_stream *ts, const struct snapshot *s,
			size_t upto, bool last)
{
	int rc = 0;

	if (upto > ts->sel.n)
		upto = ts->sel.n;
	while (!rc && ts->printed < upto &&
	       (last || upto - ts->printed >= TABLE_CHUNK)) {
		size_t to = ts->printed + TABLE_CHUNK < upto ? ts->printed + TABLE_CHUNK : upto;

		rc = print_region_rows(ts->out, s, &ts->sel, ts->printed, to, ts->o,
				       &ts->lay, ts->printed == 0 && !ts->o->noheadings);
		ts->printed = to;
	}
	return rc;
}

int table_stream_regions(struct table_stream *ts, const struct snapshot *s, size_t upto)
{
	return print_chunks(ts, s, upto, false);
}

static char *sum_text(const struct sum *v, const struct output_options *o)
{
	char buf[32];

	if (!v->known)
		return strdup("-");
	format_size(v->v, o->bytes, buf, sizeof(buf));
	return strdup(buf);
}

static int print_summary(FILE *out, const struct summary *sum,
			 const struct output_options *o)
{
	static const struct {
		const char *name;
		int sum;	/* -1 = region count */
	} cols[] = {
		{ "KIND", -2 }, { "REGIONS", -1 }, { "SIZE", SUM_SIZE },
		{ "RSS", SUM_RSS }, { "PSS", SUM_PSS }, { "USS", SUM_USS },
		{ "PRIVATE_DIRTY", SUM_PRIVATE_DIRTY }, { "DIRTY", SUM_DIRTY },
		{ "SWAP", SUM_SWAP },
	};
	/* on a narrow terminal, the right-most go first; never KIND, SIZE
	 * or RSS while it can fit without them */
	static const struct fit_spec fit[] = {
		{ FIT_FIXED, 0 }, { FIT_FIXED, 6 }, { FIT_FIXED, 0 },
		{ FIT_FIXED, 0 }, { FIT_FIXED, 5 }, { FIT_FIXED, 4 },
		{ FIT_FIXED, 3 }, { FIT_FIXED, 2 },
		{ FIT_FIXED, 1 },
	};
	struct libscols_table *tb = new_table(o);
	size_t c;
	int k, rc = 0;

	if (!tb)
		return -ENOMEM;
	scols_table_set_stream(tb, out);
	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		if (!scols_table_new_column(tb, cols[c].name, 0,
					    c ? SCOLS_FL_RIGHT : 0)) {
			rc = -ENOMEM;
			goto out;
		}
	for (k = 0; k <= KIND_COUNT; k++) {
		const struct kind_summary *ks = k < KIND_COUNT ? &sum->kinds[k] : &sum->totals;
		struct libscols_line *ln;
		char buf[32];

		if (k < KIND_COUNT && !ks->regions)
			continue;
		ln = scols_table_new_line(tb, NULL);
		if (!ln) {
			rc = -ENOMEM;
			goto out;
		}
		if (o->color && k < KIND_COUNT && kind_color(k))
			scols_line_set_color(ln, kind_color(k));
		for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			char *t;

			if (cols[c].sum == -2) {
				t = strdup(k < KIND_COUNT ? region_kind_name(k) : "total");
			} else if (cols[c].sum == -1) {
				snprintf(buf, sizeof(buf), "%" PRIu64, ks->regions);
				t = strdup(buf);
			} else {
				t = sum_text(&ks->s[cols[c].sum], o);
			}
			if (!t || scols_line_refer_data(ln, c, t)) {
				free(t);
				rc = -ENOMEM;
				goto out;
			}
		}
	}
	rc = fit_table(tb, o->width, fit);
	if (!rc)
		rc = scols_print_table(tb);
out:
	scols_unref_table(tb);
	return rc;
}

/* --numa on a machine of several nodes: the summary split by node. */
enum { NUMA_COLUMNS_MAX = 64 };

static int print_numa_summary(FILE *out, const struct snapshot *s,
			      const struct selection *sel, const struct output_options *o)
{
	size_t nodes = s->numa_node_count, shown = nodes < NUMA_COLUMNS_MAX ? nodes : NUMA_COLUMNS_MAX;
	struct libscols_table *tb;
	uint64_t *t;
	size_t c;
	int k, rc = summary_numa(s, sel, &t);

	if (rc)
		return rc == -ENOENT ? 0 : rc;
	tb = new_table(o);
	if (!tb) {
		free(t);
		return -ENOMEM;
	}
	scols_table_set_stream(tb, out);
	fputc('\n', out);
	rc = scols_table_new_column(tb, "KIND", 0, 0) ? 0 : -ENOMEM;
	for (c = 0; c < shown && !rc; c++) {
		char name[16];

		snprintf(name, sizeof(name), "N%zu", c);
		rc = scols_table_new_column(tb, name, 0, SCOLS_FL_RIGHT) ? 0 : -ENOMEM;
	}
	for (k = 0; k <= KIND_COUNT && !rc; k++) {
		const uint64_t *row = &t[(size_t)k * nodes];
		struct libscols_line *ln;
		bool any = k == KIND_COUNT;

		for (c = 0; c < nodes && !any; c++)
			any = row[c] != 0;
		if (!any)
			continue;
		ln = scols_table_new_line(tb, NULL);
		if (!ln || scols_line_set_data(ln, 0, k < KIND_COUNT ? region_kind_name(k) : "total")) {
			rc = -ENOMEM;
			break;
		}
		for (c = 0; c < shown && !rc; c++) {
			char buf[32];

			format_size(row[c], o->bytes, buf, sizeof(buf));
			rc = scols_line_set_data(ln, c + 1, buf) ? -ENOMEM : 0;
		}
	}
	if (!rc)
		rc = scols_print_table(tb);
	if (!rc && nodes > shown)
		fprintf(out, "(nodes %zu and above left out: see --json)\n", shown);
	scols_unref_table(tb);
	free(t);
	return rc;
}

/* --pages as root: where the resident pages are in RAM. */
static int print_phys(FILE *out, const struct snapshot *s, const struct output_options *o)
{
	static const struct fit_spec fit[] = {
		{ FIT_FIXED, 0 }, { FIT_FIXED, 1 }, { FIT_FIXED, 0 },
	};
	struct libscols_table *tb = new_table(o);
	size_t i;
	int rc;

	if (!tb)
		return -ENOMEM;
	scols_table_set_stream(tb, out);
	if (!scols_table_new_column(tb, "RESIDENT IN", 0, 0) ||
	    !scols_table_new_column(tb, "RANGE", 0, 0) ||
	    !scols_table_new_column(tb, "SIZE", 0, SCOLS_FL_RIGHT)) {
		scols_unref_table(tb);
		return -ENOMEM;
	}
	for (i = 0; i < s->nphys_zones + s->nphys_ram; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		bool zone = i < s->nphys_zones;
		uint64_t bytes = zone ? s->phys_zone_bytes[i] : s->phys_ram_bytes[i - s->nphys_zones];
		char sz[32], range[64];

		if (!ln) {
			scols_unref_table(tb);
			return -ENOMEM;
		}
		format_size(bytes, o->bytes, sz, sizeof(sz));
		if (zone) {
			scols_line_set_data(ln, 0, s->phys_zone_names[i]);
		} else {
			const uint64_t *r = s->phys_ram_range[i - s->nphys_zones];

			snprintf(range, sizeof(range), "%" PRIx64 "-%" PRIx64, r[0], r[1]);
			scols_line_set_data(ln, 0, "System RAM");
			scols_line_set_data(ln, 1, range);
		}
		scols_line_set_data(ln, 2, sz);
	}
	fputc('\n', out);
	rc = fit_table(tb, o->width, fit);
	if (!rc)
		rc = scols_print_table(tb);
	scols_unref_table(tb);
	return rc;
}

int table_stream_end(struct table_stream *ts, const struct snapshot *s)
{
	const struct output_options *o = ts->o;
	struct summary sum;
	int rc;

	rc = print_chunks(ts, s, ts->sel.n, true);
	if (!rc) {
		fputc('\n', ts->out);
		summary_compute(&sum, s, &ts->sel);
		rc = print_summary(ts->out, &sum, o);
	}
	if (!rc && s->phys_known)
		rc = print_phys(ts->out, s, o);
	table_stream_free(ts);
	return rc;
}

int table_print_process_line(FILE *out, const struct snapshot *s,
			     const struct output_options *o)
{
	struct region_filter all = { 0 };
	struct selection sel;
	struct summary sum;
	int rc;

	if (o->noheadings || o->raw)
		return 0;
	/* The process line always shows the whole process, whatever the
	 * filters leave in the tables below it. */
	rc = selection_build(&sel, s, &all, -1);
	if (rc)
		return rc;
	summary_compute(&sum, s, &sel);
	selection_release(&sel);
	process_line(out, s, &sum, o);
	return ferror(out) ? -EIO : 0;
}

int table_print(FILE *out, const struct snapshot *s, const struct output_options *o)
{
	struct table_stream *ts;
	struct selection sel;
	struct summary sum;
	int rc;

	rc = table_print_process_line(out, s, o);
	if (rc)
		return rc;
	rc = table_stream_begin(&ts, out, s, o);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return table_stream_end(ts, s);
	rc = selection_build(&sel, s, &o->filter, o->sort_field);
	if (rc)
		return rc;
	summary_compute(&sum, s, &sel);
	/* --raw is for scripts: one table, the regions or (--summary) the
	 * summary, never both. */
	if (!o->summary_only)
		rc = print_region_rows(out, s, &sel, 0, sel.n, o, NULL, true);
	if (!rc && !o->summary_only && !o->raw)
		fputc('\n', out);
	if (!rc && (o->summary_only || !o->raw))
		rc = print_summary(out, &sum, o);
	if (!rc && (o->summary_only || !o->raw) && s->numa_node_count > 1)
		rc = print_numa_summary(out, s, &sel, o);
	if (!rc && !o->raw && s->phys_known)
		rc = print_phys(out, s, o);
	selection_release(&sel);
	return rc;
}

void table_list_columns(FILE *out, bool raw)
{
	int f;

	for (f = 0; f < F_COUNT; f++) {
		const struct field_info *fi = field_info(f);

		if (raw)
			fprintf(out, "%s %s\n", fi->name, fi->help);
		else
			fprintf(out, "%16s  %s\n", fi->name, fi->help);
	}
}
