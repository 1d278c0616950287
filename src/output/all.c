/* all.c: the machine view (--all): one row per process, then what the
 * processes account for beside /proc/meminfo. The table is here; JSON and
 * the metrics are written by json.c and openmetrics.c. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "output/fit.h"
#include "output/format.h"
#include "output/output.h"

struct all_view {
	enum all_format format;
	FILE *out;
	const struct output_options *o;
	struct libscols_table *tb;
	struct all_json *json;
	struct openmetrics *om;
};

void all_view_free(struct all_view *v)
{
	if (!v)
		return;
	scols_unref_table(v->tb);
	all_json_free(v->json);
	openmetrics_free(v->om);
	free(v);
}

static struct libscols_table *new_table(FILE *out, const struct output_options *o)
{
	struct libscols_table *tb = scols_new_table();
	size_t i;

	if (!tb)
		return NULL;
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	/* commands come escaped (format_escape_name()), as in every view */
	scols_table_enable_noencoding(tb, 1);
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	for (i = 0; i < o->ncensus_columns; i++) {
		const struct census_field_info *fi = census_field_info(o->census_columns[i]);

		if (!scols_table_new_column(tb, fi->name, 0, fi->text ? 0 : SCOLS_FL_RIGHT)) {
			scols_unref_table(tb);
			return NULL;
		}
	}
	return tb;
}

int all_view_begin(struct all_view **out_v, FILE *out, enum all_format format,
		   const struct output_options *o)
{
	struct all_view *v = calloc(1, sizeof(*v));
	int rc = 0;

	*out_v = NULL;
	if (!v)
		return -ENOMEM;
	v->format = format;
	v->out = out;
	v->o = o;
	switch (format) {
	case ALL_TABLE:
		v->tb = new_table(out, o);
		rc = v->tb ? 0 : -ENOMEM;
		break;
	case ALL_JSON:
		rc = all_json_begin(&v->json, out, o);
		break;
	case ALL_OPENMETRICS:
		rc = openmetrics_begin(&v->om, out, o);
		break;
	}
	if (rc) {
		all_view_free(v);
		return rc;
	}
	*out_v = v;
	return 0;
}

static void size_cell(char *buf, size_t n, struct sum v, bool bytes, const struct output_options *o)
{
	if (!v.known)
		snprintf(buf, n, "-");
	else if (bytes)
		format_size(v.v, o->bytes, buf, n);
	else
		snprintf(buf, n, "%llu", (unsigned long long)v.v);
}

static int table_row(struct all_view *v, const struct census_row *row)
{
	struct libscols_line *ln = scols_table_new_line(v->tb, NULL);
	size_t i;

	if (!ln)
		return -ENOMEM;
	for (i = 0; i < v->o->ncensus_columns; i++) {
		int f = v->o->census_columns[i];
		char buf[sizeof(row->reason) * 4 + 8];

		switch (f) {
		case CF_PID:
			snprintf(buf, sizeof(buf), "%d", (int)row->pid);
			break;
		case CF_USER:
			format_escape_name(row->user, buf, sizeof(buf));
			break;
		case CF_COMM:
			format_escape_name(row->comm, buf, sizeof(buf));
			break;
		case CF_REASON:
			format_escape_name(row->readable ? "" : row->reason, buf, sizeof(buf));
			break;
		case CF_NUMA: {
			size_t len = 0, k;

			snprintf(buf, sizeof(buf), "-");
			for (k = 0; row->readable && row->numa_known && k < row->numa_nodes; k++) {
				char size[24];

				format_size(row->numa_bytes[k], v->o->bytes, size, sizeof(size));
				len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%zu:%s",
							len ? " " : "", k, size);
			}
			break;
		}
		default:
			size_cell(buf, sizeof(buf), census_row_value(row, f),
				  census_field_info(f)->bytes, v->o);
		}
		if (scols_line_set_data(ln, i, buf))
			return -ENOMEM;
	}
	return 0;
}

int all_view_row(struct all_view *v, const struct census_row *row)
{
	switch (v->format) {
	case ALL_TABLE:
		return table_row(v, row);
	case ALL_JSON:
		return all_json_row(v->json, row);
	case ALL_OPENMETRICS:
		return openmetrics_row(v->om, row);
	}
	return -EINVAL;
}

/* "12.0M" or "-" */
static const char *size_text(struct sum v, const struct output_options *o, char *buf, size_t n)
{
	size_cell(buf, n, v, true, o);
	return buf;
}

/* One line of "HEAD item, item, ..." broken to the width. */
struct item_line {
	char text[24][48];
	const char *items[24];
	const char *seps[24];
	size_t n;
};

