/* diff.c: --diff as text: what was added, removed and changed, then the
 * deltas by kind and by image. Every name from the target is escaped. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/diff.h"
#include "model/snapshot.h"
#include "output/format.h"
#include "output/output.h"

/* "+12K", "-4K", "0", "-" (unknown). */
static void format_delta(const struct delta *d, bool raw, char *out, size_t n)
{
	char t[24];

	if (!d->known) {
		snprintf(out, n, "-");
		return;
	}
	if (!d->v) {
		snprintf(out, n, "0");
		return;
	}
	format_size(d->v < 0 ? (uint64_t)-(d->v + 1) + 1 : (uint64_t)d->v, raw, t, sizeof(t));
	snprintf(out, n, "%s%s", d->v < 0 ? "-" : "+", t);
}

static void field_text(const struct snapshot *s, const struct region *r, enum region_field f,
		       bool raw, char *out, size_t n)
{
	uint64_t v;

	if (region_field_number(s, r, f, &v))
		format_size(v, raw, out, n);
	else
		snprintf(out, n, "-");
}

static void describe(FILE *out, const char *label, const struct snapshot *s)
{
	char when[32] = "time unknown", name[96];
	struct tm tm;
	time_t t = (time_t)s->read_at;

	if (s->read_at_known && gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	format_escape_name(s->stat.comm, name, sizeof(name));
	fprintf(out, "%s %d (%s), %s, %s", label, (int)s->pid, name,
		s->saved_path ? "saved" : s->source, when);
	if (s->saved_path) {
		char *p = format_escape_name_dup(s->saved_path);

		fprintf(out, ", %s", p ? p : "");
		free(p);
	}
	fputc('\n', out);
}

static const char *mark(const struct diff_pair *p)
{
	return p->before < 0 ? "+" : p->after < 0 ? "-" : p->changes ? "~" : " ";
}

/* What changed in a pair, in words: "size 8K -> 12K, perms rw-p -> r--p". */
static void changes_text(const struct snapshot *a, const struct region *ra,
			 const struct snapshot *b, const struct region *rb,
			 unsigned int c, bool raw, char *out, size_t n)
{
	char x[32], y[32], pa[8], pb[8];
	size_t len = 0;

	out[0] = '\0';
#define ADD(...) do { if (len < n) len += (size_t)snprintf(out + len, n - len, __VA_ARGS__); } while (0)
	if (c & DIFF_START) {
		format_hex(ra->start, x, sizeof(x));
		ADD("%sfrom 0x%s", len ? ", " : "", x);
	}
	if (c & DIFF_SIZE) {
		format_size(region_size(ra), raw, x, sizeof(x));
		format_size(region_size(rb), raw, y, sizeof(y));
		ADD("%ssize %s -> %s", len ? ", " : "", x, y);
	}
	if (c & DIFF_PERMS) {
		region_perms_text(ra->perms, pa);
		region_perms_text(rb->perms, pb);
		ADD("%sperms %s -> %s", len ? ", " : "", pa, pb);
	}
	if (c & DIFF_KIND)
		ADD("%skind %s -> %s", len ? ", " : "", region_kind_name(ra->kind),
		    region_kind_name(rb->kind));
	if (c & DIFF_PATH)
		ADD("%spath changed", len ? ", " : "");
	if (c & DIFF_SWAP) {
		field_text(a, ra, F_SWAP, raw, x, sizeof(x));
		field_text(b, rb, F_SWAP, raw, y, sizeof(y));
		ADD("%sswap %s -> %s", len ? ", " : "", x, y);
	}
#undef ADD
}

int diff_print(FILE *out, const struct snapshot *a, const struct snapshot *b,
	       const struct diff *d, const struct output_options *o)
{
	static const enum region_field cols[] = { F_SIZE, F_RSS, F_PSS, F_DIRTY, F_SWAP };
	static const char *const heads[] = { "SIZE", "RSS", "PSS", "DIRTY", "SWAP" };
	static const enum sum_field sums[] = { SUM_SIZE, SUM_RSS, SUM_PSS, SUM_DIRTY, SUM_SWAP };
	bool raw = o->bytes;
	size_t i, c, shown = 0;
	int k;

	describe(out, "before", a);
	describe(out, "after ", b);
	fprintf(out, "%zu added, %zu removed, %zu changed, %zu unchanged\n\n",
		d->added, d->removed, d->changed, d->unchanged);
	fprintf(out, "  %-16s %-16s %-5s", "START", "END", "PERMS");
	for (c = 0; c < sizeof(heads) / sizeof(heads[0]); c++)
		fprintf(out, " %8s", heads[c]);
	fprintf(out, " %-12s %s\n", "KIND", "PATH / CHANGES");
	for (i = 0; i < d->npairs; i++) {
		const struct diff_pair *p = &d->pairs[i];
		const struct region *ra = p->before >= 0 ? &a->regions[p->before] : NULL;
		const struct region *rb = p->after >= 0 ? &b->regions[p->after] : NULL;
		const struct region *r = rb ? rb : ra;
		const struct snapshot *s = rb ? b : a;
		char start[20], end[20], perms[8], v[32], what[256];
		const char *path = region_path(s, r);
		char *esc;

		if (p->before >= 0 && p->after >= 0 && !p->changes && !o->diff_all_regions)
			continue;
		if (o->filter.kinds && !((o->filter.kinds >> r->kind) & 1))
			continue;
		shown++;
		format_addr(r->start, 12, start, sizeof(start));
		format_addr(r->end, 12, end, sizeof(end));
		region_perms_text(r->perms, perms);
		fprintf(out, "%s %-16s %-16s %-5s", mark(p), start, end, perms);
		for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			struct delta dl;

			if (ra && rb) {
				dl = diff_region_delta(a, ra, b, rb, cols[c]);
				format_delta(&dl, raw, v, sizeof(v));
			} else {
				field_text(s, r, cols[c], raw, v, sizeof(v));
			}
			fprintf(out, " %8s", v);
		}
		esc = format_escape_name_dup(path ? path : "");
		fprintf(out, " %-12s %s", region_kind_name(r->kind), esc ? esc : "");
		free(esc);
		if (ra && rb && (p->changes & (DIFF_START | DIFF_SIZE | DIFF_PERMS | DIFF_KIND |
					       DIFF_PATH | DIFF_SWAP))) {
			changes_text(a, ra, b, rb, p->changes, raw, what, sizeof(what));
			fprintf(out, "%s(%s)", path ? " " : "", what);
		}
		fputc('\n', out);
	}
	if (!shown)
		fprintf(out, "  (no region changed)\n");

	fprintf(out, "\n%-14s", "KIND");
	for (c = 0; c < sizeof(heads) / sizeof(heads[0]); c++)
		fprintf(out, " %8s", heads[c]);
	fputc('\n', out);
	for (k = 0; k <= KIND_COUNT; k++) {
		const struct delta *dl = k < KIND_COUNT ? d->kinds[k] : d->totals;
		bool any = k == KIND_COUNT;
		char v[32];

		for (c = 0; c < sizeof(sums) / sizeof(sums[0]) && !any; c++)
			any = !dl[sums[c]].known || dl[sums[c]].v != 0;
		if (!any)
			continue;
		fprintf(out, "%-14s", k < KIND_COUNT ? region_kind_name(k) : "total");
		for (c = 0; c < sizeof(sums) / sizeof(sums[0]); c++) {
			format_delta(&dl[sums[c]], raw, v, sizeof(v));
			fprintf(out, " %8s", v);
		}
		fputc('\n', out);
	}
	shown = 0;
	for (i = 0; i < d->nimages; i++) {
		const struct diff_image *im = &d->images[i];
		char r1[32], r2[32], r3[32];
		char *esc;

		if (im->in_before && im->in_after && im->rss.known && !im->rss.v &&
		    im->pss.known && !im->pss.v && im->dirty.known && !im->dirty.v)
			continue;
		if (!shown++)
			fprintf(out, "\n%-8s %8s %8s %8s %s\n", "IMAGE", "RSS", "PSS", "DIRTY", "PATH");
		format_delta(&im->rss, raw, r1, sizeof(r1));
		format_delta(&im->pss, raw, r2, sizeof(r2));
		format_delta(&im->dirty, raw, r3, sizeof(r3));
		esc = format_escape_name_dup(im->path);
		fprintf(out, "%-8s %8s %8s %8s %s\n",
			!im->in_before ? "added" : !im->in_after ? "removed" : "changed",
			r1, r2, r3, esc ? esc : "");
		free(esc);
	}
	return ferror(out) ? -EIO : 0;
}