static void item_add(struct item_line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void item_add(struct item_line *l, const char *fmt, ...)
{
	va_list ap;

	if (l->n == 24)
		return;
	va_start(ap, fmt);
	vsnprintf(l->text[l->n], sizeof(l->text[0]), fmt, ap);
	va_end(ap);
	l->items[l->n] = l->text[l->n];
	l->seps[l->n] = l->n == 0 ? "" : l->n == 1 ? " " : ", ";
	l->n++;
}

/* What the processes account for, by family, and what the kernel says
 * (/proc/meminfo): the rest is the kernel's and the page cache's. */
static void machine_lines(FILE *out, const struct census *c, const struct output_options *o)
{
	static const enum meminfo_field shown[] = {
		MEMINFO_MEM_TOTAL, MEMINFO_MEM_AVAILABLE, MEMINFO_ANON_PAGES, MEMINFO_MAPPED,
		MEMINFO_SHMEM, MEMINFO_CACHED, MEMINFO_BUFFERS, MEMINFO_SLAB,
		MEMINFO_PAGE_TABLES, MEMINFO_SWAP_TOTAL, MEMINFO_SWAP_FREE,
	};
	const struct kind_summary *t = &c->machine.totals;
	struct item_line l;
	char a[32];
	size_t i;
	int f;

	fputc('\n', out);
	l.n = 0;
	item_add(&l, "Processes:");
	item_add(&l, "%llu read", (unsigned long long)c->read);
	item_add(&l, "%llu unreadable", (unsigned long long)c->unreadable);
	item_add(&l, "skipped: kernel threads %llu", (unsigned long long)c->kthreads);
	item_add(&l, "zombies %llu", (unsigned long long)c->zombies);
	fit_print_items(out, l.items, l.seps, l.n, o->width);
	l.n = 0;
	item_add(&l, "Their sum:");
	item_add(&l, "RSS %s", size_text(t->s[SUM_RSS], o, a, sizeof(a)));
	item_add(&l, "PSS %s", size_text(t->s[SUM_PSS], o, a, sizeof(a)));
	item_add(&l, "USS %s", size_text(t->s[SUM_USS], o, a, sizeof(a)));
	item_add(&l, "swap %s", size_text(t->s[SUM_SWAP], o, a, sizeof(a)));
	fit_print_items(out, l.items, l.seps, l.n, o->width);
	l.n = 0;
	item_add(&l, "PSS by kind:");
	for (f = 0; f < FAM_COUNT; f++)
		item_add(&l, "%s %s", census_family_name(f),
			 size_text(c->machine_family_pss[f], o, a, sizeof(a)));
	fit_print_items(out, l.items, l.seps, l.n, o->width);
	l.n = 0;
	item_add(&l, "/proc/meminfo:");
	if (c->meminfo_err) {
		item_add(&l, "unknown: %s", errno_text(c->meminfo_err));
	} else {
		for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
			struct sum v = { c->meminfo.v[shown[i]],
					 meminfo_has(&c->meminfo, shown[i]), false };

			item_add(&l, "%s %s", meminfo_field_key(shown[i]),
				 size_text(v, o, a, sizeof(a)));
		}
	}
	fit_print_items(out, l.items, l.seps, l.n, o->width);
}

static int table_end(struct all_view *v, const struct census *c)
{
	struct fit_spec *spec = calloc(v->o->ncensus_columns + 1, sizeof(*spec));
	size_t i;
	int rc;

	if (!spec)
		return -ENOMEM;
	for (i = 0; i < v->o->ncensus_columns; i++) {
		int f = v->o->census_columns[i];

		spec[i].kind = f == CF_COMM || f == CF_REASON || f == CF_USER ? FIT_TRUNC : FIT_FIXED;
		/* the families give way first, from the right */
		spec[i].drop = f >= CF_CODE && f < CF_CODE + FAM_COUNT ?
			       (unsigned int)(CF_CODE + FAM_COUNT - f) : 0;
	}
	rc = fit_table(v->tb, v->o->width, spec);
	free(spec);
	if (!rc && (c->listed || !v->o->noheadings))
		rc = scols_print_table(v->tb);
	if (!rc && !v->o->raw && !v->o->noheadings)
		machine_lines(v->out, c, v->o);
	return rc ? rc : ferror(v->out) ? -EIO : 0;
}

int all_view_end(struct all_view *v, const struct census *c)
{
	int rc = -EINVAL;

	switch (v->format) {
	case ALL_TABLE:
		rc = table_end(v, c);
		break;
	case ALL_JSON:
		rc = all_json_end(v->json, c);
		v->json = NULL;
		break;
	case ALL_OPENMETRICS:
		rc = openmetrics_end(v->om, c);
		v->om = NULL;
		break;
	}
	all_view_free(v);
	return rc;
}

void all_list_columns(FILE *out, bool raw)
{
	int f;

	for (f = 0; f < CF_COUNT; f++) {
		const struct census_field_info *fi = census_field_info(f);

		if (raw)
			fprintf(out, "%s %s\n", fi->name, fi->help);
		else
			fprintf(out, "%9s  %s\n", fi->name, fi->help);
	}
}
